/** The command text of RUN steps and its split into cmd and PowerShell commands (dockerfile/shellScript.ts, dockerfile/windowsSteps.ts). */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  joinInstructionLines,
  parseJsonArray,
  splitCommands,
  textOfWords,
} from '../../server/src/dockerfile/shellScript';
import { commandLines, commandOf, windowsSteps } from '../../server/src/dockerfile/windowsSteps';
import { nanoServerOf } from '../../server/src/dockerfile/nanoserver';
import { protectedPath } from '../../server/src/rules/nanoserver-needs-admin';
import { parseEnvValue } from '../../server/src/rules/env-path-replaced';
import { parseDocument } from '../../server/src/dockerfile/document';
import { installLibraryPatches } from '../../server/src/patches';

// What every host does before it parses (patches/index.ts).
installLibraryPatches();

const words = (text: string, dialect: 'cmd' | 'powershell') =>
  splitCommands(text, dialect).segments.map((s) => s.map((w) => w.value));

test('joinInstructionLines joins continuations as BuildKit does and maps back to the document', () => {
  const text = 'RUN a && \\\n  # note\n\n  b \\\n  c\nRUN d';
  const start = 4;
  const end = text.indexOf('\nRUN d');
  const joined = joinInstructionLines(text, start, end, '\\');
  assert.equal(joined.text, 'a &&   b   c');
  assert.equal(text[joined.offsetAt(joined.text.indexOf('b'))], 'b');
  assert.equal(text[joined.offsetAt(joined.text.indexOf('c'))], 'c');
  const backtick = joinInstructionLines('RUN x `\r\n  y', 4, 14, '`');
  assert.equal(backtick.text, 'x   y');
});

test('parseJsonArray accepts what BuildKit reads as exec form, nothing else', () => {
  assert.deepEqual(
    parseJsonArray('["cmd", "/c", "echo hi"]')?.map((w) => w.value),
    ['cmd', '/c', 'echo hi'],
  );
  assert.deepEqual(
    parseJsonArray(' [ "C:\\\\x.exe" ] ')?.map((w) => w.value),
    ['C:\\x.exe'],
  );
  assert.deepEqual(parseJsonArray('[]'), []);
  assert.equal(parseJsonArray('["C:\\Ruby\\bin"]'), undefined, '\\R is no JSON escape: shell form');
  assert.equal(parseJsonArray('[1, "a"]'), undefined);
  assert.equal(parseJsonArray('["a"] b'), undefined);
  assert.equal(parseJsonArray('echo ["a"]'), undefined);
  const w = parseJsonArray('["a b", "c"]')!;
  assert.equal('["a b", "c"]'.slice(w[0].start, w[0].end), 'a b');
});

test('splitCommands for cmd: quotes, ^, operators, groups, redirections', () => {
  assert.deepEqual(words('mkdir "C:\\Program Files\\x" && echo a^&b > out.txt 2>&1 || (del x)', 'cmd'), [
    ['mkdir', 'C:\\Program Files\\x'],
    ['echo', 'a&b', 'out.txt'],
    ['del', 'x'],
  ]);
  const split = splitCommands('echo hi > C:\\Windows\\x.txt & setx /M A %PATH%;C:\\x', 'cmd');
  assert.equal(split.segments[0][1].redirect, false);
  assert.equal(split.segments[0][2].redirect, true);
  assert.deepEqual(
    split.operators.map((o) => o.text),
    ['&'],
  );
  assert.deepEqual(
    words('echo %ProgramFiles(x86)% (x)', 'cmd'),
    [['echo', '%ProgramFiles(x86)%', '(x)']],
    'a parenthesis inside a word is not a group',
  );
});

test('splitCommands for PowerShell: quotes, backticks, separators, comments, subexpressions', () => {
  assert.deepEqual(
    words(
      "Invoke-WebRequest 'https://x/a b' -OutFile a.zip; Expand-Archive a.zip -DestinationPath C:\\ ; Remove-Item a.zip",
      'powershell',
    ),
    [
      ['Invoke-WebRequest', 'https://x/a b', '-OutFile', 'a.zip'],
      ['Expand-Archive', 'a.zip', '-DestinationPath', 'C:\\'],
      ['Remove-Item', 'a.zip'],
    ],
  );
  assert.deepEqual(words('Write-Host "a && b `"c`"" && exit 1 # && no', 'powershell'), [
    ['Write-Host', 'a && b "c"'],
    ['exit', '1'],
  ]);
  assert.deepEqual(
    splitCommands('a && b || c; d | e', 'powershell').operators.map((o) => o.text),
    ['&&', '||', ';', '|'],
  );
  assert.deepEqual(words("if ((Get-FileHash x).Hash -ne $h) { exit 1 }; $v = $(Get-Item 'it''s')", 'powershell'), [
    ['if'],
    ['Get-FileHash', 'x'],
    ['.Hash', '-ne', '$h'],
    ['exit', '1'],
    ['$v', '='],
    ['Get-Item', "it's"],
  ]);
  assert.deepEqual(words('& "C:\\Program Files\\x.exe" /q', 'powershell'), [['C:\\Program Files\\x.exe', '/q']]);
  assert.deepEqual(words("Start-Process msiexec -ArgumentList '/i', 'a.msi'", 'powershell'), [
    ['Start-Process', 'msiexec', '-ArgumentList', '/i', 'a.msi'],
  ]);
  assert.deepEqual(words('a <# && #> b', 'powershell'), [['a', 'b']]);
});

