/**
 * The fuzzer's findings (test/fixtures-fuzz/, see its README) replayed on the real server: every
 * feature at every line of each file answers within the bound, with a result a client can use,
 * and no handler failure is logged.
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position } from 'vscode-languageserver-protocol';
import { FAILURE_LOG, resultProblem } from '../fuzz/fuzzer';
import { REPO_ROOT, startClient, TestClient, withTimeout } from './lspClient';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures-fuzz');
const BOUND_MS = 3000;

describe('fuzzer findings stay fixed', () => {
  let client: TestClient;
  before(async () => {
    client = await startClient({ settings: { catalogue: { liveRefresh: false } } });
  });
  after(async () => {
    await client.stop();
  });

  const files = fs.readdirSync(FIXTURES).filter((name) => name.endsWith('.Dockerfile'));
  test('there are fixtures', () => assert.ok(files.length >= 10, files.join(', ')));

  for (const name of files) {
    test(name, async () => {
      const text = fs.readFileSync(path.join(FIXTURES, name), 'utf8');
      const uri = `file:///fuzz-fixtures/${name}`;
      const doc = TextDocument.create(uri, 'dockerfile', 1, text);
      const logsBefore = client.logs.length;
      const started = performance.now();
      client.open(uri, text);
      const diagnostics = await client.diagnosticsForVersion(uri, 1, BOUND_MS);
      assert.ok(performance.now() - started < BOUND_MS);
      const textDocument = { uri };
      const options = { tabSize: 4, insertSpaces: true };
      const end = doc.positionAt(text.length);
      const requests: [string, unknown][] = [
        ['textDocument/semanticTokens/full', { textDocument }],
        ['textDocument/documentSymbol', { textDocument }],
        ['textDocument/foldingRange', { textDocument }],
        ['textDocument/documentLink', { textDocument }],
        ['textDocument/formatting', { textDocument, options }],
        [
          'textDocument/codeAction',
          { textDocument, range: { start: { line: 0, character: 0 }, end }, context: { diagnostics } },
        ],
      ];
      for (let line = 0; line < Math.min(doc.lineCount, 50); line++) {
        const length =
          doc.offsetAt({ line, character: Number.MAX_SAFE_INTEGER }) - doc.offsetAt({ line, character: 0 });
        const columns = [
          ...new Set([0, 1, 2, 3, Math.floor(length / 2), length - 1, length, length + 1].filter((c) => c >= 0)),
        ];
        for (const character of columns) {
          const position: Position = { line, character };
          for (const method of [
            'completion',
            'hover',
            'signatureHelp',
            'definition',
            'documentHighlight',
            'prepareRename',
          ]) {
            requests.push([`textDocument/${method}`, { textDocument, position }]);
          }
          requests.push(['textDocument/rename', { textDocument, position, newName: 'X' }]);
          requests.push(['textDocument/onTypeFormatting', { textDocument, position, ch: '\\', options }]);
        }
      }
      for (const [method, params] of requests) {
        const result = await withTimeout(
          client.connection.sendRequest(method, params),
          BOUND_MS,
          `${name}: ${method} ${JSON.stringify((params as { position?: unknown }).position ?? '')}`,
        );
        assert.equal(resultProblem(method, result, doc), undefined, `${method} answers something a client can use`);
      }
      assert.deepEqual(
        client.logs.slice(logsBefore).filter((line) => FAILURE_LOG.test(line)),
        [],
        'no handler failed',
      );
      assert.equal(client.process.exitCode, null, 'the server is still running');
      await client.connection.sendNotification('textDocument/didClose', { textDocument });
    });
  }
});
