/**
 * Runs the integration suite inside a real VS Code on a machine without access to Microsoft's
 * update service (see /work/shared/real-vscode-tests.md): VS Code server from the `code-server`
 * npm package (installed by scripts/install-vscode-server.mjs into .vscode-test/server), driven
 * by headless Chromium through playwright-core. The extension and the tests reach the workbench
 * through the `payload` query parameter; the workbench reports the suite's exit code through
 * `window.codeAutomationExit` and the extension host's console through `window.codeAutomationLog`.
 * Starting/stopping the server, the workbench URL and Chromium come from vscodeServer.ts (shared
 * with scripts/demo.mjs and scripts/screenshots.mjs).
 *
 * Prints exactly one summary line, e.g. `integration: 9 passed, 0 failed (VS Code 1.100.3)`, and
 * exits non-zero when a test fails, the suite does not report, or a bound is exceeded.
 *
 *   node out/test/integration/runServer.js [--screenshot <file.png>]
 *
 * Environment:
 *   INTEGRATION_QUIET=1          print the logs only when something fails
 *   INTEGRATION_GREP=<regex>     run only the matching tests
 *   INTEGRATION_TIMEOUT_MS=<n>   bound of the whole suite run (default 300000)
 *   INTEGRATION_KEEP_TMP=1       keep the temporary user/server/extensions/workspace folders
 *   CHROMIUM_PATH=<path>         the Chromium binary (default /usr/bin/chromium)
 */
import { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';
import { Browser, Page } from 'playwright-core';
import {
  ROOT,
  SERVER_MAIN,
  SERVER_START_MS,
  PAGE_LOAD_MS,
  vscodeVersion,
  freePort,
  bound,
  makeTempDirs,
  startServer,
  stopServer,
  workbenchUrl,
  launchChromium,
} from './vscodeServer';

const TESTS_DIR = path.join(__dirname, 'suite');
const WORKSPACE_SOURCE = path.join(ROOT, 'test', 'integration', 'workspace');
const RESULT_MARKER = 'INTEGRATION-RESULT';
const SHOWCASE_MARKER = 'INTEGRATION-SHOWCASE-READY';
/** Printed by daemonIsolation.test.ts with the Workspace Trust editor open: the runner clicks "Trust". */
const TRUST_MARKER = 'INTEGRATION-GRANT-TRUST';

const SUITE_MS = Number(process.env.INTEGRATION_TIMEOUT_MS) || 300_000;
const QUIET = ['1', 'true', 'yes'].includes((process.env.INTEGRATION_QUIET ?? '').toLowerCase());

interface Result {
  passed: number;
  failed: number;
  pending?: number;
}

/** The workbench/extension host log (printed as it comes unless quiet; on failure when quiet), the server log and the browser console (on failure). */
const extensionHostLog: string[] = [];
const serverLog: string[] = [];
const browserLog: string[] = [];

function logExtensionHost(line: string): void {
  extensionHostLog.push(line);
  if (!QUIET) console.log(line);
}

function parseArgs(argv: string[]): { screenshot?: string } {
  const options: { screenshot?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--screenshot') {
      const file = argv[++i];
      if (!file) throw new Error('--screenshot needs a file name');
      options.screenshot = path.resolve(file);
    } else if (arg.startsWith('--screenshot=')) {
      options.screenshot = path.resolve(arg.slice('--screenshot='.length));
    } else {
      throw new Error(`unknown argument ${arg} (usage: runServer.js [--screenshot <file.png>])`);
    }
  }
  return options;
}

function parseResult(line: string): Result | undefined {
  const at = line.indexOf(RESULT_MARKER);
  if (at < 0) return undefined;
  const json = line.slice(at + RESULT_MARKER.length).trim();
  const end = json.lastIndexOf('}');
  try {
    const value = JSON.parse(json.slice(0, end + 1)) as Partial<Result>;
    if (typeof value.passed === 'number' && typeof value.failed === 'number') return value as Result;
  } catch {
    // not a result line after all
  }
  return undefined;
}

