#!/usr/bin/env node
// Installs VS Code server (from the `code-server` npm package) into the git-ignored cache
// `.vscode-test/server`, following ../shared/real-vscode-tests.md. Idempotent: when the build is
// already there it prints its version and exits. Never a package.json dependency: the package's
// own postinstall downloads binaries, so its steps are done here by hand with --ignore-scripts.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  writeFileSync,
  copyFileSync,
  symlinkSync,
  rmSync,
  readFileSync,
  chmodSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3'; // newest release that runs on node 20 (VS Code 1.100.3)

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const cache = join(root, '.vscode-test', 'server');
const vscodeDir = join(cache, 'node_modules', 'code-server', 'lib', 'vscode');
const marker = join(cache, `.installed-${CODE_SERVER_VERSION}`);

function run(cmd, args, cwd, extraEnv = {}) {
  console.log(`[install-vscode-server] ${cwd.replace(root, '.')}$ ${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { cwd, stdio: 'inherit', env: { ...process.env, ...extraEnv } });
}

function which(name) {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

function relink(target, path) {
  rmSync(path, { force: true, recursive: false });
  symlinkSync(target, path);
}

if (existsSync(marker)) {
  const product = JSON.parse(readFileSync(join(vscodeDir, 'product.json'), 'utf8'));
  console.log(`[install-vscode-server] VS Code server ${product.version ?? ''} already installed in ${cache}`);
  process.exit(0);
}

const rg = which('rg');
if (!rg) {
  console.error('[install-vscode-server] ripgrep (rg) is missing: apt-get install -y ripgrep (see .ci/run)');
  process.exit(1);
}

mkdirSync(cache, { recursive: true });
if (!existsSync(join(cache, 'package.json'))) {
  writeFileSync(join(cache, 'package.json'), JSON.stringify({ name: 'vscode-server-cache', private: true }, null, 2));
}
const npm = 'npm';
run(npm, ['install', `code-server@${CODE_SERVER_VERSION}`, '--ignore-scripts', '--no-audit', '--no-fund'], cache);
run(npm, ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], vscodeDir);
const rgBin = join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin');
mkdirSync(rgBin, { recursive: true });
copyFileSync(rg, join(rgBin, 'rg'));
chmodSync(join(rgBin, 'rg'), 0o755);
// npm_config_yes: node-pty's install script calls `npx node-gyp`, which would otherwise wait for a yes.
run(npm, ['rebuild'], vscodeDir, { npm_config_yes: 'true' });
relink('node_modules', join(vscodeDir, 'node_modules.asar'));
relink('code-linux.sh', join(vscodeDir, 'bin', 'remote-cli', 'code-server'));
relink('browser-linux.sh', join(vscodeDir, 'bin', 'helpers', 'browser.sh'));
run(npm, ['install', '--omit=dev', '--no-audit', '--no-fund'], join(vscodeDir, 'extensions'));
writeFileSync(marker, new Date().toISOString() + '\n');
console.log(`[install-vscode-server] installed VS Code server into ${cache}`);
