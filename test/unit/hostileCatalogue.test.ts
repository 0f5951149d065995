/**
 * Hostile registry answers and hostile image text reaching completion and hover: the number of
 * tags is bounded, and user text never becomes markdown (issue 19 items 6 and 13).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { MAX_LIVE_TAGS } from '../../server/src/catalogue/liveTags';
import { MAX_TAG_COMPLETIONS } from '../../server/src/service/imageCompletion';
import { createWindowsDockerfileService } from '../../server/src/service/languageService';

const TODAY = '2026-11-21';
const SERVERCORE = 'mcr.microsoft.com/windows/servercore';
let live: string[] = [];
const service = createWindowsDockerfileService({
  log: () => undefined,
  today: () => TODAY,
  liveTags: (repository) => (repository === SERVERCORE ? live : []),
  upstreamFeatures: () => false,
});
service.setCapabilities({
  completion: { completionItem: { documentationFormat: ['markdown'], tagSupport: { valueSet: [1] } } },
  hover: { contentFormat: ['markdown'] },
});

let version = 0;
/** `|` marks the cursor. */
function at(textWithCursor: string) {
  const offset = textWithCursor.indexOf('|');
  const text = textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1);
  const before = text.slice(0, offset).split('\n');
  return { snapshot: { uri: 'file:///hostile/Dockerfile', version: ++version, text }, position: { line: before.length - 1, character: before[before.length - 1].length } };
}

test('one tag completion returns at most MAX_TAG_COMPLETIONS items, those starting with what is typed first', async () => {
  live = Array.from({ length: MAX_LIVE_TAGS }, (_, i) => `t${i.toString(36)}`);
  try {
    const all = at(`FROM ${SERVERCORE}:|`);
    const started = performance.now();
    const items = await service.completion(all.snapshot, all.position);
    const ms = performance.now() - started;
    assert.ok(items.length <= MAX_TAG_COMPLETIONS, `${items.length} items`);
    assert.ok(items.some((i) => i.label === 'ltsc2022'), 'the catalogue tags come first');
    assert.ok(ms < 2000, `${Math.round(ms)} ms`);
    const typed = at(`FROM ${SERVERCORE}:tzz|`);
    const labels = (await service.completion(typed.snapshot, typed.position)).map((i) => i.label);
    assert.ok(labels.length <= MAX_TAG_COMPLETIONS);
    const expected = live.filter((t) => t.startsWith('tzz'));
    assert.ok(expected.length > 0);
    for (const tag of expected) assert.ok(labels.includes(tag), `${tag} (typed prefix) is offered`);
  } finally {
    live = [];
  }
});
