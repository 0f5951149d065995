/**
 * A real VS Code on a machine without access to Microsoft's update service (see
 * /work/shared/real-vscode-tests.md): VS Code server from the `code-server` npm package (installed
 * by scripts/install-vscode-server.mjs into .vscode-test/server), opened in headless Debian
 * Chromium through playwright-core.
 *
 * Shared by the integration runner (runServer.ts), `npm run demo` (scripts/demo.mjs) and
 * `npm run screenshots` (scripts/screenshots.mjs). The plain-JS scripts load the compiled module
 * (out/test/integration/vscodeServer.js) with `createRequire`.
 *
 * The server ignores `--extensionDevelopmentPath`/`--extensionTestsPath` on its own command line,
 * so the extension (and a test suite or driver) reach the web client through the `payload` query
 * parameter of the workbench URL, as `vscode-remote://` URIs.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, Browser } from 'playwright-core';

/** The repository (this file compiles to out/test/integration/). */
export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const VSCODE_DIR = path.join(ROOT, '.vscode-test', 'server', 'node_modules', 'code-server', 'lib', 'vscode');
export const SERVER_MAIN = path.join(VSCODE_DIR, 'out', 'server-main.js');
export const INSTALL_SCRIPT = path.join(ROOT, 'scripts', 'install-vscode-server.mjs');

export const SERVER_START_MS = 60_000;
export const PAGE_LOAD_MS = 60_000;

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The version of the installed VS Code server ('unknown' when it is not installed). */
export function vscodeVersion(): string {
  try {
    const product = JSON.parse(fs.readFileSync(path.join(VSCODE_DIR, 'product.json'), 'utf8')) as { version?: string };
    if (product.version) return product.version;
  } catch {
    // fall through to package.json
  }
  try {
    return (
      (JSON.parse(fs.readFileSync(path.join(VSCODE_DIR, 'package.json'), 'utf8')) as { version?: string }).version ??
      'unknown'
    );
  } catch {
    return 'unknown';
  }
}

export function isServerInstalled(): boolean {
  return fs.existsSync(SERVER_MAIN);
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Rejects after `ms` with a message naming what did not happen. */
export function bound<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${Math.round(ms / 1000)} s waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface ServerDirs {
  user: string;
  server: string;
  extensions: string;
}

/** A temporary folder with empty user/server/extensions folders for one server run. */
export function makeTempDirs(prefix: string): { tmp: string; dirs: ServerDirs } {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const dirs = {
    user: path.join(tmp, 'user'),
    server: path.join(tmp, 'server'),
    extensions: path.join(tmp, 'extensions'),
  };
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir);
  return { tmp, dirs };
}

/**
 * Starts the server on 127.0.0.1:`port` without a connection token. `listening` resolves at
 * `Extension host agent listening on <port>` and rejects when the server fails or exits first.
 * Every line of its output goes to `onLine`.
 */
export function startServer(
  port: number,
  dirs: ServerDirs,
  env: NodeJS.ProcessEnv,
  onLine: (line: string) => void = () => undefined,
): { child: ChildProcess; listening: Promise<void> } {
  const args = [
    SERVER_MAIN,
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--without-connection-token',
    '--accept-server-license-terms',
    '--disable-telemetry',
    '--user-data-dir',
    dirs.user,
    '--server-data-dir',
    dirs.server,
    '--extensions-dir',
    dirs.extensions,
  ];
  // detached: the server gets its own process group, so the extension host and the language
  // server it starts can be ended with it (by that group's id) in stopServer.
  // The extension host inherits this environment.
  const child = spawn(process.execPath, args, { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
  const listening = new Promise<void>((resolve, reject) => {
    const ready = `Extension host agent listening on ${port}`;
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split(/\r?\n/)) {
        if (!line) continue;
        onLine(line);
        if (line.includes(ready)) resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      reject(new Error(`VS Code server exited before listening (code ${code}, signal ${signal})`)),
    );
  });
  return { child, listening };
}

/** Ends the server's whole process group (SIGTERM, then SIGKILL after 5 s). */
export function stopServer(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.pid === undefined) return Promise.resolve();
  const pid = child.pid;
  // The whole group startServer created (detached): the server, its extension host, file watcher
  // and the language server. Signalled even when the server itself is gone, so none is orphaned.
  const signalGroup = (signal: NodeJS.Signals): boolean => {
    try {
      process.kill(-pid, signal);
      return true;
    } catch {
      return false; // no process left in the group
    }
  };
  const groupAlive = () => {
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!signalGroup('SIGTERM')) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const deadline = Date.now() + 5_000;
    const check = () => {
      if (!groupAlive()) return resolve();
      if (Date.now() > deadline) {
        signalGroup('SIGKILL');
        return resolve();
      }
      setTimeout(check, 50);
    };
    check();
  });
}

