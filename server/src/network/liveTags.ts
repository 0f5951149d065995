/**
 * Live tag lists from the Microsoft Container Registry (`GET /v2/<name>/tags/list`), cached on disk
 * for a day. Reads are synchronous and never wait on the network: `getTags` answers from the cache
 * and starts a background refresh when the cache is missing or stale. The caller merges the answer
 * with the bundled catalogue (`listTags(repository, today, liveTags)`).
 */
import * as fs from 'node:fs';
import type * as http from 'node:http';
import type * as https from 'node:https';
import type { Socket } from 'node:net';
import * as path from 'node:path';
import { nodeCrypto, nodeHttp, nodeHttps, nodeNet, nodeTls } from '../runtime/lazyModules';
import { bare, openTunnel, ProxyError, proxyFor } from './proxyAgent';

import { apiName, MAX_LIVE_TAGS, MCR_REGISTRY, TAG, tagsOfAnswer } from '../catalogue/registryApi';

export { apiName, MAX_LIVE_TAGS, MCR_REGISTRY };

export interface LiveTagOptions {
  /** Directory of the on-disk cache (one JSON file per repository); created when missing. */
  readonly cacheDir: string;
  /** Registry origin, `https://mcr.microsoft.com` by default; `http:` is accepted for loopback hosts only (tests). */
  readonly baseUrl?: string;
  /** Deadline of each HTTP request (proxy tunnel, TLS, headers and body), 3000 ms by default. */
  readonly timeoutMs?: number;
  /** Most bytes read over all pages of one refresh, 2 MB by default; beyond it the refresh fails. */
  readonly maxBytes?: number;
  /** Most pages followed through `Link: <...>; rel="next"`, 20 by default; the tags of the pages read are kept. */
  readonly maxPages?: number;
  /** Most tags kept per repository, `MAX_LIVE_TAGS` by default; the first ones read are kept. */
  readonly maxTags?: number;
  /** Age after which cached tags are refreshed in the background, one day by default. */
  readonly maxAgeMs?: number;
  /** Pause after a failed background refresh before the same repository is tried again, 10 minutes by default. */
  readonly backoffMs?: number;
  /** When it returns false: no network call, no cache read, `getTags` answers `[]`. */
  readonly enabled: () => boolean;
  /** VS Code's `http.proxy`; when empty, `HTTPS_PROXY`/`https_proxy` and `NO_PROXY` apply. */
  readonly proxy?: () => string | undefined;
  /** VS Code's `http.noProxy`, used with `proxy`. */
  readonly noProxy?: () => readonly string[] | undefined;
  /** VS Code's `http.proxyStrictSSL`: verify certificates (of the registry and of an https proxy); true by default. */
  readonly strictSSL?: () => boolean;
  /** Receives one message per kind of failure until a refresh succeeds. */
  readonly log: (message: string) => void;
  /** Clock in epoch milliseconds, `Date.now` by default. */
  readonly now?: () => number;
  /** Environment for the proxy variables, `process.env` by default. */
  readonly env?: NodeJS.ProcessEnv;
}

/** Why a refresh failed; the log says each kind once until a refresh succeeds. */
export type LiveTagFailure =
  'network' | 'tls' | 'timeout' | 'proxy' | 'http-status' | 'redirect' | 'too-large' | 'malformed-json' | 'wrong-shape';

export type RefreshResult =
  | { readonly status: 'updated'; readonly tags: readonly string[]; readonly pages: number; readonly complete: boolean }
  | { readonly status: 'failed'; readonly failure: LiveTagFailure; readonly message: string }
  | { readonly status: 'skipped'; readonly reason: 'disabled' | 'unsupported-repository' | 'disposed' };

export interface LiveTagSource {
  /** The cached tags of a repository (e.g. `mcr.microsoft.com/windows/servercore`), possibly stale or empty; starts a background refresh when due. */
  getTags(repository: string): readonly string[];
  /** Fetches now, ignoring freshness and back-off; joins a refresh already in flight. Never rejects. */
  refresh(repository: string): Promise<RefreshResult>;
  /** Resolves once no refresh is in flight. */
  whenIdle(): Promise<void>;
  /** Aborts refreshes in flight; later calls make no network call. */
  dispose(): void;
}

const DAY = 24 * 60 * 60 * 1000;
const MAX_REDIRECTS = 3;
export const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** A failed request, by kind (the lifecycle refresh gets the same through `getPage`). */
export class LiveTagError extends Error {
  constructor(
    readonly failure: LiveTagFailure,
    message: string,
  ) {
    super(message);
  }
}

interface CacheEntry {
  readonly tags: readonly string[];
  readonly fetchedAt: number;
}

