/** Code actions: one per outcome, whatever rule or refactor proposes it. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { CodeAction } from 'vscode-languageserver-types';
import { normaliseSettings } from '../../common/settings';
import { applyEdits, service, snapshot } from './helpers';

function actionsOnLine(text: string, line: number, settings = normaliseSettings(undefined)): { actions: CodeAction[]; outcomes: string[] } {
  const doc = snapshot(text);
  const diagnostics = service.validate(doc, settings).filter((d) => d.range.start.line <= line && d.range.end.line >= line);
  const actions = service.codeActions(doc, { start: { line, character: 0 }, end: { line, character: 0 } }, { diagnostics }, settings);
  return { actions, outcomes: actions.map((a) => applyEdits(text, a.edit?.changes?.[doc.uri] ?? [])) };
}

test('two quick fixes that make the same edit are offered once, with both diagnostics, preferred', () => {
  // windows-image-end-of-servicing (nearest LTSC) and windows-host-incompatible (what the host runs) both propose ltsc2019;
  // so does the "Switch the Windows base images to ltsc2019" refactor, which changes only this FROM.
  const text = 'FROM mcr.microsoft.com/windows/servercore:1903\nRUN echo hi\n';
  const { actions, outcomes } = actionsOnLine(text, 0, normaliseSettings({ targetHost: 'ltsc2019' }));
  assert.equal(new Set(outcomes).size, outcomes.length, `one action per outcome; got:\n${actions.map((a) => a.title).join('\n')}`);
  const toLtsc2019 = actions.filter((_, i) => outcomes[i].startsWith('FROM mcr.microsoft.com/windows/servercore:ltsc2019\n'));
  assert.equal(toLtsc2019.length, 1);
  assert.equal(toLtsc2019[0].kind, 'quickfix', 'the quick fix is kept over the refactor');
  assert.equal(toLtsc2019[0].isPreferred, true);
  assert.deepEqual(toLtsc2019[0].diagnostics?.map((d) => d.code).sort(), ['windows-host-incompatible', 'windows-image-end-of-servicing']);
});

test('the same edit written over different ranges counts as the same (tag only, whole image)', () => {
  const text = 'FROM mcr.microsoft.com/windows/servercore\n';
  const { actions, outcomes } = actionsOnLine(text, 0);
  assert.equal(new Set(outcomes).size, outcomes.length, `one action per outcome; got:\n${actions.map((a) => a.title).join('\n')}`);
  assert.ok(actions.some((a) => a.kind === 'quickfix' && a.title.includes('ltsc2025')));
  assert.ok(!actions.some((a) => a.kind === 'refactor.rewrite' && a.title.includes('ltsc2025')), 'the refactor that only adds the same tag is not offered beside it');
});

test('the switch refactor says when a .NET Framework version moves (4.8.1 → 4.8 on ltsc2019)', () => {
  const text = 'FROM mcr.microsoft.com/dotnet/framework/sdk:4.8.1-windowsservercore-ltsc2022\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\n';
  const titles = actionsOnLine(text, 0).actions.map((a) => a.title);
  assert.ok(titles.includes('Switch the Windows base images to ltsc2019 (.NET Framework SDK 4.8.1 → 4.8)'), titles.join('\n'));
  assert.ok(titles.includes('Switch the Windows base images to ltsc2025'), titles.join('\n'));
});
