/**
 * Hostile compose files and manifests over real LSP (issue 21 "Bad input"): invalid YAML, anchors
 * and aliases (a "billion laughs", an alias to its own anchor, merge keys that refer to each
 * other), deep nesting, huge and multi-document files with a broken document. The server answers
 * every request within a bound and stays up, no handler fails, and the sound documents of a file
 * still get their findings.
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { FAILURE_LOG } from '../fuzz/fuzzer';
import { startClient, TestClient, withTimeout } from './lspClient';

const REQUEST_BOUND_MS = 5000;
const DIAGNOSTICS_BOUND_MS = 10_000;

/** A Windows pod without an OS selector: kubernetes-windows-node-selector fires on it. */
const WINDOWS_POD =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: w\nspec:\n  containers:\n  - name: app\n    image: mcr.microsoft.com/windows/servercore:ltsc2022\n';
const DEPLOYMENT = (i: number) =>
  `---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d${i}\nspec:\n  template:\n    spec:\n      containers:\n      - name: a\n        image: mcr.microsoft.com/windows/servercore:ltsc2019\n`;

interface Case {
  readonly text: () => string;
  readonly languageId: 'yaml' | 'dockercompose';
  /** Rule ids that must still be reported (the sound documents' findings). */
  readonly expect: readonly string[];
}

const CASES: Record<string, Case> = {
  'invalid YAML (tabs, unclosed brackets, bad indentation)': {
    languageId: 'yaml',
    expect: [],
    text: () => 'apiVersion: v1\nkind: Pod\nspec:\n\tcontainers: [\n  - image: "unclosed\n   bad: : :\n',
  },
  'multi-document, a broken document between two sound ones': {
    languageId: 'yaml',
    expect: ['kubernetes-windows-node-selector', 'kubernetes-windows-node-selector'],
    text: () => `${WINDOWS_POD}---\napiVersion: v1\nkind: Pod\nspec: {containers: [\n---\n${WINDOWS_POD}`,
  },
  'billion laughs': {
    languageId: 'yaml',
    expect: ['kubernetes-windows-node-selector'],
    text: () =>
      'a0: &a0 [x,x,x,x,x,x,x,x,x,x]\n' +
      Array.from({ length: 9 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(',')}]\n`).join('') +
      '---\n' +
      WINDOWS_POD,
  },
  'an alias to its own anchor, merge keys that refer to each other': {
    languageId: 'dockercompose',
    expect: ['compose-isolation-invalid'],
    text: () =>
      'services:\n  a: &a\n    <<: *b\n  b: &b\n    <<: *a\n  c: &c\n    volumes: &v [*v]\n    <<: *c\n  d:\n    image: mcr.microsoft.com/windows/nanoserver:ltsc2022\n    isolation: hyper-v\n',
  },
  'merge keys and aliases in a compose file (the image comes through them)': {
    languageId: 'dockercompose',
    expect: ['windows-image-untagged'],
    text: () =>
      'x-common: &common\n  image: mcr.microsoft.com/windows/servercore\nservices:\n  app:\n    <<: *common\n',
  },
  '100,000 nested flow sequences beside a sound document': {
    languageId: 'yaml',
    expect: ['kubernetes-windows-node-selector'],
    text: () => `${WINDOWS_POD}---\napiVersion: v1\nkind: Pod\nspec: ${'['.repeat(100_000)}\n`,
  },
  '700 levels of block nesting': {
    languageId: 'yaml',
    expect: [],
    text: () =>
      'apiVersion: v1\nkind: Pod\nspec:\n' +
      Array.from({ length: 700 }, (_, i) => `${' '.repeat(i + 1)}a:`).join('\n') +
      '\n',
  },
  '250 KB of Windows Deployments (under the YAML limit)': {
    languageId: 'yaml',
    expect: Array(1000).fill('kubernetes-windows-node-selector'),
    text: () =>
      Array.from({ length: 1000 }, (_, i) => DEPLOYMENT(i))
        .join('')
        .slice(0, 256 * 1024),
  },
  '400 KB manifest (over the YAML limit: not analysed)': {
    languageId: 'yaml',
    expect: [],
    text: () => Array.from({ length: 2000 }, (_, i) => DEPLOYMENT(i)).join(''),
  },
  'binary as YAML': {
    languageId: 'yaml',
    expect: [],
    text: () =>
      'apiVersion: v1\nkind: Pod\n' +
      Array.from({ length: 65536 }, (_, i) => String.fromCharCode((i * 7919) % 65536)).join(''),
  },
  'NUL bytes in a compose file': {
    languageId: 'dockercompose',
    expect: [],
    text: () => 'services:\n  a:\n    image: "\u0000\u0000"\n    volumes:\n      - "\u0000:\u0000"\n',
  },
  empty: { languageId: 'dockercompose', expect: [], text: () => '' },
};

describe('hostile compose files and manifests: answered within bounds, the server stays up', () => {
  let client: TestClient;
  before(async () => {
    client = await startClient({ settings: { catalogue: { liveRefresh: false } } });
  });
  after(async () => {
    await client.stop();
  });

  for (const [name, item] of Object.entries(CASES)) {
    test(name, async () => {
      const text = item.text();
      const uri = `file:///bad-yaml/${encodeURIComponent(name)}/${item.languageId === 'dockercompose' ? 'compose.yaml' : 'manifest.yaml'}`;
      client.open(uri, text, 1, item.languageId);
      const diagnostics: Diagnostic[] = await client.diagnosticsForVersion(uri, 1, DIAGNOSTICS_BOUND_MS);
      const counted = item.expect.length > 50 ? diagnostics.filter((d) => d.code === item.expect[0]).length : undefined;
      if (counted !== undefined) assert.ok(counted > 100, `${counted} findings on the Deployments`);
      else assert.deepEqual(diagnostics.map((d) => String(d.code)).sort(), [...item.expect].sort());
      const lines = text.split(/\r\n|\r|\n/);
      const last = { line: lines.length - 1, character: lines[lines.length - 1].length };
      const positions = [{ line: 0, character: 0 }, { line: Math.min(4, last.line), character: 3 }, last];
      const requests: [string, unknown][] = [
        ['textDocument/documentLink', { textDocument: { uri } }],
        [
          'textDocument/codeAction',
          {
            textDocument: { uri },
            range: { start: positions[0], end: last },
            context: { diagnostics: diagnostics.slice(0, 100) },
          },
        ],
        ['textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } }],
        ...positions.flatMap((position): [string, unknown][] => [
          ['textDocument/hover', { textDocument: { uri }, position }],
          ['textDocument/completion', { textDocument: { uri }, position }],
        ]),
      ];
      for (const [method, params] of requests)
        await withTimeout(client.connection.sendRequest(method, params), REQUEST_BOUND_MS, `${name}: ${method}`);
      assert.equal(client.process.exitCode, null, 'the server is still running');
      assert.deepEqual(
        client.logs.filter((l) => FAILURE_LOG.test(l)),
        [],
        'no handler failed',
      );
    });
  }
});
