/**
 * The live tag refresh against real servers on 127.0.0.1: a registry speaking the tags/list API
 * (plain HTTP, or HTTPS with the self-signed certificate below) and a minimal CONNECT proxy.
 */
import { test, type TestContext } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  createLiveTagSource,
  MAX_LIVE_TAGS,
  type LiveTagOptions,
  type LiveTagSource,
  type RefreshResult,
} from '../../server/src/network/liveTags';

const REPO = 'mcr.microsoft.com/windows/servercore';
const PATH = '/v2/windows/servercore/tags/list';
const DAY = 24 * 60 * 60 * 1000;

// Test-only key and certificate for IP:127.0.0.1, valid 2020-2120 (made with `openssl ca -selfsign`).
const TLS_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgifpVjc7lzthrHRmD
U0CMhHPNasw1KGLVfpFRcCHVIamhRANCAASSWP6V/bKCRdBKgK/+RFFsjSqoT0FO
Q4CI0PqHZ0QU3zzT3pqofGo+Sf7MeIZUIA/nysjCSoFnbAqfgrjvwUqk
-----END PRIVATE KEY-----`;
const TLS_CERT = `-----BEGIN CERTIFICATE-----
MIIBVDCB/KADAgECAgEBMAoGCCqGSM49BAMCMBQxEjAQBgNVBAMMCTEyNy4wLjAu
MTAgFw0yMDAxMDEwMDAwMDBaGA8yMTIwMDEwMTAwMDAwMFowFDESMBAGA1UEAwwJ
MTI3LjAuMC4xMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEklj+lf2ygkXQSoCv
/kRRbI0qqE9BTkOAiND6h2dEFN88096aqHxqPkn+zHiGVCAP58rIwkqBZ2wKn4K4
78FKpKM9MDswDwYDVR0RBAgwBocEfwAAATAJBgNVHRMEAjAAMB0GA1UdDgQWBBR2
MaDcr9HW374BcVKaxMGkxT98kDAKBggqhkjOPQQDAgNHADBEAiA65LRmLR2RdS3I
c60g5caPCod26YsRGvCZdCtQHxRZDQIgdj0WZTa7r1aYtrnapXF/0GGwnvtonKSj
tSlXeC9G9/Y=
-----END CERTIFICATE-----`;

type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void;

interface Server {
  readonly url: string;
  readonly port: number;
  /** Path and query of every request received. */
  readonly requests: string[];
}

async function listen(t: TestContext, server: http.Server): Promise<number> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return (server.address() as net.AddressInfo).port;
}

/** A registry on 127.0.0.1 (https with the test certificate when `secure`). */
async function registry(t: TestContext, handler: Handler, secure = false): Promise<Server> {
  const requests: string[] = [];
  const handle: Handler = (request, response) => {
    requests.push(request.url ?? '');
    handler(request, response);
  };
  const server = secure ? https.createServer({ key: TLS_KEY, cert: TLS_CERT }, handle) : http.createServer(handle);
  const port = await listen(t, server);
  return { url: `${secure ? 'https' : 'http'}://127.0.0.1:${port}`, port, requests };
}

/** Answers every request with a JSON tag list. */
function tagList(tags: unknown, headers: http.OutgoingHttpHeaders = {}): Handler {
  return (_request, response) => {
    response.writeHead(200, { 'Content-Type': 'application/json', ...headers });
    response.end(JSON.stringify({ name: 'windows/servercore', tags }));
  };
}

