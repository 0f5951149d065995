/**
 * The idle collector (server/src/runtime/idleCollect.ts): one full collection once the server has been
 * quiet for the delay, postponed by every message, only when the heap has grown well past what the
 * last collection left; a large young generation shrunk by a young collection after a further quiet
 * time; and V8's own collector reached without `--expose-gc`, which really frees memory and really
 * shrinks the young generation. Waits are on the collection itself, bounded; never a fixed sleep.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import * as vm from 'node:vm';
import * as assert from 'node:assert/strict';
import * as v8 from 'node:v8';
import { Collector, createIdleCollector, exposedGc } from '../../server/src/runtime/idleCollect';

const MB = 1024 * 1024;

/**
 * A signal to wait for: `next()` resolves at the following `fire()`, or rejects after `boundMs`
 * (its timer also keeps the process alive, which the collector's own timer does not).
 */
function signal(boundMs: number, what: string) {
  let notify: (() => void) | undefined;
  const fire = () => notify?.();
  const next = () =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} within ${boundMs} ms`)), boundMs);
      notify = () => {
        clearTimeout(timer);
        notify = undefined;
        resolve();
      };
    });
  return { fire, next };
}

/** A collector that records each call (its kind and time); `next()` waits for the next one, bounded. */
function recordingGc(boundMs: number) {
  const calls: number[] = [];
  const kinds: ('full' | 'young')[] = [];
  const collected = signal(boundMs, 'collection');
  const record = (kind: 'full' | 'young') => {
    calls.push(performance.now());
    kinds.push(kind);
    collected.fire();
  };
  const gc: Collector = { full: () => record('full'), young: () => record('young') };
  const next = collected.next;
  return { gc, calls, kinds, next };
}

test('collects once after the quiet delay, when the heap is large', async () => {
  const { gc, calls, next } = recordingGc(5_000);
  const heap = { total: 200 * MB, used: 150 * MB, young: 0 };
  const collector = createIdleCollector({ delayMs: 30, gc, heap: () => heap });
  const touched = performance.now();
  const collected = next();
  collector.touch();
  await collected;
  assert.equal(calls.length, 1);
  assert.ok(calls[0] - touched >= 25, `collected ${calls[0] - touched} ms after the last message`);
  assert.equal(collector.collections, 1);
  assert.equal(collector.youngCollections, 0, 'a small young generation is left alone');
  collector.dispose();
});

test('every message postpones the collection', async () => {
  const { gc, calls, next } = recordingGc(5_000);
  const collector = createIdleCollector({
    delayMs: 40,
    gc,
    heap: () => ({ total: 200 * MB, used: 100 * MB, young: 0 }),
  });
  const collected = next();
  collector.touch();
  // Messages every 10 ms for 150 ms: never 40 ms of quiet.
  const busyUntil = performance.now() + 150;
  let last = performance.now();
  while (performance.now() < busyUntil) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (performance.now() - last >= 10) {
      collector.touch();
      last = performance.now();
    }
  }
  assert.equal(calls.length, 0, 'no collection while messages keep coming');
  await collected;
  assert.ok(calls[0] >= last + 35, 'collected only after the last message and the delay');
  collector.dispose();
});

test('a small heap, or one that has not grown since the last collection, is left alone', async () => {
  const { gc, calls, next } = recordingGc(5_000);
  let heap = { total: 30 * MB, used: 20 * MB, young: 2 * MB };
  let checks = 0;
  const looked = signal(5_000, 'look at the heap');
  const collector = createIdleCollector({
    delayMs: 10,
    gc,
    heap: () => {
      checks++;
      looked.fire();
      return heap;
    },
  });
  const waitForCheck = looked.next;
  // Under the 48 MB floor, and a young generation under its 4 MB floor: looked at, not collected.
  let lookedAt = waitForCheck();
  collector.touch();
  await lookedAt;
  assert.equal(calls.length, 0);
  // Large: collected; what is then in use (80 MB) is the new reference.
  heap = { total: 100 * MB, used: 80 * MB, young: 2 * MB };
  const collected = next();
  collector.touch();
  await collected;
  assert.equal(calls.length, 1);
  // 110 MB is under 1.5 × 80 MB: not collected again.
  heap = { total: 110 * MB, used: 100 * MB, young: 2 * MB };
  lookedAt = waitForCheck();
  collector.touch();
  await lookedAt;
  assert.equal(calls.length, 1);
  // 130 MB is past it.
  heap = { total: 130 * MB, used: 100 * MB, young: 2 * MB };
  const again = next();
  collector.touch();
  await again;
  assert.equal(calls.length, 2);
  assert.ok(checks >= 4);
  collector.dispose();
});

test('dispose cancels a pending collection', async () => {
  let collected = 0;
  const count: Collector = { full: () => collected++, young: () => collected++ };
  const collector = createIdleCollector({
    delayMs: 20,
    gc: count,
    heap: () => ({ total: 500 * MB, used: 100 * MB, young: 32 * MB }),
  });
  collector.touch();
  collector.dispose();
  // Another collector touched later with the same delay has collected by the time the first would have.
  const witness = recordingGc(5_000);
  const later = createIdleCollector({
    delayMs: 20,
    gc: witness.gc,
    heap: () => ({ total: 500 * MB, used: 100 * MB, young: 0 }),
  });
  const done = witness.next();
  later.touch();
  await done;
  assert.equal(collected, 0);
  later.dispose();
});

test('a large young generation: a young collection at the quiet delay, another after the settle time', async () => {
  const { gc, calls, kinds, next } = recordingGc(5_000);
  let young = 32 * MB;
  const collector = createIdleCollector({
    delayMs: 20,
    settleMs: 60,
    gc,
    heap: () => ({ total: 30 * MB, used: 20 * MB, young }),
  });
  const touched = performance.now();
  let collected = next();
  collector.touch();
  await collected;
  assert.deepEqual(kinds, ['young'], 'a small heap: no full collection, a young one marks the start of the quiet time');
  collected = next();
  await collected;
  assert.deepEqual(kinds, ['young', 'young']);
  assert.ok(calls[1] - calls[0] >= 55, `the second ${calls[1] - calls[0]} ms after the first`);
  assert.ok(calls[0] - touched >= 15);
  assert.equal(collector.youngCollections, 2);
  assert.equal(collector.collections, 0);
  // Shrunk: the next quiet time finds it small and leaves it alone.
  young = 1 * MB;
  collector.touch();
  collector.dispose();
});

test('after a full collection, the young generation is shrunk after the settle time', async () => {
  const { gc, kinds, next } = recordingGc(5_000);
  const collector = createIdleCollector({
    delayMs: 20,
    settleMs: 40,
    gc,
    heap: () => ({ total: 200 * MB, used: 100 * MB, young: 32 * MB }),
  });
  let collected = next();
  collector.touch();
  await collected;
  collected = next();
  await collected;
  assert.deepEqual(kinds, ['full', 'young']);
  collector.dispose();
});

test('a young generation that the full collection left small is not collected again', async () => {
  const { gc, kinds } = recordingGc(5_000);
  let young = 32 * MB;
  const collector = createIdleCollector({
    delayMs: 20,
    settleMs: 40,
    gc: {
      full: () => {
        gc.full();
        young = 2 * MB;
      },
      young: gc.young,
    },
    heap: () => ({ total: 200 * MB, used: 100 * MB, young }),
  });
  // A witness with the same times whose young generation stays large: once it has made its
  // settle-time collection, the first one would have made its own.
  const witness = recordingGc(5_000);
  const other = createIdleCollector({
    delayMs: 20,
    settleMs: 40,
    gc: witness.gc,
    heap: () => ({ total: 30 * MB, used: 20 * MB, young: 32 * MB }),
  });
  let seen = witness.next();
  collector.touch();
  other.touch();
  await seen;
  seen = witness.next();
  await seen;
  assert.deepEqual(witness.kinds, ['young', 'young']);
  assert.deepEqual(kinds, ['full']);
  collector.dispose();
  other.dispose();
});

test('a message during the settle time cancels the young collection, which waits for the next quiet time', async () => {
  const { gc, calls, kinds, next } = recordingGc(5_000);
  const collector = createIdleCollector({
    delayMs: 20,
    settleMs: 80,
    gc,
    heap: () => ({ total: 30 * MB, used: 20 * MB, young: 32 * MB }),
  });
  let collected = next();
  collector.touch();
  await collected;
  assert.deepEqual(kinds, ['young']);
  // A message 20 ms into the settle time: the pending young collection is dropped and the steps start over.
  await new Promise<void>((resolve) => setTimeout(resolve, 20));
  const messaged = performance.now();
  collected = next();
  collector.touch();
  await collected;
  assert.deepEqual(kinds, ['young', 'young']);
  assert.ok(
    calls[1] - messaged < 70,
    `the step after the message is the quiet-delay one (${calls[1] - messaged} ms), not the cancelled settle`,
  );
  collected = next();
  await collected;
  assert.deepEqual(kinds, ['young', 'young', 'young']);
  assert.ok(calls[2] - calls[1] >= 75);
  collector.dispose();
});

test("V8's collector is reached without --expose-gc and frees the garbage", () => {
  assert.ok(!process.execArgv.includes('--expose-gc'));
  const gc = exposedGc()?.full;
  assert.ok(gc, 'gc reached');
  let garbage: unknown[] | undefined = Array.from({ length: 300_000 }, (_, i) => ({ i, text: `item ${i}` }));
  assert.equal(garbage.length, 300_000);
  garbage = undefined;
  const before = v8.getHeapStatistics().used_heap_size;
  gc();
  const after = v8.getHeapStatistics().used_heap_size;
  assert.ok(
    after < before - 10 * MB,
    `used heap ${Math.round(before / MB)} MB before, ${Math.round(after / MB)} MB after`,
  );
});

test('reaching the collector and collecting leave the flags as they were: a code cache written afterwards is accepted by the next process', () => {
  const collector = exposedGc();
  assert.ok(collector);
  // A full collection sets and puts back the compaction flag; a young one sets nothing.
  collector.full();
  collector.young();
  const source = 'function twice(x) { return 2 * x; }\ntwice(21);\n';
  const script = new vm.Script(source, { filename: 'idle-collect-cache.js' });
  script.runInThisContext();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idle-collect-'));
  try {
    const cacheFile = path.join(dir, 'cache.bin');
    fs.writeFileSync(cacheFile, script.createCachedData());
    const check = [
      "const vm = require('node:vm');",
      "const fs = require('node:fs');",
      `const script = new vm.Script(${JSON.stringify(source)}, { filename: 'idle-collect-cache.js', cachedData: fs.readFileSync(${JSON.stringify(cacheFile)}) });`,
      "process.stdout.write(script.cachedDataRejected ? 'rejected' : 'accepted');",
    ].join('\n');
    const next = spawnSync(process.execPath, ['-e', check], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(next.stdout, 'accepted', next.stderr);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("without a collector given, V8's is reached at the first collection (not at start)", async () => {
  const collector = createIdleCollector({ delayMs: 10, heap: () => ({ total: 500 * MB, used: 10 * MB, young: 0 }) });
  collector.touch();
  // A referenced timer bounds the wait (the collector's own does not keep the process alive).
  const bound = setTimeout(() => undefined, 5_000);
  try {
    const deadline = performance.now() + 5_000;
    while (collector.collections === 0 && performance.now() < deadline)
      await new Promise<void>((resolve) => setTimeout(resolve, 5));
  } finally {
    clearTimeout(bound);
  }
  assert.equal(collector.collections, 1);
  collector.dispose();
});

test("V8's young generation, grown by a burst of allocation, is given back after the quiet times (a fresh process, without --expose-gc)", () => {
  // In its own process: how far the young generation grew, and V8's allocation-rate history, are the process's own.
  const script = [
    `const { createIdleCollector, v8HeapSizes } = require(${JSON.stringify(path.join(__dirname, '../../server/src/runtime/idleCollect.js'))});`,
    'let keep = [];',
    'for (let round = 0; round < 30; round++) { const batch = []; for (let i = 0; i < 300000; i++) batch.push({ i, text: "item " + i }); keep.push(batch.slice(0, 1000)); }',
    'const before = v8HeapSizes().young;',
    'const collector = createIdleCollector({ delayMs: 50, settleMs: 6000 });',
    'collector.touch();',
    // Bounded: the steps take 50 ms + 6 s.
    'const deadline = Date.now() + 20000;',
    'const poll = setInterval(() => {',
    '  if (collector.collections + collector.youngCollections >= 2 || Date.now() > deadline) {',
    '    clearInterval(poll);',
    '    process.stdout.write(JSON.stringify({ before, after: v8HeapSizes().young, young: collector.youngCollections, full: collector.collections, kept: keep.length }));',
    '  }',
    '}, 50);',
  ].join('\n');
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(run.status, 0, run.stderr);
  const result = JSON.parse(run.stdout) as { before: number; after: number; young: number; full: number; kept: number };
  assert.equal(result.kept, 30);
  assert.ok(result.before > 8 * MB, `the young generation grew to ${Math.round(result.before / MB)} MB`);
  assert.ok(
    result.young >= 1 && result.full + result.young >= 2,
    `${result.full} full and ${result.young} young collections`,
  );
  assert.ok(
    result.after <= 4 * MB,
    `young generation ${Math.round(result.before / MB)} MB before, ${Math.round(result.after / MB)} MB after`,
  );
});

test("a full collection compacts: the old generation's fragmented pages are given back (a fresh process)", () => {
  // One object in twenty kept out of 600,000 promoted to the old generation: a plain full collection
  // leaves nearly every page committed, partly empty; a compacting one moves the survivors together.
  const script = [
    `const { exposedGc } = require(${JSON.stringify(path.join(__dirname, '../../server/src/runtime/idleCollect.js'))});`,
    "const v8 = require('node:v8');",
    "const old = () => v8.getHeapSpaceStatistics().find((space) => space.space_name === 'old_space');",
    'let all = [];',
    'for (let i = 0; i < 600000; i++) all.push({ i, text: "item " + i, list: [i] });',
    'const collector = exposedGc();',
    'collector.young();',
    'collector.young();',
    'const kept = all.filter((_, i) => i % 20 === 0);',
    'all = null;',
    'collector.full();',
    'process.stdout.write(JSON.stringify({ used: old().space_used_size, committed: old().space_size, kept: kept.length }));',
  ].join('\n');
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(run.status, 0, run.stderr);
  const result = JSON.parse(run.stdout) as { used: number; committed: number; kept: number };
  assert.equal(result.kept, 30_000);
  assert.ok(
    result.committed < 2 * result.used,
    `old generation: ${Math.round(result.used / MB)} MB in use, ${Math.round(result.committed / MB)} MB committed`,
  );
});
