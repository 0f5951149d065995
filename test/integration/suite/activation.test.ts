/**
 * The extension's activation time in a real VS Code, for `npm run bench` (scripts/bench.mjs). The
 * bench runs the integration runner with `INTEGRATION_GREP='^activation time'` (only this test, in
 * a fresh extension host, so the extension is not active yet) and
 * `WINDOWS_CONTAINERS_ACTIVATION_FILE=<file>`; the test activates the extension and writes there
 * VS Code's own measure of the activation (loading dist/client.js and running its `activate`),
 * the time `extension.activate()` took, and the time until the language server runs.
 * Without that variable the suite is not defined: the integration suite is unchanged.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { extension, WAIT_MS, withTimeout } from './helpers';

const file = process.env.WINDOWS_CONTAINERS_ACTIVATION_FILE;

if (file) {
  suite('activation time', () => {
    test('of the extension, for the bench', async () => {
      const ext = extension();
      assert.equal(ext.isActive, false, 'run alone (INTEGRATION_GREP), so the extension is not active yet');
      const start = performance.now();
      const api = await withTimeout(ext.activate(), WAIT_MS, 'the extension to activate');
      const callMs = performance.now() - start;
      // Let the language server start (and time it), so the host shuts down as after any run.
      await withTimeout(api.ready, WAIT_MS, 'the language server to start');
      const readyMs = performance.now() - start;
      // VS Code's own marks around loading the extension's code and calling its activate (what
      // "Developer: Show Running Extensions" reports), kept by the extension host in
      // globalThis.MonacoPerformanceMarks (Date.now() resolution).
      const marks = new Map<string, number>();
      const perf = (globalThis as { MonacoPerformanceMarks?: { getMarks(): { name: string; startTime: number }[] } })
        .MonacoPerformanceMarks;
      for (const mark of perf?.getMarks() ?? []) marks.set(mark.name, mark.startTime);
      const at = (what: string) => marks.get(`code/extHost/${what}/${ext.id}`);
      const [willLoad, didLoad, willActivate, didActivate] = [
        'willLoadExtensionCode',
        'didLoadExtensionCode',
        'willActivateExtension',
        'didActivateExtension',
      ].map(at);
      const span = (from?: number, to?: number) => (from !== undefined && to !== undefined ? to - from : undefined);
      const codeLoadingMs = span(willLoad, didLoad);
      const activateCallMs = span(willActivate, didActivate);
      fs.writeFileSync(
        file,
        JSON.stringify({
          // As "Developer: Show Running Extensions" counts it: loading the code plus the activate call.
          activationMs:
            codeLoadingMs !== undefined && activateCallMs !== undefined ? codeLoadingMs + activateCallMs : callMs,
          codeLoadingMs,
          activateCallMs,
          // From loading the code to the end of activate, including VS Code creating the extension context meanwhile.
          hostMs: span(willLoad, didActivate),
          // `extension.activate()` as the test sees it (also VS Code creating the extension context), and until the language server runs.
          callMs,
          readyMs,
          vscode: vscode.version,
        }) + '\n',
      );
    });
  });
}