/** A CONNECT proxy on 127.0.0.1 that records the authorities it tunnels to; with `credentials`, it wants Basic auth. */
async function proxy(t: TestContext, credentials?: string): Promise<{ url: string; connects: string[] }> {
  const connects: string[] = [];
  const tunnels = new Set<net.Socket>();
  const server = http.createServer((_request, response) => response.writeHead(405).end());
  server.on('connect', (request: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    tunnels.add(client);
    const expected = credentials && `Basic ${Buffer.from(credentials).toString('base64')}`;
    if (expected && request.headers['proxy-authorization'] !== expected) {
      client.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\nContent-Length: 0\r\n\r\n',
      );
      return;
    }
    connects.push(request.url ?? '');
    const [host, port] = (request.url ?? '').split(':');
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    tunnels.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  t.after(() => tunnels.forEach((socket) => socket.destroy()));
  const port = await listen(t, server);
  return { url: `http://127.0.0.1:${port}`, connects };
}

function tempDir(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'live-tags-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

interface Harness {
  readonly source: LiveTagSource;
  readonly logs: string[];
}

function makeSource(t: TestContext, cacheDir: string, baseUrl: string, options: Partial<LiveTagOptions> = {}): Harness {
  const logs: string[] = [];
  const source = createLiveTagSource({
    cacheDir,
    baseUrl,
    timeoutMs: 2000,
    enabled: () => true,
    log: (m) => logs.push(m),
    env: {},
    ...options,
  });
  t.after(() => source.dispose());
  return { source, logs };
}

function assertFailed(result: RefreshResult, failure: string, message?: RegExp): void {
  assert.equal(result.status, 'failed', JSON.stringify(result));
  if (result.status !== 'failed') return;
  assert.equal(result.failure, failure, result.message);
  if (message) assert.match(result.message, message);
}

function assertUpdated(result: RefreshResult, tags: readonly string[]): void {
  assert.equal(result.status, 'updated', JSON.stringify(result));
  if (result.status === 'updated') assert.deepEqual(result.tags, tags);
}

const cacheFile = (dir: string) => path.join(dir, `${encodeURIComponent('windows/servercore')}.json`);

test('a good answer is served after the refresh, cached on disk, and read back by a new source without network', async (t) => {
  const server = await registry(t, tagList(['ltsc2025', 'ltsc2022', 'ltsc2022']));
  const dir = tempDir(t);
  const { source, logs } = makeSource(t, dir, server.url);
  assert.deepEqual(source.getTags(REPO), [], 'nothing cached yet: completion does not wait');
  await source.whenIdle();
  assert.deepEqual(source.getTags(REPO), ['ltsc2025', 'ltsc2022']);
  assert.deepEqual(server.requests, [PATH]);
  const file = JSON.parse(fs.readFileSync(cacheFile(dir), 'utf8')) as { tags: string[]; repository: string };
  assert.deepEqual(file.tags, ['ltsc2025', 'ltsc2022']);
  assert.equal(file.repository, REPO);
  assert.deepEqual(fs.readdirSync(dir), [path.basename(cacheFile(dir))], 'no temporary file left behind');

  const second = makeSource(t, dir, server.url).source;
  assert.deepEqual(second.getTags(REPO), ['ltsc2025', 'ltsc2022']);
  await second.whenIdle();
  assert.equal(server.requests.length, 1, 'a fresh cache makes no request');
  assert.deepEqual(logs, []);
});

test('pagination follows Link rel="next" (relative and absolute) on the same host', async (t) => {
  const server: Server = await registry(t, (request, response) => {
    const last = new URL(request.url ?? '', 'http://x').searchParams.get('last');
    const pages: Record<string, [string[], string | undefined]> = {
      '': [['a', 'b'], `<${PATH}?n=2&last=b>; rel="next"`],
      b: [['c', 'd'], `<${server.url}${PATH}?n=2&last=d>; rel="prev", <${server.url}${PATH}?n=2&last=d>; rel="next"`],
      d: [['e'], undefined],
    };
    const [tags, link] = pages[last ?? ''];
    tagList(tags, link ? { Link: link } : {})(request, response);
  });
  const { source } = makeSource(t, tempDir(t), server.url);
  const result = await source.refresh(REPO);
  assertUpdated(result, ['a', 'b', 'c', 'd', 'e']);
  assert.ok(result.status === 'updated' && result.pages === 3 && result.complete);
  assert.deepEqual(server.requests, [PATH, `${PATH}?n=2&last=b`, `${PATH}?n=2&last=d`]);
});

test('pagination stops after maxPages and keeps the tags read', async (t) => {
  let page = 0;
  const server = await registry(t, (request, response) => {
    page++;
    tagList([`t${page}`], { Link: `<${PATH}?n=1&last=t${page}>; rel="next"` })(request, response);
  });
  const { source } = makeSource(t, tempDir(t), server.url, { maxPages: 3 });
  const result = await source.refresh(REPO);
  assertUpdated(result, ['t1', 't2', 't3']);
  assert.ok(result.status === 'updated' && !result.complete);
  assert.equal(server.requests.length, 3);
});

test('a 500 keeps the cached tags and says why', async (t) => {
  let status = 200;
  const server = await registry(t, (request, response) => {
    if (status === 200) tagList(['ltsc2022'])(request, response);
    else response.writeHead(status).end('oops');
  });
  let clock = 1_000_000;
  const { source, logs } = makeSource(t, tempDir(t), server.url, { now: () => clock });
  assertUpdated(await source.refresh(REPO), ['ltsc2022']);
  status = 500;
  clock += 2 * DAY;
  assert.deepEqual(source.getTags(REPO), ['ltsc2022'], 'the stale cache answers while the refresh runs');
  await source.whenIdle();
  assert.deepEqual(source.getTags(REPO), ['ltsc2022'], 'and still after it failed');
  assert.equal(server.requests.length, 2);
  assert.equal(logs.length, 1);
  assert.match(logs[0], /mcr\.microsoft\.com\/windows\/servercore.*http-status: answered 500/);
  assertFailed(await source.refresh(REPO), 'http-status', /500/);
});

test('an error or redirect answer with an endless body ends the request at once (direct connection)', async (t) => {
  let written = 0;
  const closed: Promise<void>[] = [];
  const server = await registry(t, (request, response) => {
    const status = request.url?.includes('servercore') ? 500 : request.url?.includes('nanoserver') ? 404 : 302;
    response.writeHead(
      status,
      status === 302 ? { Location: '/v2/windows/servercore/tags/list' } : { 'Content-Type': 'text/html' },
    );
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const pump = () => {
      for (let more = true; more && !response.destroyed; written += chunk.length) more = response.write(chunk);
    };
    response.on('drain', pump);
    closed.push(new Promise((resolve) => response.once('close', () => resolve())));
    pump();
  });
  const { source } = makeSource(t, tempDir(t), server.url, { timeoutMs: 2000 });
  const started = Date.now();
  assertFailed(await source.refresh(REPO), 'http-status', /500/);
  assertFailed(await source.refresh('mcr.microsoft.com/windows/nanoserver'), 'http-status', /404/);
  assertFailed(await source.refresh('mcr.microsoft.com/windows/server'), 'http-status', /500/);
  // Every answer's connection is closed by the client within a bound, after little of the body.
  const allClosed = await Promise.race([
    Promise.all(closed).then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 3000)),
  ]);
  assert.ok(allClosed, `every connection closed (the client stopped reading); ${written} bytes were written`);
  // What the sockets buffer on loopback (a few MB each); draining the body read a gigabyte a second.
  assert.ok(written < 64 * 1024 * 1024, `${written} bytes written before the client closed`);
  assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
});

