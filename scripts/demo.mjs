#!/usr/bin/env node
// `npm run demo`: shows the extension working on samples/ in a real VS Code.
//   - desktop VS Code (`code` on the PATH): opens samples/ with this folder as development extension;
//   - otherwise (or with --server): starts VS Code server with the extension loaded, prints the URL to
//     open in a browser, and runs until Ctrl-C;
//   - --screenshot <file.png>: headless: opens samples/mistakes.Dockerfile and the Problems panel in
//     Chromium, waits for the extension's diagnostics, saves the picture and exits.
// Runs after `npm run build && npm run compile-tests` (the npm script does both).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const SAMPLES = join(ROOT, 'samples');
const WAIT_MS = 120_000;
const HELP = `Usage: npm run demo [-- --server] [-- --screenshot <file.png>]

  (no option)          desktop VS Code on samples/ when \`code\` is on the PATH, else VS Code server
  --server             always VS Code server: prints the URL to open, runs until Ctrl-C
  --screenshot <file>  headless: saves a screenshot of samples/mistakes.Dockerfile with its diagnostics`;

function parse(argv) {
  const options = { server: false, screenshot: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') options.help = true;
    else if (arg === '--server') options.server = true;
    else if (arg === '--screenshot') options.screenshot = argv[++i];
    else if (arg.startsWith('--screenshot=')) options.screenshot = arg.slice('--screenshot='.length);
    else throw new Error(`unknown argument ${arg}\n\n${HELP}`);
  }
  if (options.screenshot === '') throw new Error('--screenshot needs a file name');
  return options;
}

function hasDesktopCode() {
  try {
    execFileSync('sh', ['-c', 'command -v code'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function waitFor(what, check, ms = WAIT_MS) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function main() {
  const options = parse(process.argv.slice(2));
  if (options.help) {
    console.log(HELP);
    return 0;
  }
  if (!existsSync(join(ROOT, 'dist', 'server.js'))) throw new Error('build first: npm run build');
  if (!options.server && !options.screenshot && hasDesktopCode()) {
    console.log(`Opening desktop VS Code on ${SAMPLES} with the extension from ${ROOT}`);
    spawn('code', [`--extensionDevelopmentPath=${ROOT}`, SAMPLES], { stdio: 'inherit', detached: true }).unref();
    return 0;
  }
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'install-vscode-server.mjs')], { stdio: 'inherit' });
  const compiled = join(ROOT, 'out', 'test', 'integration', 'vscodeServer.js');
  if (!existsSync(compiled)) throw new Error('compile first: npm run compile-tests');
  const { startWorkbenchServer, launchChromium, vscodeVersion } = createRequire(import.meta.url)(compiled);
  // The samples are ours: no trust prompt in front of them.
  const settings = { 'security.workspace.trust.enabled': false, 'workbench.startupEditor': 'none' };
  const server = await startWorkbenchServer({ workspaceSource: SAMPLES, tmpPrefix: 'wc-demo-', settings });
  const stop = async () => {
    await server.stop();
  };
  try {
    const url = server.url({ openFile: { path: join(server.workspace, 'mistakes.Dockerfile') } });
    if (!options.screenshot) {
      console.log(
        `\nVS Code ${vscodeVersion()} with the Windows Containers extension on a copy of samples/:\n\n  Open ${url}\n\nCtrl-C stops it.`,
      );
      await new Promise((resolveStop) => {
        process.once('SIGINT', resolveStop);
        process.once('SIGTERM', resolveStop);
        server.exited.catch(resolveStop);
      });
      return 0;
    }
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(url);
      await waitFor('the editor', async () => (await page.locator('.monaco-editor .view-lines').count()) > 0);
      // Squiggles appear once the language server has validated the sample.
      await waitFor(
        "the extension's diagnostics",
        async () => (await page.locator('.monaco-editor .squiggly-error').count()) > 0,
      );
      await page.keyboard.press('Control+Shift+M');
      await waitFor(
        'the Problems panel',
        async () => (await page.locator('.markers-panel .monaco-list-row').count()) > 0,
      );
      const file = resolve(options.screenshot);
      await page.screenshot({ path: file });
      console.log(`screenshot: ${file}`);
    } finally {
      await browser.close();
    }
    return 0;
  } finally {
    await stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
