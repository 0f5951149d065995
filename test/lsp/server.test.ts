/** The bundled server (`dist/server.js --stdio`) over real LSP. */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type {
  CodeAction,
  CompletionItem,
  Diagnostic,
  Hover,
  InitializeResult,
  TextEdit,
} from 'vscode-languageserver-protocol';
import {
  createProtocolConnection,
  SocketMessageReader,
  SocketMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { SERVER, startClient, TestClient, withTimeout } from './lspClient';

const WINDOWS =
  'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR \\app\nRUN setx /M PATH C:\\\\Windows\\\\System32\\\\\nCOPY a b c:/dest/\nmaintainer me\nWORKDIR C:\n';
const request = <T>(client: TestClient, method: string, params: unknown) =>
  withTimeout(client.connection.sendRequest(method, params) as Promise<T>, 5000, method);
const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => `${d.source}:${d.code}`).sort();

describe('language server over stdio', () => {
  let client: TestClient;
  before(async () => {
    client = await startClient();
  });
  after(async () => {
    await client.stop();
  });

  test('initialize answers with every capability', () => {
    const caps = client.initializeResult.capabilities;
    assert.equal(client.initializeResult.serverInfo?.name, 'windows-containers-langserver');
    assert.equal(caps.textDocumentSync, 2, 'incremental sync');
    assert.equal((caps.completionProvider as { resolveProvider: boolean }).resolveProvider, true);
    for (const key of [
      'hoverProvider',
      'signatureHelpProvider',
      'definitionProvider',
      'documentHighlightProvider',
      'documentSymbolProvider',
      'foldingRangeProvider',
      'documentFormattingProvider',
      'documentRangeFormattingProvider',
      'documentOnTypeFormattingProvider',
      'codeActionProvider',
      'executeCommandProvider',
    ] as const) {
      assert.ok(caps[key], key);
    }
    assert.deepEqual(caps.renameProvider, { prepareProvider: true });
    assert.deepEqual(caps.documentLinkProvider, { resolveProvider: true });
    assert.equal((caps.semanticTokensProvider as { full: boolean }).full, true);
    assert.ok((caps.executeCommandProvider?.commands ?? []).every((c) => c.startsWith('windowsContainers.')));
  });

  test('diagnostics: upstream checks and Windows rules, no Windows false positives', async () => {
    client.open('file:///w/Dockerfile', WINDOWS);
    const diagnostics = await client.diagnostics('file:///w/Dockerfile');
    assert.deepEqual(codes(diagnostics), [
      'dockerfile-utils:0',
      'dockerfile-utils:45',
      'windows-containers:workdir-bare-drive',
    ]);
    const bare = diagnostics.find((d) => d.code === 'workdir-bare-drive')!;
    assert.equal(bare.severity, 1);
    assert.match(bare.codeDescription!.href, /docs\/rules\/workdir-bare-drive\.md$/);
    assert.ok(
      client.configurationRequests.includes('windowsContainers@file:///w/Dockerfile'),
      'settings are pulled per document',
    );
  });

  test('incremental edits re-validate', async () => {
    const uri = 'file:///w/edit.Dockerfile';
    client.open(uri, 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR C:\n');
    await client.diagnostics(uri, (d) => d.length === 1);
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 1, character: 10 }, end: { line: 1, character: 10 } }, text: '\\\\' }],
    });
    await client.diagnostics(uri, (d) => d.length === 0);
  });

  test('an out-of-support .NET image: the finding, its lightbulb fix and the hover with the facts date', async () => {
    // .NET 8 ended on 2026-11-10: true on any day the server's clock can show from now on.
    const uri = 'file:///w/product.Dockerfile';
    client.open(uri, 'FROM mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022\n');
    const diagnostics = await client.diagnostics(uri, (d) => d.some((x) => x.code === 'product-end-of-support'));
    const finding = diagnostics.find((d) => d.code === 'product-end-of-support')!;
    assert.match(
      typeof finding.message === 'string' ? finding.message : finding.message.value,
      /is \.NET 8\.0, whose support ended on 2026-11-10/,
    );
    const actions = await request<CodeAction[]>(client, 'textDocument/codeAction', {
      textDocument: { uri },
      range: finding.range,
      context: { diagnostics: [finding], only: ['quickfix'] },
    });
    const preferred = actions.find((a) => a.isPreferred);
    assert.deepEqual(
      preferred?.edit?.changes?.[uri]?.map((e: TextEdit) => e.newText),
      ['10.0-nanoserver-ltsc2022'],
    );
    const hover = await request<Hover>(client, 'textDocument/hover', {
      textDocument: { uri },
      position: { line: 0, character: 40 },
    });
    const text = JSON.stringify(hover.contents);
    assert.match(text, /out of support since 2026-11-10/);
    assert.match(text, /Catalogue facts checked 2026-12-06/);
  });

  test('code actions carry a WorkspaceEdit, for upstream and Windows diagnostics', async () => {
    const uri = 'file:///w/Dockerfile';
    const diagnostics = await client.diagnostics(uri);
    const actions = await request<CodeAction[]>(client, 'textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 6, character: 0 } },
      context: { diagnostics, only: ['quickfix'] },
    });
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Convert instruction to uppercase'), titles.join(', '));
    assert.ok(titles.includes('Change WORKDIR to C:\\\\'), titles.join(', '));
    for (const action of actions) {
      assert.equal(action.kind, 'quickfix');
      assert.equal(action.command, undefined, 'no command round trip');
      assert.ok(action.edit?.changes?.[uri]?.length, `${action.title} has edits`);
    }
    const upper = actions.find((a) => a.title === 'Convert instruction to uppercase')!;
    assert.deepEqual(upper.edit!.changes![uri], [
      { range: { start: { line: 4, character: 0 }, end: { line: 4, character: 10 } }, newText: 'MAINTAINER' },
    ]);
  });

  test('every feature answers', async () => {
    const uri = 'file:///w/features.Dockerfile';
    const text =
      'ARG TAG=ltsc2022\nFROM mcr.microsoft.com/windows/servercore:${TAG} AS build\n  RUN dir \\\n   && echo hi\nCOPY --from=build C:\\\\a C:\\\\b\\\\\nHEALTHCHECK --interval=5s CMD ping localhost\n';
    client.open(uri, text);
    await client.diagnostics(uri);
    const doc = { textDocument: { uri } };
    const at = (line: number, character: number) => ({ ...doc, position: { line, character } });

    const completion = await request<CompletionItem[]>(client, 'textDocument/completion', at(6, 0));
    assert.ok(
      completion.some((i) => i.label.startsWith('WORKDIR')),
      'instruction completion: ' + JSON.stringify(completion).slice(0, 300),
    );
    const resolved = await request<CompletionItem>(
      client,
      'completionItem/resolve',
      completion.find((i) => i.label.startsWith('WORKDIR')),
    );
    assert.ok(resolved.documentation, 'resolve adds documentation');
    const hover = await request<Hover>(client, 'textDocument/hover', at(1, 1));
    assert.match(JSON.stringify(hover.contents), /Set the `baseImage`/);
    const signature = await request<{ signatures: unknown[] }>(client, 'textDocument/signatureHelp', at(5, 14));
    assert.ok(signature.signatures.length > 0, 'signature help on HEALTHCHECK flags');
    const definition = await request<{ range: unknown }>(client, 'textDocument/definition', at(1, 46));
    assert.deepEqual(definition.range, { start: { line: 0, character: 4 }, end: { line: 0, character: 7 } });
    const highlights = await request<unknown[]>(client, 'textDocument/documentHighlight', at(1, 46));
    assert.equal(highlights.length, 2);
    const symbols = await request<{ name: string }[]>(client, 'textDocument/documentSymbol', doc);
    assert.ok(symbols.some((s) => s.name === 'FROM'));
    const folding = await request<unknown[]>(client, 'textDocument/foldingRange', doc);
    assert.ok(folding.length >= 1);
    const options = { tabSize: 4, insertSpaces: true };
    const formatting = await request<TextEdit[]>(client, 'textDocument/formatting', { ...doc, options });
    assert.ok(
      formatting.some((e) => e.range.start.line === 2 && e.newText === ''),
      'removes the indentation of RUN',
    );
    const rangeFormatting = await request<TextEdit[]>(client, 'textDocument/rangeFormatting', {
      ...doc,
      options,
      range: { start: { line: 2, character: 0 }, end: { line: 3, character: 0 } },
    });
    assert.ok(rangeFormatting.length >= 1);
    const onType = await request<TextEdit[] | null>(client, 'textDocument/onTypeFormatting', {
      ...at(2, 11),
      ch: '\\',
      options,
    });
    assert.ok(Array.isArray(onType));
    const prepare = await request<unknown>(client, 'textDocument/prepareRename', at(0, 5));
    assert.deepEqual(prepare, { start: { line: 0, character: 4 }, end: { line: 0, character: 7 } });
    const rename = await request<{ changes: Record<string, TextEdit[]> }>(client, 'textDocument/rename', {
      ...at(0, 5),
      newName: 'VERSION',
    });
    assert.equal(rename.changes[uri].length, 2);
    const links = await request<{ target?: string; data?: unknown }[]>(client, 'textDocument/documentLink', doc);
    assert.ok(links.length >= 1, 'a link for the FROM image');
    const resolvedLink = await request<{ target?: string }>(client, 'documentLink/resolve', links[0]);
    assert.ok(resolvedLink.target === undefined || typeof resolvedLink.target === 'string');
    const tokens = await request<{ data: number[] }>(client, 'textDocument/semanticTokens/full', doc);
    assert.ok(tokens.data.length > 0 && tokens.data.length % 5 === 0);
  });

  test('the escaped trailing backslash does not swallow the next instruction', async () => {
    const uri = 'file:///w/escaped.Dockerfile';
    client.open(uri, 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCOPY a C:\\\\app\\\\\nRUN dir\n');
    const symbols = await request<{ name: string }[]>(client, 'textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(
      symbols.map((s) => s.name),
      ['FROM', 'COPY', 'RUN'],
    );
    const formatting = await request<TextEdit[]>(client, 'textDocument/formatting', {
      textDocument: { uri },
      options: { tabSize: 4, insertSpaces: true },
    });
    assert.deepEqual(formatting, [], 'RUN is not indented as a continuation line');
  });

  test('a changed setting re-validates open documents', async () => {
    const uri = 'file:///w/settings.Dockerfile';
    client.open(uri, 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nrun dir\n');
    await client.diagnostics(uri, (d) => d.length === 1);
    client.settings = { diagnostics: { instructionCasing: 'ignore' } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.diagnostics(uri, (d) => d.length === 0);
    client.settings = undefined;
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.diagnostics(uri, (d) => d.length === 1);
  });

  test('executeCommand runs an upstream command through workspace/applyEdit; unknown commands are refused', async () => {
    const uri = 'file:///w/Dockerfile';
    await request(client, 'workspace/executeCommand', {
      command: 'windowsContainers.upstream.convertToUppercase',
      arguments: [uri, { start: { line: 4, character: 0 }, end: { line: 4, character: 10 } }],
    });
    assert.equal(client.appliedEdits.length, 1);
    assert.match(JSON.stringify(client.appliedEdits[0]), /MAINTAINER/);
    await assert.rejects(
      request(client, 'workspace/executeCommand', { command: 'nope', arguments: [] }),
      /Unknown command nope/,
    );
    await assert.rejects(
      request(client, 'workspace/executeCommand', {
        command: 'windowsContainers.upstream.convertToUppercase',
        arguments: [],
      }),
      /open document/,
    );
  });

  test('windowsContainers.switchBaseImage returns the WorkspaceEdit; refused combinations answer an error with the reason', async () => {
    const uri = 'file:///w/switch.Dockerfile';
    client.open(
      uri,
      'FROM mcr.microsoft.com/windows/servercore:ltsc2019 AS build\nFROM mcr.microsoft.com/windows/nanoserver:1809\n',
    );
    await client.diagnostics(uri);
    const edit = await request<{ changes: Record<string, TextEdit[]> }>(client, 'workspace/executeCommand', {
      command: 'windowsContainers.switchBaseImage',
      arguments: [{ uri, version: 'ltsc2025' }],
    });
    assert.deepEqual(
      edit.changes[uri].map((e) => e.newText),
      ['mcr.microsoft.com/windows/servercore:ltsc2025', 'mcr.microsoft.com/windows/nanoserver:ltsc2025'],
    );
    await assert.rejects(
      request(client, 'workspace/executeCommand', {
        command: 'windowsContainers.switchBaseImage',
        arguments: [{ uri, version: 'ltsc2022', family: 'windows' }],
      }),
      /Unknown image family windows/,
    );
    await assert.rejects(
      request(client, 'workspace/executeCommand', {
        command: 'windowsContainers.switchBaseImage',
        arguments: [{ uri }],
      }),
      /takes \[\{ "uri"/,
    );
    const actions = await request<CodeAction[]>(client, 'textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } },
      context: { diagnostics: [], only: ['refactor'] },
    });
    assert.deepEqual(
      actions.map((a) => a.title),
      ['Switch the Windows base images to ltsc2025', 'Switch the Windows base images to ltsc2022'],
    );
    assert.ok(actions.every((a) => a.kind === 'refactor.rewrite' && a.edit?.changes?.[uri]?.length === 2));
  });

  test('windowsContainers.switchBaseImage tells "no Windows image here" from "already there", and labels a product version that moves', async () => {
    const linux = 'file:///w/linux.Dockerfile';
    client.open(
      linux,
      'FROM node:20-alpine AS web\nFROM mcr.microsoft.com/dotnet/aspnet:8.0\nCOPY --from=web /app /app\n',
    );
    await client.diagnostics(linux);
    const switchTo = (uri: string, version: string) =>
      request<Record<string, unknown>>(client, 'workspace/executeCommand', {
        command: 'windowsContainers.switchBaseImage',
        arguments: [{ uri, version }],
      });
    await assert.rejects(
      switchTo(linux, 'ltsc2025'),
      /Nothing to switch to ltsc2025: this file names no Windows image \(its images: node:20-alpine, mcr\.microsoft\.com\/dotnet\/aspnet:8\.0\)/,
    );
    const current = 'file:///w/current.Dockerfile';
    client.open(current, 'FROM mcr.microsoft.com/windows/servercore:ltsc2025\n');
    await client.diagnostics(current);
    assert.deepEqual(await switchTo(current, 'ltsc2025'), { changes: { [current]: [] } });
    const framework = 'file:///w/framework.Dockerfile';
    client.open(framework, 'FROM mcr.microsoft.com/dotnet/framework/sdk:4.8.1-windowsservercore-ltsc2022\n', 3);
    await client.diagnostics(framework);
    const edit = (await switchTo(framework, 'ltsc2019')) as {
      documentChanges: {
        textDocument: { uri: string; version: number };
        edits: (TextEdit & { annotationId?: string })[];
      }[];
      changeAnnotations: Record<string, { label: string }>;
    };
    assert.deepEqual(
      edit.documentChanges.map((c) => c.textDocument),
      [{ uri: framework, version: 3 }],
    );
    const [change] = edit.documentChanges[0].edits;
    assert.equal(change.newText, 'mcr.microsoft.com/dotnet/framework/sdk:4.8-windowsservercore-ltsc2019');
    assert.match(
      edit.changeAnnotations[change.annotationId!].label,
      /^line 1: \.NET Framework SDK 4\.8\.1 → 4\.8, the version published for Windows Server 2019/,
    );
    for (const uri of [linux, current, framework])
      await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  });

  test('a document of another language gets nothing: no diagnostics, hover, completion, code actions or symbols', async () => {
    const markdown = 'file:///w/README.md';
    const dockerfile = 'file:///w/README.Dockerfile';
    client.open(markdown, WINDOWS, 1, 'markdown');
    client.open(dockerfile, WINDOWS, 1, 'Dockerfile');
    // The same text as a Dockerfile (the language id in any case) is analysed: the control.
    assert.ok((await client.diagnostics(dockerfile, (d) => d.length > 0)).length > 0);
    assert.deepEqual(await client.diagnostics(markdown), []);
    const at = { textDocument: { uri: markdown }, position: { line: 0, character: 8 } };
    assert.equal(await request(client, 'textDocument/hover', at), null);
    assert.deepEqual(await request(client, 'textDocument/completion', at), []);
    assert.deepEqual(await request(client, 'textDocument/documentSymbol', { textDocument: { uri: markdown } }), []);
    const everything = { start: { line: 0, character: 0 }, end: { line: 6, character: 0 } };
    assert.deepEqual(
      await request(client, 'textDocument/codeAction', {
        textDocument: { uri: markdown },
        range: everything,
        context: { diagnostics: [] },
      }),
      [],
    );
    await assert.rejects(
      request(client, 'workspace/executeCommand', {
        command: 'windowsContainers.switchBaseImage',
        arguments: [{ uri: markdown, version: 'ltsc2025' }],
      }),
      /not an open Dockerfile/,
    );
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: markdown } });
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: dockerfile } });
  });

  test('closing a document clears its diagnostics', async () => {
    const uri = 'file:///w/edit.Dockerfile';
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await client.diagnostics(uri, (d) => d.length === 0);
  });
});

