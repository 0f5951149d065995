/**
 * The daemon.json edit (common/daemonConfig.ts, common/daemonConfigFile.ts) on real files in a
 * temporary folder. Failures that root cannot meet on this machine (a file it may not write) are
 * injected through `DaemonFs`; each such test says what it proves.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  applyIsolation,
  DaemonConfigError,
  defaultDaemonConfigPath,
  elevatedCopyCommand,
  findDockerDesktop,
  isDefaultDaemonConfigPath,
  readIsolation,
} from '../../common/daemonConfig';
import {
  backupStamp,
  DaemonFs,
  nodeDaemonFs,
  planDaemonIsolation,
  setDaemonIsolation,
} from '../../common/daemonConfigFile';
import { REPO_ROOT } from './helpers';

const NOW = new Date(2025, 0, 2, 3, 4, 5);
const now = () => NOW;

async function inTempDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wc-daemon-'));
  try {
    await run(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const list = (dir: string) => fs.readdirSync(dir).sort();

/** Asserts `run` rejects with a DaemonConfigError of `code`, and returns it. */
async function rejectsWith(run: Promise<unknown>, code: string): Promise<DaemonConfigError> {
  try {
    await run;
  } catch (error) {
    assert.ok(error instanceof DaemonConfigError, `a DaemonConfigError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`expected a ${code} error`);
}

const errno = (code: string) => Object.assign(new Error(`${code}: injected`), { code });

// ---------------------------------------------------------------------------------------------
// the edit on real files

test('keeps every other key and value, replaces the isolation entry, keeps other exec-opts in place', async () => {
  await inTempDir(async (dir) => {
    const file = path.join(dir, 'daemon.json');
    const before = [
      '{',
      '  "debug": true,',
      '  "exec-opts": [',
      '    "native.cgroupdriver=cgroupfs",',
      '    "isolation=hyperv",',
      '    "other=1"',
      '  ],',
      '  "hosts": ["npipe://", "tcp://0.0.0.0:2376"],',
      '  "log-opts": {"max-size": "10m"},',
      '  "storage-opts": ["size=40G"]',
      '}',
      '',
    ].join('\n');
    fs.writeFileSync(file, before);
    const result = await setDaemonIsolation(file, 'process', { now });
    assert.equal(result.status, 'written');
    assert.deepEqual(result.previous, ['hyperv']);
    assert.equal(
      fs.readFileSync(file, 'utf8'),
      before.replace('"isolation=hyperv"', '"isolation=process"'),
      'only the entry changed',
    );
    assert.equal(result.backup, path.join(dir, `daemon.json.${backupStamp(NOW)}.bak`));
    assert.equal(path.basename(result.backup!), 'daemon.json.20250102-030405.bak');
    assert.equal(fs.readFileSync(result.backup!, 'utf8'), before, 'the backup holds the old file');
    assert.deepEqual(list(dir), ['daemon.json', 'daemon.json.20250102-030405.bak'], 'no lock or temporary file left');
  });
});

test("adds exec-opts when absent, in the file's own layout", async () => {
  await inTempDir(async (dir) => {
    const file = path.join(dir, 'daemon.json');
    fs.writeFileSync(file, '{\n    "debug": true,\n    "log-opts": {"max-size": "10m"}\n}\n');
    await setDaemonIsolation(file, 'hyperv', { now });
    assert.equal(
      fs.readFileSync(file, 'utf8'),
      '{\n    "debug": true,\n    "log-opts": {"max-size": "10m"},\n    "exec-opts": [\n        "isolation=hyperv"\n    ]\n}\n',
      'appended after the last key; the one-line value before it is not reformatted',
    );
  });
});

test('appends to an exec-opts without isolation, keeping its entries', async () => {
  const text = '{\n  "exec-opts": [\n    "native.cgroupdriver=cgroupfs"\n  ]\n}';
  assert.equal(
    applyIsolation(text, 'process').text,
    '{\n  "exec-opts": [\n    "native.cgroupdriver=cgroupfs",\n    "isolation=process"\n  ]\n}',
  );
  assert.equal(
    applyIsolation('{"exec-opts": ["a", "b"]}', 'process').text,
    '{"exec-opts": ["a", "b", "isolation=process"]}',
  );
  assert.equal(applyIsolation('{"exec-opts": []}', 'process').text, '{"exec-opts": ["isolation=process"]}');
});

test('a one-line file stays on one line', () => {
  assert.equal(applyIsolation('{"debug":true}', 'hyperv').text, '{"debug":true,"exec-opts":["isolation=hyperv"]}');
  assert.equal(
    applyIsolation('{"debug": true, "exec-opts": ["a", "isolation=hyperv"]}', 'process').text,
    '{"debug": true, "exec-opts": ["a", "isolation=process"]}',
  );
});

test('`default` removes the entry; an emptied exec-opts stays as [] (the smallest edit)', async () => {
  await inTempDir(async (dir) => {
    const file = path.join(dir, 'daemon.json');
    fs.writeFileSync(file, '{\n  "debug": true,\n  "exec-opts": [\n    "isolation=process"\n  ]\n}\n');
    const result = await setDaemonIsolation(file, 'default', { now });
    assert.equal(result.status, 'written');
    assert.equal(fs.readFileSync(file, 'utf8'), '{\n  "debug": true,\n  "exec-opts": []\n}\n');
  });
  assert.equal(applyIsolation('{"exec-opts": ["a", "isolation=hyperv"]}', 'default').text, '{"exec-opts": ["a"]}');
  assert.equal(
    applyIsolation('{\n  "exec-opts": [\n    "isolation=hyperv",\n    "a"\n  ]\n}', 'default').text,
    '{\n  "exec-opts": [\n    "a"\n  ]\n}',
  );
  assert.equal(applyIsolation('{"debug": true}', 'default').changed, false, 'nothing to remove');
});

test('several isolation entries become one (dockerd would take the last)', () => {
  const edit = applyIsolation('{"exec-opts": ["isolation=hyperv", "a", "Isolation = process"]}', 'process');
  assert.equal(edit.text, '{"exec-opts": ["isolation=process", "a"]}');
  assert.deepEqual(edit.previous, ['hyperv', 'process']);
  assert.deepEqual(readIsolation('\uFEFF{"exec-opts": ["isolation=hyperv"]}'), ['hyperv']);
});

test('BOM, CRLF line endings and tab indentation are kept', async () => {
  await inTempDir(async (dir) => {
    const file = path.join(dir, 'daemon.json');
    const before = '\uFEFF{\r\n\t"debug": true,\r\n\t"exec-opts": [\r\n\t\t"isolation=hyperv"\r\n\t]\r\n}\r\n';
    fs.writeFileSync(file, before, 'utf8');
    await setDaemonIsolation(file, 'process', { now });
    const bytes = fs.readFileSync(file);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the UTF-8 BOM is still there');
    assert.equal(bytes.toString('utf8'), before.replace('hyperv', 'process'));

    fs.writeFileSync(file, '\uFEFF{\r\n\t"debug": true\r\n}\r\n', 'utf8');
    await setDaemonIsolation(file, 'hyperv', { now: () => new Date(2025, 0, 2, 3, 4, 6) });
    const text = fs.readFileSync(file, 'utf8');
    assert.equal(text, '\uFEFF{\r\n\t"debug": true,\r\n\t"exec-opts": [\r\n\t\t"isolation=hyperv"\r\n\t]\r\n}\r\n');
    assert.equal(/(^|[^\r])\n/.test(text), false, 'no bare LF');
  });
});

test('a missing file and folder are created, without a backup; `default` on a missing file creates nothing', async () => {
  await inTempDir(async (dir) => {
    const file = path.join(dir, 'docker', 'config', 'daemon.json');
    const nothing = await setDaemonIsolation(file, 'default', { now });
    assert.equal(nothing.status, 'unchanged');
    assert.deepEqual(list(dir), [], 'no folder created for nothing');

    const result = await setDaemonIsolation(file, 'process', { now });
    assert.equal(result.status, 'written');
    assert.equal(result.exists, false);
    assert.equal(result.backup, undefined);
    assert.equal(fs.readFileSync(file, 'utf8'), '{\n  "exec-opts": [\n    "isolation=process"\n  ]\n}\n');
    assert.deepEqual(list(path.dirname(file)), ['daemon.json']);
  });
});

test('an empty file is read as {} (and backed up)', async () => {
  await inTempDir(async (dir) => {
    const file = path.join(dir, 'daemon.json');
    fs.writeFileSync(file, '');
    const result = await setDaemonIsolation(file, 'hyperv', { now });
    assert.equal(result.status, 'written');
    assert.ok(result.backup);
    assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), { 'exec-opts': ['isolation=hyperv'] });
  });
});

// ---------------------------------------------------------------------------------------------
// refusals: nothing changes

test('invalid JSON is refused with its line and column; the file stays byte for byte', async () => {
  const cases: [string, number, number, RegExp][] = [
    ['{\n  "debug": true,\n}\n', 2, 16, /trailing comma/],
    ['{\n  // comment\n  "debug": true\n}', 2, 3, /comments are not allowed/],
    ["{\n  'debug': true\n}", 2, 3, /unexpected character/],
    ['{\n  "debug": true\n  "hosts": []\n}', 3, 3, /',' expected/],
    ['{\n  "exec-opts": ["isolation=hyperv"\n', 3, 1, /']' expected/],
  ];
  await inTempDir(async (dir) => {
    const file = path.join(dir, 'daemon.json');
    for (const [text, line, column, reason] of cases) {
      const bytes = Buffer.from(`\uFEFF${text}`, 'utf8');
      fs.writeFileSync(file, bytes);
      const error = await rejectsWith(setDaemonIsolation(file, 'process', { now }), 'invalid-json');
      assert.deepEqual(error.position, { line, column }, `${JSON.stringify(text)}: ${error.message}`);
      assert.match(error.message, new RegExp(`line ${line}, column ${column}`));
      assert.match(error.message, reason);
      assert.ok(error.message.includes(file), 'the message names the file');
      assert.ok(fs.readFileSync(file).equals(bytes), 'unchanged byte for byte');
      assert.deepEqual(list(dir), ['daemon.json'], 'no backup, lock or temporary file');
    }
  });
});

test('a file whose exec-opts is not an array of strings, or that is not an object, is refused', async () => {
  await inTempDir(async (dir) => {
    const file = path.join(dir, 'daemon.json');
    for (const text of [
      '{"exec-opts": "isolation=hyperv"}',
      '{"exec-opts": [1]}',
      '[]',
      '{"exec-opts": [], "exec-opts": []}',
    ]) {
      fs.writeFileSync(file, text);
      await rejectsWith(setDaemonIsolation(file, 'process', { now }), 'unsupported');
      assert.equal(fs.readFileSync(file, 'utf8'), text);
    }
    fs.writeFileSync(file, Buffer.from('\ufeff{}', 'utf16le'));
    await rejectsWith(setDaemonIsolation(file, 'process', { now }), 'unsupported');
    assert.deepEqual(list(dir), ['daemon.json']);
  });
});

test('permission denied (injected: root writes through chmod here) is reported and the file stays', async () => {
  // What this proves: when the OS refuses a write in the folder (EACCES on Linux, EPERM on
  // Windows for ProgramData without elevation), the error is `permission-denied` and the file
  // is as it was. It does not prove what Windows answers; that mapping is the errno codes.
  await inTempDir(async (dir) => {
    const file = path.join(dir, 'daemon.json');
    const before = '{"debug": true}';
    fs.writeFileSync(file, before);
    for (const code of ['EACCES', 'EPERM']) {
      const readOnlyFolder: DaemonFs = { ...nodeDaemonFs, createFile: () => Promise.reject(errno(code)) };
      const error = await rejectsWith(
        setDaemonIsolation(file, 'process', { fs: readOnlyFolder, now }),
        'permission-denied',
      );
      assert.match(error.message, /permission denied/);
      // A read-only file: the folder takes new files, the rename over the file is refused.
      const readOnlyFile: DaemonFs = { ...nodeDaemonFs, rename: () => Promise.reject(errno(code)) };
      await rejectsWith(setDaemonIsolation(file, 'process', { fs: readOnlyFile, now }), 'permission-denied');
      assert.equal(fs.readFileSync(file, 'utf8'), before);
      assert.deepEqual(list(dir), ['daemon.json'], 'backup and temporary file removed again');
    }
  });
});

test(
  'permission denied on a real read-only folder (skipped as root: root writes anyway)',
  { skip: process.getuid?.() === 0 },
  async () => {
    await inTempDir(async (dir) => {
      const file = path.join(dir, 'daemon.json');
      fs.writeFileSync(file, '{}');
      fs.chmodSync(dir, 0o555);
      try {
        await rejectsWith(setDaemonIsolation(file, 'process', { now }), 'permission-denied');
        assert.equal(fs.readFileSync(file, 'utf8'), '{}');
      } finally {
        fs.chmodSync(dir, 0o755);
      }
    });
  },
);

// ---------------------------------------------------------------------------------------------
// idempotence, crashes, locks

test('a second run reports "unchanged" and writes no new backup', async () => {
  await inTempDir(async (dir) => {
    const file = path.join(dir, 'daemon.json');
    fs.writeFileSync(file, '{\n  "debug": true\n}\n');
    assert.equal((await setDaemonIsolation(file, 'process', { now })).status, 'written');
    const after = fs.readFileSync(file);
    const second = await setDaemonIsolation(file, 'process', { now: () => new Date(2025, 5, 1) });
    assert.equal(second.status, 'unchanged');
    assert.equal(second.backup, undefined);
    assert.ok(fs.readFileSync(file).equals(after));
    assert.deepEqual(list(dir), ['daemon.json', 'daemon.json.20250102-030405.bak']);
    // Two changes within one second get distinct backups.
    await setDaemonIsolation(file, 'hyperv', { now });
    assert.deepEqual(list(dir), [
      'daemon.json',
      'daemon.json.20250102-030405-2.bak',
      'daemon.json.20250102-030405.bak',
    ]);
  });
});

test('a failure between the backup and the rename leaves the file intact and no temporary file', async () => {
  await inTempDir(async (dir) => {
    const file = path.join(dir, 'daemon.json');
    const before = '{"exec-opts": ["isolation=hyperv"]}';
    fs.writeFileSync(file, before);
    const created: string[] = [];
    const crashing: DaemonFs = {
      ...nodeDaemonFs,
      createFile: async (target, data, mode) => {
        created.push(path.basename(target));
        await nodeDaemonFs.createFile(target, data, mode);
      },
      rename: (from, to) => (to === file ? Promise.reject(errno('EIO')) : nodeDaemonFs.rename(from, to)),
    };
    const error = await rejectsWith(setDaemonIsolation(file, 'process', { fs: crashing, now }), 'io');
    assert.match(error.message, /EIO/);
    assert.deepEqual(
      created.map((n) => n.replace(/\.\d+-\w+\.(bak\.)?tmp$/, '.<$1tmp>')),
      ['daemon.json.lock', 'daemon.json.<bak.tmp>', 'daemon.json.<tmp>'],
      'it got as far as the temporary file',
    );
    assert.equal(fs.readFileSync(file, 'utf8'), before);
    assert.deepEqual(list(dir), ['daemon.json']);
  });
});

test('the file changed since the preview: nothing is written', async () => {
  await inTempDir(async (dir) => {
    const file = path.join(dir, 'daemon.json');
    fs.writeFileSync(file, '{}');
    const plan = await planDaemonIsolation(file, 'process');
    assert.equal(plan.changed, true);
    assert.deepEqual(list(dir), ['daemon.json'], 'planning writes nothing');
    fs.writeFileSync(file, '{"debug": true}');
    await rejectsWith(setDaemonIsolation(file, 'process', { expected: plan.original, now }), 'changed');
    assert.equal(fs.readFileSync(file, 'utf8'), '{"debug": true}');
  });
});

test('a held lock makes a run wait and then give up; a stale lock is taken over', async () => {
  await inTempDir(async (dir) => {
    const file = path.join(dir, 'daemon.json');
    const lock = `${file}.lock`;
    fs.writeFileSync(file, '{}');
    fs.writeFileSync(lock, 'another run');
    const error = await rejectsWith(setDaemonIsolation(file, 'process', { now, lockTimeoutMs: 150 }), 'locked');
    assert.match(error.message, /daemon\.json\.lock/);
    assert.equal(fs.readFileSync(file, 'utf8'), '{}');
    assert.equal(fs.readFileSync(lock, 'utf8'), 'another run', "another run's lock is left alone");

    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lock, old, old);
    assert.equal((await setDaemonIsolation(file, 'process', { now, lockTimeoutMs: 150 })).status, 'written');
    assert.equal(fs.existsSync(lock), false);
  });
});

/**
 * Records, in order, the writes that make up each run's critical section: the backup, the
 * temporary file and the rename over daemon.json. Reads and writes are slowed down so runs
 * overlap in time. `ignoreLock` makes the lock useless, to show the check catches interleaving.
 */
function recordingFs(events: string[], ignoreLock = false): DaemonFs {
  const pause = () => new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 5));
  return {
    ...nodeDaemonFs,
    readFile: async (file) => {
      await pause();
      return nodeDaemonFs.readFile(file);
    },
    createFile: async (file, data, mode, owner) => {
      if (file.endsWith('.lock') && ignoreLock) return;
      await nodeDaemonFs.createFile(file, data, mode, owner);
      if (file.endsWith('.tmp') && !file.endsWith('.bak.tmp')) events.push('tmp');
      await pause();
    },
    rename: async (from, to) => {
      await nodeDaemonFs.rename(from, to);
      events.push(to.endsWith('.bak') ? 'backup' : 'rename');
    },
  };
}

test('concurrent runs do not interleave', async () => {
  const runAll = async (dir: string, ignoreLock: boolean) => {
    const file = path.join(dir, 'daemon.json');
    fs.writeFileSync(file, '{\n  "debug": true,\n  "exec-opts": ["keep=1"]\n}\n');
    const events: string[] = [];
    const modes = ['process', 'hyperv', 'default'] as const;
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        setDaemonIsolation(file, modes[i % 3], {
          fs: recordingFs(events, ignoreLock),
          now,
          lockTimeoutMs: 20_000,
          keepBackups: Infinity,
        }),
      ),
    );
    return { file, events, results };
  };
  await inTempDir(async (dir) => {
    const { file, events, results } = await runAll(dir, false);
    assert.match(
      events.join(' '),
      /^((backup )?tmp rename ?)+$/,
      `each run's backup, temporary file and rename come together: ${events.join(' ')}`,
    );
    const written = results.filter((r) => r.status === 'written').length;
    assert.equal(events.filter((e) => e === 'rename').length, written);
    assert.equal(list(dir).filter((n) => n.endsWith('.bak')).length, written, 'one backup per write');
    const data = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.equal(data.debug, true);
    assert.equal(data['exec-opts'][0], 'keep=1');
    assert.ok(data['exec-opts'].filter((e: string) => e.startsWith('isolation=')).length <= 1);
    assert.equal(fs.existsSync(`${file}.lock`), false);
  });
  await inTempDir(async (dir) => {
    const { events } = await runAll(dir, true);
    assert.doesNotMatch(
      events.join(' '),
      /^((backup )?tmp rename ?)+$/,
      'without the lock the same check sees runs interleave',
    );
  });
});

