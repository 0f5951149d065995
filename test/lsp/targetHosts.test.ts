/**
 * Hosts outside Microsoft's compatibility matrix (Windows 11 25H2 and later), over real LSP: the
 * known issue of 25H2 x ltsc2025 is a finding with a fix, hover says which hosts are unverified and
 * lists the known issues, and tag completion puts the tags the target host can run first.
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { CodeAction, CompletionItem, Diagnostic, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { startClient, TestClient, withTimeout } from './lspClient';

const request = <T>(client: TestClient, method: string, params: unknown) =>
  withTimeout(client.connection.sendRequest(method, params) as Promise<T>, 5000, method);

describe("target host Windows 11 25H2 (not in Microsoft's compatibility matrix)", () => {
  let client: TestClient;
  before(async () => {
    client = await startClient({ settings: { targetHost: 'win11-25h2' } });
  });
  after(async () => {
    await client.stop();
  });

  test('ltsc2025 gets the known issue with its error text and sources; the preferred fix moves to ltsc2022', async () => {
    const uri = 'file:///hosts/known.Dockerfile';
    client.open(
      uri,
      'FROM mcr.microsoft.com/windows/servercore:ltsc2025\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\n',
    );
    const diagnostics = await client.diagnostics(uri, (d) => d.some((x) => x.code === 'windows-host-incompatible'));
    const ours = diagnostics.filter((d) => d.code === 'windows-host-incompatible');
    assert.equal(
      ours.length,
      1,
      'ltsc2022 on 25H2 (Hyper-V, the client default) is not flagged: nothing is known against it',
    );
    assert.equal(ours[0].range.start.line, 0);
    assert.match(String(ours[0].message), /not in Microsoft's compatibility matrix/);
    assert.match(String(ours[0].message), /0xc0370112/);
    assert.match(String(ours[0].message), /microsoft\/hcsshim#2566/);
    const actions = await request<CodeAction[]>(client, 'textDocument/codeAction', {
      textDocument: { uri },
      range: ours[0].range,
      context: { diagnostics: [ours[0]] as Diagnostic[] },
    });
    const preferred = actions.find((a) => a.isPreferred);
    assert.ok(preferred, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(preferred.edit?.changes?.[uri]?.[0].newText, 'ltsc2022');
  });

  test('hover on an ltsc2025 image lists the unverified hosts and the known issues with links', async () => {
    const uri = 'file:///hosts/hover.Dockerfile';
    client.open(uri, 'FROM mcr.microsoft.com/windows/nanoserver:ltsc2025\n');
    await client.diagnostics(uri);
    const hover = await request<Hover>(client, 'textDocument/hover', {
      textDocument: { uri },
      position: { line: 0, character: 30 },
    });
    const value = (hover.contents as MarkupContent).value;
    assert.match(
      value,
      /not in Microsoft's compatibility matrix \(unverified\): Windows 11 26H1, Windows 11 26H2, Windows 11 25H2/,
    );
    assert.match(
      value,
      /Windows 11 25H2, either isolation: fails with `hcsshim::PrepareLayer failed in Win32: The container image contains a layer with an unrecognized format\. \(0xc0370112\)` \(open\)/,
    );
    assert.match(value, /\(https:\/\/github\.com\/microsoft\/hcsshim\/issues\/2566\)/);
    assert.match(value, /0xc0370106/, 'the patch-level note of process isolation');
    // The unverified hosts are in no list derived from hcsshim's rule.
    assert.doesNotMatch(value.split('\n').find((l) => l.startsWith('- process isolation:')) ?? '', /25H2|26H1|26H2/);
  });

  test('tag completion: the tags 25H2 can run first, ltsc2025 after them, saying why', async () => {
    const uri = 'file:///hosts/complete.Dockerfile';
    client.open(uri, 'FROM mcr.microsoft.com/windows/servercore:\n');
    await client.diagnostics(uri);
    const items = await request<CompletionItem[]>(client, 'textDocument/completion', {
      textDocument: { uri },
      position: { line: 0, character: 42 },
    });
    const sorted = [...items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''));
    const labels = sorted.map((i) => i.label);
    assert.ok(labels.indexOf('ltsc2022') < labels.indexOf('ltsc2025'), labels.join(', '));
    assert.ok(
      labels.indexOf('ltsc2019') < labels.indexOf('ltsc2025'),
      'older images run under Hyper-V isolation: before the known failure',
    );
    assert.match(
      sorted.find((i) => i.label === 'ltsc2025')?.detail ?? '',
      /known issue on Windows 11 25H2 \(0xc0370112\)/,
    );
    assert.match(
      sorted.find((i) => i.label === 'ltsc2022')?.detail ?? '',
      /Windows 11 25H2: not in Microsoft's compatibility matrix/,
    );
  });
});

test('tag completion with a host in the matrix (Windows Server 2019, process isolation): its tags first', async () => {
  const client = await startClient({ settings: { targetHost: 'ltsc2019' } });
  try {
    const uri = 'file:///hosts/2019.Dockerfile';
    client.open(uri, 'FROM mcr.microsoft.com/windows/servercore:\n');
    await client.diagnostics(uri);
    const items = await request<CompletionItem[]>(client, 'textDocument/completion', {
      textDocument: { uri },
      position: { line: 0, character: 42 },
    });
    const labels = [...items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? '')).map((i) => i.label);
    assert.equal(labels[0], 'ltsc2019', labels.slice(0, 5).join(', '));
    assert.match(
      items.find((i) => i.label === 'ltsc2022')?.detail ?? '',
      /Windows Server 2019 cannot run it with process isolation/,
    );
  } finally {
    await client.stop();
  }
});

test('tag completion in a compose file also puts the tags the target host runs first', async () => {
  const client = await startClient({ settings: { targetHost: 'ltsc2019' } });
  try {
    const uri = 'file:///hosts/compose.yaml';
    const text = 'services:\n  web:\n    image: mcr.microsoft.com/windows/servercore:ltsc2022\n';
    client.open(uri, text, 1, 'dockercompose');
    await client.diagnostics(uri);
    const items = await request<CompletionItem[] | { items: CompletionItem[] }>(client, 'textDocument/completion', {
      textDocument: { uri },
      position: { line: 2, character: '    image: mcr.microsoft.com/windows/servercore:'.length },
    });
    const list = Array.isArray(items) ? items : items.items;
    const labels = [...list].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? '')).map((i) => i.label);
    assert.equal(labels[0], 'ltsc2019', labels.slice(0, 5).join(', '));
    assert.match(
      list.find((i) => i.label === 'ltsc2022')?.detail ?? '',
      /Windows Server 2019 cannot run it with process isolation/,
    );
  } finally {
    await client.stop();
  }
});