describe('language server without workspace/configuration', () => {
  test('takes settings pushed with didChangeConfiguration', async () => {
    const client = await startClient({ pullConfiguration: false });
    try {
      const uri = 'file:///p/Dockerfile';
      client.open(uri, 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nrun dir\n');
      await client.diagnostics(uri, (d) => d.length === 1);
      await client.connection.sendNotification('workspace/didChangeConfiguration', {
        settings: { windowsContainers: { diagnostics: { instructionCasing: 'error' } } },
      });
      await client.diagnostics(uri, (d) => d.length === 1 && d[0].severity === 1);
      assert.deepEqual(client.configurationRequests, []);
    } finally {
      await client.stop();
    }
  });
});

test('with --code-cache-dir the server writes V8 code cache at exit and answers the same from it', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wc-lsp-code-cache-'));
  try {
    const text = 'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nRUN powershell -Command Write-Host hi\n';
    const diagnose = async () => {
      const started = await startClient({ args: ['--code-cache-dir', dir] });
      const uri = 'file:///code-cache/Dockerfile';
      started.open(uri, text);
      const diagnostics = await started.diagnosticsForVersion(uri, 1);
      // Shut down as VS Code does, and wait for the process to end (the cache is written at exit).
      const exited = new Promise<void>((resolve) => started.process.once('exit', () => resolve()));
      await withTimeout(started.connection.sendRequest('shutdown'), 5000, 'shutdown');
      await started.connection.sendNotification('exit');
      await withTimeout(exited, 5000, 'the server process to exit');
      started.connection.dispose();
      return diagnostics.map((d) => `${d.code} ${d.range.start.line}:${d.range.start.character}`).sort();
    };
    const first = await diagnose();
    const written = fs.readdirSync(dir);
    assert.equal(written.length, 1);
    assert.match(written[0], /^server-[0-9a-f]{16}\.v8cache$/);
    assert.ok(
      first.some((d) => d.startsWith('nanoserver-powershell')),
      first.join(', '),
    );
    const mtime = fs.statSync(path.join(dir, written[0])).mtimeMs;
    assert.deepEqual(await diagnose(), first);
    assert.deepEqual(fs.readdirSync(dir), written);
    assert.equal(
      fs.statSync(path.join(dir, written[0])).mtimeMs,
      mtime,
      'a cache that was read is not rewritten by a session that compiled nothing more',
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a started server has not loaded the node modules esbuild.mjs defers (crypto, http, https, tls, child_process)', async () => {
  const client = await startClient({ env: { WINDOWS_CONTAINERS_TEST_HOOKS: '1' } });
  try {
    const uri = 'file:///startup/Dockerfile';
    client.open(uri, 'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nRUN powershell -Command Write-Host hi\n');
    await client.diagnosticsForVersion(uri, 1);
    await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line: 1, character: 1 },
    });
    await client.connection.sendRequest('textDocument/completion', {
      textDocument: { uri },
      position: { line: 0, character: 40 },
    });
    const loaded = await withTimeout(
      client.connection.sendRequest('windowsContainers/test/builtinModules') as Promise<string[]>,
      5000,
      'builtinModules',
    );
    assert.ok(loaded.includes('fs') && loaded.includes('path'), `the hook lists node's modules: ${loaded.join(' ')}`);
    assert.deepEqual(
      loaded.filter((id) => ['crypto', 'http', 'https', 'tls', 'child_process'].includes(id)),
      [],
    );
  } finally {
    await client.stop();
  }
});

test("the server speaks LSP over --socket (vscode-jsonrpc reaches node:net through the bundle's first-use proxy)", async () => {
  const listener = net.createServer();
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const port = (listener.address() as net.AddressInfo).port;
  const accepted = new Promise<net.Socket>((resolve) => listener.once('connection', resolve));
  const child = spawn(process.execPath, [SERVER, `--socket=${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    const socket = await withTimeout(accepted, 10000, 'the server to connect');
    const connection = createProtocolConnection(new SocketMessageReader(socket), new SocketMessageWriter(socket));
    connection.listen();
    const result = (await withTimeout(
      connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} }),
      10000,
      'initialize',
    )) as InitializeResult;
    assert.ok(result.capabilities.hoverProvider, 'the server answered initialize with its capabilities');
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await withTimeout(connection.sendRequest('shutdown'), 5000, 'shutdown');
    await connection.sendNotification('exit');
    assert.equal(await withTimeout(exited, 5000, 'the server to exit'), 0);
    connection.dispose();
  } finally {
    child.kill();
    listener.close();
  }
});
