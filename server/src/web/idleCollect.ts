/** The browser's stand-in for idleCollect.ts: a worker cannot reach V8's collector; the browser collects on its own. */
import type { createIdleCollector as nodeCreateIdleCollector, IdleCollector } from '../runtime/idleCollect';

export const createIdleCollector: typeof nodeCreateIdleCollector = (): IdleCollector => ({
  touch: () => undefined,
  dispose: () => undefined,
  collections: 0,
  youngCollections: 0,
});
