/** `windowsContainers.explainError` over real LSP: the bundled server explains a log against an open Dockerfile. */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT, startClient, TestClient, withTimeout } from './lspClient';

const request = <T>(client: TestClient, method: string, params: unknown) =>
  withTimeout(client.connection.sendRequest(method, params) as Promise<T>, 5000, method);

interface Result {
  errors: { id: string; host?: { name: string }; dockerfile?: { line: number; instruction: string; reason: string } }[];
  markdown: string;
}

describe('windowsContainers.explainError', () => {
  let client: TestClient;
  before(async () => {
    client = await startClient();
  });
  after(async () => {
    await client.stop();
  });

  test('is offered, explains a build log and names the responsible line of the open Dockerfile', async () => {
    assert.ok(
      client.initializeResult.capabilities.executeCommandProvider?.commands.includes('windowsContainers.explainError'),
    );
    const uri = 'file:///w/explain/Dockerfile';
    client.open(
      uri,
      'FROM microsoft/aspnet\nRUN powershell -NoProfile -Command Remove-Item -Recurse C:\\inetpub\\wwwroot\\*\nWORKDIR /inetpub/wwwroot\nCOPY . .\n',
    );
    await client.diagnostics(uri);
    const log = fs.readFileSync(path.join(REPO_ROOT, 'test', 'fixtures-errors', 'for-win-2501.log'), 'utf8');
    const result = await request<Result>(client, 'workspace/executeCommand', {
      command: 'windowsContainers.explainError',
      arguments: [{ text: log, uri }],
    });
    assert.deepEqual(
      result.errors.map((e) => e.id),
      ['compute-system-exited'],
    );
    assert.deepEqual([result.errors[0].dockerfile?.line, result.errors[0].dockerfile?.instruction], [1, 'FROM']);
    assert.match(result.markdown, /^## The container stopped while starting/);
    assert.match(
      result.markdown,
      /\[microsoft\/Windows-Containers#591[^\]]*\]\(https:\/\/github\.com\/microsoft\/Windows-Containers\/issues\/591\)/,
    );
  });

  test('without a Dockerfile, and with nothing recognised; bad arguments are refused', async () => {
    const host = await request<Result>(client, 'workspace/executeCommand', {
      command: 'windowsContainers.explainError',
      arguments: [{ text: 'no matching manifest for windows/amd64 10.0.17763 in the manifest list entries' }],
    });
    assert.equal(host.errors[0].host?.name, 'Windows Server 2019 (version 1809)');
    assert.equal(host.errors[0].dockerfile, undefined);
    const none = await request<Result>(client, 'workspace/executeCommand', {
      command: 'windowsContainers.explainError',
      arguments: [{ text: 'Successfully built 1234abcd' }],
    });
    assert.deepEqual(none, { errors: [], markdown: '' });
    await assert.rejects(
      request(client, 'workspace/executeCommand', { command: 'windowsContainers.explainError', arguments: [{}] }),
      /takes \[\{ "text"/,
    );
  });
});