test('the tags kept per repository are capped (a page of many short tags), on refresh and in the cache', async (t) => {
  const many = Array.from({ length: 30 }, (_, i) => `t${i}`);
  const server = await registry(t, tagList(many));
  const dir = tempDir(t);
  const { source } = makeSource(t, dir, server.url, { maxTags: 10 });
  const result = await source.refresh(REPO);
  assert.equal(result.status, 'updated');
  if (result.status === 'updated') {
    assert.deepEqual(result.tags, many.slice(0, 10));
    assert.equal(result.complete, false);
  }
  // A cache written with more tags (an older version, another window) is read capped.
  const file = cacheFile(dir);
  const cached = JSON.parse(fs.readFileSync(file, 'utf8')) as { tags: string[] };
  fs.writeFileSync(file, JSON.stringify({ ...cached, tags: many }));
  const { source: again } = makeSource(t, dir, server.url, { maxTags: 10, enabled: () => true });
  assert.equal(again.getTags(REPO).length, 10);
  // The default cap holds for the 243,000 short tags that fit in 2 MB.
  const huge = Array.from({ length: 243_000 }, (_, i) => i.toString(36));
  const big = await registry(t, tagList(huge));
  const { source: defaults } = makeSource(t, tempDir(t), big.url);
  const capped = await defaults.refresh(REPO);
  assert.equal(capped.status, 'updated');
  if (capped.status === 'updated') assert.equal(capped.tags.length, MAX_LIVE_TAGS);
});