test('commandOf: in PowerShell a quoted first word is a string, unless & calls it', () => {
  const first = (text: string) =>
    splitCommands(text, 'powershell').segments.map((w) => commandOf(w, 'powershell')?.name ?? '-');
  assert.deepEqual(first("Invoke-WebRequest $('https://x/{0}.msi' -f $v) -OutFile a.msi"), ['invoke-webrequest', '-']);
  assert.deepEqual(first('& "C:\\tools\\setup.msi" /q; . "C:\\x.ps1"'), ['setup.msi', 'x.ps1']);
  assert.equal(
    commandOf(splitCommands('"C:\\Program Files\\x.exe" /q', 'cmd').segments[0], 'cmd')?.name,
    'x.exe',
    'cmd runs a quoted program',
  );
});

test('textOfWords maps a nested command line back through its quotes', () => {
  const outer = joinInstructionLines('powershell -Command "a && b"', 0, 28, '\\');
  const split = splitCommands(outer.text, 'cmd');
  const nested = textOfWords(outer, split.segments[0].slice(2));
  assert.equal(nested.text, 'a && b');
  assert.equal(nested.offsetAt(2), outer.text.indexOf('&&'));
});

test('commandLines reads the shell in effect, exec form and nested command lines', () => {
  const doc = parseDocument({
    uri: 'file:///d',
    version: 1,
    text: [
      'FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS base',
      'RUN powershell -NoProfile -ExecutionPolicy Bypass -Command "a && b"',
      'SHELL ["powershell", "-Command"]',
      'RUN c && d',
      'FROM base',
      'RUN ["cmd", "/S", "/C", "e & f"]',
      'RUN <<EOF',
      'g',
      'EOF',
      'FROM alpine',
      'RUN apt-get update',
    ].join('\n'),
  });
  const steps = windowsSteps(doc).filter((s) => s.keyword === 'RUN');
  assert.equal(steps.length, 4, 'the Linux stage has no Windows steps');
  const dialects = steps.map((s) => commandLines(doc, s).map((l) => `${l.dialect}:${l.script.text}`));
  assert.deepEqual(dialects[0], [
    'cmd:powershell -NoProfile -ExecutionPolicy Bypass -Command "a && b"',
    'powershell:a && b',
  ]);
  assert.deepEqual(dialects[1], ['powershell:c && d']);
  assert.equal(steps[2].state.shell.kind, 'powershell', 'a stage built on another keeps its SHELL');
  assert.deepEqual(dialects[2], ['exec:["cmd", "/S", "/C", "e & f"]', 'cmd:e & f']);
  assert.deepEqual(dialects[3], [], 'heredocs are not read');
});

test('nanoServerOf: era by build, derived images by tag, unknown versions left alone', () => {
  const era = (from: string) => {
    const doc = parseDocument({ uri: 'file:///n', version: 1, text: `FROM ${from} AS a\nFROM a\n` });
    const nano = nanoServerOf(doc, doc.stages[1]);
    return nano ? `${nano.era}${nano.pwshImage ? '+pwsh' : ''}` : 'none';
  };
  assert.equal(era('mcr.microsoft.com/windows/nanoserver:sac2016'), '2016');
  assert.equal(era('mcr.microsoft.com/windows/nanoserver:10.0.14393.2068'), '2016');
  assert.equal(era('mcr.microsoft.com/windows/nanoserver:1809-amd64'), 'core');
  assert.equal(era('mcr.microsoft.com/windows/nanoserver/insider:10.0.18334.1'), 'core');
  assert.equal(era('mcr.microsoft.com/windows/nanoserver:ltsc2025'), 'fod');
  assert.equal(era('mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022'), 'core');
  assert.equal(era('mcr.microsoft.com/powershell:lts-nanoserver-ltsc2022'), 'core+pwsh');
  assert.equal(era('golang:1.22-nanoserver-ltsc2022'), 'core');
  assert.equal(era('microsoft/nanoserver:1709'), 'core');
  assert.equal(era('mcr.microsoft.com/windows/nanoserver:latest'), 'none');
  assert.equal(era('mcr.microsoft.com/windows/servercore:ltsc2022'), 'none');
  assert.equal(era('mcr.microsoft.com/dotnet/aspnet:8.0-windowsservercore-ltsc2022'), 'none');
});

test('protectedPath: C:\\Windows and C:\\Program Files however written, not C:\\Windows\\Temp', () => {
  for (const p of [
    'C:\\Windows\\System32\\x.dll',
    'c:/windows',
    '\\Windows\\x',
    '%windir%\\x',
    '$env:ProgramFiles\\x',
    '${env:ProgramFiles(x86)}\\x',
    'C:\\Program Files (x86)\\y',
    '%ProgramFiles%',
  ]) {
    assert.ok(protectedPath(p), p);
  }
  for (const p of ['C:\\Windows\\Temp\\x', 'C:\\app', 'C:\\WindowsApps', 'C:\\ProgramData\\x', 'D:\\Windows']) {
    assert.ok(!protectedPath(p), p);
  }
});

test('parseEnvValue reads ENV values as BuildKit does, keeping variables', () => {
  const show = (raw: string, escape: '\\' | '`' = '\\') =>
    parseEnvValue(raw, escape)
      ?.map((p) => (p.kind === 'text' ? p.text : `<${p.name}${p.modified ? '*' : ''}>`))
      .join('');
  assert.equal(show('"C:\\\\x;${PATH}"'), 'C:\\x;<PATH>');
  assert.equal(show('C:\\x;$Path', '`'), 'C:\\x;<Path>');
  assert.equal(show("'$PATH';\\$PATH"), '$PATH;$PATH', 'quoted and escaped dollars are text');
  assert.equal(show('${PATH:-C:\\x}'), '<PATH*>');
  assert.equal(show('"C:\\x'), undefined);
  assert.equal(show('%PATH%;C:\\x', '`'), '%PATH%;C:\\x');
});
