/**
 * The web extension in a real browser: VS Code server (from npm, see test/integration/vscodeServer.ts)
 * serves the web workbench to headless Chromium, which loads this repository as a development
 * extension in its web worker extension host and runs test/web/suite.ts there. The extension is
 * served over http from a second loopback server (with CORS, as a CDN serves web extensions), so
 * the workbench treats it as a web extension and starts it from package.json `browser`
 * (dist/web/extension.js, whose language server is the worker dist/web/server.js), as vscode.dev does. Prints one line, e.g. `web: passed in 9.1 s (VS Code 1.100.3)`, and exits
 * non-zero when the suite fails, does not report, or a bound is exceeded.
 *
 *   node out/test/web/runWeb.js [--screenshot <file.png>]
 *
 * With --screenshot, once the suite has passed, the workbench (the Dockerfile the suite opened, with
 * its diagnostics) is saved as a picture: the README's "Use it in the browser".
 * With WEB_LOG=1 in the environment, the browser's and the server's log is printed when it passes too
 * (it always is when it fails).
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as util from 'node:util';
import type { Browser } from 'playwright-core';
import {
  bound,
  launchChromium,
  PAGE_LOAD_MS,
  ROOT,
  startWorkbenchServer,
  vscodeVersion,
  WorkbenchServer,
} from '../integration/vscodeServer';

const SUITE = path.join(__dirname, 'suite.js');
const RUN_MS = 180_000;
const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.map': 'application/json',
  '.png': 'image/png',
  '.md': 'text/markdown',
};

/** Serves the repository's files read-only on a free loopback port, with CORS headers (the workbench and its worker fetch from another origin). */
function serveRepository(
  onRequest: (line: string) => void = () => undefined,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((request, response) => {
    onRequest(`[files] ${request.method} ${request.url}`);
    const headers = { 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'no-store' };
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const file = path.resolve(ROOT, `.${pathname}`);
    if (
      request.method !== 'GET' ||
      !file.startsWith(ROOT + path.sep) ||
      !fs.existsSync(file) ||
      !fs.statSync(file).isFile()
    ) {
      response.writeHead(404, headers).end();
      return;
    }
    response.writeHead(200, { ...headers, 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(response);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

async function main(): Promise<number> {
  const at = process.argv.indexOf('--screenshot');
  const screenshot = at >= 0 ? process.argv[at + 1] : undefined;
  if (at >= 0 && !screenshot) {
    console.error('web: --screenshot needs a file name');
    return 2;
  }
  for (const [file, hint] of [
    [path.join(ROOT, 'dist', 'web', 'extension.js'), 'npm run build'],
    [path.join(ROOT, 'dist', 'web', 'server.js'), 'npm run build'],
    [SUITE, 'npm run compile-tests'],
  ] as const) {
    if (!fs.existsSync(file)) {
      console.error(`web: missing ${path.relative(ROOT, file)}: run ${hint}`);
      return 1;
    }
  }
  const log: string[] = [];
  let server: WorkbenchServer | undefined;
  let browser: Browser | undefined;
  let files: Awaited<ReturnType<typeof serveRepository>> | undefined;
  const started = Date.now();
  try {
    files = await serveRepository((line) => log.push(line));
    server = await startWorkbenchServer({
      workspaceSource: path.join(ROOT, 'samples'),
      tmpPrefix: 'wc-web-',
      settings: { 'security.workspace.trust.enabled': false, 'files.exclude': { '**/.showcase-*': true } },
      onLine: (line) => log.push(`[server] ${line}`),
    });
    if (screenshot) fs.writeFileSync(path.join(server.workspace, '.showcase-wanted'), '');
    // A compose file and a Kubernetes manifest beside the samples: the browser client must hand them
    // to its server too (the integration suite's copies, with one Windows finding each).
    for (const name of ['compose.yaml', 'deployment.yaml']) {
      fs.copyFileSync(path.join(ROOT, 'test', 'integration', 'workspace', name), path.join(server.workspace, name));
    }
    const workspace = server.workspace;
    browser = await launchChromium();
    // The workbench's Content Security Policy allows `connect-src` to itself and https only; the
    // extension comes from the loopback file server over http, as a CDN would serve it over https.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    const page = await context.newPage();
    let reportExit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => (reportExit = resolve));
    await page.exposeFunction('codeAutomationExit', (code: number) => reportExit(Number(code)));
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown) => {
      const text = Array.isArray(args) ? util.format(...(args as unknown[])) : String(args);
      log.push(`[${type}] ${text}`);
      if (screenshot && !pictured && text.includes('web: showcase ready')) pictured = takeScreenshot(screenshot);
    });
    page.on('pageerror', (error) => log.push(`[browser pageerror] ${error.message}`));
    let pictured: Promise<void> | undefined;
    const takeScreenshot = async (file: string) => {
      try {
        await page.waitForSelector('.squiggly-error', { timeout: 15_000 }).catch(() => undefined);
        await bound(page.screenshot({ path: path.resolve(file) }), 30_000, 'the screenshot');
        log.push(`[runner] web: screenshot ${file}`);
      } finally {
        fs.writeFileSync(path.join(workspace, '.showcase-done'), '');
      }
    };
    page.on('console', (message) => {
      if (message.type() === 'error') log.push(`[browser error] ${message.text()}`);
    });
    // A web extension under development is named in the workbench's construction options
    // (`developmentOptions`, what @vscode/test-web writes into its page). The server's page carries
    // them as JSON in its configuration element; a script run before the page's own adds them there
    // as soon as the element is parsed, before workbench.js reads it.
    const extension = new URL(`${files.url}/`);
    const suite = new URL(`${files.url}/${path.relative(ROOT, SUITE).split(path.sep).join('/')}`);
    const components = (url: URL) => ({
      scheme: url.protocol.replace(/:$/, ''),
      authority: url.host,
      path: url.pathname,
    });
    const developmentOptions = { extensions: [components(extension)], extensionTestsPath: components(suite) };
    await page.addInitScript({
      content: `(() => {
        const options = ${JSON.stringify(developmentOptions)};
        const patch = () => {
          const element = document.getElementById('vscode-workbench-web-configuration');
          const settings = element && element.getAttribute('data-settings');
          if (!settings) return false;
          element.setAttribute('data-settings', JSON.stringify({ ...JSON.parse(settings), developmentOptions: options }));
          return true;
        };
        if (!patch()) {
          const observer = new MutationObserver(() => patch() && observer.disconnect());
          observer.observe(document, { childList: true, subtree: true });
        }
      })();`,
    });
    const workbench = server.url({ extensionDevelopmentPath: null });
    await page.goto(workbench, { waitUntil: 'domcontentloaded', timeout: PAGE_LOAD_MS });
    const code = await bound(
      Promise.race([exited, server.exited]),
      RUN_MS,
      'the web test to finish (codeAutomationExit)',
    );
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (code !== 0) {
      console.error(log.join('\n'));
      console.log(`web: failed (exit ${code}) after ${seconds} s (VS Code ${vscodeVersion()})`);
      return 1;
    }
    await pictured;
    if (process.env.WEB_LOG) console.error(log.join('\n'));
    for (const line of log.filter((l) => /\bweb: /.test(l))) console.log(line.replace(/^\[\w+\] /, ''));
    console.log(`web: passed in ${seconds} s (VS Code ${vscodeVersion()})`);
    return 0;
  } catch (error) {
    console.error(log.join('\n'));
    console.log(`web: failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    await files?.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
