/**
 * The npm package as a user gets it: `scripts/pack-npm.mjs` packs build/npm/ from the dist/ the
 * VSIX ships (npm test runs this after `npm run package`), the tarball is installed into an empty
 * folder with an empty npm cache and `--offline` (so it needs nothing from the registry: no
 * dependencies), and both commands run from node_modules/.bin as a shell would start them.
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { createProtocolConnection, PublishDiagnosticsParams, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const EXTENSION = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
const STEP_MS = 120_000;

let consumer = '';
let bin = '';

before(() => {
  const tarball = execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'pack-npm.mjs')], { cwd: ROOT, encoding: 'utf8', timeout: STEP_MS }).trim().split('\n').pop()!;
  consumer = fs.mkdtempSync(path.join(os.tmpdir(), 'wc-npm-'));
  fs.writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--cache', path.join(consumer, '.npm-cache'), tarball], {
    cwd: consumer,
    encoding: 'utf8',
    timeout: STEP_MS,
    env: { ...process.env, npm_config_registry: 'http://127.0.0.1:9/' },
  });
  bin = path.join(consumer, 'node_modules', '.bin');
});

after(() => {
  if (consumer) fs.rmSync(consumer, { recursive: true, force: true });
});

test('the package installs offline with no dependencies and only its bundles', () => {
  const installed = fs.readdirSync(path.join(consumer, 'node_modules')).filter((name) => !name.startsWith('.'));
  assert.deepEqual(installed, ['windows-containers']);
  const manifest = JSON.parse(fs.readFileSync(path.join(consumer, 'node_modules', 'windows-containers', 'package.json'), 'utf8'));
  assert.equal(manifest.version, EXTENSION.version, 'the npm package carries the extension version');
  assert.equal(manifest.dependencies, undefined);
  const files = fs.readdirSync(path.join(consumer, 'node_modules', 'windows-containers', 'dist')).sort();
  assert.deepEqual(files, ['cli.js', 'server.js', 'serverMain.js']);
});

test('windows-containers runs from node_modules/.bin: --version, lint text and SARIF', () => {
  const version = spawnSync(path.join(bin, 'windows-containers'), ['--version'], { encoding: 'utf8', timeout: STEP_MS });
  assert.equal(version.status, 0, version.stderr);
  assert.equal(version.stdout.trim(), EXTENSION.version);

  const dockerfile = path.join(consumer, 'Dockerfile');
  fs.writeFileSync(dockerfile, 'FROM mcr.microsoft.com/windows/servercore\nWORKDIR C:\n');
  const lint = spawnSync(path.join(bin, 'windows-containers'), ['lint', 'Dockerfile'], { cwd: consumer, encoding: 'utf8', timeout: STEP_MS });
  assert.equal(lint.status, 1, `an error finding exits 1: ${lint.stderr}`);
  assert.match(lint.stdout, /^Dockerfile:1:\d+ error windows-image-untagged /m);
  assert.match(lint.stdout, /^Dockerfile:2:\d+ error workdir-bare-drive /m);

  const sarif = spawnSync(path.join(bin, 'windows-containers'), ['lint', '--format', 'sarif', 'Dockerfile'], { cwd: consumer, encoding: 'utf8', timeout: STEP_MS });
  const log = JSON.parse(sarif.stdout);
  assert.equal(log.version, '2.1.0');
  assert.ok(log.runs[0].results.some((r: { ruleId: string }) => r.ruleId === 'windows-image-untagged'));
});

test('windows-containers-langserver --stdio answers initialize and publishes a Windows finding', async () => {
  const child = spawn(path.join(bin, 'windows-containers-langserver'), ['--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const uri = 'file:///project/Dockerfile';
  const published = new Promise<PublishDiagnosticsParams>((resolve) => {
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      if (params.uri === uri && params.diagnostics.length > 0) resolve(params);
    });
  });
  connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => null));
  connection.listen();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('no answer from the installed language server within 30 s')), 30_000);
  });
  try {
    const init = (await Promise.race([
      connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} }),
      deadline,
    ])) as { capabilities: { hoverProvider?: unknown }; serverInfo?: { version?: string } };
    assert.ok(init.capabilities.hoverProvider, 'the server announces hover');
    assert.equal(init.serverInfo?.version, EXTENSION.version);
    await connection.sendNotification('initialized', {});
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'dockerfile', version: 1, text: 'FROM mcr.microsoft.com/windows/nanoserver\n' },
    });
    const params = await Promise.race([published, deadline]);
    assert.ok(params.diagnostics.some((d) => d.code === 'windows-image-untagged'), JSON.stringify(params.diagnostics));
  } finally {
    clearTimeout(timer);
    connection.dispose();
    child.kill();
  }
});

test('action.yml: its lint step, run as GitHub runs it, writes SARIF and the exit code with the installed package', () => {
  const action = parse(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
    runs: { using: string; steps: { id?: string; run?: string; shell?: string; uses?: string; env?: Record<string, string> }[] };
  };
  assert.equal(action.runs.using, 'composite');
  assert.equal(action.inputs.version.default, EXTENSION.version, 'the action runs the npm package of its own version');
  const step = action.runs.steps.find((s) => s.id === 'lint');
  assert.ok(step?.run && step.shell === 'bash' && step.env, 'a bash step with id lint');
  assert.ok(action.runs.steps.some((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@')), 'it uploads the SARIF log');

  fs.writeFileSync(path.join(consumer, 'Dockerfile'), 'FROM mcr.microsoft.com/windows/servercore\n');
  // `npx --yes windows-containers@<version> ...` runs the package installed above (CI here has no registry to fetch it from).
  const fakeBin = fs.mkdtempSync(path.join(os.tmpdir(), 'wc-action-'));
  fs.writeFileSync(
    path.join(fakeBin, 'npx'),
    `#!/bin/sh\n[ "$1" = "--yes" ] && shift\n[ "$1" = "windows-containers@${EXTENSION.version}" ] || { echo "unexpected npx $*" >&2; exit 99; }\nshift\nexec "${path.join(bin, 'windows-containers')}" "$@"\n`,
    { mode: 0o755 },
  );
  const output = path.join(fakeBin, 'github-output');
  fs.writeFileSync(output, '');
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(step.env)) env[key] = value.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_, name: string) => action.inputs[name].default ?? '');
  const run = spawnSync('bash', ['-e', '-c', step.run], {
    cwd: consumer,
    encoding: 'utf8',
    timeout: STEP_MS,
    env: { ...process.env, ...env, PATH: `${fakeBin}${path.delimiter}${process.env.PATH}`, GITHUB_OUTPUT: output },
  });
  try {
    assert.equal(run.status, 0, `findings are not a failure of the step itself: ${run.stderr}`);
    assert.match(fs.readFileSync(output, 'utf8'), /^exit-code=1$/m, 'the untagged image is an error');
    const sarif = JSON.parse(fs.readFileSync(path.join(consumer, env.WC_SARIF), 'utf8'));
    assert.ok(sarif.runs[0].results.some((r: { ruleId: string }) => r.ruleId === 'windows-image-untagged'));
  } finally {
    fs.rmSync(fakeBin, { recursive: true, force: true });
  }
});