interface CacheFile extends CacheEntry {
  readonly repository: string;
  readonly registry: string;
}

/** Creates the live tag source; throws when `baseUrl` is not https (or http on a loopback host). */
export function createLiveTagSource(options: LiveTagOptions): LiveTagSource {
  const base = new URL(options.baseUrl ?? `https://${MCR_REGISTRY}`);
  if (base.protocol !== 'https:' && !(base.protocol === 'http:' && LOOPBACK.has(bare(base.hostname)))) {
    throw new Error(`live tags: the registry must be reached over https (got ${base.origin})`);
  }
  const timeoutMs = options.timeoutMs ?? 3000;
  const maxBytes = options.maxBytes ?? 2 * 1024 * 1024;
  const maxPages = options.maxPages ?? 20;
  const maxTags = options.maxTags ?? MAX_LIVE_TAGS;
  const maxAgeMs = options.maxAgeMs ?? DAY;
  const backoffMs = options.backoffMs ?? 10 * 60 * 1000;
  const now = options.now ?? Date.now;
  const connection: Connection = { ...options, timeoutMs, userAgent: 'windows-containers-vscode (live tag refresh)' };

  const cache = new Map<string, CacheEntry | undefined>();
  const inFlight = new Map<string, Promise<RefreshResult>>();
  const failedAt = new Map<string, number>();
  const controllers = new Set<AbortController>();
  const logged = new Set<LiveTagFailure | 'cache'>();
  let disposed = false;

  const cacheFile = (name: string) => path.join(options.cacheDir, `${encodeURIComponent(name)}.json`);

  function cached(name: string): CacheEntry | undefined {
    if (!cache.has(name)) cache.set(name, readCache(cacheFile(name), name, base.origin, maxTags));
    return cache.get(name);
  }

  function logOnce(kind: LiveTagFailure | 'cache', message: string): void {
    if (logged.has(kind)) return;
    logged.add(kind);
    options.log(
      kind === 'cache' ? message : `${message} Further failures of this kind are not logged until a refresh succeeds.`,
    );
  }

  function start(name: string, repository: string): Promise<RefreshResult> {
    const running = inFlight.get(name);
    if (running) return running;
    const controller = new AbortController();
    controllers.add(controller);
    const promise = fetchTags(name, controller.signal)
      .then(async ({ tags, pages, complete }): Promise<RefreshResult> => {
        const entry = { tags, fetchedAt: now() };
        cache.set(name, entry);
        failedAt.delete(name);
        for (const kind of logged) if (kind !== 'cache') logged.delete(kind);
        await writeCache(name, repository, entry);
        return { status: 'updated', tags, pages, complete };
      })
      .catch((error: unknown): RefreshResult => {
        if (disposed) return { status: 'skipped', reason: 'disposed' };
        const failure = error instanceof LiveTagError ? error : new LiveTagError('network', String(error));
        failedAt.set(name, now());
        const fallback = cached(name) ? 'the cached and bundled tags' : 'the bundled catalogue';
        logOnce(
          failure.failure,
          `Could not refresh the tags of ${repository} from ${base.origin} (${failure.failure}: ${failure.message}); completion uses ${fallback}.`,
        );
        return { status: 'failed', failure: failure.failure, message: failure.message };
      })
      .finally(() => {
        controllers.delete(controller);
        inFlight.delete(name);
      });
    inFlight.set(name, promise);
    return promise;
  }

  async function writeCache(name: string, repository: string, entry: CacheEntry): Promise<void> {
    const file = cacheFile(name);
    const temp = `${file}.${process.pid}.${nodeCrypto().randomBytes(4).toString('hex')}.tmp`;
    const content: CacheFile = { repository, registry: base.origin, fetchedAt: entry.fetchedAt, tags: entry.tags };
    try {
      await fs.promises.mkdir(options.cacheDir, { recursive: true });
      await fs.promises.writeFile(temp, JSON.stringify(content));
      // Rename is atomic: another window reading the file sees the old list or the new one, never half.
      await fs.promises.rename(temp, file);
    } catch (error) {
      await fs.promises.rm(temp, { force: true }).catch(() => undefined);
      logOnce('cache', `Could not write the tag cache ${file} (${(error as Error).message}).`);
    }
  }

  async function fetchTags(
    name: string,
    signal: AbortSignal,
  ): Promise<{ tags: string[]; pages: number; complete: boolean }> {
    const tags: string[] = [];
    let url = new URL(`/v2/${name}/tags/list`, base);
    let budget = maxBytes;
    let pages = 0;
    let redirects = 0;
    for (;;) {
      const page = await getPage(url, budget, signal, connection);
      budget -= page.bytes;
      if (page.location !== undefined) {
        if (++redirects > MAX_REDIRECTS) throw new LiveTagError('redirect', `more than ${MAX_REDIRECTS} redirects`);
        url = sameOrigin(page.location, url, 'redirected');
        continue;
      }
      for (const tag of parseTags(page.body)) tags.push(tag);
      pages++;
      const unique = [...new Set(tags)];
      if (unique.length > maxTags) return { tags: unique.slice(0, maxTags), pages, complete: false };
      if (page.next === undefined) return { tags: unique, pages, complete: true };
      if (pages >= maxPages) return { tags: unique, pages, complete: false };
      url = sameOrigin(page.next, url, 'paginated');
    }
  }

  function sameOrigin(link: string, current: URL, verb: string): URL {
    let target: URL;
    try {
      target = new URL(link, current);
    } catch {
      throw new LiveTagError('redirect', `${verb} to an invalid URL ${JSON.stringify(link)}`);
    }
    if (target.origin !== base.origin)
      throw new LiveTagError('redirect', `${verb} to ${target.origin}, which is not ${base.origin}`);
    return target;
  }

  return {
    getTags(repository) {
      const name = apiName(repository);
      if (disposed || name === undefined || !options.enabled()) return [];
      const entry = cached(name);
      const age = entry ? now() - entry.fetchedAt : Infinity;
      const due = age < 0 || age >= maxAgeMs;
      const failed = failedAt.get(name);
      const backingOff = failed !== undefined && now() - failed < backoffMs;
      if (due && !backingOff) void start(name, repository.toLowerCase());
      return entry?.tags ?? [];
    },
    refresh(repository) {
      const name = apiName(repository);
      if (name === undefined) return Promise.resolve({ status: 'skipped', reason: 'unsupported-repository' });
      if (disposed) return Promise.resolve({ status: 'skipped', reason: 'disposed' });
      if (!options.enabled()) return Promise.resolve({ status: 'skipped', reason: 'disabled' });
      return start(name, repository.toLowerCase());
    },
    async whenIdle() {
      while (inFlight.size > 0) await Promise.all(inFlight.values());
    },
    dispose() {
      disposed = true;
      for (const controller of controllers) controller.abort();
    },
  };
}

