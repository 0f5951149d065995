#!/usr/bin/env node
// `npm run screenshots`: regenerates the README pictures in images/ from the real VS Code (VS Code
// server + headless Chromium, as in the integration tests): a Windows diagnostic with its quick-fix
// menu, tag completion, the image hover, and the daemon isolation command in the palette.
// Runs after `npm run build && npm run compile-tests` (the npm script does both).
import { mkdirSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const IMAGES = join(ROOT, 'images');
const WAIT_MS = 90_000;

const SCENES = {
  'quick-fix.png': {
    file: 'quick-fix.Dockerfile',
    text: '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command", "$ErrorActionPreference = \'Stop\'; $ProgressPreference = \'SilentlyContinue\';"]\nWORKDIR C:\nCOPY app/ C:\\app\\\n',
    line: 4,
    column: 9,
    async act(page) {
      await page.keyboard.press('Control+.');
      await waitFor('the quick-fix menu', async () => (await page.locator('.action-widget').count()) > 0);
    },
  },
  'tag-completion.png': {
    file: 'tags.Dockerfile',
    text: '# escape=`\nFROM mcr.microsoft.com/windows/servercore:\n',
    line: 2,
    column: 43,
    async act(page) {
      // Until the language server answers, VS Code offers plain words: ask again until the tags come.
      await waitFor('the tag list', async () => {
        await page.keyboard.press('Escape');
        await page.keyboard.press('Control+Space');
        await page.waitForTimeout(400);
        return (await page.locator('.suggest-widget.visible .monaco-list-row', { hasText: 'ltsc2025' }).count()) > 0;
      });
      // Show the details of the selected tag.
      if ((await page.locator('.suggest-details-container .suggest-details:visible').count()) === 0)
        await page.keyboard.press('Control+Space');
    },
  },
  'hover.png': {
    file: 'hover.Dockerfile',
    text: '# escape=`\nFROM mcr.microsoft.com/windows/nanoserver:1809\nCOPY app C:\\app\n',
    line: 2,
    column: 30,
    async act(page) {
      const token = page.locator('.view-lines .view-line span', { hasText: 'nanoserver' }).first();
      await waitFor('the image hover', async () => {
        await page.mouse.move(5, 5);
        await token.hover();
        await page.waitForTimeout(600);
        return (await page.locator('.monaco-hover', { hasText: 'Nano Server' }).count()) > 0;
      });
    },
  },
  'isolation-command.png': {
    file: 'Dockerfile',
    text: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\n',
    line: 1,
    column: 1,
    requires: 'windowsContainers.setDaemonIsolation',
    async act(page) {
      await page.keyboard.press('F1');
      await waitFor('the command palette', async () => (await page.locator('.quick-input-widget input').count()) > 0);
      await page.keyboard.type('Windows Containers');
      await waitFor(
        'the Windows Containers commands',
        async () =>
          (await page
            .locator('.quick-input-list .monaco-list-row', { hasText: 'Set Docker Daemon Isolation' })
            .count()) > 0,
      );
    },
  },
  'explain-error.png': {
    file: 'explain.Dockerfile',
    text: '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN powershell -Command `\n    Invoke-WebRequest -UseBasicParsing -Uri "https://dotnetbinaries.blob.core.windows.net/servicemonitor/2.0.1.10/ServiceMonitor.exe" -OutFile "C:\\ServiceMonitor.exe"\nENTRYPOINT ["C:\\\\ServiceMonitor.exe", "w3svc"]\n',
    line: 1,
    column: 1,
    requires: 'windowsContainers.explainDockerError',
    async act(page) {
      await waitFor('the diagnostics', async () => (await page.locator('.squiggly-error').count()) > 0);
      await page.keyboard.press('F1');
      await waitFor('the command palette', async () => (await page.locator('.quick-input-widget input').count()) > 0);
      await page.keyboard.type('Explain Docker Error');
      await waitFor(
        'the command',
        async () =>
          (await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Explain Docker Error' }).count()) > 0,
      );
      await page.keyboard.press('Enter');
      await waitFor(
        'the input box',
        async () =>
          (await page.locator('.quick-input-widget', { hasText: 'Explain Docker Error' }).count()) > 0 &&
          (await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Explain Docker Error' }).count()) === 0,
      );
      await page.keyboard.type(
        'Invoke-WebRequest : https://dotnetbinaries.blob.core.windows.net/servicemonitor/2.0.1.10/ServiceMonitor.exe <Code>PublicAccessNotPermitted</Code>',
      );
      await page.keyboard.press('Enter');
      await waitFor(
        'the explanation and the quick fixes',
        async () => (await page.locator('.action-widget').count()) > 0,
      );
      await page.waitForTimeout(800);
    },
  },
};

let page;
async function waitFor(what, check, ms = WAIT_MS) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function main() {
  const { execFileSync: run } = await import('node:child_process');
  run(process.execPath, [join(ROOT, 'scripts', 'install-vscode-server.mjs')], { stdio: 'inherit' });
  const compiled = join(ROOT, 'out', 'test', 'integration', 'vscodeServer.js');
  if (!existsSync(compiled)) throw new Error('compile first: npm run compile-tests');
  const { startWorkbenchServer, launchChromium } = createRequire(import.meta.url)(compiled);
  const commands = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).contributes.commands.map(
    (c) => c.command,
  );
  mkdirSync(IMAGES, { recursive: true });
  const settings = {
    'security.workspace.trust.enabled': false,
    'workbench.startupEditor': 'none',
    'editor.minimap.enabled': false,
    'window.zoomLevel': 0,
  };
  const server = await startWorkbenchServer({
    workspaceSource: join(ROOT, 'samples'),
    tmpPrefix: 'wc-shots-',
    settings,
  });
  const browser = await launchChromium();
  try {
    for (const [name, scene] of Object.entries(SCENES)) {
      // SCREENSHOTS_ONLY=explain-error.png takes one picture and leaves the others as they are.
      if (process.env.SCREENSHOTS_ONLY && process.env.SCREENSHOTS_ONLY !== name) continue;
      if (scene.requires && !commands.includes(scene.requires)) {
        console.log(`screenshots: skipped ${name}: ${scene.requires} is not contributed`);
        continue;
      }
      writeFileSync(join(server.workspace, scene.file), scene.text);
      page = await browser.newPage({ viewport: { width: 1100, height: 620 } });
      await page.goto(
        server.url({ openFile: { path: join(server.workspace, scene.file), line: scene.line, column: scene.column } }),
      );
      await waitFor('the editor', async () => (await page.locator('.monaco-editor .view-lines').count()) > 0);
      await waitFor(
        'the extension',
        async () => (await page.locator('.statusbar-item', { hasText: 'Windows' }).count()) > 0,
      );
      await waitFor(
        'extensions to finish activating',
        async () => (await page.locator('.statusbar-item', { hasText: 'Activating Extensions' }).count()) === 0,
      );
      if (name === 'quick-fix.png')
        await waitFor('the diagnostics', async () => (await page.locator('.squiggly-error').count()) > 0);
      await scene.act(page);
      const file = join(IMAGES, name);
      await page.screenshot({ path: file });
      console.log(`screenshots: ${file}`);
      await page.close();
    }
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().then(
  () => process.exit(0),
  async (error) => {
    console.error(`screenshots: ${error instanceof Error ? error.message : String(error)}`);
    if (page) await page.screenshot({ path: join(IMAGES, 'screenshots-failure.png') }).catch(() => undefined);
    process.exit(1);
  },
);
