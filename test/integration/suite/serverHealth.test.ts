/**
 * The client's restart policy (client/src/serverHealth.ts) with a real crash: the runner sets
 * WINDOWS_CONTAINERS_TEST_HOOKS=1, so the server exits on `windowsContainers/test/crash`
 * (server/src/serverMain.ts). Two crashes in a row: the client restarts the server each time, features
 * answer again, and the storm asks for at most one notification. And the node flags the client
 * starts the server with, as the server reads them.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { extension, hoverText, openDockerfile, serverReady, until, WAIT_MS, withTimeout } from './helpers';

interface HealthApi {
  readonly client:
    | {
        readonly state: number;
        onDidChangeState(listener: (event: { oldState: number; newState: number }) => void): vscode.Disposable;
        sendNotification(method: string): Promise<void>;
        sendRequest<R>(method: string): Promise<R>;
      }
    | undefined;
  readonly serverHealth: {
    readonly notices: readonly { kind: string }[];
    readonly stormCrashes: number;
    readonly givenUp: boolean;
  };
}

/** vscode-languageclient's `State.Running` and `State.Starting`. */
const RUNNING = 2;
const STARTING = 3;

suite('Language server crashes', () => {
  suiteSetup(async () => {
    await serverReady();
  });

  test('a crashed server is restarted, twice in a row, with at most one notification', async function () {
    this.timeout(60_000);
    const api = extension().exports as unknown as HealthApi;
    const health = api.serverHealth;
    const client = api.client;
    assert.ok(client, 'the language client is loaded');
    const noticesBefore = health.notices.length;
    const crashesBefore = health.stormCrashes;
    const document = await openDockerfile('hover.Dockerfile');
    for (let crash = 1; crash <= 2; crash++) {
      // Running again means: through Starting (the restart) back to Running.
      let restarted = false;
      let starting = false;
      const subscription = client.onDidChangeState(({ newState }) => {
        if (newState === STARTING) starting = true;
        if (newState === RUNNING && starting) restarted = true;
      });
      try {
        await client.sendNotification('windowsContainers/test/crash');
        await until(
          () => health.stormCrashes === crashesBefore + crash,
          WAIT_MS,
          `crash ${crash} to reach the restart policy`,
        );
        await until(() => restarted, WAIT_MS, `the server to run again after crash ${crash}`);
      } finally {
        subscription.dispose();
      }
      const hovers = await withTimeout(
        vscode.commands.executeCommand<vscode.Hover[]>(
          'vscode.executeHoverProvider',
          document.uri,
          new vscode.Position(0, 1),
        ),
        WAIT_MS,
        `a hover after crash ${crash}`,
      );
      assert.match(
        hoverText(hovers ?? []),
        /base\s*image/i,
        `the restarted server answers hovers (after crash ${crash})`,
      );
    }
    assert.equal(health.givenUp, false);
    assert.ok(
      health.notices.length - noticesBefore <= 1,
      `at most one notification for the storm, got ${JSON.stringify(health.notices.slice(noticesBefore))}`,
    );
  });

  test('the server runs with the node flags of common/serverNodeFlags.json (what the bench starts it with)', async () => {
    const client = (extension().exports as unknown as HealthApi).client;
    assert.ok(client, 'the language client is loaded');
    const expected = JSON.parse(
      fs.readFileSync(path.join(extension().extensionPath, 'common', 'serverNodeFlags.json'), 'utf8'),
    ) as string[];
    assert.ok(expected.length > 0);
    const execArgv = await withTimeout(
      client.sendRequest<string[]>('windowsContainers/test/execArgv'),
      WAIT_MS,
      'the server to tell its node flags',
    );
    for (const flag of expected) assert.ok(execArgv.includes(flag), `${flag} in ${JSON.stringify(execArgv)}`);
  });
});
