/**
 * The browser's stand-in for network/liveTags.ts: the same refresh of Microsoft's tag lists
 * (`GET /v2/<name>/tags/list`), made with `fetch`, kept in memory for a day, never waited on. A web
 * worker has no file cache and no proxy settings of its own; the browser applies its proxy, and
 * the registry's CORS answer decides whether a page may read the list. Where it may not (or when
 * offline, or on any bad answer) the bundled catalogue answers, as the node server does offline: the
 * failure is logged once per kind, never shown.
 */
import type {
  createLiveTagSource as nodeCreateLiveTagSource,
  LiveTagFailure,
  LiveTagOptions,
  LiveTagSource,
  RefreshResult,
} from '../network/liveTags';
import { apiName, MAX_LIVE_TAGS, MCR_REGISTRY, tagsOfAnswer } from '../catalogue/registryApi';

const DAY = 24 * 60 * 60 * 1000;
/** After a failure, the next try waits this long by default (the registry may refuse a page's requests for good). */
const BACKOFF_MS = 60 * 60 * 1000;

class Failure extends Error {
  constructor(
    readonly failure: LiveTagFailure,
    message: string,
  ) {
    super(message);
  }
}

/** The body as text, reading at most `maxBytes` (a server that streams without end is cut off). */
async function boundedText(response: Response, maxBytes: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    // The DOM library (ReadableStream's chunk type) is not loaded: the chunks of a fetch body are bytes.
    const { done, value } = (await reader.read()) as
      { done: true; value?: undefined } | { done: false; value: Uint8Array };
    if (done) break;
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      await reader.cancel();
      throw new Failure('too-large', `the answer is larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(bytes);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(all);
}

export const createLiveTagSource: typeof nodeCreateLiveTagSource = (options: LiveTagOptions): LiveTagSource => {
  const base = new URL(options.baseUrl ?? `https://${MCR_REGISTRY}`);
  const now = options.now ?? Date.now;
  const maxTags = options.maxTags ?? MAX_LIVE_TAGS;
  const timeoutMs = options.timeoutMs ?? 5000;
  const maxBytes = options.maxBytes ?? 2 * 1024 * 1024;
  const maxAgeMs = options.maxAgeMs ?? DAY;
  const backoffMs = options.backoffMs ?? BACKOFF_MS;
  const entries = new Map<string, { readonly tags: readonly string[]; readonly fetchedAt: number }>();
  const failedAt = new Map<string, number>();
  const inFlight = new Map<string, Promise<RefreshResult>>();
  const logged = new Set<LiveTagFailure>();
  const stop = new AbortController();

  async function fetchTags(name: string): Promise<{ tags: string[]; complete: boolean }> {
    let response: Response;
    try {
      response = await fetch(new URL(`/v2/${name}/tags/list`, base), {
        signal: AbortSignal.any([stop.signal, AbortSignal.timeout(timeoutMs)]),
        headers: { Accept: 'application/json' },
        redirect: 'error',
      });
    } catch (error) {
      const timeout = error instanceof Error && error.name === 'TimeoutError';
      throw new Failure(
        timeout ? 'timeout' : 'network',
        timeout
          ? `no answer within ${timeoutMs} ms`
          : `the request failed (offline, or the registry does not allow a page to read it): ${String(error)}`,
      );
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new Failure('http-status', `the registry answered ${response.status}`);
    }
    let value: unknown;
    try {
      value = JSON.parse(await boundedText(response, maxBytes));
    } catch (error) {
      if (error instanceof Failure) throw error;
      throw new Failure('malformed-json', `the answer is not JSON (${(error as Error).message})`);
    }
    const answer = tagsOfAnswer(value);
    if ('wrongShape' in answer) throw new Failure('wrong-shape', answer.wrongShape);
    const tags = [...new Set(answer.tags)];
    // Further pages are named in a Link header, which a page may not be allowed to read: the first page is what is kept.
    return { tags: tags.slice(0, maxTags), complete: tags.length <= maxTags && !response.headers.get('link') };
  }

  function refresh(repository: string): Promise<RefreshResult> {
    if (stop.signal.aborted) return Promise.resolve({ status: 'skipped', reason: 'disposed' });
    if (!options.enabled()) return Promise.resolve({ status: 'skipped', reason: 'disabled' });
    const name = apiName(repository);
    if (!name) return Promise.resolve({ status: 'skipped', reason: 'unsupported-repository' });
    const running = inFlight.get(name);
    if (running) return running;
    const started = fetchTags(name).then(
      ({ tags, complete }): RefreshResult => {
        entries.set(name, { tags, fetchedAt: now() });
        failedAt.delete(name);
        logged.clear();
        return { status: 'updated', tags, pages: 1, complete };
      },
      (error: unknown): RefreshResult => {
        if (stop.signal.aborted) return { status: 'skipped', reason: 'disposed' };
        const failure = error instanceof Failure ? error : new Failure('network', String(error));
        failedAt.set(name, now());
        if (!logged.has(failure.failure)) {
          logged.add(failure.failure);
          options.log(
            `tag lists are not refreshed from ${base.host} in the browser (${failure.message}); the bundled catalogue answers`,
          );
        }
        return { status: 'failed', failure: failure.failure, message: failure.message };
      },
    );
    inFlight.set(name, started);
    void started.finally(() => inFlight.delete(name));
    return started;
  }

  return {
    getTags(repository) {
      const name = apiName(repository);
      if (!name) return [];
      const entry = entries.get(name);
      const failed = failedAt.get(name);
      const due = !entry || now() - entry.fetchedAt > maxAgeMs;
      if (due && (failed === undefined || now() - failed > backoffMs)) void refresh(repository);
      return entry?.tags ?? [];
    },
    refresh,
    whenIdle: async () => {
      while (inFlight.size > 0) await Promise.all(inFlight.values());
    },
    dispose: () => stop.abort(),
  };
};