/** How a request connects: its deadline, proxy and certificate checks (shared with liveLifecycles.ts). */
export interface Connection {
  /** Deadline of the request (proxy tunnel, TLS, headers and body). */
  readonly timeoutMs: number;
  readonly userAgent: string;
  readonly proxy?: () => string | undefined;
  readonly noProxy?: () => readonly string[] | undefined;
  readonly strictSSL?: () => boolean;
  readonly env?: NodeJS.ProcessEnv;
}

/** One GET of `url` through the proxy the settings name, read up to `budget` bytes; failures are `LiveTagError`s by kind. */
export async function getPage(url: URL, budget: number, outer: AbortSignal, options: Connection): Promise<Page> {
  const timeoutMs = options.timeoutMs;
  const page = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    page.abort();
  }, timeoutMs);
  const abort = () => page.abort();
  outer.addEventListener('abort', abort, { once: true });
  const signal = page.signal;
  let tunnel: Socket | undefined;
  try {
    const secure = url.protocol === 'https:';
    const host = bare(url.hostname);
    const port = Number(url.port || (secure ? 443 : 80));
    const strictSSL = options.strictSSL?.() ?? true;
    let proxy: URL | undefined;
    try {
      proxy = proxyFor(url, {
        proxy: options.proxy?.(),
        noProxy: options.noProxy?.(),
        env: options.env ?? process.env,
      });
      if (proxy) tunnel = await openTunnel(proxy, host, port, { signal, rejectUnauthorized: strictSSL });
    } catch (error) {
      if (signal.aborted) throw error;
      throw new LiveTagError(
        'proxy',
        error instanceof ProxyError ? error.message : `cannot reach the proxy ${proxy?.host}: ${describe(error)}`,
      );
    }
    const socket = tunnel;
    const request: https.RequestOptions = {
      host,
      port,
      path: url.pathname + url.search,
      method: 'GET',
      headers: { Accept: 'application/json', 'User-Agent': options.userAgent },
      rejectUnauthorized: strictSSL,
      servername: nodeNet().isIP(host) ? undefined : host,
    };
    if (socket) {
      request.createConnection = () =>
        secure ? nodeTls().connect({ socket, servername: request.servername, rejectUnauthorized: strictSSL }) : socket;
    } else {
      request.agent = false;
    }
    return await send(secure ? nodeHttps() : nodeHttp(), request, budget, signal);
  } catch (error) {
    if (timedOut && !outer.aborted) throw new LiveTagError('timeout', `no complete answer within ${timeoutMs} ms`);
    if (error instanceof LiveTagError || outer.aborted) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? '';
    throw new LiveTagError(/CERT|SSL|TLS|SIGNATURE/.test(code) ? 'tls' : 'network', describe(error));
  } finally {
    clearTimeout(timer);
    outer.removeEventListener('abort', abort);
    tunnel?.destroy();
  }
}