test('an answer slower than the timeout fails within the bound (no headers, or a stalled body)', async (t) => {
  const server = await registry(t, (request, response) => {
    if (request.url?.includes('servercore')) return; // never answers
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.write('{"name":"windows/nanoserver","tags":["ltsc'); // and stalls
  });
  const { source } = makeSource(t, tempDir(t), server.url, { timeoutMs: 200 });
  const started = Date.now();
  assertFailed(await source.refresh(REPO), 'timeout', /200 ms/);
  assertFailed(await source.refresh('mcr.microsoft.com/windows/nanoserver'), 'timeout');
  const elapsed = Date.now() - started;
  assert.ok(elapsed >= 350 && elapsed < 4000, `took ${elapsed} ms`);
});

test('malformed JSON fails', async (t) => {
  const server = await registry(t, (_request, response) => response.writeHead(200).end('{"tags": ["ltsc2022",'));
  const { source } = makeSource(t, tempDir(t), server.url);
  assertFailed(await source.refresh(REPO), 'malformed-json');
  assert.deepEqual(source.getTags(REPO), []);
});

test('an oversized body is aborted, announced or streamed', async (t) => {
  const big = JSON.stringify({ tags: Array.from({ length: 500 }, (_, i) => `tag-${i}`) });
  const server = await registry(t, (request, response) => {
    if (request.url?.includes('servercore')) {
      response.writeHead(200, { 'Content-Length': Buffer.byteLength(big) }).end(big);
    } else {
      response.writeHead(200); // chunked: the size is only known while reading
      for (let i = 0; i < big.length; i += 500) response.write(big.slice(i, i + 500));
      response.end();
    }
  });
  const { source } = makeSource(t, tempDir(t), server.url, { maxBytes: 1000 });
  assertFailed(await source.refresh(REPO), 'too-large', /announces/);
  assertFailed(await source.refresh('mcr.microsoft.com/windows/nanoserver'), 'too-large', /exceeds/);
});

test('answers of the wrong shape fail; "tags": null is an empty list', async (t) => {
  const bodies: Record<string, string> = {
    a: '[1, 2]',
    b: '{"name": "a", "tags": "ltsc2022"}',
    c: '{"name": "a", "tags": ["ltsc2022", 1]}',
    d: '{"name": "a", "tags": ["ltsc2022", "not a tag"]}',
    e: '"tags"',
    f: '{"name": "a"}',
    empty: '{"name": "empty", "tags": null}',
  };
  const server = await registry(t, (request, response) =>
    response.writeHead(200).end(bodies[(request.url ?? '').split('/')[2]]),
  );
  const { source } = makeSource(t, tempDir(t), server.url);
  for (const name of ['a', 'b', 'c', 'd', 'e', 'f'])
    assertFailed(await source.refresh(`mcr.microsoft.com/${name}`), 'wrong-shape');
  assertUpdated(await source.refresh('mcr.microsoft.com/empty'), []);
});

test('a refused connection fails as a network error', async (t) => {
  const closed = net.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as net.AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  const { source, logs } = makeSource(t, tempDir(t), `http://127.0.0.1:${port}`);
  assertFailed(await source.refresh(REPO), 'network', /refused/);
  assert.equal(logs.length, 1);
});

