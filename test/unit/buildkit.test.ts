import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { DockerfileParser } from 'dockerfile-ast';
import {
  escapedEscapeAtLineEnd,
  readEscapeDirective,
  shellWordValue,
  toParserText,
} from '../../server/src/dockerfile/buildkit';
import { withoutEmptyTokens } from '../../server/src/service/languageService';

test('readEscapeDirective follows BuildKit: only leading directive lines count', () => {
  assert.deepEqual(readEscapeDirective('# escape=`\nFROM x'), { escapeChar: '`', line: 0 });
  assert.deepEqual(readEscapeDirective('# syntax=docker/dockerfile:1\n#ESCAPE = `\nFROM x'), {
    escapeChar: '`',
    line: 1,
  });
  assert.deepEqual(readEscapeDirective('\ufeff# escape=`\r\nFROM x'), { escapeChar: '`', line: 0 });
  assert.equal(readEscapeDirective('FROM x\n# escape=`'), undefined);
  assert.equal(readEscapeDirective('# a comment\n# escape=`\nFROM x'), undefined, 'a comment ends the directives');
  assert.equal(readEscapeDirective('\n# escape=`\nFROM x'), undefined, 'a blank line ends the directives');
  assert.equal(readEscapeDirective('# escape=x\nFROM x'), undefined, 'only \\ and ` are escape characters');
  assert.equal(readEscapeDirective(''), undefined);
});

test('readEscapeDirective agrees with dockerfile-ast on the escape character', () => {
  for (const text of [
    '# escape=`\nFROM x',
    '# escape=\\\nFROM x',
    '#escape=`\nFROM x',
    '# syntax=a\n# escape=`\n',
    'FROM x',
  ]) {
    const ours = readEscapeDirective(text)?.escapeChar ?? '\\';
    assert.equal(ours, DockerfileParser.parse(text).getEscapeCharacter(), JSON.stringify(text));
  }
});

test('escapedEscapeAtLineEnd implements ([^\\\\])\\\\[ \\t]*$|^\\\\[ \\t]*$ (a continuation only for a single trailing escape)', () => {
  const at = (line: string, escape: '\\' | '`' = '\\') => escapedEscapeAtLineEnd(line, 0, line.length, escape);
  assert.equal(at('RUN a \\'), undefined, 'single escape: a continuation, nothing to correct');
  assert.equal(at('\\'), undefined);
  assert.equal(at('RUN dir c:\\\\'), 10);
  assert.equal(at('RUN dir c:\\\\  \t'), 10, 'trailing blanks are ignored');
  assert.equal(at('x \\\\\\'), 2, 'three escapes: still not a continuation in BuildKit');
  assert.equal(at('ENV X=C:\\app``', '`'), 12);
  assert.equal(at('ENV X=C:\\app`', '`'), undefined);
  assert.equal(at('ENV X=C:\\app\\\\', '`'), undefined, 'backslashes are plain under the backtick escape');
});

test('toParserText keeps length and lines and ends the instruction where BuildKit does', () => {
  const text = 'FROM x\r\nRUN a C:\\\\\r\nCOPY a b c/\n# comment \\\\\nRUN b \\\n  c\n';
  const parser = toParserText(text, '\\');
  assert.equal(parser.length, text.length);
  assert.equal(parser.split(/\r\n|\r|\n/).length, text.split(/\r\n|\r|\n/).length);
  assert.equal(parser, 'FROM x\r\nRUN a C:\\/\r\nCOPY a b c/\n# comment \\\\\nRUN b \\\n  c\n');
  const keywords = DockerfileParser.parse(parser)
    .getInstructions()
    .map((i) => i.getKeyword());
  assert.deepEqual(keywords, ['FROM', 'RUN', 'COPY', 'RUN']);
  assert.equal(toParserText('FROM x\n', '\\'), 'FROM x\n');
});

test('shellWordValue reads quotes and escapes as BuildKit’s lexer does', () => {
  assert.equal(shellWordValue('"C:\\app\\"', '`'), 'C:\\app\\');
  assert.equal(shellWordValue('"C:\\\\app\\\\"', '\\'), 'C:\\app\\');
  assert.equal(
    shellWordValue('"C:\\app\\"', '\\'),
    undefined,
    'under \\ the final \\" escapes the quote: unterminated',
  );
  assert.equal(shellWordValue("'C:\\app\\'", '\\'), 'C:\\app\\', 'nothing is special in single quotes');
  assert.equal(shellWordValue('C:\\\\dest\\\\', '\\'), 'C:\\dest\\');
  assert.equal(shellWordValue('\\app', '\\'), 'app');
  assert.equal(shellWordValue('a"b c"d', '\\'), 'ab cd');
  assert.equal(shellWordValue('"x\\y"', '\\'), 'x\\y', 'in double quotes \\ escapes only " $ and itself');
});

test('zero-length semantic tokens are dropped and the following positions re-encoded', () => {
  // line 0: tokens at 0 (len 4) and 5 (len 0, dropped) and 7 (len 2); line 2: token at 3
  const data = [0, 0, 4, 0, 0, 0, 5, 0, 1, 0, 0, 2, 2, 1, 0, 2, 3, 1, 0, 0];
  assert.deepEqual(withoutEmptyTokens({ data }).data, [0, 0, 4, 0, 0, 0, 7, 2, 1, 0, 2, 3, 1, 0, 0]);
  // an empty token first on a line, followed by one on the same line
  assert.deepEqual(withoutEmptyTokens({ data: [1, 4, 0, 0, 0, 0, 2, 3, 1, 0] }).data, [1, 6, 3, 1, 0]);
  const untouched = { data: [0, 0, 4, 0, 0] };
  assert.equal(withoutEmptyTokens(untouched), untouched);
});
