/**
 * The browser's stand-in for catalogue/liveTags.ts: no refresh from the registry (a web worker has
 * no file cache and no proxy settings, and mcr.microsoft.com sends no CORS headers for a page's
 * fetch), so completion and hover answer from the bundled catalogue, as the node server does offline.
 */
import type { createLiveTagSource as nodeCreateLiveTagSource, LiveTagSource, RefreshResult } from '../catalogue/liveTags';

const SKIPPED: RefreshResult = { status: 'skipped', reason: 'disabled' };

export const createLiveTagSource: typeof nodeCreateLiveTagSource = (): LiveTagSource => ({
  getTags: () => [],
  refresh: () => Promise.resolve(SKIPPED),
  whenIdle: () => Promise.resolve(),
  dispose: () => undefined,
});