test('redirects and next links to another host are refused; a redirect on the same host is followed', async (t) => {
  const other = await registry(t, tagList(['evil']));
  const otherUrl = other.url.replace('127.0.0.1', 'localhost');
  const server = await registry(t, (request, response) => {
    if (request.url?.startsWith('/v2/away/')) response.writeHead(302, { Location: `${otherUrl}${request.url}` }).end();
    else if (request.url?.startsWith('/v2/link/'))
      tagList(['a'], { Link: `<${otherUrl}/v2/link/tags/list?last=a>; rel="next"` })(request, response);
    else if (request.url?.startsWith('/v2/moved/')) response.writeHead(307, { Location: PATH }).end();
    else tagList(['ltsc2022'])(request, response);
  });
  const { source } = makeSource(t, tempDir(t), server.url);
  assertFailed(await source.refresh('mcr.microsoft.com/away'), 'redirect', /localhost/);
  assertFailed(await source.refresh('mcr.microsoft.com/link'), 'redirect');
  assert.deepEqual(other.requests, [], 'the other host is never contacted');
  assertUpdated(await source.refresh('mcr.microsoft.com/moved'), ['ltsc2022']);
});

test('the switch off makes no request and serves nothing; on again, it refreshes', async (t) => {
  const server = await registry(t, tagList(['ltsc2022']));
  const dir = tempDir(t);
  assertUpdated(await makeSource(t, dir, server.url).source.refresh(REPO), ['ltsc2022']);
  let enabled = false;
  let clock = Date.now() + 2 * DAY;
  const { source } = makeSource(t, dir, server.url, { enabled: () => enabled, now: () => clock });
  assert.deepEqual(source.getTags(REPO), []);
  assert.deepEqual(await source.refresh(REPO), { status: 'skipped', reason: 'disabled' });
  await source.whenIdle();
  assert.equal(server.requests.length, 1, 'only the first source asked');
  enabled = true;
  clock += 1;
  assert.deepEqual(source.getTags(REPO), ['ltsc2022']);
  await source.whenIdle();
  assert.equal(server.requests.length, 2);
});

test('other registries and malformed names are refused without a request', async (t) => {
  const server = await registry(t, tagList(['x']));
  const { source } = makeSource(t, tempDir(t), server.url);
  for (const repository of [
    'docker.io/library/python',
    'python',
    'mcr.microsoft.com/../../etc',
    'mcr.microsoft.com/a?b',
    'mcr.microsoft.com/',
  ]) {
    assert.deepEqual(source.getTags(repository), [], repository);
    assert.deepEqual(
      await source.refresh(repository),
      { status: 'skipped', reason: 'unsupported-repository' },
      repository,
    );
  }
  await source.whenIdle();
  assert.deepEqual(server.requests, []);
  assertUpdated(await source.refresh('MCR.Microsoft.com/Windows/ServerCore'), ['x']);
  assert.deepEqual(server.requests, [PATH]);
});

test('a stale cache triggers exactly one refresh, a fresh one none', async (t) => {
  let tags = ['old'];
  const server = await registry(t, (request, response) => tagList(tags)(request, response));
  const dir = tempDir(t);
  const start = 1_700_000_000_000;
  assertUpdated(await makeSource(t, dir, server.url, { now: () => start }).source.refresh(REPO), ['old']);
  tags = ['new'];

  const fresh = makeSource(t, dir, server.url, { now: () => start + DAY - 1 }).source;
  assert.deepEqual(fresh.getTags(REPO), ['old']);
  await fresh.whenIdle();
  assert.equal(server.requests.length, 1);

  const stale = makeSource(t, dir, server.url, { now: () => start + DAY }).source;
  for (let i = 0; i < 5; i++) assert.deepEqual(stale.getTags(REPO), ['old']);
  await stale.whenIdle();
  assert.equal(server.requests.length, 2, 'one refresh for five reads');
  assert.deepEqual(stale.getTags(REPO), ['new']);
  await stale.whenIdle();
  assert.equal(server.requests.length, 2);
});