export interface Page {
  readonly bytes: number;
  readonly body: string;
  readonly location?: string;
  readonly next?: string;
}

function send(
  client: typeof http | typeof https,
  options: https.RequestOptions,
  budget: number,
  signal: AbortSignal,
): Promise<Page> {
  return new Promise<Page>((resolve, reject) => {
    const request = client.request(options, (response) => {
      const status = response.statusCode ?? 0;
      // The body of a redirect or an error answer is never read: the request ends here, so
      // neither an endless body nor a slow one costs anything (draining it would outlive the
      // deadline and the byte limit, which stop watching once this promise settles).
      if (status >= 300 && status < 400 && status !== 304) {
        const location = response.headers.location;
        request.destroy();
        if (!location) reject(new LiveTagError('redirect', `answered ${status} without a Location`));
        else resolve({ bytes: 0, body: '', location });
        return;
      }
      if (status !== 200) {
        request.destroy();
        reject(new LiveTagError('http-status', `answered ${status} ${response.statusMessage ?? ''}`.trim()));
        return;
      }
      const declared = Number(response.headers['content-length']);
      if (declared > budget) {
        request.destroy();
        reject(
          new LiveTagError('too-large', `the answer announces ${declared} bytes, more than the limit of ${budget}`),
        );
        return;
      }
      const chunks: Buffer[] = [];
      let bytes = 0;
      response.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > budget) {
          request.destroy();
          reject(new LiveTagError('too-large', `the answer exceeds the limit of ${budget} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      response.once('end', () =>
        resolve({ bytes, body: Buffer.concat(chunks).toString('utf8'), next: nextLink(response.headers.link) }),
      );
      response.once('error', reject);
      response.once('close', () => {
        if (!response.complete)
          reject(new LiveTagError('network', 'the connection closed before the answer was complete'));
      });
    });
    request.once('error', reject);
    const abort = () => {
      request.destroy();
      reject(new Error('aborted'));
    };
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
    request.once('close', () => signal.removeEventListener('abort', abort));
    request.end();
  });
}

/** The target of `rel="next"` in a `Link` header (RFC 8288), as the Docker registry API paginates. */
function nextLink(header: string | string[] | undefined): string | undefined {
  for (const match of [header ?? '']
    .flat()
    .join(',')
    .matchAll(/<([^<>]*)>\s*((?:;\s*[^;,]*)*)/g)) {
    if (/;\s*rel\s*=\s*"?(?:[^";,]*\s)?next(?=[\s";,]|$)/i.test(match[2])) return match[1];
  }
  return undefined;
}

function parseTags(body: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new LiveTagError('malformed-json', `the answer is not JSON (${(error as Error).message})`);
  }
  const answer = tagsOfAnswer(value);
  if ('wrongShape' in answer) throw new LiveTagError('wrong-shape', answer.wrongShape);
  return answer.tags;
}

function readCache(file: string, name: string, registry: string, maxTags: number): CacheEntry | undefined {
  let value: Partial<CacheFile>;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<CacheFile>;
  } catch {
    return undefined; // missing or corrupt: the next successful refresh replaces it
  }
  const valid =
    typeof value === 'object' &&
    value !== null &&
    value.repository === `${MCR_REGISTRY}/${name}` &&
    value.registry === registry &&
    typeof value.fetchedAt === 'number' &&
    Number.isFinite(value.fetchedAt) &&
    Array.isArray(value.tags) &&
    value.tags.every((tag) => typeof tag === 'string' && TAG.test(tag));
  return valid ? { tags: (value.tags as string[]).slice(0, maxTags), fetchedAt: value.fetchedAt as number } : undefined;
}

export function describe(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e?.code === 'ENOTFOUND' || e?.code === 'EAI_AGAIN')
    return `cannot resolve ${(e as { hostname?: string }).hostname ?? 'the host'} (${e.code})`;
  if (e?.code === 'ECONNREFUSED')
    return `connection refused (${(e as { address?: string }).address ?? ''}:${(e as { port?: number }).port ?? ''})`;
  return e?.code && !String(e.message).includes(e.code) ? `${e.message} (${e.code})` : String(e?.message ?? error);
}
