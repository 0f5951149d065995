/**
 * Installs the packaged VSIX into VS Code server with `--install-extension`, as a user would, and
 * checks inside the workbench that the installed copy activates and diagnoses a sample
 * (test/integration/vsix/index.ts). Prints one line, e.g.
 * `vsix: windows-containers.vsix (419 KB) installed in VS Code 1.100.3: activated, diagnosed mistakes.Dockerfile in 850 ms`.
 *
 *   node out/test/integration/runVsix.js [path/to/extension.vsix]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bound, launchChromium, ROOT, startWorkbenchServer, vscodeVersion, WorkbenchServer } from './vscodeServer';

const MAX_BYTES = 2 * 1024 * 1024;
const RUN_MS = 180_000;

async function main(): Promise<number> {
  const vsix = path.resolve(process.argv[2] ?? path.join(ROOT, 'windows-containers.vsix'));
  if (!fs.existsSync(vsix)) {
    console.error(`vsix: ${vsix} is missing: run npm run package`);
    return 1;
  }
  const size = fs.statSync(vsix).size;
  if (size >= MAX_BYTES) {
    console.error(`vsix: ${path.basename(vsix)} is ${Math.round(size / 1024)} KB, over the 2 MB budget`);
    return 1;
  }
  const log: string[] = [];
  let server: WorkbenchServer | undefined;
  const browser = await launchChromium();
  try {
    server = await startWorkbenchServer({
      workspaceSource: path.join(ROOT, 'samples'),
      tmpPrefix: 'wc-vsix-',
      installVsix: vsix,
      settings: { 'security.workspace.trust.enabled': false },
      onLine: (line) => log.push(line),
    });
    const installed = fs
      .readdirSync(path.join(server.tmp, 'extensions'))
      .filter((name) => name.startsWith('windows-containers.windows-containers-'));
    if (installed.length !== 1)
      throw new Error(
        `the VSIX did not install (extensions folder: ${installed.join(', ') || 'no windows-containers'})`,
      );
    const page = await browser.newPage();
    let result: { ok?: boolean; error?: string; msToDiagnostics?: number; codes?: string[] } | undefined;
    const finished = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
      void page.exposeFunction('codeAutomationLog', (_type: string, args: unknown) => {
        const text = (Array.isArray(args) ? args : [args])
          .map((a) => (typeof a === 'string' ? a : JSON.stringify(a)))
          .join(' ');
        log.push(text);
        const marker = text.indexOf('VSIX-RESULT ');
        if (marker >= 0) result = JSON.parse(text.slice(marker + 'VSIX-RESULT '.length));
      });
    });
    // VS Code runs extension tests only next to a development extension: an empty one, so the
    // extension under test is the installed copy.
    const host = path.join(ROOT, 'test', 'integration', 'vsix', 'host');
    await page.goto(server.url({ extensionDevelopmentPath: host, extensionTestsPath: path.join(__dirname, 'vsix') }));
    const code = await bound(Promise.race([finished, server.exited]), RUN_MS, 'the installed extension to report');
    if (code !== 0 || !result?.ok) throw new Error(result?.error ?? `the workbench reported exit code ${code}`);
    console.log(
      `vsix: ${path.basename(vsix)} (${Math.round(size / 1024)} KB) installed in VS Code ${vscodeVersion()}: activated, diagnosed mistakes.Dockerfile (${result.codes?.join(', ')}) in ${result.msToDiagnostics} ms`,
    );
    return 0;
  } catch (error) {
    console.error(`vsix: FAILED: ${error instanceof Error ? error.message : String(error)}`);
    console.error(log.slice(-60).join('\n'));
    return 1;
  } finally {
    await browser.close();
    await server?.stop();
  }
}

main().then((code) => process.exit(code));
