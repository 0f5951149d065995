/**
 * Live .NET lifecycles from dotnet/core's `releases-index.json` (release type, end of support), when
 * `windowsContainers.catalogue.liveRefresh` is on: cached on disk for a day, read synchronously,
 * never waited on. `getUpdates` answers from the cache (or `undefined`: the bundled
 * `data/products.json` applies) and starts a background refresh when the cache is missing or stale;
 * `onChange` tells the server to check documents again. The HTTP request is the live tag refresh's
 * (liveTags.ts `getPage`), with its timeout, size cap, proxy and https-only rules.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nodeCrypto } from '../runtime/lazyModules';
import { Connection, describe, getPage, LiveTagError, LiveTagFailure, LiveTagOptions, LOOPBACK } from './liveTags';
import type { LifecycleUpdate } from '../catalogue/products';
import { channelUpdates, isIsoDate, parseReleasesIndex, UpstreamError } from '../catalogue/productsUpdate';
import { bare } from './proxyAgent';

export const RELEASES_INDEX_URL = 'https://builds.dotnet.microsoft.com/dotnet/release-metadata/releases-index.json';
/** `@` never appears in the tag cache's file names (encodeURIComponent encodes it): no clash in a shared folder. */
const CACHE_FILE = '@dotnet-releases-index.json';
const DAY = 24 * 60 * 60 * 1000;
const MAX_REDIRECTS = 3;

/**
 * As for the live tag source (liveTags.ts), except: `url` instead of `baseUrl`; `timeoutMs` 5000 ms
 * and `maxBytes` 1 MB by default (far above the size of the file); `onChange` after a refresh that changed
 * the updates (not after one that learnt the same facts).
 */
export interface LiveLifecycleOptions extends Pick<
  LiveTagOptions,
  | 'cacheDir'
  | 'timeoutMs'
  | 'maxBytes'
  | 'maxAgeMs'
  | 'backoffMs'
  | 'enabled'
  | 'proxy'
  | 'noProxy'
  | 'strictSSL'
  | 'log'
  | 'now'
  | 'env'
> {
  /** `RELEASES_INDEX_URL` by default; `http:` is accepted for loopback hosts only (tests). */
  readonly url?: string;
  readonly onChange?: () => void;
}

export type LifecycleRefreshResult =
  | { readonly status: 'updated'; readonly updates: readonly LifecycleUpdate[]; readonly changed: boolean }
  | { readonly status: 'failed'; readonly failure: LiveTagFailure | 'malformed-data'; readonly message: string }
  | { readonly status: 'skipped'; readonly reason: 'disabled' | 'disposed' };

export interface LiveLifecycleSource {
  /** The cached updates (the same array until a refresh changes them), or `undefined`; starts a background refresh when due. */
  getUpdates(): readonly LifecycleUpdate[] | undefined;
  /** Fetches now, ignoring freshness and back-off; joins a refresh in flight. Never rejects. */
  refresh(): Promise<LifecycleRefreshResult>;
  whenIdle(): Promise<void>;
  dispose(): void;
}

interface CacheEntry {
  readonly updates: readonly LifecycleUpdate[];
  readonly fetchedAt: number;
}

