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