/** Synchronous last resort for `process.on('exit')`: ends the server's group at once. */
export function killServerNow(child: ChildProcess | undefined): void {
  if (!child || child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

export interface WorkbenchUrlOptions {
  port: number;
  /** The folder the workbench opens (a path on this machine). */
  folder: string;
  /** Loaded as development extension (default: this repository; `null`: none, to test installed extensions). */
  extensionDevelopmentPath?: string | null;
  /** A folder with an `index.js` exporting `run()`: the workbench runs it and reports its exit code. */
  extensionTestsPath?: string;
  /** A file to open in an editor; `line`/`column` (1-based) place the cursor. */
  openFile?: { path: string; line?: number; column?: number };
}

/** `http://127.0.0.1:<port>/?folder=...&payload=...` */
export function workbenchUrl(options: WorkbenchUrlOptions): string {
  const authority = `127.0.0.1:${options.port}`;
  const remote = (p: string) => `vscode-remote://${authority}${p.split(path.sep).join('/')}`;
  const payload: [string, string][] = [];
  if (options.extensionDevelopmentPath !== null)
    payload.push(['extensionDevelopmentPath', remote(options.extensionDevelopmentPath ?? ROOT)]);
  if (options.extensionTestsPath) payload.push(['extensionTestsPath', remote(options.extensionTestsPath)]);
  if (options.openFile) {
    const { line, column } = options.openFile;
    if (line !== undefined) {
      payload.push(['openFile', remote(`${options.openFile.path}:${line}${column !== undefined ? `:${column}` : ''}`)]);
      payload.push(['gotoLineMode', 'true']);
    } else {
      payload.push(['openFile', remote(options.openFile.path)]);
    }
  }
  payload.push(['skipWelcome', 'true']);
  return `http://${authority}/?folder=${encodeURIComponent(options.folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** Headless Chromium (CHROMIUM_PATH, default /usr/bin/chromium). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

export interface WorkbenchServer {
  port: number;
  /** The temporary folder of this run (user, server, extensions and workspace folders). */
  tmp: string;
  /** The copy of the workspace source the workbench opens. */
  workspace: string;
  child: ChildProcess;
  /** Every line the server printed. */
  log: string[];
  /** Rejects when the server exits (from the moment it listens until `stop()`). */
  exited: Promise<never>;
  url(options?: Omit<WorkbenchUrlOptions, 'port' | 'folder'>): string;
  /** Stops the server's process group and removes `tmp` (unless WORKBENCH_KEEP_TMP is set). */
  stop(): Promise<void>;
}

export interface WorkbenchServerOptions {
  /** Copied to a temporary workspace, so nothing in the repository changes. */
  workspaceSource: string;
  /** Written to the user's settings.json before the server starts. */
  settings?: Record<string, unknown>;
  /** Default: a free port. */
  port?: number;
  env?: NodeJS.ProcessEnv;
  tmpPrefix?: string;
  onLine?: (line: string) => void;
  /** A .vsix installed into the run's extensions folder (`--install-extension`) before the server starts. */
  installVsix?: string;
}

/** Installs a VSIX the way users do (`code --install-extension`), into `dirs.extensions`. Resolves with what the server printed. */
export function installVsix(vsix: string, dirs: ServerDirs): Promise<string> {
  const args = [
    SERVER_MAIN,
    '--install-extension',
    vsix,
    '--extensions-dir',
    dirs.extensions,
    '--user-data-dir',
    dirs.user,
    '--server-data-dir',
    dirs.server,
    '--accept-server-license-terms',
  ];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const done = new Promise<string>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`--install-extension exited with ${code}:\n${output}`)),
    );
  });
  return bound(done, SERVER_START_MS, `--install-extension ${path.basename(vsix)}`).finally(() => child.kill());
}

/**
 * Copies the workspace, starts the server and waits (bounded) until it listens. The caller owns
 * the result and must `stop()` it (also on failure: a failed start stops it itself).
 */
export async function startWorkbenchServer(options: WorkbenchServerOptions): Promise<WorkbenchServer> {
  if (!isServerInstalled())
    throw new Error(`missing ${path.relative(ROOT, SERVER_MAIN)}: run node scripts/install-vscode-server.mjs`);
  const { tmp, dirs } = makeTempDirs(options.tmpPrefix ?? 'wc-vscode-');
  const workspace = path.join(tmp, 'workspace');
  fs.cpSync(options.workspaceSource, workspace, { recursive: true });
  if (options.settings) {
    // The web client of this server keeps the user's settings on the server, under --user-data-dir.
    fs.mkdirSync(path.join(dirs.user, 'User'), { recursive: true });
    fs.writeFileSync(path.join(dirs.user, 'User', 'settings.json'), JSON.stringify(options.settings, null, 2));
  }
  const log: string[] = [];
  let child: ChildProcess | undefined;
  const removeTmp = () => {
    if (process.env.WORKBENCH_KEEP_TMP) console.error(`kept ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  };
  try {
    if (options.installVsix) options.onLine?.((await installVsix(options.installVsix, dirs)).trim());
    const port = options.port ?? (await freePort());
    const launched = startServer(port, dirs, options.env ?? process.env, (line) => {
      log.push(line);
      options.onLine?.(line);
    });
    child = launched.child;
    let stopping = false;
    const exited = new Promise<never>((_, reject) =>
      launched.child.once('exit', (code, signal) => {
        if (!stopping) reject(new Error(`VS Code server exited (code ${code}, signal ${signal})`));
      }),
    );
    exited.catch(() => undefined);
    await bound(launched.listening, SERVER_START_MS, `"Extension host agent listening on ${port}"`);
    const started = launched.child;
    return {
      port,
      tmp,
      workspace,
      child: started,
      log,
      exited,
      url: (more = {}) => workbenchUrl({ ...more, port, folder: workspace }),
      stop: async () => {
        stopping = true;
        await stopServer(started);
        removeTmp();
      },
    };
  } catch (error) {
    await stopServer(child);
    removeTmp();
    throw error;
  }
}
