/** Tags learnt from the registry (here: a fresh cache in the folder the client names) reach completion, without waiting on the network. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CompletionItem } from 'vscode-languageserver-protocol';
import { startClient, withTimeout } from './lspClient';

test('cached registry tags are merged into tag completion; the switch turns them off', async () => {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wc-live-'));
  const repository = 'mcr.microsoft.com/windows/servercore';
  fs.writeFileSync(
    path.join(cacheDir, `${encodeURIComponent(repository.slice('mcr.microsoft.com/'.length))}.json`),
    JSON.stringify({ repository, registry: 'https://mcr.microsoft.com', fetchedAt: Date.now(), tags: ['ltsc2025', 'ltsc2028-preview'] }),
  );
  const client = await startClient({ initializationOptions: { cacheDir } });
  try {
    const uri = 'file:///live/Dockerfile';
    client.open(uri, 'FROM mcr.microsoft.com/windows/servercore:\n');
    await client.diagnostics(uri);
    const complete = async () =>
      (
        await withTimeout(
          client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 42 } }) as Promise<CompletionItem[]>,
          5000,
          'completion',
        )
      ).map((i) => i.label);
    const labels = await complete();
    assert.ok(labels.includes('ltsc2028-preview'), labels.join(', '));
    assert.equal(labels.filter((l) => l === 'ltsc2025').length, 1, 'a tag both sources know is offered once');
    client.settings = { catalogue: { liveRefresh: false } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const deadline = Date.now() + 5000;
    let off = await complete();
    while (off.includes('ltsc2028-preview') && Date.now() < deadline) off = await complete();
    assert.ok(!off.includes('ltsc2028-preview'), 'with the live refresh off, only the bundled catalogue answers');
  } finally {
    await client.stop();
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
});
