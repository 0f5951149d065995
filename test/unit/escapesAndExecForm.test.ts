/** The helpers behind the escape, exec-form and PowerShell rules: BuildKit's line joining, the `# escape=`` ` `` switch, JSON arrays. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { DIAGNOSTIC_SOURCE } from '../../common/links';
import { normaliseSettings } from '../../common/settings';
import { parseDocument } from '../../server/src/dockerfile/document';
import { readEscapeDirective } from '../../server/src/dockerfile/buildkit';
import {
  continuationAt,
  readAsBuildKit,
  logicalTextFrom,
  readInstruction,
} from '../../server/src/dockerfile/instructionText';
import { backtickConversion, OffsetEdit } from '../../server/src/rules/support/escapeConversion';
import {
  hasUnescapedBackslash,
  insertBackslashes,
  isInvalidEscape,
  loneBackslashes,
  scanStringArray,
} from '../../server/src/dockerfile/execForm';
import { assignsPreference } from '../../server/src/dockerfile/powershellShell';
import { applyEdits, diagnose, service, snapshot } from './helpers';

const doc = (text: string) => parseDocument({ uri: 'file:///t/Dockerfile', version: 1, text });

function applyOffsetEdits(text: string, edits: readonly OffsetEdit[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start))
    result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}

test('continuationAt follows ([^\\\\])\\\\[ \\t]*$|^\\\\[ \\t]*$', () => {
  const at = (line: string, escape: '\\' | '`' = '\\') => continuationAt(line, 0, line.length, escape);
  assert.equal(at('COPY a c:\\ '), 9);
  assert.equal(at('\\'), 0);
  assert.equal(at('   \\'), 3);
  assert.equal(at('COPY a c:\\\\'), undefined, 'an escaped escape is no continuation');
  assert.equal(at('RUN a \\\\\\'), undefined, 'three: the last one is escaped');
  assert.equal(at('RUN a `', '`'), 6);
  assert.equal(at('RUN a \\', '`'), undefined);
});

test('logicalTextFrom joins like BuildKit: escape and trailing blanks removed, comment and blank lines skipped, offsets kept', () => {
  const text = 'RUN a \\  \n  # note\n\n  b \\\n c\nRUN d';
  const logical = logicalTextFrom(doc(text), 0);
  assert.equal(logical.text, 'RUN a   b  c');
  assert.equal(text[logical.offsets[logical.text.indexOf('b')]], 'b');
  assert.deepEqual(logical.continuations, [6, 24]);
  assert.equal(logical.end, text.indexOf('\nRUN d'));
});

test('readInstruction skips the --flags before the arguments', () => {
  const d = doc('FROM x\nRUN --mount=type=cache,target=C:/c --network=none ["cmd", "/c", "dir"]\n');
  const run = readInstruction(d, d.dockerfile.getInstructions()[1]);
  assert.equal(run.keyword, 'RUN');
  assert.equal(run.logical.text.slice(run.argsStart), '["cmd", "/c", "dir"]');
});

test('backtickConversion rewrites continuations, keeps the fixed backslashes and adds the directive', () => {
  const text = [
    'FROM x',
    'RUN powershell -Command \\',
    '    New-Item C:\\app',
    'COPY app.zip C:\\app\\',
    'RUN dir',
  ].join('\r\n');
  const kept = text.indexOf('C:\\app\\') + 6;
  const token = [text.indexOf('C:\\app\\'), kept + 1] as const;
  const edits = backtickConversion(text, readEscapeDirective(text), new Set([kept]), [token]);
  assert.ok(edits);
  assert.equal(
    applyOffsetEdits(text, edits),
    [
      '# escape=`',
      'FROM x',
      'RUN powershell -Command `',
      '    New-Item C:\\app',
      'COPY app.zip C:\\app\\',
      'RUN dir',
    ].join('\r\n'),
  );
});

test('backtickConversion replaces an explicit # escape=\\ and keeps a byte order mark first', () => {
  const explicit = '# escape=\\\nFROM x\nRUN a \\\n  b\n';
  assert.equal(
    applyOffsetEdits(explicit, backtickConversion(explicit, readEscapeDirective(explicit), new Set(), []) ?? []),
    '# escape=`\nFROM x\nRUN a `\n  b\n',
  );
  const bom = '\ufeffFROM x\n';
  assert.equal(
    applyOffsetEdits(bom, backtickConversion(bom, undefined, new Set(), []) ?? []),
    '\ufeff# escape=`\nFROM x\n',
  );
});

test('backtickConversion accepts backslashes whose meaning does not change', () => {
  const ok = (text: string) => assert.ok(backtickConversion(text, undefined, new Set(), []), text);
  ok('RUN dir C:\\Windows\\System32 && echo \\\\server\\share');
  ok('ENV X="C:\\Program Files\\app"');
  ok("ENV X='C:\\app\\$NOT'");
  ok('RUN Write-Host `"quoted`" and more');
  ok('CMD ["C:\\\\app\\\\run.exe"]');
  ok('# a comment ending in `\nFROM x');
});

test('backtickConversion refuses what would read differently', () => {
  const refused = (text: string) =>
    assert.equal(backtickConversion(text, readEscapeDirective(text), new Set(), []), undefined, text);
  refused('WORKDIR C:\\\\app');
  refused('WORKDIR C:\\app');
  refused('ENV A=x\\ y');
  refused('ENV A="say \\"hi\\""');
  refused('ENV A="\\$HOME"');
  refused('ENV A=`b');
  refused('ENV A="x`$y"');
  refused('RUN Write-Host a `\n  b');
  refused('RUN echo a' + '`\\\n  b');
  refused('RUN <<EOF\ndir\nEOF');
  refused('# escape=`\nFROM x');
});

test('the trailing-backslash fixes: escaped path, forward slashes, and the whole-file switch where it is safe', () => {
  const text = [
    'FROM mcr.microsoft.com/windows/servercore:ltsc2022',
    'COPY app.zip C:\\app\\',
    'RUN powershell -Command Expand-Archive C:\\app\\app.zip C:\\app',
  ].join('\n');
  const document = snapshot(text);
  const [finding] = service
    .validate(document, normaliseSettings(undefined))
    .filter((d) => d.code === 'trailing-backslash-continuation');
  assert.ok(finding);
  const actions = service.codeActions(
    document,
    finding.range,
    { diagnostics: [finding] },
    normaliseSettings(undefined),
  );
  assert.deepEqual(
    actions.map((a) => [a.title, a.isPreferred]),
    [
      ['Write C:\\\\app\\\\', true],
      ['Write C:/app/', false],
      ['Use # escape=` for this file (backslashes become plain path separators)', false],
    ],
  );
  const switched = applyEdits(text, actions[2].edit?.changes?.[document.uri] ?? []);
  assert.equal(switched, ['# escape=`', ...text.split('\n')].join('\n'));
  assert.deepEqual(ours(diagnose(switched)), []);
});

test('no whole-file switch when another backslash would change meaning', () => {
  const text = [
    'FROM mcr.microsoft.com/windows/servercore:ltsc2022',
    'WORKDIR C:\\\\app',
    'COPY app.zip C:\\app\\',
    'RUN dir',
  ].join('\n');
  const document = snapshot(text);
  const [finding] = service
    .validate(document, normaliseSettings(undefined))
    .filter((d) => d.code === 'trailing-backslash-continuation');
  assert.deepEqual(
    service
      .codeActions(document, finding.range, { diagnostics: [finding] }, normaliseSettings(undefined))
      .map((a) => a.title),
    ['Write C:\\\\app\\\\', 'Write C:/app/'],
  );
});

test('scanStringArray reads string literals, and paths ending in \\ on a second reading', () => {
  assert.deepEqual(scanStringArray('[]'), []);
  assert.equal(scanStringArray('["a", 1]'), undefined);
  assert.equal(scanStringArray('["a"'), undefined);
  const strict = scanStringArray('[ "C:\\app", "x\\"y" ]');
  assert.deepEqual(
    strict?.map((t) => t.escapes.map((e) => e.next).join('')),
    ['a', '"'],
  );
  const lenient = scanStringArray('["C:\\src\\", "C:\\dest\\"]');
  assert.equal(lenient?.length, 2);
  assert.deepEqual(
    lenient?.[0].escapes.map((e) => e.next),
    ['s', ''],
  );
});

test('unescaped backslashes: invalid escapes and drive letters, not escaped quotes', () => {
  const check = (array: string) => {
    const tokens = scanStringArray(array) ?? [];
    return tokens.map((t) => hasUnescapedBackslash(array, t));
  };
  assert.deepEqual(check('["C:\\Ruby30-x64\\bin"]'), [true]);
  assert.deepEqual(check('["C:\\temp"]'), [true], '\\t is valid JSON, but after a drive letter it is a path');
  assert.deepEqual(check('["C:\\\\temp", "a\\tb", "\\u00e9"]'), [false, false, false]);
  assert.deepEqual(check('["/Path:\\"C:\\\\x\\""]'), [false], 'h:\\" is an escaped quote');
  assert.equal(isInvalidEscape('\\users', { at: 0, next: 'u' }), true);
  assert.equal(isInvalidEscape('\\u00e9', { at: 0, next: 'u' }), false);
  const array = '["C:\\\\a\\b\\"c"]';
  const [token] = scanStringArray(array) ?? [];
  assert.equal(insertBackslashes(array, loneBackslashes(token)), '["C:\\\\a\\\\b\\"c"]');
});

test('assignsPreference finds an assignment in any case and spacing', () => {
  assert.ok(assignsPreference("$errorActionPreference='Stop'", 'ErrorActionPreference'));
  assert.ok(assignsPreference("$ProgressPreference  =  'SilentlyContinue'", 'ProgressPreference'));
  assert.ok(!assignsPreference('Write-Host $ErrorActionPreference', 'ErrorActionPreference'));
});

function ours(diagnostics: Diagnostic[]): string[] {
  return diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE).map((d) => String(d.code));
}

test('readAsBuildKit: lines BuildKit joins to an instruction are not read again as instructions of their own', () => {
  const url = 'https://dotnetbinaries.blob.core.windows.net/servicemonitor/2.0.1.6/ServiceMonitor.exe';
  const text = `FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN a\n\n \\\n \\\n \\\nRUN curl -o C:\\s.exe ${url}\nUSER x\n`;
  const document = parseDocument({ uri: 'file:///joined', version: 1, text });
  const all = document.dockerfile.getInstructions();
  const kept = readAsBuildKit(document, all).map((read) => read.instruction);
  assert.ok(all.length > kept.length, `dockerfile-ast reads ${all.length} instructions, BuildKit ${kept.length}`);
  assert.deepEqual(
    kept.map((i) => i.getKeyword().toUpperCase()),
    ['FROM', 'RUN', all[2].getKeyword().toUpperCase(), 'USER'],
  );
  assert.ok(readInstruction(document, kept[2]).logical.text.includes(url), 'the joined run carries the URL');
  const findings = diagnose(text).filter((d) => d.code === 'servicemonitor-url-retired');
  assert.equal(findings.length, 1, 'the retired URL is reported once');
});
