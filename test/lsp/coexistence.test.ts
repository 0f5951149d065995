/**
 * Next to Microsoft's Docker / Container Tools extension (the same upstream engine), the upstream
 * diagnostics and completions are left to it; the Windows features stay. `upstreamFeatures` overrides.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { CompletionItem, Diagnostic } from 'vscode-languageserver-protocol';
import { startClient, TestClient, withTimeout } from './lspClient';

const TEXT = 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nmaintainer me\nWORKDIR C:\n\n';
const sources = (d: Diagnostic[]) => [...new Set(d.map((x) => x.source))].sort();

async function labelsAt(client: TestClient, uri: string, line: number, character: number): Promise<string[]> {
  const items = (await withTimeout(
    client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line, character } }),
    5000,
    'completion',
  )) as CompletionItem[];
  return items.map((i) => i.label);
}

test('with the other extension active (auto): only the Windows diagnostics and completions', async () => {
  const client = await startClient({ initializationOptions: { otherUpstreamProvider: true } });
  try {
    const uri = 'file:///co/Dockerfile';
    client.open(uri, TEXT);
    const diagnostics = await client.diagnostics(uri, (d) => d.length > 0);
    assert.deepEqual(sources(diagnostics), ['windows-containers']);
    assert.deepEqual(await labelsAt(client, uri, 3, 0), [], 'no instruction completion');
    assert.ok((await labelsAt(client, uri, 0, 42)).includes('ltsc2025'), 'the Windows tag completion stays');
    client.settings = { upstreamFeatures: 'on' };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.diagnostics(uri, (d) => sources(d).includes('dockerfile-utils'));
    client.settings = undefined;
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.diagnostics(uri, (d) => !sources(d).includes('dockerfile-utils'));
    await client.connection.sendNotification('windowsContainers/otherUpstreamProvider', { active: false });
    await client.diagnostics(uri, (d) => sources(d).includes('dockerfile-utils'));
    assert.ok((await labelsAt(client, uri, 3, 0)).some((l) => l.startsWith('RUN')));
  } finally {
    await client.stop();
  }
});

test('upstreamFeatures: off keeps only the Windows features even alone', async () => {
  const client = await startClient({ settings: { upstreamFeatures: 'off' } });
  try {
    const uri = 'file:///co/off.Dockerfile';
    client.open(uri, TEXT);
    // The window settings arrive after the first validation may have run: wait for the settled state.
    const diagnostics = await client.diagnostics(uri, (d) => d.length > 0 && sources(d).join() === 'windows-containers');
    assert.equal(diagnostics[0].code, 'workdir-bare-drive');
  } finally {
    await client.stop();
  }
});