test('a failed refresh backs off before the same repository is tried again', async (t) => {
  const server = await registry(t, (_request, response) => response.writeHead(503).end());
  let clock = 1_700_000_000_000;
  const { source } = makeSource(t, tempDir(t), server.url, { now: () => clock, backoffMs: 10 * 60 * 1000 });
  const read = async () => {
    source.getTags(REPO);
    await source.whenIdle();
    return server.requests.length;
  };
  assert.equal(await read(), 1);
  assert.equal(await read(), 1);
  clock += 10 * 60 * 1000 - 1;
  assert.equal(await read(), 1);
  clock += 1;
  assert.equal(await read(), 2);
  assert.equal(await read(), 2);
  assertFailed(await source.refresh(REPO), 'http-status', /503/);
  assert.equal(server.requests.length, 3, 'an explicit refresh ignores the back-off');
});

test('each kind of failure is logged once until a refresh succeeds', async (t) => {
  let mode = 'error';
  const server = await registry(t, (request, response) => {
    if (mode === 'error') response.writeHead(500).end();
    else if (mode === 'garbage') response.writeHead(200).end('<html>');
    else tagList(['ltsc2022'])(request, response);
  });
  const { source, logs } = makeSource(t, tempDir(t), server.url);
  const other = 'mcr.microsoft.com/windows/nanoserver';
  for (let i = 0; i < 3; i++) {
    await source.refresh(REPO);
    await source.refresh(other);
  }
  assert.equal(logs.length, 1);
  mode = 'garbage';
  await source.refresh(REPO);
  await source.refresh(other);
  assert.equal(logs.length, 2);
  assert.match(logs[1], /malformed-json/);
  mode = 'ok';
  assertUpdated(await source.refresh(REPO), ['ltsc2022']);
  assert.equal(logs.length, 2, 'success itself is quiet');
  mode = 'error';
  await source.refresh(other);
  await source.refresh(other);
  assert.equal(logs.length, 3, 'logged again after a success');
  assert.match(logs[2], /nanoserver.*500/);
});

test('a corrupt cache file is ignored and replaced by the next successful refresh', async (t) => {
  const server = await registry(t, tagList(['ltsc2025']));
  const dir = tempDir(t);
  for (const corrupt of [
    '{"tags": ["ltsc',
    JSON.stringify({ repository: REPO, registry: server.url, fetchedAt: Date.now(), tags: [42] }),
    'null',
  ]) {
    fs.writeFileSync(cacheFile(dir), corrupt);
    const { source, logs } = makeSource(t, dir, server.url);
    assert.deepEqual(source.getTags(REPO), []);
    await source.whenIdle();
    assert.deepEqual(source.getTags(REPO), ['ltsc2025']);
    assert.deepEqual((JSON.parse(fs.readFileSync(cacheFile(dir), 'utf8')) as { tags: string[] }).tags, ['ltsc2025']);
    assert.deepEqual(logs, []);
  }
  assert.equal(server.requests.length, 3);
});

test('a cache written for another registry is not used', async (t) => {
  const server = await registry(t, tagList(['mine']));
  const dir = tempDir(t);
  fs.writeFileSync(
    cacheFile(dir),
    JSON.stringify({
      repository: REPO,
      registry: 'https://mcr.microsoft.com',
      fetchedAt: Date.now(),
      tags: ['theirs'],
    }),
  );
  const { source } = makeSource(t, dir, server.url);
  assert.deepEqual(source.getTags(REPO), []);
  await source.whenIdle();
  assert.deepEqual(source.getTags(REPO), ['mine']);
});

test('http.proxy: the request goes through a CONNECT tunnel', async (t) => {
  const server = await registry(t, tagList(['ltsc2022']));
  const tunnel = await proxy(t);
  const { source } = makeSource(t, tempDir(t), server.url, { proxy: () => tunnel.url });
  assertUpdated(await source.refresh(REPO), ['ltsc2022']);
  assert.deepEqual(tunnel.connects, [`127.0.0.1:${server.port}`]);
  assert.deepEqual(server.requests, [PATH]);
});

