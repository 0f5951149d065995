/**
 * Starting the language server from V8's code cache. Node compiles a bundle's functions lazily, on
 * their first call, every time the process starts; V8 can save the bytecode it made
 * (`vm.Script#createCachedData`) and take it back on the next start (`cachedData`), which skips
 * that work for every function compiled before the cache was made: loading the bundle and the
 * first validation of a document (node 22's `module.enableCompileCache` does the same; VS Code's
 * node is older). Measured by `npm run bench` (first start and later starts).
 *
 * The cache is one file per bundle text, node version, V8 version and architecture (their hash is
 * in the name), in the folder the client names with `--code-cache-dir` (the extension's global
 * storage); without the option nothing is read or written. V8 checks the data against the source
 * and its own flags and rejects what does not fit; a rejected or unreadable file only means a
 * slower start. The file is written when no usable one was read: once, five seconds after the
 * start or at exit if sooner, through a temporary file and a rename, and older cache files of the
 * folder are removed. When one was read, it is written again at exit if this session compiled
 * functions it did not hold (V8's data for the session is then larger than what was read, by at
 * least REFRESH_GROWTH): a first session that only opened files leaves a cache without the
 * functions of editing, hover or formatting, which the next session then compiles on its first
 * keystrokes. Nothing here can stop the server from starting.
 */
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';

const PREFIX = 'server-';
const SUFFIX = '.v8cache';
/** The write waits this long, so the cache holds what the first validation compiled. */
export const WRITE_AFTER_MS = 5000;
/**
 * How much larger V8's data for a session must be than the cache it read for the cache to be
 * written again at exit: new functions (editing a file adds kilobytes to a cache made by opening
 * one), not the few bytes by which two sessions doing the same work can differ.
 */
export const REFRESH_GROWTH = 1024;

export interface CodeCacheLoad {
  /** `read`: the cache was used; `rejected`: V8 refused it; `absent`: there was none; `off`: no folder. */
  readonly cache: 'read' | 'rejected' | 'absent' | 'off';
  /** The cache file (when there is a folder). */
  readonly file?: string;
  /** Writes the cache now if it is due (a test hook; otherwise the timer or exit does it). Returns whether it wrote. */
  writeNow(): boolean;
  /** After a cache was read: writes it again if this session compiled more than it held (a test hook; otherwise exit does it). Returns whether it wrote. */
  refreshNow(): boolean;
}

/** The value of `--code-cache-dir <dir>` or `--code-cache-dir=<dir>`, if any. */
export function codeCacheDir(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--code-cache-dir') return argv[i + 1] || undefined;
    if (arg.startsWith('--code-cache-dir=')) return arg.slice('--code-cache-dir='.length) || undefined;
  }
  return undefined;
}

/** The cache file for this source under this runtime. */
export function cacheFileFor(dir: string, source: string): string {
  return path.join(
    dir,
    `${PREFIX}${textHash(`${process.version}\0${process.versions.v8}\0${process.arch}\0${source}`)}${SUFFIX}`,
  );
}

/**
 * Two 32-bit FNV-1a hashes of the text's UTF-16 code units (with different primes and seeds), as 16
 * hex digits. Not node:crypto: loading it would cost every start more than hashing the bundle this
 * way (docs/performance.md). It only names the file: V8 itself rejects a cache made for another source length
 * or other flags, so two bundles would have to share both hashes and the length to be confused.
 */
export function textHash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    a = Math.imul(a ^ unit, 0x01000193);
    b = Math.imul(b ^ unit, 0x5bd1e995);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

function readCache(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Writes `data` to `file` through a temporary file and a rename; removes the folder's other cache files. */
function writeCache(file: string, data: Buffer): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temporary, data);
    fs.renameSync(temporary, file);
  } finally {
    fs.rmSync(temporary, { force: true });
  }
  for (const name of fs.readdirSync(dir)) {
    if (name.startsWith(PREFIX) && name.endsWith(SUFFIX) && path.join(dir, name) !== file)
      fs.rmSync(path.join(dir, name), { force: true });
  }
}

/**
 * Loads the CommonJS file `file` as `require` would (its own module object, `require`,
 * `__filename`, `__dirname`), compiled with the code cache of `dir` when there is one.
 */
export function loadWithCodeCache(
  file: string,
  dir: string | undefined,
  log: (message: string) => void = () => undefined,
): CodeCacheLoad {
  const source = fs.readFileSync(file, 'utf8');
  const cacheFile = dir ? cacheFileFor(dir, source) : undefined;
  const cachedData = cacheFile ? readCache(cacheFile) : undefined;
  const script = new vm.Script(Module.wrap(source.replace(/^#!.*/, '')), { filename: file, cachedData });
  const cache = !cacheFile ? 'off' : !cachedData ? 'absent' : script.cachedDataRejected ? 'rejected' : 'read';

  let due = cache === 'absent' || cache === 'rejected';
  let timer: NodeJS.Timeout | undefined;
  const writeNow = (): boolean => {
    if (!due || !cacheFile) return false;
    due = false;
    if (timer) clearTimeout(timer);
    process.removeListener('exit', writeNow);
    try {
      writeCache(cacheFile, script.createCachedData());
      return true;
    } catch (error) {
      log(`code cache: could not write ${cacheFile}: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  };
  if (due) {
    timer = setTimeout(writeNow, WRITE_AFTER_MS);
    timer.unref();
    process.once('exit', writeNow);
  }
  let refreshed = false;
  const refreshNow = (): boolean => {
    if (cache !== 'read' || refreshed || !cacheFile || !cachedData) return false;
    refreshed = true;
    process.removeListener('exit', refreshNow);
    try {
      const data = script.createCachedData();
      if (data.length < cachedData.length + REFRESH_GROWTH) return false;
      writeCache(cacheFile, data);
      return true;
    } catch (error) {
      log(`code cache: could not write ${cacheFile}: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  };
  if (cache === 'read') process.once('exit', refreshNow);

  const module = new Module(file, require.main ?? undefined);
  module.filename = file;
  module.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(
    path.dirname(file),
  );
  const compiled = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: Module,
    filename: string,
    dirname: string,
  ) => void;
  compiled.call(module.exports, module.exports, Module.createRequire(file), module, file, path.dirname(file));
  module.loaded = true;
  return { cache, file: cacheFile, writeNow, refreshNow };
}
