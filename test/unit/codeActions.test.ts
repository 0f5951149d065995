/** Code actions: one per outcome, whatever rule or refactor proposes it. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { CodeAction } from 'vscode-languageserver-types';
import { normaliseSettings } from '../../common/settings';
import { withoutDuplicateEdits } from '../../server/src/service/codeActions';
import { parseDocument } from '../../server/src/dockerfile/document';
import { applyEdits, service, snapshot } from './helpers';

function actionsOnLine(
  text: string,
  line: number,
  settings = normaliseSettings(undefined),
): { actions: CodeAction[]; outcomes: string[] } {
  const doc = snapshot(text);
  const diagnostics = service
    .validate(doc, settings)
    .filter((d) => d.range.start.line <= line && d.range.end.line >= line);
  const actions = service.codeActions(
    doc,
    { start: { line, character: 0 }, end: { line, character: 0 } },
    { diagnostics },
    settings,
  );
  return { actions, outcomes: actions.map((a) => applyEdits(text, a.edit?.changes?.[doc.uri] ?? [])) };
}

test('two quick fixes that make the same edit are offered once, with both diagnostics, preferred', () => {
  // windows-image-end-of-servicing (nearest LTSC) and windows-host-incompatible (what the host runs) both propose ltsc2019;
  // so does the "Switch the Windows base images to ltsc2019" refactor, which changes only this FROM.
  const text = 'FROM mcr.microsoft.com/windows/servercore:1903\nRUN echo hi\n';
  const { actions, outcomes } = actionsOnLine(text, 0, normaliseSettings({ targetHost: 'ltsc2019' }));
  assert.equal(
    new Set(outcomes).size,
    outcomes.length,
    `one action per outcome; got:\n${actions.map((a) => a.title).join('\n')}`,
  );
  const toLtsc2019 = actions.filter((_, i) =>
    outcomes[i].startsWith('FROM mcr.microsoft.com/windows/servercore:ltsc2019\n'),
  );
  assert.equal(toLtsc2019.length, 1);
  assert.equal(toLtsc2019[0].kind, 'quickfix', 'the quick fix is kept over the refactor');
  assert.equal(toLtsc2019[0].isPreferred, true);
  assert.deepEqual(toLtsc2019[0].diagnostics?.map((d) => d.code).sort(), [
    'windows-host-incompatible',
    'windows-image-end-of-servicing',
  ]);
});

test('the same edit written over different ranges counts as the same (tag only, whole image)', () => {
  const text = 'FROM mcr.microsoft.com/windows/servercore\n';
  const { actions, outcomes } = actionsOnLine(text, 0);
  assert.equal(
    new Set(outcomes).size,
    outcomes.length,
    `one action per outcome; got:\n${actions.map((a) => a.title).join('\n')}`,
  );
  assert.ok(actions.some((a) => a.kind === 'quickfix' && a.title.includes('ltsc2025')));
  assert.ok(
    !actions.some((a) => a.kind === 'refactor.rewrite' && a.title.includes('ltsc2025')),
    'the refactor that only adds the same tag is not offered beside it',
  );
});

test('the switch refactor says when a .NET Framework version moves (4.8.1 → 4.8 on ltsc2019)', () => {
  const text =
    'FROM mcr.microsoft.com/dotnet/framework/sdk:4.8.1-windowsservercore-ltsc2022\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\n';
  const titles = actionsOnLine(text, 0).actions.map((a) => a.title);
  assert.ok(
    titles.includes('Switch the Windows base images to ltsc2019 (.NET Framework SDK 4.8.1 → 4.8)'),
    titles.join('\n'),
  );
  assert.ok(titles.includes('Switch the Windows base images to ltsc2025'), titles.join('\n'));
});

test('nanoserver-powershell: the fix of any finding of a stage turns every powershell of the stage into pwsh', () => {
  const text = [
    'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022',
    'RUN powershell -Command New-Item -ItemType Directory C:\\app',
    'RUN ["powershell.exe", "-Command", "Write-Host hi"]',
    'CMD powershell -Command C:\\app\\start.ps1',
    '',
  ].join('\n');
  const isRule = (d: { code?: unknown }) => d.code === 'nanoserver-powershell';
  const doc = snapshot(text);
  const findings = service.validate(doc, normaliseSettings(undefined)).filter(isRule);
  assert.equal(findings.length, 3);
  const last = findings[2];
  const actions = service.codeActions(doc, last.range, { diagnostics: [last] }, normaliseSettings(undefined));
  assert.deepEqual(
    actions.map((a) => a.title),
    [
      'Build on mcr.microsoft.com/dotnet/sdk:10.0-nanoserver-ltsc2022 (it has pwsh) and use pwsh',
      'Build this stage on mcr.microsoft.com/windows/servercore:ltsc2022, which has Windows PowerShell (a much larger image)',
    ],
  );
  const fixed = applyEdits(text, actions[0].edit!.changes![doc.uri]);
  assert.equal(
    fixed,
    [
      'FROM mcr.microsoft.com/dotnet/sdk:10.0-nanoserver-ltsc2022',
      'RUN pwsh -Command New-Item -ItemType Directory C:\\app',
      'RUN ["pwsh", "-Command", "Write-Host hi"]',
      'CMD pwsh -Command C:\\app\\start.ps1',
      '',
    ].join('\n'),
  );
  assert.deepEqual(service.validate(snapshot(fixed), normaliseSettings(undefined)).filter(isRule), []);
  assert.deepEqual(
    service
      .validate(snapshot(applyEdits(text, actions[1].edit!.changes![doc.uri])), normaliseSettings(undefined))
      .filter(isRule),
    [],
  );
});

test('withoutDuplicateEdits compares outcomes, not ranges: an insertion anywhere in a run of equal characters is one change', () => {
  const document = parseDocument({ uri: 'file:///d/Dockerfile', version: 1, text: 'FROM x\nRUN aab\n' });
  const at = (line: number, character: number, endCharacter: number, newText: string, title: string): CodeAction => ({
    title,
    kind: 'quickfix',
    edit: {
      changes: {
        [document.uri]: [{ range: { start: { line, character }, end: { line, character: endCharacter } }, newText }],
      },
    },
  });
  const kept = withoutDuplicateEdits(document, [
    at(1, 4, 4, 'a', 'insert before the first a'),
    at(1, 5, 5, 'a', 'insert between'),
    at(1, 4, 6, 'aaa', 'replace both'),
    at(1, 4, 7, 'aaab', 'replace the word'),
    at(1, 4, 5, '', 'delete the first a'),
    at(1, 5, 6, '', 'delete the second a'),
    at(1, 6, 7, 'c', 'change b'),
  ]);
  assert.deepEqual(
    kept.map((a) => a.title),
    ['insert before the first a', 'delete the first a', 'change b'],
  );
});
