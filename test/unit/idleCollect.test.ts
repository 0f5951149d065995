/**
 * The idle collector (server/src/idleCollect.ts): one collection once the server has been quiet
 * for the delay, postponed by every message, only when the heap has grown well past what the last
 * collection left; and V8's own collector reached without `--expose-gc`, which really frees memory.
 * Waits are on the collection itself, bounded; never a fixed sleep.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import * as vm from 'node:vm';
import * as assert from 'node:assert/strict';
import * as v8 from 'node:v8';
import { createIdleCollector, exposedGc } from '../../server/src/idleCollect';

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

/** A `gc` that records the time of each call; `next()` waits for the next one, bounded. */
function recordingGc(boundMs: number) {
  const calls: number[] = [];
  const collected = signal(boundMs, 'collection');
  const gc = () => {
    calls.push(performance.now());
    collected.fire();
  };
  const next = collected.next;
  return { gc, calls, next };
}

test('collects once after the quiet delay, when the heap is large', async () => {
  const { gc, calls, next } = recordingGc(5_000);
  const heap = { total: 200 * MB, used: 150 * MB };
  const collector = createIdleCollector({ delayMs: 30, gc, heap: () => heap });
  const touched = performance.now();
  const collected = next();
  collector.touch();
  await collected;
  assert.equal(calls.length, 1);
  assert.ok(calls[0] - touched >= 25, `collected ${calls[0] - touched} ms after the last message`);
  assert.equal(collector.collections, 1);
  collector.dispose();
});

test('every message postpones the collection', async () => {
  const { gc, calls, next } = recordingGc(5_000);
  const collector = createIdleCollector({ delayMs: 40, gc, heap: () => ({ total: 200 * MB, used: 100 * MB }) });
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
  let heap = { total: 30 * MB, used: 20 * MB };
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
  // Under the 48 MB floor: looked at, not collected.
  let lookedAt = waitForCheck();
  collector.touch();
  await lookedAt;
  assert.equal(calls.length, 0);
  // Large: collected; what is then in use (80 MB) is the new reference.
  heap = { total: 100 * MB, used: 80 * MB };
  const collected = next();
  collector.touch();
  await collected;
  assert.equal(calls.length, 1);
  // 110 MB is under 1.5 × 80 MB: not collected again.
  heap = { total: 110 * MB, used: 100 * MB };
  lookedAt = waitForCheck();
  collector.touch();
  await lookedAt;
  assert.equal(calls.length, 1);
  // 130 MB is past it.
  heap = { total: 130 * MB, used: 100 * MB };
  const again = next();
  collector.touch();
  await again;
  assert.equal(calls.length, 2);
  assert.ok(checks >= 4);
  collector.dispose();
});

test('dispose cancels a pending collection', async () => {
  let collected = 0;
  const collector = createIdleCollector({ delayMs: 20, gc: () => collected++, heap: () => ({ total: 500 * MB, used: 100 * MB }) });
  collector.touch();
  collector.dispose();
  // Another collector touched later with the same delay has collected by the time the first would have.
  const witness = recordingGc(5_000);
  const later = createIdleCollector({ delayMs: 20, gc: witness.gc, heap: () => ({ total: 500 * MB, used: 100 * MB }) });
  const done = witness.next();
  later.touch();
  await done;
  assert.equal(collected, 0);
  later.dispose();
});

test("V8's collector is reached without --expose-gc and frees the garbage", () => {
  assert.ok(!process.execArgv.includes('--expose-gc'));
  const gc = exposedGc();
  assert.ok(gc, 'gc reached');
  let garbage: unknown[] | undefined = Array.from({ length: 300_000 }, (_, i) => ({ i, text: `item ${i}` }));
  assert.equal(garbage.length, 300_000);
  garbage = undefined;
  const before = v8.getHeapStatistics().used_heap_size;
  gc();
  const after = v8.getHeapStatistics().used_heap_size;
  assert.ok(after < before - 10 * MB, `used heap ${Math.round(before / MB)} MB before, ${Math.round(after / MB)} MB after`);
});

test('reaching the collector leaves the flags as they were: a code cache written afterwards is accepted by the next process', () => {
  assert.ok(exposedGc());
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
  const collector = createIdleCollector({ delayMs: 10, heap: () => ({ total: 500 * MB, used: 10 * MB }) });
  collector.touch();
  // A referenced timer bounds the wait (the collector's own does not keep the process alive).
  const bound = setTimeout(() => undefined, 5_000);
  try {
    const deadline = performance.now() + 5_000;
    while (collector.collections === 0 && performance.now() < deadline) await new Promise<void>((resolve) => setTimeout(resolve, 5));
  } finally {
    clearTimeout(bound);
  }
  assert.equal(collector.collections, 1);
  collector.dispose();
});