/** Creates the source; throws when `url` is not https (or http on a loopback host). */
export function createLiveLifecycleSource(options: LiveLifecycleOptions): LiveLifecycleSource {
  const url = new URL(options.url ?? RELEASES_INDEX_URL);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(bare(url.hostname)))) {
    throw new Error(`live lifecycles: releases-index.json must be read over https (got ${url.origin})`);
  }
  const timeoutMs = options.timeoutMs ?? 5000;
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const maxAgeMs = options.maxAgeMs ?? DAY;
  const backoffMs = options.backoffMs ?? 10 * 60 * 1000;
  const now = options.now ?? Date.now;
  const file = path.join(options.cacheDir, CACHE_FILE);
  const connection: Connection = {
    ...options,
    timeoutMs,
    userAgent: 'windows-containers-vscode (live lifecycle refresh)',
  };

  let entry: CacheEntry | undefined;
  let loaded = false;
  let inFlight: Promise<LifecycleRefreshResult> | undefined;
  let failedAt: number | undefined;
  let controller: AbortController | undefined;
  let disposed = false;
  const logged = new Set<string>();

  function cached(): CacheEntry | undefined {
    if (!loaded) {
      loaded = true;
      entry = readCache(file, url.href);
    }
    return entry;
  }

  function start(): Promise<LifecycleRefreshResult> {
    if (inFlight) return inFlight;
    controller = new AbortController();
    const signal = controller.signal;
    inFlight = fetchIndex(signal)
      .then(async (body): Promise<LifecycleRefreshResult> => {
        let updates: LifecycleUpdate[];
        try {
          updates = channelUpdates(parseReleasesIndex(body, url.href));
        } catch (error) {
          throw new LiveTagError('wrong-shape', error instanceof UpstreamError ? error.message : String(error));
        }
        const before = cached();
        const changed = JSON.stringify(before?.updates) !== JSON.stringify(updates);
        entry = { updates: changed || !before ? updates : before.updates, fetchedAt: now() };
        failedAt = undefined;
        logged.clear();
        await writeCache(entry);
        if (changed && !disposed) options.onChange?.();
        return { status: 'updated', updates: entry.updates, changed };
      })
      .catch((error: unknown): LifecycleRefreshResult => {
        if (disposed) return { status: 'skipped', reason: 'disposed' };
        const failure = error instanceof LiveTagError ? error : new LiveTagError('network', describe(error));
        failedAt = now();
        if (!logged.has(failure.failure)) {
          logged.add(failure.failure);
          const fallback = cached() ? 'the cached lifecycles' : 'the bundled product lifecycles';
          options.log(
            `Could not refresh the .NET lifecycles from ${url.href} (${failure.failure}: ${failure.message}); using ${fallback}. Further failures of this kind are not logged until a refresh succeeds.`,
          );
        }
        return { status: 'failed', failure: failure.failure, message: failure.message };
      })
      .finally(() => {
        inFlight = undefined;
        controller = undefined;
      });
    return inFlight;
  }

  async function writeCache(value: CacheEntry): Promise<void> {
    const temp = `${file}.${process.pid}.${nodeCrypto().randomBytes(4).toString('hex')}.tmp`;
    try {
      await fs.promises.mkdir(options.cacheDir, { recursive: true });
      await fs.promises.writeFile(
        temp,
        JSON.stringify({ source: url.href, fetchedAt: value.fetchedAt, updates: value.updates }),
      );
      await fs.promises.rename(temp, file);
    } catch (error) {
      await fs.promises.rm(temp, { force: true }).catch(() => undefined);
      if (!logged.has('cache')) {
        logged.add('cache');
        options.log(`Could not write the lifecycle cache ${file} (${(error as Error).message}).`);
      }
    }
  }

  async function fetchIndex(signal: AbortSignal): Promise<string> {
    let target = url;
    for (let redirects = 0; ; redirects++) {
      const page = await getPage(target, maxBytes, signal, connection);
      if (page.location === undefined) return page.body;
      if (redirects >= MAX_REDIRECTS) throw new LiveTagError('redirect', `more than ${MAX_REDIRECTS} redirects`);
      let next: URL;
      try {
        next = new URL(page.location, target);
      } catch {
        throw new LiveTagError('redirect', `redirected to an invalid URL ${JSON.stringify(page.location)}`);
      }
      if (next.protocol !== 'https:' && next.origin !== url.origin)
        throw new LiveTagError('redirect', `redirected to ${next.origin}, which is not https`);
      target = next;
    }
  }

  return {
    getUpdates() {
      if (disposed || !options.enabled()) return undefined;
      const current = cached();
      const age = current ? now() - current.fetchedAt : Infinity;
      const due = age < 0 || age >= maxAgeMs;
      const backingOff = failedAt !== undefined && now() - failedAt < backoffMs;
      if (due && !backingOff) void start();
      return current?.updates;
    },
    refresh() {
      if (disposed) return Promise.resolve({ status: 'skipped', reason: 'disposed' });
      if (!options.enabled()) return Promise.resolve({ status: 'skipped', reason: 'disabled' });
      return start();
    },
    async whenIdle() {
      while (inFlight) await inFlight;
    },
    dispose() {
      disposed = true;
      controller?.abort();
    },
  };
}

const VERSION = /^\d+\.\d+(-preview)?$/;

/** The cached updates, or `undefined` when the file is missing, corrupt, from another URL or holds anything odd. */
function readCache(file: string, source: string): CacheEntry | undefined {
  let value: { source?: unknown; fetchedAt?: unknown; updates?: unknown };
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof value;
  } catch {
    return undefined; // missing or corrupt: the next successful refresh replaces it
  }
  if (typeof value !== 'object' || value === null || value.source !== source) return undefined;
  if (typeof value.fetchedAt !== 'number' || !Number.isFinite(value.fetchedAt) || !Array.isArray(value.updates))
    return undefined;
  const valid = value.updates.every(
    (u: Partial<LifecycleUpdate>) =>
      typeof u === 'object' &&
      u !== null &&
      u.product === 'dotnet' &&
      typeof u.version === 'string' &&
      VERSION.test(u.version) &&
      (u.releaseType === undefined || u.releaseType === 'lts' || u.releaseType === 'sts') &&
      (u.endOfSupport === undefined || isIsoDate(u.endOfSupport)) &&
      (u.released === undefined || isIsoDate(u.released)),
  );
  return valid ? { updates: value.updates as LifecycleUpdate[], fetchedAt: value.fetchedAt } : undefined;
}
