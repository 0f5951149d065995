/**
 * Gives memory back when the server has nothing to do. Validating a large file makes V8 grow its
 * heap (a 10,000-line file: about 150 MB of garbage per edit), and V8 keeps those pages after
 * the burst of work is over: the process stays at two or three times what it holds. Once no
 * message has arrived for `delayMs`, and the heap has grown well past what the last collection
 * left, one full garbage collection returns the free pages to the system (the next message
 * postpones a pending one). Small files never grow the heap that far, so they never pay for it. The
 * parse of each open document is kept, so the next request parses nothing.
 *
 * V8's `gc` is reached without starting node with `--expose-gc` (which the VS Code client could
 * pass, but other editors starting `dist/server.js` would not): the flag is set at run time and
 * `gc` read from a new context, where it is exposed, then the flag is put back. Where that does not
 * work, nothing is done.
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

export interface IdleCollector {
  /** A message arrived or its work finished: wait `delayMs` again before collecting. */
  touch(): void;
  dispose(): void;
  /** Collections so far (for tests). */
  readonly collections: number;
}

export interface IdleCollectorOptions {
  /** Quiet time before collecting. */
  readonly delayMs?: number;
  /** Collect only when the heap is at least this big... */
  readonly minHeapBytes?: number;
  /** ...and this many times what the last collection left in use. */
  readonly growth?: number;
  /** The collector to call; by default V8's, if it can be reached. */
  readonly gc?: () => void;
  /** The heap's size and what of it is in use (V8's heap statistics by default). */
  readonly heap?: () => { total: number; used: number };
}

export function exposedGc(): (() => void) | undefined {
  try {
    v8.setFlagsFromString('--expose-gc');
    try {
      const gc = vm.runInNewContext('gc') as unknown;
      return typeof gc === 'function' ? () => (gc as () => void)() : undefined;
    } finally {
      // Back as it was: V8's code cache records the flags, and one written with a flag changed is
      // rejected by the next process (codeCache.ts), which would then start without it.
      v8.setFlagsFromString('--no-expose-gc');
    }
  } catch {
    return undefined;
  }
}

export function createIdleCollector(options: IdleCollectorOptions = {}): IdleCollector {
  const delayMs = options.delayMs ?? 1000;
  const minHeapBytes = options.minHeapBytes ?? 48 * 1024 * 1024;
  const growth = options.growth ?? 1.5;
  // Reached on the first collection, not at start (it costs a few milliseconds): `null` once it proved out of reach.
  let gc: (() => void) | null | undefined = options.gc;
  const heap =
    options.heap ??
    (() => {
      const stats = v8.getHeapStatistics();
      return { total: stats.total_heap_size, used: stats.used_heap_size };
    });
  let timer: NodeJS.Timeout | undefined;
  let collections = 0;
  let live = 0;
  const collect = () => {
    timer = undefined;
    if (heap().total < Math.max(minHeapBytes, growth * live)) return;
    if (gc === undefined) gc = exposedGc() ?? null;
    if (gc === null) return;
    collections++;
    gc();
    live = heap().used;
  };
  return {
    touch() {
      if (gc === null) return;
      if (timer) timer.refresh();
      else {
        timer = setTimeout(collect, delayMs);
        // Never what keeps the process alive.
        timer.unref();
      }
    },
    dispose() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
    get collections() {
      return collections;
    },
  };
}