test('https through the tunnel: strictSSL off accepts a self-signed registry, on refuses it', async (t) => {
  const server = await registry(t, tagList(['ltsc2022']), true);
  const tunnel = await proxy(t);
  let strictSSL = false;
  const { source, logs } = makeSource(t, tempDir(t), server.url, {
    proxy: () => tunnel.url,
    strictSSL: () => strictSSL,
  });
  assertUpdated(await source.refresh(REPO), ['ltsc2022']);
  strictSSL = true;
  assertFailed(await source.refresh(REPO), 'tls', /certificate/i);
  assert.equal(tunnel.connects.length, 2);
  assert.equal(server.requests.length, 1);
  assert.equal(logs.length, 1);
});

test('proxy credentials from the proxy URL; a 407 or an unreachable proxy is a proxy failure', async (t) => {
  const server = await registry(t, tagList(['ltsc2022']));
  const tunnel = await proxy(t, 'user:p@ss');
  const port = new URL(tunnel.url).port;
  let proxyUrl = tunnel.url;
  const { source } = makeSource(t, tempDir(t), server.url, { proxy: () => proxyUrl });
  assertFailed(await source.refresh(REPO), 'proxy', /407/);
  proxyUrl = `http://user:p%40ss@127.0.0.1:${port}`;
  assertUpdated(await source.refresh(REPO), ['ltsc2022']);
  proxyUrl = `127.0.0.1:${port}`.replace(port, '1');
  assertFailed(await source.refresh(REPO), 'proxy', /refused/);
  proxyUrl = 'socks5://127.0.0.1:1080';
  assertFailed(await source.refresh(REPO), 'proxy', /socks5/);
  assert.deepEqual(server.requests, [PATH]);
});

test('HTTPS_PROXY applies when http.proxy is empty, and NO_PROXY bypasses it', async (t) => {
  const server = await registry(t, tagList(['ltsc2022']), true);
  const tunnel = await proxy(t);
  let env: NodeJS.ProcessEnv = { HTTPS_PROXY: tunnel.url };
  const withEnv = (e: NodeJS.ProcessEnv) =>
    makeSource(t, tempDir(t), server.url, { proxy: () => '', strictSSL: () => false, env: e }).source;
  assertUpdated(await withEnv(env).refresh(REPO), ['ltsc2022']);
  assert.equal(tunnel.connects.length, 1);
  env = { https_proxy: tunnel.url, NO_PROXY: 'example.com, 127.0.0.1' };
  assertUpdated(await withEnv(env).refresh(REPO), ['ltsc2022']);
  env = { HTTPS_PROXY: tunnel.url, no_proxy: '*' };
  assertUpdated(await withEnv(env).refresh(REPO), ['ltsc2022']);
  assert.equal(tunnel.connects.length, 1, 'NO_PROXY went direct');
  assert.equal(server.requests.length, 3);
});

test('dispose aborts a refresh in flight without logging', async (t) => {
  const server = await registry(t, () => undefined);
  const { source, logs } = makeSource(t, tempDir(t), server.url, { timeoutMs: 5000 });
  const pending = source.refresh(REPO);
  for (let i = 0; i < 200 && server.requests.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(server.requests.length, 1);
  const started = Date.now();
  source.dispose();
  assert.deepEqual(await pending, { status: 'skipped', reason: 'disposed' });
  assert.ok(Date.now() - started < 2000);
  assert.deepEqual(source.getTags(REPO), []);
  assert.deepEqual(logs, []);
});

test('the registry must be https unless it is on a loopback address', () => {
  const options = { cacheDir: os.tmpdir(), enabled: () => false, log: () => undefined };
  assert.throws(() => createLiveTagSource({ ...options, baseUrl: 'http://mcr.microsoft.com' }), /https/);
  assert.doesNotThrow(() => createLiveTagSource({ ...options, baseUrl: 'http://localhost:5000' }).dispose());
  assert.doesNotThrow(() => createLiveTagSource(options).dispose());
});
