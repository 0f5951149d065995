/**
 * The daemon.json edit against odd files (issue 19 items 4, 5, 10, 11 and the symlink note; issue
 * 18 item 7): only regular files are read or replaced, backups keep the original's mode and
 * owner, the last backups are kept and stale temporary files removed, duplicate entries go in
 * linear time, and a Linux engine's config is refused byte for byte.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyIsolation, linuxEngineConfig } from '../../common/daemonConfig';
import { KEPT_BACKUPS, setDaemonIsolation } from '../../common/daemonConfigFile';
import { REPO_ROOT } from './helpers';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const ORIGINAL = '{\n  "debug": true,\n  "exec-opts": ["isolation=hyperv"]\n}\n';
const isRoot = process.getuid?.() === 0;

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'wc-daemon-hard-'));
}

function cli(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 15_000, env });
  return { code: result.status, signal: result.signal, out: result.stdout, err: result.stderr };
}

test(
  'a FIFO, a folder or a device node as --config is refused before reading, and left as it was',
  { skip: process.platform === 'win32' },
  () => {
    const dir = tempDir();
    try {
      const fifo = path.join(dir, 'fifo.json');
      assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
      const started = Date.now();
      const onFifo = cli(['daemon', 'isolation', 'process', '--config', fifo]);
      assert.equal(onFifo.signal, null, 'it did not hang (killed by the timeout)');
      assert.equal(onFifo.code, 1, onFifo.err);
      assert.match(onFifo.err, /fifo\.json is not a regular file/);
      assert.ok(Date.now() - started < 10_000);
      assert.ok(fs.lstatSync(fifo).isFIFO(), 'still a FIFO');

      const folder = path.join(dir, 'folder.json');
      fs.mkdirSync(folder);
      const onFolder = cli(['daemon', 'isolation', 'process', '--config', folder]);
      assert.equal(onFolder.code, 1);
      assert.match(onFolder.err, /folder\.json is not a regular file/);

      if (isRoot) {
        // A null device of our own (never the system's /dev/null).
        const device = path.join(dir, 'null.json');
        assert.equal(spawnSync('mknod', [device, 'c', '1', '3']).status, 0);
        const onDevice = cli(['daemon', 'isolation', 'process', '--config', device]);
        assert.equal(onDevice.code, 1, onDevice.err);
        assert.match(onDevice.err, /null\.json is not a regular file/);
        assert.ok(fs.lstatSync(device).isCharacterDevice(), 'still a device node');
      }
      assert.deepEqual(
        fs.readdirSync(dir).sort(),
        ['fifo.json', 'folder.json', ...(isRoot ? ['null.json'] : [])],
        'no backup, lock or temporary file',
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
);

test(
  'the backup and the new file keep the original’s mode (and owner, as root)',
  { skip: process.platform === 'win32' },
  async () => {
    const dir = tempDir();
    try {
      const file = path.join(dir, 'daemon.json');
      fs.writeFileSync(file, ORIGINAL);
      fs.chmodSync(file, 0o640);
      if (isRoot) fs.chownSync(file, 4321, 4322);
      const result = await setDaemonIsolation(file, 'process');
      assert.equal(result.status, 'written');
      for (const written of [file, result.backup!]) {
        const stat = fs.statSync(written);
        assert.equal(stat.mode & 0o7777, 0o640, `${path.basename(written)} mode ${(stat.mode & 0o7777).toString(8)}`);
        if (isRoot) assert.deepEqual([stat.uid, stat.gid], [4321, 4322], `${path.basename(written)} owner`);
      }
      // A private file stays private: its backup is not world-readable either.
      fs.chmodSync(file, 0o600);
      const again = await setDaemonIsolation(file, 'hyperv');
      assert.equal(fs.statSync(again.backup!).mode & 0o777, 0o600);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
);

test(`the last ${KEPT_BACKUPS} backups are kept; temporary files of dead runs are removed once stale`, async () => {
  const dir = tempDir();
  try {
    const file = path.join(dir, 'daemon.json');
    fs.writeFileSync(file, ORIGINAL);
    const stale = path.join(dir, 'daemon.json.99999-deadbeef.tmp');
    const staleBackup = path.join(dir, 'daemon.json.99998-deadbeef.bak.tmp');
    const fresh = path.join(dir, 'daemon.json.99997-cafe.tmp');
    for (const name of [stale, staleBackup, fresh]) fs.writeFileSync(name, '{"half');
    const old = new Date(Date.now() - 120_000);
    fs.utimesSync(stale, old, old);
    fs.utimesSync(staleBackup, old, old);
    const modes = ['process', 'hyperv'] as const;
    const backups: string[] = [];
    for (let i = 0; i < KEPT_BACKUPS + 3; i++) {
      const result = await setDaemonIsolation(file, modes[i % 2], { now: () => new Date(2026, 0, 1, 0, 0, i) });
      backups.push(result.backup!);
    }
    const left = fs
      .readdirSync(dir)
      .filter((n) => n.endsWith('.bak'))
      .sort();
    assert.deepEqual(
      left,
      backups
        .slice(-KEPT_BACKUPS)
        .map((b) => path.basename(b))
        .sort(),
      'the newest ones',
    );
    assert.equal(fs.existsSync(stale), false);
    assert.equal(fs.existsSync(staleBackup), false);
    assert.equal(fs.existsSync(fresh), true, 'a fresh temporary file may be a live run’s: kept');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('removing duplicate isolation entries is linear (8,000 duplicates)', () => {
  const entries = Array.from({ length: 8000 }, (_, i) => `"isolation=${i % 2 ? 'hyperv' : 'process'}"`);
  const text = `{\n  "exec-opts": [\n    "keep=1",\n    ${entries.join(',\n    ')},\n    "last=2"\n  ]\n}\n`;
  for (const mode of ['process', 'hyperv', 'default'] as const) {
    const started = performance.now();
    const edit = applyIsolation(text, mode);
    const ms = performance.now() - started;
    const opts = (JSON.parse(edit.text) as { 'exec-opts': string[] })['exec-opts'];
    assert.deepEqual(opts, mode === 'default' ? ['keep=1', 'last=2'] : ['keep=1', `isolation=${mode}`, 'last=2']);
    assert.equal(edit.previous.length, 8000);
    // Quadratic, this took 20 s.
    assert.ok(ms < 2000, `${mode}: ${Math.round(ms)} ms`);
  }
  // Trailing duplicates after the kept entry, and every entry removed, leave valid JSON in the file's layout.
  assert.equal(
    applyIsolation('{"exec-opts": ["isolation=hyperv", "isolation=process", "isolation=x"]}', 'hyperv').text,
    '{"exec-opts": ["isolation=hyperv"]}',
  );
  assert.equal(
    applyIsolation('{"exec-opts": ["a", "isolation=process", "b", "isolation=x"]}', 'default').text,
    '{"exec-opts": ["a", "b"]}',
  );
  assert.equal(
    applyIsolation('{"exec-opts": ["isolation=process", "isolation=x"]}', 'default').text,
    '{"exec-opts": []}',
  );
});

test(
  'a symlinked --config replaced by a regular file is said in the output; its target is unchanged',
  { skip: process.platform === 'win32' },
  () => {
    const dir = tempDir();
    try {
      const target = path.join(dir, 'real.json');
      const link = path.join(dir, 'daemon.json');
      fs.writeFileSync(target, ORIGINAL);
      fs.symlinkSync(target, link);
      const run = cli(['daemon', 'isolation', 'process', '--config', link]);
      assert.equal(run.code, 0, run.err);
      assert.match(
        run.out,
        new RegExp(`Note: .*daemon\\.json was a symbolic link to .*real\\.json; it is now a regular file`),
      );
      assert.equal(fs.readFileSync(target, 'utf8'), ORIGINAL);
      assert.ok(fs.lstatSync(link).isFile());
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
);

test(
  'Linux engine configs are refused with a clear message and stay byte for byte (rootless, Docker Desktop, a link to one)',
  { skip: process.platform === 'win32' },
  () => {
    const home = tempDir();
    try {
      const bytes = Buffer.from(
        '{\n  "features": {"buildkit": true},\n  "exec-opts": ["native.cgroupdriver=systemd"]\n}\n',
      );
      const rootless = path.join(home, '.config', 'docker', 'daemon.json');
      const desktop = path.join(home, '.docker', 'daemon.json');
      const xdg = path.join(home, 'xdg', 'docker', 'daemon.json');
      const link = path.join(home, 'elsewhere', 'daemon.json');
      for (const file of [rootless, desktop, xdg]) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, bytes);
      }
      fs.mkdirSync(path.dirname(link));
      fs.symlinkSync(rootless, link);
      const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, 'xdg') };
      const cases: [string, RegExp, NodeJS.ProcessEnv][] = [
        [rootless, /rootless dockerd's config/, { ...process.env, HOME: home, XDG_CONFIG_HOME: '' }],
        [desktop, /Docker Desktop's Linux engine settings/, env],
        [xdg, /rootless dockerd's config/, env],
        [link, /rootless dockerd's config/, { ...process.env, HOME: home, XDG_CONFIG_HOME: '' }],
      ];
      for (const [file, what, runEnv] of cases) {
        const run = cli(['daemon', 'isolation', 'process', '--config', file], runEnv);
        assert.equal(run.code, 1, `${file}: ${run.out}${run.err}`);
        assert.match(run.err, what);
        assert.match(run.err, /isolation applies to Windows engines only/);
        assert.match(run.err, /Nothing was changed/);
      }
      for (const file of [rootless, desktop, xdg]) {
        assert.deepEqual(fs.readFileSync(file), bytes, `${file} byte for byte`);
        assert.deepEqual(fs.readdirSync(path.dirname(file)), ['daemon.json'], 'no backup, lock or temporary file');
      }
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  },
);

test('linuxEngineConfig: /etc/docker/daemon.json and the snap path on Linux, ~/.docker on Windows; the Windows engine file is fine', () => {
  assert.match(linuxEngineConfig('/etc/docker/daemon.json', { HOME: '/home/u' }, 'linux') ?? '', /Linux Docker engine/);
  assert.match(
    linuxEngineConfig('/etc/docker/../docker/daemon.json', { HOME: '/home/u' }, 'linux') ?? '',
    /Linux Docker engine/,
  );
  assert.match(
    linuxEngineConfig('/var/snap/docker/current/config/daemon.json', { HOME: '/home/u' }, 'linux') ?? '',
    /snap/,
  );
  assert.match(linuxEngineConfig('/home/u/.config/docker/daemon.json', { HOME: '/home/u' }, 'linux') ?? '', /rootless/);
  assert.match(
    linuxEngineConfig('/Users/u/.docker/daemon.json', { HOME: '/Users/u' }, 'darwin') ?? '',
    /Docker Desktop/,
  );
  assert.match(
    linuxEngineConfig('C:\\Users\\U\\.docker\\daemon.json', { USERPROFILE: 'C:\\Users\\u' }, 'win32') ?? '',
    /Docker Desktop/,
  );
  assert.equal(
    linuxEngineConfig('C:\\ProgramData\\docker\\config\\daemon.json', { USERPROFILE: 'C:\\Users\\u' }, 'win32'),
    undefined,
  );
  assert.equal(linuxEngineConfig('/srv/windows-host/daemon.json', { HOME: '/home/u' }, 'linux'), undefined);
});
