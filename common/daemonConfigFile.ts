/**
 * The file side of the daemon.json edit (see daemonConfig.ts for the text side): read without
 * writing (`planDaemonIsolation`, for a preview), or set under a lock file with a timestamped
 * backup and an atomic replace (`setDaemonIsolation`). Every file operation goes through
 * `DaemonFs`, so tests can make one fail.
 *
 * Invariants: only a regular file (or none) is read, and nothing else is ever replaced (a FIFO
 * would hang the read, a device node would be replaced by a plain file); a Linux engine's config
 * is refused before it is read (`linuxEngineConfig`); the backup and the new file have the
 * original's mode and owner (a backup of a private file is not world-readable); the backup is
 * written to a temporary file and renamed, so it is never half written; the last `KEPT_BACKUPS`
 * backups are kept, and temporary files that a killed run left are removed once stale.
 */
import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import { applyIsolation, DaemonConfigError, IsolationMode, linuxEngineConfig } from './daemonConfig';

/** Backups of a daemon.json kept beside it; older ones are removed after each write. */
export const KEPT_BACKUPS = 5;

/** The owner a file is given (POSIX; ignored where the system has no such thing). */
export interface FileOwner {
  readonly uid: number;
  readonly gid: number;
}

/** The file operations used here; `nodeDaemonFs` is the real one, tests inject failures. */
export interface DaemonFs {
  /** Reads a regular file; rejects with code `ENOTREG` (before reading a byte) for anything else. */
  readFile(file: string): Promise<Uint8Array>;
  /**
   * Creates a new file (EEXIST when it exists), writes `data`, flushes it to disk. With `mode`,
   * the file gets exactly that mode (umask aside) and is readable by its owner only until then;
   * with `owner`, that owner when the process may give it (root), else its own.
   */
  createFile(file: string, data: Uint8Array, mode?: number, owner?: FileOwner): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(file: string): Promise<void>;
  mkdir(folder: string): Promise<void>;
  stat(file: string): Promise<{ mtimeMs: number; mode: number; uid?: number; gid?: number }>;
  /** The names in a folder. */
  readdir(folder: string): Promise<string[]>;
  /** The target of a symbolic link; rejects (EINVAL) for anything else. */
  readlink(file: string): Promise<string>;
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;

function notRegular(file: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${file} is not a regular file`), { code: 'ENOTREG' });
}

export const nodeDaemonFs: DaemonFs = {
  async readFile(file) {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever; the
    // descriptor's own type is checked, so what is read is what was checked.
    const flags = nodeFs.constants.O_RDONLY | (nodeFs.constants.O_NONBLOCK ?? 0);
    const handle = await nodeFs.promises.open(file, flags);
    try {
      if (!(await handle.stat()).isFile()) throw notRegular(file);
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  },
  async createFile(file, data, mode, owner) {
    const handle = await nodeFs.promises.open(file, 'wx', mode === undefined ? 0o666 : 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
      if (owner)
        await handle.chown(owner.uid, owner.gid).catch((error: unknown) => {
          // Only root may give a file away; anyone else keeps the file as theirs.
          if (code(error) !== 'EPERM') throw error;
        });
      if (mode !== undefined) await handle.chmod(mode);
    } catch (error) {
      await handle.close().catch(() => undefined);
      await nodeFs.promises.unlink(file).catch(() => undefined);
      throw error;
    }
    await handle.close();
  },
  rename: (from, to) => nodeFs.promises.rename(from, to),
  unlink: (file) => nodeFs.promises.unlink(file),
  mkdir: async (folder) => void (await nodeFs.promises.mkdir(folder, { recursive: true })),
  stat: (file) => nodeFs.promises.stat(file),
  readdir: (folder) => nodeFs.promises.readdir(folder),
  readlink: (file) => nodeFs.promises.readlink(file),
};

export interface DaemonFileOptions {
  fs?: DaemonFs;
  /** For the backup's name (local time). */
  now?: () => Date;
  /** A lock older than this is taken over (default 30 s). */
  lockStaleMs?: number;
  /** How long to wait for another run's lock (default 10 s). */
  lockTimeoutMs?: number;
  /** The text a preview showed: refuse to write when the file has changed since. */
  expected?: string;
  /** Backups kept beside the file (default `KEPT_BACKUPS`). */
  keepBackups?: number;
  /** For the user's home and config folders, to refuse a Linux engine's config (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

export interface IsolationPlan {
  readonly file: string;
  readonly mode: IsolationMode;
  readonly exists: boolean;
  /** The file's text as read (with its BOM); '' when it does not exist. */
  readonly original: string;
  /** The text that would be written; equal to `original` when nothing changes. */
  readonly proposed: string;
  readonly changed: boolean;
  readonly previous: readonly string[];
}

export interface IsolationResult extends IsolationPlan {
  readonly status: 'written' | 'unchanged';
  /** The backup beside the file, when one was written (the file existed and changed). */
  readonly backup?: string;
  /** When `file` was a symbolic link: its target, which is unchanged; `file` is now a regular file. */
  readonly replacedSymlink?: string;
}

const code = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;
const PERMISSION = new Set(['EACCES', 'EPERM', 'EROFS']);

function fileError(error: unknown, action: string, file: string): DaemonConfigError {
  if (error instanceof DaemonConfigError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  if (PERMISSION.has(code(error) ?? '')) {
    return new DaemonConfigError(
      'permission-denied',
      `permission denied: cannot ${action} ${file} (${code(error)})`,
      file,
    );
  }
  return new DaemonConfigError('io', `cannot ${action} ${file}: ${reason}`, file);
}

async function readText(fs: DaemonFs, file: string): Promise<string | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    if (code(error) === 'ENOENT') return undefined;
    if (code(error) === 'ENOTREG' || code(error) === 'EISDIR') {
      throw new DaemonConfigError(
        'unsupported',
        `${file} is not a regular file (a folder, FIFO, socket or device); nothing was read or changed`,
        file,
      );
    }
    throw fileError(error, 'read', file);
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new DaemonConfigError('unsupported', `${file} is saved as UTF-16; save it as UTF-8 and run again`, file);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new DaemonConfigError('unsupported', `${file} is not UTF-8 text`, file);
  }
}

function withFile<T>(file: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof DaemonConfigError && !error.file) {
      throw new DaemonConfigError(error.code, `${file}: ${error.message}`, file, error.position);
    }
    throw error;
  }
}

/**
 * Reads the file and computes the change, writing nothing. Throws `DaemonConfigError`, before
 * reading anything, for a Linux engine's config (isolation is a Windows engine option: Linux
 * dockerd refuses to start with it).
 */
export async function planDaemonIsolation(
  file: string,
  mode: IsolationMode,
  options: Pick<DaemonFileOptions, 'fs' | 'env' | 'platform'> = {},
): Promise<IsolationPlan> {
  const linux = linuxEngineConfig(file, options.env, options.platform);
  if (linux) {
    throw new DaemonConfigError(
      'unsupported',
      `${file} is ${linux}: isolation applies to Windows engines only, and Linux dockerd refuses to start with it ("isolation is only supported on windows"); nothing was changed. Point it at the Windows engine's daemon.json (%ProgramData%\\docker\\config\\daemon.json on the Windows host).`,
      file,
    );
  }
  const original = await readText(options.fs ?? nodeDaemonFs, file);
  const edit = withFile(file, () => applyIsolation(original ?? '', mode));
  return {
    file,
    mode,
    exists: original !== undefined,
    original: original ?? '',
    proposed: edit.text,
    changed: edit.changed,
    previous: edit.previous,
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `YYYYMMDD-HHMMSS`, local time. */
export function backupStamp(date: Date): string {
  return `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}-${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Takes `<file>.lock` (created with `wx`); returns the function that releases it. */
async function acquireLock(
  fs: DaemonFs,
  file: string,
  staleMs: number,
  timeoutMs: number,
): Promise<() => Promise<void>> {
  const lock = `${file}.lock`;
  const token = `${process.pid} ${Math.random().toString(36).slice(2)} ${new Date().toISOString()}\n`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await fs.createFile(lock, Buffer.from(token));
      break;
    } catch (error) {
      const held = await fs.stat(lock).catch(() => undefined);
      // Windows answers EPERM while another process deletes the lock: only a missing lock means a real permission problem.
      if (code(error) !== 'EEXIST' && !(PERMISSION.has(code(error) ?? '') && held))
        throw fileError(error, 'create the lock file', lock);
      if (held && Date.now() - held.mtimeMs > staleMs) {
        await fs.unlink(lock).catch(() => undefined); // stale: its run died; take it over
        continue;
      }
      if (Date.now() > deadline) {
        throw new DaemonConfigError(
          'locked',
          `another run is editing ${file} (lock ${lock}); if none is, delete the lock file`,
          file,
        );
      }
      await delay(20 + Math.random() * 30);
    }
  }
  return async () => {
    // Only our own lock: after a take-over the lock may belong to another run.
    const current = await fs.readFile(lock).then(
      (b) => Buffer.from(b).toString(),
      () => undefined,
    );
    if (current === token) await fs.unlink(lock).catch(() => undefined);
  };
}

/**
 * Sets the isolation in the daemon.json at `file`: under a lock file, re-reads it, writes a
 * timestamped backup beside it (when it existed), writes the new text to a temporary file in the
 * same folder and renames it over the old one, so the file is never half written. Creates the
 * file and its folder when missing. Writes nothing when the file already says so. Throws
 * `DaemonConfigError` (the file is then as it was).
 */
export async function setDaemonIsolation(
  file: string,
  mode: IsolationMode,
  options: DaemonFileOptions = {},
): Promise<IsolationResult> {
  const fs = options.fs ?? nodeDaemonFs;
  const folder = path.dirname(file);
  const planOptions = { fs, env: options.env, platform: options.platform };
  const first = await planDaemonIsolation(file, mode, planOptions);
  if (!first.changed) return { ...first, status: 'unchanged' };
  if (!first.exists) {
    await fs.mkdir(folder).catch((error: unknown) => {
      throw fileError(error, 'create the folder', folder);
    });
  }

  const staleMs = options.lockStaleMs ?? 30_000;
  const release = await acquireLock(fs, file, staleMs, options.lockTimeoutMs ?? 10_000);
  try {
    const plan = await planDaemonIsolation(file, mode, planOptions);
    if (options.expected !== undefined && plan.original !== options.expected) {
      throw new DaemonConfigError('changed', `${file} changed since it was read; nothing was written, run again`, file);
    }
    if (!plan.changed) return { ...plan, status: 'unchanged' };

    let fileMode: number | undefined;
    let owner: FileOwner | undefined;
    let backup: string | undefined;
    let replacedSymlink: string | undefined;
    if (plan.exists) {
      const stat = await fs.stat(file).catch(() => undefined);
      // Never replace anything but a regular file (the read refused the rest; this holds if it was swapped since).
      if (stat && (stat.mode & S_IFMT) !== S_IFREG)
        throw new DaemonConfigError('unsupported', `${file} is not a regular file; nothing was changed`, file);
      fileMode = stat ? stat.mode & 0o7777 : undefined;
      owner = stat?.uid !== undefined && stat.gid !== undefined ? { uid: stat.uid, gid: stat.gid } : undefined;
      replacedSymlink = await fs.readlink(file).catch(() => undefined);
      backup = await writeBackup(
        fs,
        file,
        Buffer.from(plan.original, 'utf8'),
        backupStamp((options.now ?? (() => new Date()))()),
        fileMode,
        owner,
      );
    }
    const temporary = temporaryName(file, 'tmp');
    try {
      await fs.createFile(temporary, Buffer.from(plan.proposed, 'utf8'), fileMode, owner);
      await fs.rename(temporary, file);
    } catch (error) {
      await fs.unlink(temporary).catch(() => undefined);
      // Nothing changed, so a backup would only duplicate the file.
      if (backup) await fs.unlink(backup).catch(() => undefined);
      throw fileError(error, 'write', file);
    }
    await tidy(fs, file, options.keepBackups ?? KEPT_BACKUPS, staleMs);
    return { ...plan, status: 'written', backup, ...(replacedSymlink !== undefined ? { replacedSymlink } : {}) };
  } finally {
    await release();
  }
}

/** `<file>.<pid>-<random>.<suffix>`: a temporary file of this run in the file's folder. */
function temporaryName(file: string, suffix: 'tmp' | 'bak.tmp'): string {
  return `${file}.${process.pid}-${Math.random().toString(36).slice(2)}.${suffix}`;
}

/**
 * Writes `<file>.<stamp>[-n].bak` the way the file itself is written: to a temporary file first,
 * renamed once complete (a kill leaves a whole backup or none). Runs under the lock, so the name
 * found free stays free until the rename.
 */
async function writeBackup(
  fs: DaemonFs,
  file: string,
  data: Uint8Array,
  stamp: string,
  mode: number | undefined,
  owner: FileOwner | undefined,
): Promise<string> {
  let candidate = '';
  for (let n = 1; ; n++) {
    candidate = `${file}.${stamp}${n > 1 ? `-${n}` : ''}.bak`;
    const taken = await fs.stat(candidate).then(
      () => true,
      (error: unknown) => code(error) !== 'ENOENT',
    );
    if (!taken) break;
    if (n > 50) throw new DaemonConfigError('io', `cannot write the backup: ${candidate} and 49 others exist`, file);
  }
  const temporary = temporaryName(file, 'bak.tmp');
  try {
    await fs.createFile(temporary, data, mode, owner);
    await fs.rename(temporary, candidate);
  } catch (error) {
    await fs.unlink(temporary).catch(() => undefined);
    throw fileError(error, 'write the backup', candidate);
  }
  return candidate;
}

/**
 * After a write (under the lock): removes all but the newest `keep` backups of `file`, and the
 * temporary files of runs that died (older than the stale-lock age, so never a live run's).
 * Failures are ignored: the edit itself is done.
 */
async function tidy(fs: DaemonFs, file: string, keep: number, staleMs: number): Promise<void> {
  const folder = path.dirname(file);
  const base = path.basename(file);
  const names = await fs.readdir(folder).catch(() => [] as string[]);
  const backups: { name: string; stamp: string; n: number }[] = [];
  const temporaries: string[] = [];
  for (const name of names) {
    if (!name.startsWith(`${base}.`)) continue;
    const rest = name.slice(base.length + 1);
    const backupMatch = /^(\d{8}-\d{6})(?:-(\d+))?\.bak$/.exec(rest);
    if (backupMatch) backups.push({ name, stamp: backupMatch[1], n: Number(backupMatch[2] ?? 1) });
    else if (/^\d+-[a-z0-9]+\.(?:tmp|bak\.tmp)$/.test(rest)) temporaries.push(name);
  }
  backups.sort((a, b) => (a.stamp === b.stamp ? a.n - b.n : a.stamp < b.stamp ? -1 : 1));
  for (const old of backups.slice(0, Math.max(0, backups.length - keep)))
    await fs.unlink(path.join(folder, old.name)).catch(() => undefined);
  const now = Date.now();
  for (const name of temporaries) {
    const stat = await fs.stat(path.join(folder, name)).catch(() => undefined);
    if (stat && now - stat.mtimeMs > staleMs) await fs.unlink(path.join(folder, name)).catch(() => undefined);
  }
}
