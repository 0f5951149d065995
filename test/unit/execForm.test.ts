/**
 * One exec-form reader (server/src/dockerfile/execForm.ts readExecForm) for every rule and model
 * module. Before it, three readers modelled BuildKit's parseMaybeJSON apart: entrypoints.ts
 * (`JSON.parse` after JavaScript's `trimEnd`), shellScript.ts `parseJsonArray` (its own scan, JSON
 * blanks only) and powershell-run-without-shell (`JSON.parse` after JavaScript's `trim`). Run over
 * the arguments of every instruction of ../shared/corpus and test/fixtures (1,550 texts) they agreed;
 * they disagreed only on the blanks around the array, below, where BuildKit trims with Go's
 * `strings.TrimSpace` (split_command.go splitCommand) and `unicode.IsSpace` (line_parsers.go
 * parseJSON), then needs `[` and `json.Unmarshal` into `[]any` of strings.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseDocument } from '../../server/src/dockerfile/document';
import { execForm, readExecForm, scanStringArray } from '../../server/src/dockerfile/execForm';
import { installLibraryPatches } from '../../server/src/patches';
import { parseJsonArray } from '../../server/src/dockerfile/shellScript';

interface Row {
  readonly text: string;
  /** What BuildKit reads: the exec form's strings, or `shell` (json.Unmarshal fails: shell form). */
  readonly buildkit: readonly string[] | 'shell';
  /** The earlier readers' answers, where they differed. */
  readonly before?: string;
}

const DISAGREEMENTS: readonly Row[] = [
  {
    text: '["a"]\u00a0',
    buildkit: ['a'],
    before: 'entrypoints and the RUN rule: exec; parseJsonArray: shell (TrimSpace takes U+00A0)',
  },
  { text: '["a"]\u3000', buildkit: ['a'], before: 'entrypoints and the RUN rule: exec; parseJsonArray: shell' },
  { text: '["a"]\u000b', buildkit: ['a'], before: 'entrypoints and the RUN rule: exec; parseJsonArray: shell' },
  { text: '\u000b["a"]', buildkit: ['a'], before: 'the RUN rule: exec; entrypoints and parseJsonArray: shell' },
  { text: '["a"]\u0085', buildkit: ['a'], before: 'all: shell (JavaScript does not count U+0085 as a blank, Go does)' },
  {
    text: '["a"]\ufeff',
    buildkit: 'shell',
    before: 'entrypoints and the RUN rule: exec (JavaScript trims U+FEFF, Go does not)',
  },
  { text: '\ufeff["a"]', buildkit: 'shell', before: 'the RUN rule: exec' },
];

const AGREED: readonly Row[] = [
  { text: '["a"]', buildkit: ['a'] },
  { text: '["cmd", "/S", "/C", "dir"]  ', buildkit: ['cmd', '/S', '/C', 'dir'] },
  { text: '[]', buildkit: [] },
  { text: '["a",]', buildkit: 'shell' },
  { text: '["a" "b"]', buildkit: 'shell' },
  { text: "['a']", buildkit: 'shell' },
  { text: '["a"] # c', buildkit: 'shell' },
  { text: '["a\tb"]', buildkit: 'shell' },
  { text: '["C:\\Ruby\\bin"]', buildkit: 'shell' },
  { text: '["C:\\temp"]', buildkit: ['C:\temp'] },
  { text: '["C:\\\\temp"]', buildkit: ['C:\\temp'] },
  { text: '["C:\\src\\", "C:\\dest\\"]', buildkit: 'shell' },
  { text: '["\\u00e9"]', buildkit: ['\u00e9'] },
  // BuildKit fails the build here ("not a string array"); no reader calls it exec form.
  { text: '["a", 1]', buildkit: 'shell' },
];

for (const row of [...DISAGREEMENTS, ...AGREED]) {
  test(`exec form of ${JSON.stringify(row.text)}: ${row.buildkit === 'shell' ? 'shell form' : JSON.stringify(row.buildkit)}, as BuildKit reads it`, () => {
    const exec = readExecForm(row.text);
    assert.deepEqual(exec ? exec.strings.map((s) => s.value) : 'shell', row.buildkit);
    assert.deepEqual(
      parseJsonArray(row.text)?.map((w) => w.value) ?? 'shell',
      row.buildkit,
      'the shell rules read the same',
    );
  });
}

test('offsets: each string and the array are placed in the text', () => {
  const text = '  [ "C:\\\\app\\\\run.exe" , "-x" ]  ';
  const exec = readExecForm(text)!;
  assert.equal(text.slice(exec.start, exec.end), '[ "C:\\\\app\\\\run.exe" , "-x" ]');
  assert.deepEqual(
    exec.strings.map((s) => text.slice(s.start, s.end)),
    ['"C:\\\\app\\\\run.exe"', '"-x"'],
  );
  assert.deepEqual(
    parseJsonArray(text)!.map((w) => text.slice(w.start, w.end)),
    ['C:\\\\app\\\\run.exe', '-x'],
  );
});

test("the Windows author's reading is asked for by name, and only it reads a path ending in a backslash", () => {
  const text = '["C:\\src\\", "C:\\dest\\"]';
  assert.equal(readExecForm(text), undefined);
  assert.deepEqual(
    scanStringArray(text)!.map((t) => text.slice(t.start, t.end)),
    ['"C:\\src\\"', '"C:\\dest\\"'],
  );
});

test('an instruction over several lines: each string placed in the document, after flags, across the continuation', () => {
  installLibraryPatches();
  const text = 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN --network=none ["cmd", \\\n  "/c", "dir"]\n';
  const document = parseDocument({ uri: 'file:///exec/Dockerfile', version: 1, text });
  const exec = execForm(document, document.dockerfile.getInstructions()[1])!;
  assert.deepEqual(exec.values, ['cmd', '/c', 'dir']);
  assert.deepEqual(
    exec.strings.map((s) => text.slice(s.start, s.end)),
    ['"cmd"', '"/c"', '"dir"'],
  );
  assert.equal(text.slice(exec.start, exec.end), '["cmd", \\\n  "/c", "dir"]');
});