// ---------------------------------------------------------------------------------------------
// environment: paths, Docker Desktop, the elevated fallback, package.json

test('the default path exists only on Windows; Docker Desktop is detected from its files', () => {
  const env = {
    ProgramData: 'D:\\Data',
    ProgramFiles: 'C:\\Program Files',
    APPDATA: 'C:\\Users\\me\\AppData\\Roaming',
  };
  assert.equal(defaultDaemonConfigPath(env, 'win32'), 'D:\\Data\\docker\\config\\daemon.json');
  assert.equal(defaultDaemonConfigPath({}, 'win32'), 'C:\\ProgramData\\docker\\config\\daemon.json');
  assert.equal(defaultDaemonConfigPath(env, 'linux'), undefined);
  assert.ok(isDefaultDaemonConfigPath('d:\\data\\Docker\\config\\daemon.json', env, 'win32'));
  assert.ok(isDefaultDaemonConfigPath('D:/Data/docker/config/daemon.json', env, 'win32'));
  assert.ok(!isDefaultDaemonConfigPath('D:\\Other\\daemon.json', env, 'win32'));
  assert.ok(!isDefaultDaemonConfigPath('/etc/docker/daemon.json', env, 'linux'));

  const only = (present: string) => (file: string) => file === present;
  assert.equal(
    findDockerDesktop(only('C:\\Program Files\\Docker\\Docker\\Docker Desktop.exe'), env, 'win32'),
    'C:\\Program Files\\Docker\\Docker\\Docker Desktop.exe',
  );
  assert.equal(
    findDockerDesktop(only('C:\\Users\\me\\AppData\\Roaming\\Docker\\settings-store.json'), env, 'win32'),
    'C:\\Users\\me\\AppData\\Roaming\\Docker\\settings-store.json',
  );
  assert.equal(
    findDockerDesktop(only('C:\\Users\\me\\AppData\\Roaming\\Docker\\settings.json'), env, 'win32'),
    'C:\\Users\\me\\AppData\\Roaming\\Docker\\settings.json',
  );
  assert.equal(
    findDockerDesktop(() => false, env, 'win32'),
    undefined,
  );
  assert.equal(
    findDockerDesktop(() => true, env, 'linux'),
    undefined,
  );
});

