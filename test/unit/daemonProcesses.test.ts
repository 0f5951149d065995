/**
 * The daemon.json edit with real processes (daemonConfig.test.ts injects failures in one process):
 * - a process killed (SIGKILL, so no `finally` runs) at each step between reading the file and
 *   releasing the lock leaves daemon.json either as it was or as intended, byte for byte, never
 *   half written; a backup, when there is one, is the file as it was; the next run gets through;
 * - CLI runs started at the same time (`node dist/cli.js daemon isolation ...`) do not interleave:
 *   the file ends valid, every backup is a state the file was in, one backup per write.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyIsolation, IsolationMode } from '../../common/daemonConfig';
import { KEPT_BACKUPS } from '../../common/daemonConfigFile';
import { REPO_ROOT } from './helpers';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const FILE_MODULE = path.join(REPO_ROOT, 'out', 'common', 'daemonConfigFile.js');
const ORIGINAL =
  '{\n  "debug": true,\n  "exec-opts": ["keep=1", "isolation=hyperv"],\n  "registry-mirrors": ["https://mirror.example"]\n}\n';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'wc-daemon-proc-'));
}

/**
 * A child process that sets the isolation through common/daemonConfigFile.ts and kills itself
 * with SIGKILL at `step`: 'backup-temporary' (halfway through writing the backup's temporary
 * file), 'backup' (right after the backup is renamed into place), 'temporary' (halfway through
 * writing the temporary file), 'rename' (just before the rename), 'renamed' (after the rename,
 * before the lock is released).
 */
const CRASHING_RUN = `
const fs = require('node:fs');
const { nodeDaemonFs, setDaemonIsolation } = require(process.argv[1]);
const [file, step] = process.argv.slice(2);
const die = () => process.kill(process.pid, 'SIGKILL');
const crashing = {
  ...nodeDaemonFs,
  async createFile(target, data, mode, owner) {
    const backupPart = target.endsWith('.bak.tmp');
    if ((step === 'temporary' && target.endsWith('.tmp') && !backupPart) || (step === 'backup-temporary' && backupPart)) {
      fs.writeFileSync(target, Buffer.from(data).subarray(0, data.length >> 1), { flag: 'wx' });
      die();
    }
    await nodeDaemonFs.createFile(target, data, mode, owner);
  },
  async rename(from, to) {
    if (step === 'rename' && to === file) die();
    await nodeDaemonFs.rename(from, to);
    if (step === 'renamed' && to === file) die();
    if (step === 'backup' && to.endsWith('.bak')) die();
  },
};
setDaemonIsolation(file, 'process', { fs: crashing }).then(() => process.exit(3), () => process.exit(4));
`;

