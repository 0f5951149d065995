/**
 * Runs the integration suite in VS Code desktop through @vscode/test-electron, for contributors
 * with internet access (it downloads VS Code from Microsoft's update service, which the CI
 * machines of this project cannot reach: they use runServer.ts with the same suite).
 *
 * Prints the same summary line as runServer.ts, e.g.
 * `integration: 9 passed, 0 failed (VS Code 1.100.3)`, and exits non-zero on failure.
 *
 *   npm run test:desktop
 *
 * Environment:
 *   VSCODE_VERSION=<version>     the VS Code to download ('stable' by default, e.g. 1.91.0 for the minimum)
 *   INTEGRATION_GREP=<regex>     run only the matching tests
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const TESTS_DIR = path.join(__dirname, 'suite');
const WORKSPACE_SOURCE = path.join(ROOT, 'test', 'integration', 'workspace');

interface Result {
  passed: number;
  failed: number;
  pending?: number;
  vscode?: string;
}

function readResult(file: string): Result | undefined {
  try {
    const value = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Result>;
    if (typeof value.passed === 'number' && typeof value.failed === 'number') return value as Result;
  } catch {
    // no result: VS Code did not start, or the suite did not load
  }
  return undefined;
}

async function main(): Promise<number> {
  const requested = process.env.VSCODE_VERSION || 'stable';
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wc-integration-desktop-'));
  // The tests edit their documents: give them a copy, so the repository never changes.
  const workspace = path.join(tmp, 'workspace');
  fs.cpSync(WORKSPACE_SOURCE, workspace, { recursive: true });
  const resultFile = path.join(tmp, 'result.json');

  let exitCode: number | undefined;
  let failure: string | undefined;
  try {
    exitCode = await runTests({
      version: requested,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: path.join(TESTS_DIR, 'index'),
      extensionTestsEnv: {
        INTEGRATION_RESULT_FILE: resultFile,
        WINDOWS_CONTAINERS_TEST_HOOKS: '1',
        ...(process.env.INTEGRATION_GREP ? { INTEGRATION_GREP: process.env.INTEGRATION_GREP } : {}),
      },
      launchArgs: [
        workspace,
        '--disable-extensions', // other installed extensions (e.g. Microsoft's Docker extension) stay out
        // Workspace trust stays on, as in runServer.ts: the refused trust dialog leaves the folder
        // in Restricted Mode, where the extension must work (untrustedWorkspaces: supported).
        '--skip-welcome',
        '--skip-release-notes',
        `--user-data-dir=${path.join(tmp, 'user')}`,
        `--extensions-dir=${path.join(tmp, 'extensions')}`,
      ],
    });
  } catch (error) {
    // runTests rejects when VS Code exits non-zero (a failed test) or cannot be downloaded.
    failure = error instanceof Error ? error.message : String(error);
  }

  const result = readResult(resultFile);
  fs.rmSync(tmp, { recursive: true, force: true });
  const version = result?.vscode ?? requested;
  const ok =
    failure === undefined && exitCode === 0 && result !== undefined && result.failed === 0 && result.passed > 0;
  if (failure) console.error(`error: ${failure}`);
  if (result) {
    const pending = result.pending ? `, ${result.pending} pending` : '';
    console.log(`integration: ${result.passed} passed, ${result.failed} failed${pending} (VS Code ${version})`);
  } else {
    console.log(`integration: no result (${failure ?? `exit code ${exitCode}`}) (VS Code ${version})`);
  }
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