test('the elevated PowerShell command carries a readable script and the same script encoded', () => {
  const command = elevatedCopyCommand(
    "C:\\Users\\o'brien\\AppData\\Local\\Temp\\new.json",
    'C:\\ProgramData\\docker\\config\\daemon.json',
    'C:\\ProgramData\\docker\\config\\daemon.json.20250102-030405.bak',
  );
  const lines = command.split('\n');
  const launcher = lines[lines.length - 1];
  assert.match(
    launcher,
    /^Start-Process powershell\.exe -Verb RunAs -Wait -ArgumentList '-NoProfile','-EncodedCommand','[A-Za-z0-9+/=]+'$/,
  );
  const encoded = /'([A-Za-z0-9+/=]+)'$/.exec(launcher)![1];
  const script = Buffer.from(encoded, 'base64').toString('utf16le');
  assert.deepEqual(
    lines.slice(1, -1).map((l) => l.replace(/^# {3}/, '')),
    script.split('\n'),
    'the comments show exactly what runs',
  );
  assert.ok(script.includes("'C:\\Users\\o''brien\\AppData\\Local\\Temp\\new.json'"), 'single quotes are doubled');
  assert.ok(
    script.includes(
      "Copy-Item -LiteralPath 'C:\\ProgramData\\docker\\config\\daemon.json' -Destination 'C:\\ProgramData\\docker\\config\\daemon.json.20250102-030405.bak'",
    ),
  );
  assert.ok(
    script.includes(
      "Move-Item -LiteralPath 'C:\\ProgramData\\docker\\config\\daemon.json.elevated.tmp' -Destination 'C:\\ProgramData\\docker\\config\\daemon.json' -Force",
    ),
  );
});

test('package.json: the command needs a trusted workspace; the path setting is machine-scoped and restricted', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  const command = pkg.contributes.commands.find(
    (c: { command: string }) => c.command === 'windowsContainers.setDaemonIsolation',
  );
  assert.equal(command.title, 'Set Docker Daemon Isolation…');
  assert.equal(command.category, 'Windows Containers');
  // Trusted workspaces only, and not on the web: the browser has no Docker host's file to edit.
  assert.equal(command.enablement, 'isWorkspaceTrusted && !isWeb');
  const palette = pkg.contributes.menus.commandPalette.find((c: { command: string }) => c.command === command.command);
  assert.equal(palette.when, 'isWorkspaceTrusted && !isWeb');
  const settings = Object.assign({}, ...pkg.contributes.configuration.map((c: { properties: object }) => c.properties));
  assert.equal(
    settings['windowsContainers.daemon.configPath'].scope,
    'machine',
    'a workspace must not redirect the write',
  );
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.ok(
    pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('windowsContainers.daemon.configPath'),
  );
  assert.equal(pkg.bin['windows-containers'], './dist/cli.js');
});
