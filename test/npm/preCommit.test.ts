/**
 * The pre-commit hook (.pre-commit-hooks.yaml) as pre-commit installs and runs it: for a `node` hook
 * it packs the hook's repository (`npm pack`, whose `prepack` builds the bundles; .npmignore keeps
 * only them), installs the tarball globally (`npm install -g`, here into a temporary prefix, with its
 * dependencies from npm's cache when it has them) and runs `entry` with the staged files that match
 * `files` and not `exclude` (Python regular expressions; these use nothing JavaScript reads otherwise).
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const STEP_MS = 300_000;

interface Hook {
  id: string;
  entry: string;
  language: string;
  files: string;
  exclude?: string;
}

const hooks = parse(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
let tmp = '';
let prefix = '';
let packed: string[] = [];

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wc-pre-commit-'));
  const [result] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: ROOT, encoding: 'utf8', timeout: STEP_MS, stdio: ['ignore', 'pipe', 'inherit'] })) as { filename: string; files: { path: string }[] }[];
  packed = result.files.map((f) => f.path).sort();
  prefix = path.join(tmp, 'prefix');
  execFileSync('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', path.join(tmp, result.filename)], {
    cwd: tmp,
    encoding: 'utf8',
    timeout: STEP_MS,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
});

after(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test('the repository packs as the hook needs it: the built bundles, no sources', () => {
  for (const bundle of ['dist/cli.js', 'dist/server.js', 'dist/serverMain.js']) assert.ok(packed.includes(bundle), `${bundle} is in the package: ${packed.join(', ')}`);
  assert.ok(!packed.some((file) => /^(server|client|common|test|scripts)\//.test(file)), `no sources in the package: ${packed.join(', ')}`);
});

test('.pre-commit-hooks.yaml: a node hook whose entry is a command the package installs, on Dockerfiles only', () => {
  const hook = hooks.find((h) => h.id === 'windows-containers-lint');
  assert.ok(hook, 'the windows-containers-lint hook');
  assert.equal(hook.language, 'node');
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  assert.ok(hook.entry.split(' ')[0] in manifest.bin, `${hook.entry} starts with a bin of package.json`);
  const files = new RegExp(hook.files);
  const exclude = hook.exclude ? new RegExp(hook.exclude) : undefined;
  const selected = (name: string) => files.test(name) && !exclude?.test(name);
  for (const name of ['Dockerfile', 'app/Dockerfile', 'docker/windows.Dockerfile', 'Dockerfile.ltsc2022', 'build/Dockerfile_1809', 'Containerfile', 'web.dockerfile']) assert.ok(selected(name), `${name} is checked`);
  for (const name of ['README.md', 'Dockerfile.dockerignore', 'docs/Dockerfile.md', 'package.json', 'compose.yaml', 'MyDockerfileHelper.cs']) assert.ok(!selected(name), `${name} is not checked`);
});

test('the installed hook command checks the files pre-commit passes it', () => {
  const hook = hooks.find((h) => h.id === 'windows-containers-lint')!;
  const work = path.join(tmp, 'work');
  fs.mkdirSync(work);
  fs.writeFileSync(path.join(work, 'Dockerfile'), 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR C:\n');
  fs.writeFileSync(path.join(work, 'clean.Dockerfile'), 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR C:\\\\app\n');
  const [command, ...args] = hook.entry.split(' ');
  const run = (...files: string[]) => spawnSync(path.join(prefix, 'bin', command), [...args, ...files], { cwd: work, encoding: 'utf8', timeout: STEP_MS });
  const failing = run('Dockerfile', 'clean.Dockerfile');
  assert.equal(failing.status, 1, `a finding that is an error fails the hook: ${failing.stderr}`);
  assert.match(failing.stdout, /^Dockerfile:2:9 error workdir-bare-drive /m);
  const passing = run('clean.Dockerfile');
  assert.equal(passing.status, 0, passing.stdout + passing.stderr);
});
