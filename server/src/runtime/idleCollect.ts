/**
 * Gives memory back when the server has nothing to do. Validating a large file makes V8 grow its
 * heap (every edit of it makes many times the file's size in garbage), and V8 keeps those pages
 * after the burst of work is over: the process stays well above what it holds. Two steps,
 * each only after a quiet time (every message postpones them and cancels the second):
 *
 * 1. Once no message has arrived for `delayMs`, and the heap has grown well past what the last
 *    collection left, one full, compacting garbage collection returns the old generation's free
 *    pages.
 * 2. V8 keeps the young generation at the largest size a burst made it grow to (its maximum once a
 *    file of a few hundred lines has been validated, all of it resident), and shrinks it only in a
 *    young collection that finds the allocation rate of the last 5 s low. So when the young
 *    generation is larger than `youngFloorBytes`, step 1 ends with a young collection (if it did
 *    not collect in full), which marks the start of the quiet time, and a second one follows
 *    `settleMs` later, when V8 sees 5 s with nothing allocated and gives the space back.
 *
 * A small heap never gets the full collection; a young collection takes a few milliseconds, in a
 * quiet time. The parse of each
 * open document is kept, so the next request parses nothing; the next burst grows the young
 * generation again as it needs.
 *
 * V8's `gc` is reached without starting node with `--expose-gc` (which the VS Code client could
 * pass, but other editors starting `dist/server.js` would not): the flag is set at run time and
 * `gc` read from a new context, where it is exposed, then the flag is put back. Where that does not
 * work, nothing is done.
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

/** V8's collector, as its `gc` extension offers it. */
export interface Collector {
  /** A full, synchronous collection. */
  full(): void;
  /** A young-generation collection (a scavenge). */
  young(): void;
}

/** What the collector reads of the heap, in bytes. */
export interface HeapSizes {
  /** The heap's committed size... */
  readonly total: number;
  /** ...and what of it is in use. */
  readonly used: number;
  /** The young generation's committed size. */
  readonly young: number;
}

export interface IdleCollector {
  /** A message arrived or its work finished: wait `delayMs` again before collecting. */
  touch(): void;
  dispose(): void;
  /** Full collections so far (for tests). */
  readonly collections: number;
  /** Young collections so far (for tests). */
  readonly youngCollections: number;
}

export interface IdleCollectorOptions {
  /** Quiet time before collecting. */
  readonly delayMs?: number;
  /** Quiet time after the first step before the young collection that lets V8 shrink the young generation. */
  readonly settleMs?: number;
  /** Collect in full only when the heap is at least this big... */
  readonly minHeapBytes?: number;
  /** ...and this many times what the last collection left in use. */
  readonly growth?: number;
  /** Shrink the young generation only when it is larger than this. */
  readonly youngFloorBytes?: number;
  /** The collector to call; by default V8's, if it can be reached. */
  readonly gc?: Collector;
  /** The heap's sizes (V8's heap statistics by default). */
  readonly heap?: () => HeapSizes;
}

export function exposedGc(): Collector | undefined {
  try {
    v8.setFlagsFromString('--expose-gc');
    try {
      const gc = vm.runInNewContext('gc') as unknown;
      if (typeof gc !== 'function') return undefined;
      const call = gc as (options?: { type: 'minor' }) => void;
      return { full: () => compacting(call), young: () => call({ type: 'minor' }) };
    } finally {
      // Back as it was: V8's code cache records the flags, and one written with a flag changed is
      // rejected by the next process (codeCache.ts), which would then start without it.
      v8.setFlagsFromString('--no-expose-gc');
    }
  } catch {
    return undefined;
  }
}

/**
 * A full collection that also compacts: V8 moves objects out of the old generation's fragmented
 * pages only when it judges memory short, so after a burst the pages a large document's tree
 * survives on stay committed, partly empty, by an amount that varies from run to run. The flag holds for this one collection, then is put back
 * as it was (see exposedGc).
 */
function compacting(collect: () => void): void {
  v8.setFlagsFromString('--compact-on-every-full-gc');
  try {
    collect();
  } finally {
    v8.setFlagsFromString('--no-compact-on-every-full-gc');
  }
}

/** V8's heap statistics: the whole heap, and the young generation ("new_space"). */
export function v8HeapSizes(): HeapSizes {
  const stats = v8.getHeapStatistics();
  const young = v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;
  return { total: stats.total_heap_size, used: stats.used_heap_size, young };
}

export function createIdleCollector(options: IdleCollectorOptions = {}): IdleCollector {
  const delayMs = options.delayMs ?? 1000;
  // V8 judges the allocation rate over the last 5 s (its tracer's throughput time frame).
  const settleMs = options.settleMs ?? 6000;
  const minHeapBytes = options.minHeapBytes ?? 48 * 1024 * 1024;
  const growth = options.growth ?? 1.5;
  const youngFloorBytes = options.youngFloorBytes ?? 4 * 1024 * 1024;
  // Reached on the first collection, not at start (it costs a few milliseconds): `null` once it proved out of reach.
  let gc: Collector | null | undefined = options.gc;
  const heap = options.heap ?? v8HeapSizes;
  let timer: NodeJS.Timeout | undefined;
  let settleTimer: NodeJS.Timeout | undefined;
  let collections = 0;
  let youngCollections = 0;
  let live = 0;
  const reach = (): Collector | null => {
    if (gc === undefined) gc = exposedGc() ?? null;
    return gc;
  };
  const young = (collector: Collector) => {
    youngCollections++;
    collector.young();
  };
  const settle = () => {
    settleTimer = undefined;
    if (gc && heap().young > youngFloorBytes) young(gc);
  };
  const collect = () => {
    timer = undefined;
    const sizes = heap();
    const full = sizes.total >= Math.max(minHeapBytes, growth * live);
    if (!full && sizes.young <= youngFloorBytes) return;
    const collector = reach();
    if (collector === null) return;
    if (full) {
      collections++;
      collector.full();
      live = heap().used;
    } else young(collector);
    if (heap().young > youngFloorBytes) {
      settleTimer = setTimeout(settle, settleMs);
      settleTimer.unref();
    }
  };
  return {
    touch() {
      if (gc === null) return;
      if (settleTimer) clearTimeout(settleTimer);
      settleTimer = undefined;
      if (timer) timer.refresh();
      else {
        timer = setTimeout(collect, delayMs);
        // Never what keeps the process alive.
        timer.unref();
      }
    },
    dispose() {
      if (timer) clearTimeout(timer);
      if (settleTimer) clearTimeout(settleTimer);
      timer = settleTimer = undefined;
    },
    get collections() {
      return collections;
    },
    get youngCollections() {
      return youngCollections;
    },
  };
}
