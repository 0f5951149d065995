/**
 * Stale work is dropped: a burst of changes received while the server is busy is validated at its
 * last version, and diagnostics are published in version order (an older version never arrives
 * after a newer one, which would flicker). No timing is asserted.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { startClient, TestClient, withTimeout } from './lspClient';

let client: TestClient;
before(async () => {
  client = await startClient();
});
after(async () => {
  await client.stop();
});

test('a burst of changes: the last version is published, and no older version after a newer one', async () => {
  const uri = 'file:///stale/Dockerfile';
  // Large enough that validating one version takes a while, so the burst arrives meanwhile.
  const block =
    'FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS b\nRUN powershell -Command Write-Host hi; apt-get update\nCOPY a C:\\app\\\nWORKDIR D:\\data\n';
  const text = block.repeat(400);
  const published: number[] = [];
  const waiters: { version: number; resolve: () => void }[] = [];
  // (This replaces the test client's own publishDiagnostics handler, which does not keep versions.)
  client.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
    if (params.uri !== uri || params.version === undefined) return;
    published.push(params.version);
    for (const waiter of waiters.filter((w) => w.version === params.version)) waiter.resolve();
  });
  const publishedVersion = (version: number) =>
    withTimeout(
      new Promise<void>((resolve) => (published.includes(version) ? resolve() : waiters.push({ version, resolve }))),
      60_000,
      `diagnostics of version ${version}`,
    );
  client.open(uri, text, 1);
  await publishedVersion(1);
  const last = 21;
  for (let version = 2; version <= last; version++) {
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: ' ' }],
    });
  }
  await publishedVersion(last);
  const afterOpen = published.filter((v) => v > 1);
  assert.deepEqual(
    afterOpen,
    [...afterOpen].sort((a, b) => a - b),
    `published in version order: ${afterOpen.join(', ')}`,
  );
  assert.equal(afterOpen[afterOpen.length - 1], last);
});
