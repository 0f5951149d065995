/**
 * The `windows-containers` CLI as scripts run it: `node dist/cli.js ...` (build first with
 * `npm run build`), checking exit codes, stdout and stderr.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KEPT_BACKUPS } from '../../common/daemonConfigFile';
import { REPO_ROOT } from './helpers';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(...args: string[]): Run {
  assert.ok(fs.existsSync(CLI), `${CLI} is missing: run npm run build`);
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function cliAsync(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function inTempDir(run: (dir: string) => Promise<void> | void): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wc-cli-'));
  try {
    await run(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('daemon isolation: creates, changes with a backup, then reports "unchanged"; exit 0 each time', async () => {
  await inTempDir((dir) => {
    const file = path.join(dir, 'config', 'daemon.json');
    const created = cli('daemon', 'isolation', 'process', '--config', file);
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.stderr, '');
    assert.ok(created.stdout.includes(`Created ${file}: exec-opts isolation=process.`), created.stdout);
    assert.match(created.stdout, /Backup: none \(the file did not exist\)/);
    assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), { 'exec-opts': ['isolation=process'] });

    fs.writeFileSync(file, '{\n  "debug": true,\n  "exec-opts": ["isolation=process"]\n}\n');
    const changed = cli('daemon', 'isolation', 'hyperv', `--config=${file}`);
    assert.equal(changed.code, 0, changed.stderr);
    assert.ok(changed.stdout.includes(`Wrote ${file}: exec-opts isolation=hyperv (was process).`), changed.stdout);
    const backup = /^Backup: (.+\.bak)$/m.exec(changed.stdout)?.[1];
    assert.ok(backup, changed.stdout);
    assert.match(path.basename(backup), /^daemon\.json\.\d{8}-\d{6}\.bak$/);
    assert.equal(fs.readFileSync(backup, 'utf8'), '{\n  "debug": true,\n  "exec-opts": ["isolation=process"]\n}\n');
    assert.equal(fs.readFileSync(file, 'utf8'), '{\n  "debug": true,\n  "exec-opts": ["isolation=hyperv"]\n}\n');

    const again = cli('daemon', 'isolation', 'hyperv', '--config', file);
    assert.equal(again.code, 0);
    assert.ok(again.stdout.startsWith(`Unchanged: ${file} already has isolation=hyperv.`), again.stdout);
    assert.equal(fs.readdirSync(path.dirname(file)).length, 2, 'daemon.json and one backup');

    const removed = cli('daemon', 'isolation', 'default', '--config', file);
    assert.equal(removed.code, 0);
    assert.match(removed.stdout, /exec-opts no isolation entry \(engine default\) \(was hyperv\)/);
    assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), { debug: true, 'exec-opts': [] });
  });
});

test('daemon isolation: invalid JSON exits 1, names line and column, changes nothing', async () => {
  await inTempDir((dir) => {
    const file = path.join(dir, 'daemon.json');
    const text = '{\n  "debug": true,\n  "hosts": [],\n}\n';
    fs.writeFileSync(file, text);
    const run = cli('daemon', 'isolation', 'process', '--config', file);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.ok(run.stderr.includes(`${file}: not valid JSON at line 3, column 14: trailing comma`), run.stderr);
    assert.match(run.stderr, /Nothing was changed\./);
    assert.equal(fs.readFileSync(file, 'utf8'), text);
    assert.deepEqual(fs.readdirSync(dir), ['daemon.json']);
  });
});

test('usage errors exit 2: unknown mode, missing mode, unknown option, unknown command', async () => {
  await inTempDir((dir) => {
    const file = path.join(dir, 'daemon.json');
    const unknownMode = cli('daemon', 'isolation', 'container', '--config', file);
    assert.equal(unknownMode.code, 2);
    assert.match(unknownMode.stderr, /unknown mode "container": use process, hyperv, default/);
    assert.equal(fs.existsSync(file), false);

    assert.equal(cli('daemon', 'isolation', '--config', file).code, 2);
    const option = cli('daemon', 'isolation', 'process', '--conf', file);
    assert.equal(option.code, 2);
    assert.match(option.stderr, /unknown option --conf/);
    assert.equal(cli('daemon', 'isolation', 'process', '--config').code, 2);
    const command = cli('frobnicate');
    assert.equal(command.code, 2);
    assert.match(command.stderr, /unknown command "frobnicate"/);
    assert.equal(cli().code, 2);
  });
});

test('without --config there is no default file off Windows', { skip: process.platform === 'win32' }, () => {
  const run = cli('daemon', 'isolation', 'process');
  assert.equal(run.code, 2);
  assert.match(run.stderr, /no default daemon\.json on \w+: pass --config PATH/);
});

test('--help at every level exits 0 and shows the usage', () => {
  const top = cli('--help');
  assert.equal(top.code, 0);
  assert.match(top.stdout, /^Usage: windows-containers <command> \[options\]/);
  assert.match(top.stdout, /^ {2}daemon {2}/m);
  for (const args of [
    ['daemon', '--help'],
    ['daemon', 'isolation', '--help'],
    ['daemon', 'isolation', 'process', '-h'],
  ]) {
    const run = cli(...args);
    assert.equal(run.code, 0, args.join(' '));
    assert.match(
      run.stdout,
      /^Usage: windows-containers daemon isolation <process\|hyperv\|default> \[--config PATH\] \[--force\]/,
      args.join(' '),
    );
  }
  assert.match(cli('--version').stdout, /^\d+\.\d+\.\d+/);
});

test('concurrent CLI processes do not interleave: every other key survives, one backup per write (the last five kept)', async () => {
  await inTempDir(async (dir) => {
    const file = path.join(dir, 'daemon.json');
    fs.writeFileSync(file, '{\n  "debug": true,\n  "exec-opts": ["keep=1"],\n  "hosts": ["npipe://"]\n}\n');
    const modes = ['process', 'hyperv', 'default', 'hyperv', 'process', 'default', 'process', 'hyperv'];
    const runs = await Promise.all(modes.map((mode) => cliAsync('daemon', 'isolation', mode, '--config', file)));
    for (const run of runs) assert.equal(run.code, 0, run.stderr);
    const writes = runs.filter((r) => /^(Wrote|Created) /.test(r.stdout)).length;
    const backups = fs.readdirSync(dir).filter((n) => n.endsWith('.bak'));
    assert.equal(backups.length, Math.min(writes, KEPT_BACKUPS), 'one backup per write, the last ones kept');
    assert.deepEqual(
      fs.readdirSync(dir).filter((n) => !n.endsWith('.bak')),
      ['daemon.json'],
      'no lock or temporary file left',
    );
    const data = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.equal(data.debug, true);
    assert.deepEqual(data.hosts, ['npipe://']);
    assert.equal(data['exec-opts'][0], 'keep=1');
    // Each backup is a complete file, as some run found it.
    for (const name of backups)
      assert.doesNotThrow(() => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')), name);
  });
});