for (const step of ['backup-temporary', 'backup', 'temporary', 'rename', 'renamed'] as const) {
  test(`a run killed at "${step}" leaves daemon.json whole; the next run gets through`, () => {
    const dir = tempDir();
    try {
      const file = path.join(dir, 'daemon.json');
      fs.writeFileSync(file, ORIGINAL);
      const intended = applyIsolation(ORIGINAL, 'process').text;
      const run = spawnSync(process.execPath, ['-e', CRASHING_RUN, FILE_MODULE, file, step], {
        encoding: 'utf8',
        timeout: 20_000,
      });
      assert.equal(run.signal, 'SIGKILL', `the run died at ${step}: ${run.stderr}`);

      const after = fs.readFileSync(file, 'utf8');
      assert.equal(after, step === 'renamed' ? intended : ORIGINAL, 'daemon.json is exactly the old or the new text');
      JSON.parse(after);
      const names = fs.readdirSync(dir);
      const backups = names.filter((n) => n.endsWith('.bak'));
      // A backup is whole or absent: never a truncated one (written to a temporary file, then renamed).
      assert.equal(backups.length, step === 'backup-temporary' ? 0 : 1, `backups: ${names.join(', ')}`);
      for (const backup of backups)
        assert.equal(fs.readFileSync(path.join(dir, backup), 'utf8'), ORIGINAL, 'the backup is the file as it was');
      assert.ok(names.includes('daemon.json.lock'), 'the dead run left its lock');

      // The lock of a dead run is taken over once stale (30 s; aged here), and the edit is made;
      // the temporary files the dead run left are removed once as old.
      const old = new Date(Date.now() - 60_000);
      for (const name of names.filter((n) => n.endsWith('.lock') || n.endsWith('.tmp')))
        fs.utimesSync(path.join(dir, name), old, old);
      const next = spawnSync(process.execPath, [CLI, 'daemon', 'isolation', 'default', '--config', file], {
        encoding: 'utf8',
        timeout: 20_000,
      });
      assert.equal(next.status, 0, next.stderr);
      assert.equal(fs.readFileSync(file, 'utf8'), applyIsolation(after, 'default').text);
      assert.ok(!fs.existsSync(path.join(dir, 'daemon.json.lock')), 'the next run released the lock');
      assert.deepEqual(
        fs.readdirSync(dir).filter((n) => n.endsWith('.tmp')),
        [],
        'and removed the stale temporary files',
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

/** Every text daemon.json can hold after any sequence of isolation edits of `original`. */
function reachableStates(original: string): Set<string> {
  const states = new Set([original]);
  let frontier = [original];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const state of frontier) {
      for (const mode of ['process', 'hyperv', 'default'] as IsolationMode[]) {
        const text = applyIsolation(state, mode).text;
        if (!states.has(text)) {
          states.add(text);
          next.push(text);
        }
      }
    }
    frontier = next;
  }
  return states;
}

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

test('CLI runs started at the same time do not interleave: the file ends valid, each backup is an earlier state', async () => {
  const dir = tempDir();
  try {
    const file = path.join(dir, 'daemon.json');
    fs.writeFileSync(file, ORIGINAL);
    const modes: IsolationMode[] = [
      'process',
      'hyperv',
      'default',
      'process',
      'default',
      'hyperv',
      'process',
      'default',
    ];
    const runs = await Promise.all(modes.map((mode) => runCli(['daemon', 'isolation', mode, '--config', file])));
    for (const run of runs) assert.equal(run.code, 0, run.stderr);

    const states = reachableStates(ORIGINAL);
    const final = fs.readFileSync(file, 'utf8');
    assert.ok(states.has(final), `the final file is a state an edit makes:\n${final}`);
    const data = JSON.parse(final) as Record<string, unknown>;
    assert.equal(data.debug, true);
    assert.deepEqual(data['registry-mirrors'], ['https://mirror.example']);
    assert.ok((data['exec-opts'] as string[]).filter((e) => e.startsWith('isolation=')).length <= 1);

    const written = runs.filter((r) => /^(Wrote|Created) /m.test(r.stdout)).length;
    // Backups in the order they were written: `daemon.json.<stamp>.bak`, then `-2`, `-3` ... within a second.
    const order = (name: string) => {
      const [, stamp, n] = /\.(\d{8}-\d{6})(?:-(\d+))?\.bak$/.exec(name) ?? [];
      return `${stamp} ${String(Number(n ?? 1)).padStart(4, '0')}`;
    };
    const backups = fs
      .readdirSync(dir)
      .filter((n) => n.endsWith('.bak'))
      .sort((a, b) => order(a).localeCompare(order(b)));
    assert.equal(backups.length, Math.min(written, KEPT_BACKUPS), 'one backup per write, the last ones kept');
    const chain = [...backups.map((n) => fs.readFileSync(path.join(dir, n), 'utf8')), final];
    if (written <= KEPT_BACKUPS) assert.equal(chain[0], ORIGINAL, 'the first write backed up the original');
    for (let i = 0; i + 1 < chain.length; i++) {
      JSON.parse(chain[i]);
      const oneEdit = (['process', 'hyperv', 'default'] as IsolationMode[]).some(
        (mode) => applyIsolation(chain[i], mode).text === chain[i + 1],
      );
      assert.ok(
        oneEdit,
        `each write started from what the previous one left (no lost update): backup ${i + 1} -> ${i + 2}`,
      );
    }
    assert.deepEqual(
      fs.readdirSync(dir).filter((n) => !n.endsWith('.bak')),
      ['daemon.json'],
      'no lock or temporary file is left',
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
