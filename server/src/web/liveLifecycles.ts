/**
 * The browser's stand-in for network/liveLifecycles.ts: no refresh of releases-index.json from a
 * web worker (no file cache, no proxy settings), so the rules judge product lifecycles by the
 * bundled data (products.json), as the node server does offline.
 */
import type {
  createLiveLifecycleSource as nodeCreateLiveLifecycleSource,
  LiveLifecycleSource,
} from '../network/liveLifecycles';

export const createLiveLifecycleSource: typeof nodeCreateLiveLifecycleSource = (): LiveLifecycleSource => ({
  getUpdates: () => undefined,
  refresh: () => Promise.resolve({ status: 'skipped', reason: 'disabled' }),
  whenIdle: () => Promise.resolve(),
  dispose: () => undefined,
});
