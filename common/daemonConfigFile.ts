/**
 * The file side of the daemon.json edit (see daemonConfig.ts for the text side): read without
 * writing (`planDaemonIsolation`, for a preview), or set under a lock file with a timestamped
 * backup and an atomic replace (`setDaemonIsolation`). Every file operation goes through
 * `DaemonFs`, so tests can make one fail.
 */
import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import { applyIsolation, DaemonConfigError, IsolationMode } from './daemonConfig';

/** The file operations used here; `nodeDaemonFs` is the real one, tests inject failures. */
export interface DaemonFs {
  readFile(file: string): Promise<Uint8Array>;
  /** Creates a new file (EEXIST when it exists), writes `data`, flushes it to disk. */
  createFile(file: string, data: Uint8Array, mode?: number): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(file: string): Promise<void>;
  mkdir(folder: string): Promise<void>;
  stat(file: string): Promise<{ mtimeMs: number; mode: number }>;
}

export const nodeDaemonFs: DaemonFs = {
  readFile: (file) => nodeFs.promises.readFile(file),
  async createFile(file, data, mode) {
    const handle = await nodeFs.promises.open(file, 'wx', mode);
    try {
      await handle.writeFile(data);
      await handle.sync();
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
}

const code = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;
const PERMISSION = new Set(['EACCES', 'EPERM', 'EROFS']);

function fileError(error: unknown, action: string, file: string): DaemonConfigError {
  if (error instanceof DaemonConfigError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  if (PERMISSION.has(code(error) ?? '')) {
    return new DaemonConfigError('permission-denied', `permission denied: cannot ${action} ${file} (${code(error)})`, file);
  }
  return new DaemonConfigError('io', `cannot ${action} ${file}: ${reason}`, file);
}

async function readText(fs: DaemonFs, file: string): Promise<string | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    if (code(error) === 'ENOENT') return undefined;
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

/** Reads the file and computes the change, writing nothing. Throws `DaemonConfigError`. */
export async function planDaemonIsolation(file: string, mode: IsolationMode, options: Pick<DaemonFileOptions, 'fs'> = {}): Promise<IsolationPlan> {
  const original = await readText(options.fs ?? nodeDaemonFs, file);
  const edit = withFile(file, () => applyIsolation(original ?? '', mode));
  return { file, mode, exists: original !== undefined, original: original ?? '', proposed: edit.text, changed: edit.changed, previous: edit.previous };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `YYYYMMDD-HHMMSS`, local time. */
export function backupStamp(date: Date): string {
  return `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}-${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Takes `<file>.lock` (created with `wx`); returns the function that releases it. */
async function acquireLock(fs: DaemonFs, file: string, staleMs: number, timeoutMs: number): Promise<() => Promise<void>> {
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
      if (code(error) !== 'EEXIST' && !(PERMISSION.has(code(error) ?? '') && held)) throw fileError(error, 'create the lock file', lock);
      if (held && Date.now() - held.mtimeMs > staleMs) {
        await fs.unlink(lock).catch(() => undefined); // stale: its run died; take it over
        continue;
      }
      if (Date.now() > deadline) {
        throw new DaemonConfigError('locked', `another run is editing ${file} (lock ${lock}); if none is, delete the lock file`, file);
      }
      await delay(20 + Math.random() * 30);
    }
  }
  return async () => {
    // Only our own lock: after a take-over the lock may belong to another run.
    const current = await fs.readFile(lock).then((b) => Buffer.from(b).toString(), () => undefined);
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
export async function setDaemonIsolation(file: string, mode: IsolationMode, options: DaemonFileOptions = {}): Promise<IsolationResult> {
  const fs = options.fs ?? nodeDaemonFs;
  const folder = path.dirname(file);
  const first = await planDaemonIsolation(file, mode, { fs });
  if (!first.changed) return { ...first, status: 'unchanged' };
  if (!first.exists) {
    await fs.mkdir(folder).catch((error: unknown) => {
      throw fileError(error, 'create the folder', folder);
    });
  }

  const release = await acquireLock(fs, file, options.lockStaleMs ?? 30_000, options.lockTimeoutMs ?? 10_000);
  try {
    const plan = await planDaemonIsolation(file, mode, { fs });
    if (options.expected !== undefined && plan.original !== options.expected) {
      throw new DaemonConfigError('changed', `${file} changed since it was read; nothing was written, run again`, file);
    }
    if (!plan.changed) return { ...plan, status: 'unchanged' };

    let fileMode: number | undefined;
    let backup: string | undefined;
    if (plan.exists) {
      fileMode = (await fs.stat(file).catch(() => undefined))?.mode;
      const original = Buffer.from(plan.original, 'utf8');
      const stamp = backupStamp((options.now ?? (() => new Date()))());
      for (let n = 1; !backup; n++) {
        const candidate = `${file}.${stamp}${n > 1 ? `-${n}` : ''}.bak`;
        try {
          await fs.createFile(candidate, original);
          backup = candidate;
        } catch (error) {
          if (code(error) !== 'EEXIST' || n > 50) throw fileError(error, 'write the backup', candidate);
        }
      }
    }
    const temporary = `${file}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
    try {
      await fs.createFile(temporary, Buffer.from(plan.proposed, 'utf8'), fileMode === undefined ? undefined : fileMode & 0o777);
      await fs.rename(temporary, file);
    } catch (error) {
      await fs.unlink(temporary).catch(() => undefined);
      // Nothing changed, so a backup would only duplicate the file.
      if (backup) await fs.unlink(backup).catch(() => undefined);
      throw fileError(error, 'write', file);
    }
    return { ...plan, status: 'written', backup };
  } finally {
    await release();
  }
}
