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
    JSON.stringify({
      repository,
      registry: 'https://mcr.microsoft.com',
      fetchedAt: Date.now(),
      tags: ['ltsc2025', 'ltsc2028-preview'],
    }),
  );
  const client = await startClient({ initializationOptions: { cacheDir } });
  try {
    const uri = 'file:///live/Dockerfile';
    client.open(uri, 'FROM mcr.microsoft.com/windows/servercore:\n');
    await client.diagnostics(uri);
    const complete = async () =>
      (
        await withTimeout(
          client.connection.sendRequest('textDocument/completion', {
            textDocument: { uri },
            position: { line: 0, character: 42 },
          }) as Promise<CompletionItem[]>,
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

test('cached .NET lifecycles from releases-index.json reach the rules; the switch turns them off', async () => {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wc-life-'));
  // What a refresh of releases-index.json would have cached a moment ago (so no request is made):
  // an end of support for .NET 10 that differs from the bundled 2028-11-14.
  fs.writeFileSync(
    path.join(cacheDir, '@dotnet-releases-index.json'),
    JSON.stringify({
      source: 'https://builds.dotnet.microsoft.com/dotnet/release-metadata/releases-index.json',
      fetchedAt: Date.now(),
      updates: [{ product: 'dotnet', version: '10.0', releaseType: 'lts', endOfSupport: '2025-12-01' }],
    }),
  );
  const client = await startClient({ initializationOptions: { cacheDir } });
  try {
    const uri = 'file:///live/lifecycle.Dockerfile';
    client.open(uri, 'FROM mcr.microsoft.com/dotnet/aspnet:10.0-nanoserver-ltsc2022\n');
    const ended = await client.diagnostics(uri, (d) => d.some((x) => x.code === 'product-end-of-support'));
    assert.match(
      String(ended.find((x) => x.code === 'product-end-of-support')?.message),
      /\.NET 10\.0, whose support ended on 2025-12-01/,
    );
    client.settings = { catalogue: { liveRefresh: false } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const bundled = await client.diagnostics(uri, (d) => !d.some((x) => x.code === 'product-end-of-support'));
    assert.deepEqual(
      bundled.filter((x) => x.code === 'product-end-of-support'),
      [],
      'with the live refresh off, the bundled lifecycle (2028-11-14) applies',
    );
  } finally {
    await client.stop();
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
});
