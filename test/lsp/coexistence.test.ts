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
    const diagnostics = await client.diagnostics(
      uri,
      (d) => d.length > 0 && sources(d).join() === 'windows-containers',
    );
    assert.equal(diagnostics[0].code, 'workdir-bare-drive');
  } finally {
    await client.stop();
  }
});

test('compose files beside the other extension: its compose service links image values, so ours are left out; diagnostics, hover and manifests stay', async () => {
  const client = await startClient({ initializationOptions: { otherUpstreamProvider: true } });
  try {
    const links = (uri: string) =>
      withTimeout(
        client.connection.sendRequest('textDocument/documentLink', { textDocument: { uri } }) as Promise<unknown[]>,
        5000,
        'links',
      );
    const compose = 'file:///co/compose.yaml';
    client.open(
      compose,
      'services:\n  app:\n    image: mcr.microsoft.com/windows/servercore:ltsc2022\n    isolation: proces\n',
      1,
      'dockercompose',
    );
    assert.deepEqual(
      (await client.diagnostics(compose)).map((d) => d.code),
      ['compose-isolation-invalid'],
    );
    assert.deepEqual(await links(compose), []);
    const hover = await withTimeout(
      client.connection.sendRequest('textDocument/hover', {
        textDocument: { uri: compose },
        position: { line: 2, character: 20 },
      }),
      5000,
      'hover',
    );
    assert.ok(hover, 'the Windows hover on the image stays');
    const manifest = 'file:///co/pod.yaml';
    client.open(
      manifest,
      'apiVersion: v1\nkind: Pod\nspec:\n  nodeSelector:\n    kubernetes.io/os: windows\n  containers:\n  - name: a\n    image: mcr.microsoft.com/windows/servercore:ltsc2022\n',
      1,
      'yaml',
    );
    await client.diagnostics(manifest);
    assert.equal((await links(manifest)).length, 1, 'manifests keep their link: that extension does not read them');
    await client.connection.sendNotification('windowsContainers/otherUpstreamProvider', { active: false });
    await client.diagnostics(compose);
    assert.equal((await links(compose)).length, 1);
  } finally {
    await client.stop();
  }
});

test('a client that registers formatting and semantic tokens dynamically (VS Code) gets them for Dockerfiles only: no YAML formatter', async () => {
  const dynamic = { dynamicRegistration: true };
  const semanticTokens = {
    dynamicRegistration: true,
    requests: { full: true },
    tokenTypes: [],
    tokenModifiers: [],
    formats: ['relative'],
  };
  const client = await startClient({
    textDocumentCapabilities: {
      formatting: dynamic,
      rangeFormatting: dynamic,
      onTypeFormatting: dynamic,
      semanticTokens,
    },
  });
  try {
    const caps = client.initializeResult.capabilities;
    assert.equal(
      caps.documentFormattingProvider,
      undefined,
      'no static formatting, which would cover every document of the client selector',
    );
    assert.equal(caps.documentRangeFormattingProvider, undefined);
    assert.equal(caps.documentOnTypeFormattingProvider, undefined);
    assert.equal(caps.semanticTokensProvider, undefined);
    const uri = 'file:///co/format.Dockerfile';
    client.open(uri, '   FROM mcr.microsoft.com/windows/servercore:ltsc2022\n');
    await client.diagnostics(uri);
    const formatting = [
      'textDocument/formatting',
      'textDocument/rangeFormatting',
      'textDocument/onTypeFormatting',
      'textDocument/semanticTokens',
    ];
    // The server registers them one after another once initialized; diagnostics may come first (bounded wait).
    const ours = () => client.registrations.filter((r) => formatting.includes(r.method));
    for (const deadline = Date.now() + 5000; ours().length < formatting.length && Date.now() < deadline;)
      await new Promise((resolve) => setTimeout(resolve, 10));
    const registered = ours();
    assert.deepEqual(registered.map((r) => r.method).sort(), [...formatting].sort());
    for (const registration of registered) {
      const selector = (registration.registerOptions as { documentSelector: { language?: string }[] }).documentSelector;
      assert.ok(selector.some((s) => s.language === 'dockerfile'));
      assert.ok(
        !selector.some((s) => s.language === 'yaml' || s.language === 'dockercompose'),
        JSON.stringify(selector),
      );
    }
    const edits = await withTimeout(
      client.connection.sendRequest('textDocument/formatting', {
        textDocument: { uri },
        options: { tabSize: 4, insertSpaces: true },
      }),
      5000,
      'formatting',
    );
    assert.ok(Array.isArray(edits) && edits.length > 0, 'Dockerfiles are still formatted');
  } finally {
    await client.stop();
  }
});
