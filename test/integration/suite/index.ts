/**
 * Entry point of the integration suite inside the extension host, shared by both runners
 * (`runServer.ts`: VS Code server + headless Chromium; `runDesktop.ts`: @vscode/test-electron).
 * VS Code loads this module and awaits `run()`; a rejection makes the workbench exit non-zero.
 *
 * The counts are reported twice, so a runner never has to parse mocha's reporter output:
 * - as one console line `INTEGRATION-RESULT {"passed":n,"failed":n,...}` (the extension host's
 *   console reaches the server runner through the workbench's `codeAutomationLog`);
 * - as a JSON file when `INTEGRATION_RESULT_FILE` is set in the extension host's environment
 *   (the desktop runner sets it through `extensionTestsEnv`).
 *
 * `INTEGRATION_GREP` (a regular expression) runs only the matching tests.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

export const RESULT_MARKER = 'INTEGRATION-RESULT';

export interface IntegrationResult {
  passed: number;
  failed: number;
  pending: number;
  /** `vscode.version` of the VS Code the suite ran in. */
  vscode: string;
}

const FIRST = 'extension.test.js';
const LAST = 'daemonIsolation.test.js';
const rank = (name: string) => (name === FIRST ? 0 : name === LAST ? 2 : 1);

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, reporter: 'spec', timeout: 30_000 });
  const grep = process.env.INTEGRATION_GREP;
  if (grep) mocha.grep(new RegExp(grep));
  const files = fs
    .readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.js'))
    // extension.test.js checks activation itself, so it runs before any suite that activates the extension;
    // daemonIsolation.test.js trusts the workspace (which cannot be undone without a reload), so it runs
    // last and every other suite runs in Restricted Mode.
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  for (const name of files) mocha.addFile(path.join(__dirname, name));

  return new Promise<void>((resolve, reject) => {
    const report = (result: IntegrationResult) => {
      console.log(`${RESULT_MARKER} ${JSON.stringify(result)}`);
      const file = process.env.INTEGRATION_RESULT_FILE;
      if (file) fs.writeFileSync(file, JSON.stringify(result) + '\n');
    };
    if (files.length === 0) {
      report({ passed: 0, failed: 1, pending: 0, vscode: vscode.version });
      reject(new Error(`no *.test.js files in ${__dirname}: compile the tests first (npm run compile-tests)`));
      return;
    }
    try {
      const runner = mocha.run((failures) => {
        const stats = runner.stats;
        const result: IntegrationResult = {
          passed: stats?.passes ?? 0,
          // Failing hooks count as failures too; `failures` is mocha's own total.
          failed: Math.max(failures, stats?.failures ?? 0),
          pending: stats?.pending ?? 0,
          vscode: vscode.version,
        };
        report(result);
        if (result.failed > 0) reject(new Error(`${result.failed} integration test(s) failed`));
        else if (result.passed === 0) reject(new Error('no integration test ran'));
        else resolve();
      });
    } catch (error) {
      report({ passed: 0, failed: 1, pending: 0, vscode: vscode.version });
      reject(error);
    }
  });
}