/** The workbench hands over the console call's arguments (format string first), as console.log got them. */
function argsToText(args: unknown): string {
  if (typeof args === 'string') return args;
  if (Array.isArray(args)) return util.format(...(args as unknown[]));
  return JSON.stringify(args);
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const version = vscodeVersion();
  const summary = (text: string) => `integration: ${text} (VS Code ${version})`;

  for (const [file, hint] of [
    [SERVER_MAIN, 'node scripts/install-vscode-server.mjs'],
    [path.join(ROOT, 'dist', 'client.js'), 'npm run build'],
    [path.join(TESTS_DIR, 'index.js'), 'npm run compile-tests'],
  ] as const) {
    if (!fs.existsSync(file)) {
      console.error(`missing ${path.relative(ROOT, file)}: run ${hint}`);
      console.log(summary('not run'));
      return 1;
    }
  }

  const { tmp, dirs } = makeTempDirs('wc-integration-');
  // The tests edit their documents: give them a copy, so the repository never changes.
  const workspace = path.join(tmp, 'workspace');
  fs.cpSync(WORKSPACE_SOURCE, workspace, { recursive: true });

  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  let result: Result | undefined;
  let exitCode: number | undefined;
  let failure: string | undefined;
  const started = Date.now();
  try {
    const port = await freePort();
    // With --screenshot the suite ends by showing a Dockerfile with its diagnostics, prints
    // SHOWCASE_MARKER and waits until the file `showcaseDone` exists (created once the picture is taken).
    const showcaseDone = path.join(tmp, 'showcase-done');
    // The extension host inherits this environment (INTEGRATION_GREP, INTEGRATION_SHOWCASE reach the suite).
    const launched = startServer(
      port,
      dirs,
      // WINDOWS_CONTAINERS_TEST_HOOKS lets serverHealth.test.ts crash the language server (server/src/serverMain.ts).
      {
        ...process.env,
        INTEGRATION_GRANTS_TRUST: '1',
        WINDOWS_CONTAINERS_TEST_HOOKS: '1',
        ...(options.screenshot ? { INTEGRATION_SHOWCASE: showcaseDone } : {}),
      },
      (line) => serverLog.push(line),
    );
    server = launched.child;
    // A server that dies mid-run ends the wait at once instead of at the suite's bound.
    const serverGone = new Promise<never>((_, reject) =>
      launched.child.once('exit', (code, signal) =>
        reject(new Error(`VS Code server exited during the run (code ${code}, signal ${signal})`)),
      ),
    );
    serverGone.catch(() => undefined);
    await bound(launched.listening, SERVER_START_MS, `"Extension host agent listening on ${port}"`);

    browser = await launchChromium();
    const page: Page = await browser.newPage({ viewport: { width: 1280, height: 800 } });

    let reportExit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => (reportExit = resolve));
    await page.exposeFunction('codeAutomationExit', (code: number) => {
      reportExit(Number(code));
    });
    let screenshot: Promise<void> | undefined;
    const takeScreenshot = async (file: string) => {
      try {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        // Give the editor a moment to paint the squiggles of the diagnostics.
        await page.waitForSelector('.squiggly-error', { timeout: 10_000 }).catch(() => undefined);
        await bound(page.screenshot({ path: file }), 30_000, 'the screenshot');
        console.error(`screenshot: ${file}`);
      } finally {
        fs.writeFileSync(showcaseDone, '');
      }
    };
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown) => {
      const text = argsToText(args);
      for (const line of text.split(/\r?\n/)) {
        result = parseResult(line) ?? result;
        if (options.screenshot && !screenshot && line.includes(SHOWCASE_MARKER))
          screenshot = takeScreenshot(options.screenshot);
        if (line.includes(TRUST_MARKER)) {
          // The suite waits (bounded) for the grant; a failed click shows up there as a timeout.
          void page
            .getByRole('button', { name: 'Trust', exact: true })
            .first()
            .click({ timeout: 15_000 })
            .catch((error: unknown) => browserLog.push(`[runner] could not click Trust: ${String(error)}`));
        }
        logExtensionHost(type === 'info' || type === 'log' ? line : `[${type}] ${line}`);
      }
    });
    page.on('console', (message) => browserLog.push(`[browser ${message.type()}] ${message.text()}`));
    page.on('pageerror', (error) => browserLog.push(`[browser pageerror] ${error.message}`));

    const url = workbenchUrl({
      port,
      folder: workspace,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: TESTS_DIR,
    });
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: PAGE_LOAD_MS });

    exitCode = await bound(
      Promise.race([exited, serverGone]),
      SUITE_MS,
      'the test suite to finish (codeAutomationExit)',
    );
    if (options.screenshot) {
      // The suite did not reach its showcase (e.g. INTEGRATION_GREP or a failing hook): take the workbench as it is.
      await (screenshot ?? takeScreenshot(options.screenshot));
    }
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  } finally {
    await (browser ? bound(browser.close(), 10_000, 'the browser to close').catch(() => undefined) : Promise.resolve());
    await stopServer(server);
    if (!process.env.INTEGRATION_KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
    else console.error(`kept ${tmp}`);
  }

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ok =
    failure === undefined && exitCode === 0 && result !== undefined && result.failed === 0 && result.passed > 0;
  if (!ok) {
    if (QUIET) {
      console.error('--- workbench and extension host log ---');
      for (const line of extensionHostLog) console.error(line);
    }
    console.error('--- VS Code server log (last 100 lines) ---');
    for (const line of serverLog.slice(-100)) console.error(line);
    console.error('--- browser console (errors and warnings, last 50) ---');
    for (const line of browserLog.filter((l) => /\[browser (error|warning|pageerror)\]/.test(l)).slice(-50))
      console.error(line);
    if (failure) console.error(`error: ${failure}`);
    if (exitCode !== undefined && exitCode !== 0) console.error(`the workbench reported exit code ${exitCode}`);
  }
  if (result) {
    const pending = result.pending ? `, ${result.pending} pending` : '';
    console.log(summary(`${result.passed} passed, ${result.failed} failed${pending}`));
  } else {
    console.log(summary(`no result (${failure ?? `exit code ${exitCode}`})`));
  }
  if (!QUIET) console.error(`runServer: finished in ${seconds} s`);
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    console.log('integration: no result (runner error)');
    process.exit(1);
  },
);
