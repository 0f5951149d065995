/** The bounds on what the analysis reads (server/src/dockerfile/limits.ts). */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { normaliseSettings } from '../../common/settings';
import { parseDocument } from '../../server/src/dockerfile/document';
import {
  blankedRanges,
  boundLineLengths,
  editIsSafe,
  guardParserText,
  loneCarriageReturnsAsLineFeeds,
  MAX_ANALYSED_LINE,
} from '../../server/src/dockerfile/limits';
import { service, snapshot } from './helpers';

test('short lines are left alone, and the text is not copied', () => {
  const text = 'FROM a\nRUN ' + 'x'.repeat(MAX_ANALYSED_LINE - 4) + '\n';
  assert.deepEqual(blankedRanges(text), []);
  assert.equal(boundLineLengths(text), text);
});

test('a long line keeps its indentation, its first characters and its last one; the rest becomes blanks', () => {
  const line = '  RUN ' + 'abcdefgh'.repeat(10) + ' \\';
  const text = `FROM a\r\n${line}\r\n  b\r\n`;
  const bounded = boundLineLengths(text, 20);
  assert.equal(bounded.length, text.length);
  assert.equal(bounded.split('\r\n').length, text.split('\r\n').length);
  const boundedLine = bounded.split('\r\n')[1];
  assert.equal(boundedLine.slice(0, 22), line.slice(0, 22), 'indentation and 20 characters after it');
  assert.match(boundedLine.slice(22), /^ +\\$/, 'blanks, then the last character: still a line continuation');
  assert.deepEqual(blankedRanges(text, 20), [{ start: 8 + 22, end: 8 + line.length - 1 }]);
});

test('a long line of blanks, or indentation longer than the cap, is not blanked (it already is)', () => {
  const text = 'FROM a\n' + ' '.repeat(100) + 'RUN x\n' + ' '.repeat(100) + '\n';
  assert.equal(boundLineLengths(text, 20).split('\n')[1].trimStart().startsWith('RUN x'), true);
  assert.deepEqual(blankedRanges(' '.repeat(100), 20), []);
});

test('lone carriage returns become line feeds; CRLF stays', () => {
  assert.equal(loneCarriageReturnsAsLineFeeds('a\rb\r\nc\r'), 'a\nb\r\nc\n');
  assert.equal(guardParserText('RUN a \\\rb'), 'RUN a \\\nb');
  const text = 'FROM a\rRUN b\r';
  assert.equal(loneCarriageReturnsAsLineFeeds(text).length, text.length);
  assert.equal(loneCarriageReturnsAsLineFeeds('no breaks'), 'no breaks');
});

test('edits that touch a blanked range are unsafe; edits beside them are safe', () => {
  const text = 'RUN ' + 'x'.repeat(100) + '\nWORKDIR C:\n';
  const ranges = blankedRanges(text, 20);
  const doc = TextDocument.create('file:///x', 'dockerfile', 1, text);
  const offsetAt = (p: { line: number; character: number }) => doc.offsetAt(p);
  const edit = (line: number, start: number, end: number) => ({
    range: { start: { line, character: start }, end: { line, character: end } },
    newText: '',
  });
  assert.equal(editIsSafe(ranges, offsetAt, edit(0, 0, 3)), true, 'the keyword');
  assert.equal(editIsSafe(ranges, offsetAt, edit(0, 0, 104)), false, 'the whole line');
  assert.equal(editIsSafe(ranges, offsetAt, edit(0, 50, 50)), false, 'an insertion inside');
  assert.equal(editIsSafe(ranges, offsetAt, edit(1, 0, 10)), true, 'the next line');
  assert.equal(editIsSafe([], offsetAt, edit(0, 0, 104)), true, 'no blanked range');
});

test('a document with a 500 KB line: positions stay valid, formatting changes only leading blanks', () => {
  const long = 'RUN echo ' + 'y '.repeat(250_000);
  const text = `FROM mcr.microsoft.com/windows/servercore:ltsc2022\n    ${long}\n      WORKDIR C:\n`;
  const parsed = parseDocument(snapshot(text));
  assert.equal(parsed.parserText.length, text.length);
  assert.deepEqual(
    parsed.dockerfile.getInstructions().map((i) => i.getKeyword()),
    ['FROM', 'RUN', 'WORKDIR'],
  );
  const doc = TextDocument.create('file:///x', 'dockerfile', 1, text);
  const edits = service.format(snapshot(text), { tabSize: 4, insertSpaces: true }, normaliseSettings(undefined));
  const formatted = TextDocument.applyEdits(doc, edits);
  assert.equal(formatted.replace(/[ \t]/g, ''), text.replace(/[ \t]/g, ''), 'no character but blanks changes');
  assert.ok(formatted.startsWith(`FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN echo y y`));
});
