/** The document policy every host applies (server/src/service/documentPolicy.ts): the server over LSP is tested in test/lsp/badInput.test.ts. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, TextEdit } from 'vscode-languageserver-types';
import { MAX_ANALYSED_LINE } from '../../server/src/dockerfile/limits';
import {
  createDocumentPolicy,
  MAX_DOCUMENT_BYTES,
  MAX_DOCUMENT_LENGTH,
  NO_ANSWER,
  whyNotAnalysed,
} from '../../server/src/service/documentPolicy';

const FROM = 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\n';

function policyOf(...documents: TextDocument[]) {
  const logs: string[] = [];
  const policy = createDocumentPolicy(
    (message) => void logs.push(message),
    (uri) => documents.find((d) => d.uri === uri),
  );
  return { policy, logs };
}

const edit = (line: number, start: number, end: number, newText = 'x'): TextEdit => ({
  range: { start: { line, character: start }, end: { line, character: end } },
  newText,
});

test('a document is analysed when its language is one the server supports and it is no longer than the limit', () => {
  assert.equal(whyNotAnalysed({ languageId: 'Dockerfile', text: FROM }), undefined);
  assert.equal(whyNotAnalysed({ languageId: 'dockercompose', text: 'services: {}\n' }), undefined);
  assert.deepEqual(whyNotAnalysed({ languageId: 'markdown', text: FROM }), {
    kind: 'language',
    languageId: 'markdown',
  });
  assert.equal(whyNotAnalysed({ text: 'x'.repeat(MAX_DOCUMENT_LENGTH) }), undefined, 'the limit itself is analysed');
  assert.deepEqual(whyNotAnalysed({ text: 'x'.repeat(MAX_DOCUMENT_LENGTH + 1) }), {
    kind: 'size',
    length: MAX_DOCUMENT_LENGTH + 1,
  });
  // Every UTF-16 code unit of a file over MAX_DOCUMENT_BYTES would need more than 3 bytes.
  assert.equal(Buffer.byteLength('\uffff'.repeat(MAX_DOCUMENT_LENGTH), 'utf8'), MAX_DOCUMENT_BYTES);
});

test('a document that is not analysed is logged once, again after it was analysed in between or forgotten', () => {
  let big = TextDocument.create('file:///w/big.Dockerfile', 'dockerfile', 1, FROM + 'x'.repeat(MAX_DOCUMENT_LENGTH));
  const readme = TextDocument.create('file:///w/README.md', 'markdown', 1, FROM);
  const { policy, logs } = policyOf(big, readme);
  assert.equal(policy.analyses(big), false);
  assert.equal(policy.analyses(big), false);
  assert.equal(policy.analyses(readme), false);
  assert.equal(policy.analyses(readme), false);
  assert.deepEqual(logs, [
    `file:///w/big.Dockerfile is not analysed: ${big.getText().length} characters, more than the limit of ${MAX_DOCUMENT_LENGTH}`,
    'file:///w/README.md is not analysed: its language is "markdown", not one this server supports',
  ]);
  const text = big.getText();
  big = TextDocument.update(big, [{ text: FROM }], 2);
  assert.equal(policy.analyses(big), true);
  big = TextDocument.update(big, [{ text }], 3);
  assert.equal(policy.analyses(big), false);
  policy.forget(readme.uri);
  assert.equal(policy.analyses(readme), false);
  assert.equal(logs.length, 4);
});

test('every request has an empty answer a client accepts', () => {
  for (const [name, answer] of Object.entries(NO_ANSWER)) {
    assert.ok(
      answer === null || (Array.isArray(answer) && answer.length === 0) || JSON.stringify(answer) === '{"data":[]}',
      name,
    );
  }
});

test('positions in request params are clamped to the document they name, by textDocument or a command argument', () => {
  const doc = TextDocument.create('file:///w/Dockerfile', 'dockerfile', 1, FROM + 'RUN a\n');
  const { policy } = policyOf(doc);
  const far = { line: 2_147_483_647, character: -3 };
  assert.deepEqual(policy.withinDocument({ textDocument: { uri: doc.uri }, position: far }), {
    textDocument: { uri: doc.uri },
    position: { line: 2, character: 0 },
  });
  assert.deepEqual(
    policy.withinDocument({ command: 'c', arguments: [doc.uri, { start: { line: 1, character: 99 }, end: far }] })
      .arguments[1],
    {
      start: { line: 1, character: 5 },
      end: { line: 2, character: 0 },
    },
  );
  const unopened = { textDocument: { uri: 'file:///w/other' }, position: far };
  assert.equal(policy.withinDocument(unopened), unopened, 'a document that is not open: as they are');
});

test('no edit leaves that touches a blanked part of an over-long line; other edits and documents pass', () => {
  const long = `RUN echo ${'x'.repeat(MAX_ANALYSED_LINE + 100)} end`;
  const doc = TextDocument.create('file:///w/Dockerfile', 'dockerfile', 1, `${FROM}${long}\nWORKDIR C:\n`);
  const short = TextDocument.create('file:///w/short.Dockerfile', 'dockerfile', 1, FROM);
  const { policy } = policyOf(doc, short);
  const inside = edit(1, 9 + MAX_ANALYSED_LINE, 9 + MAX_ANALYSED_LINE + 1);
  const keyword = edit(1, 0, 3, 'run');
  assert.deepEqual(policy.safeEdits(doc.uri, [keyword, inside, edit(2, 0, 0)]), [keyword, edit(2, 0, 0)]);
  const shortEdits = [edit(0, 0, 4, 'from')];
  assert.equal(policy.safeEdits(short.uri, shortEdits), shortEdits, 'no blanked range: the same list');
  assert.equal(policy.allSafe(doc.uri, [keyword]), true);
  assert.equal(policy.allSafe(doc.uri, [keyword, inside]), false);
  const action = (title: string, changes: Record<string, TextEdit[]>): CodeAction => ({ title, edit: { changes } });
  const actions = [
    action('keyword', { [doc.uri]: [keyword] }),
    action('inside', { [doc.uri]: [inside] }),
    action('elsewhere', { [short.uri]: [edit(0, 0, 4)], 'file:///w/closed': [inside] }),
  ];
  assert.deepEqual(
    policy.safeActions(doc.uri, actions).map((a) => a.title),
    ['keyword', 'elsewhere'],
  );
});
