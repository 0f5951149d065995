/**
 * The live .NET lifecycle refresh against a real server on 127.0.0.1 serving the recorded
 * `releases-index.json` (test/fixtures-upstream): cached a day, never waited on, the bundled data
 * (`undefined`) when offline or when the answer is malformed.
 */
import { test, type TestContext } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLiveLifecycleSource, type LiveLifecycleOptions } from '../../server/src/network/liveLifecycles';
import { listProducts } from '../../server/src/catalogue/products';
import { REPO_ROOT } from './helpers';

const DAY = 24 * 60 * 60 * 1000;
const RECORDED = fs.readFileSync(path.join(REPO_ROOT, 'test', 'fixtures-upstream', 'releases-index.json'), 'utf8');
/** The recorded file as it would read if .NET 10's end of support moved (to see the update arrive). */
const MOVED = RECORDED.replace('"eol-date": "2028-11-14"', '"eol-date": "2028-12-12"');

interface Served {
  readonly url: string;
  readonly requests: string[];
  body: string;
  /** When set, answers wait for it. */
  hold?: Promise<void>;
}

async function serve(t: TestContext, body: string): Promise<Served> {
  const served: Served = { url: '', requests: [], body };
  const server = http.createServer((request, response) => {
    served.requests.push(request.url ?? '');
    void (served.hold ?? Promise.resolve()).then(() => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(served.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return Object.assign(served, {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/dotnet/release-metadata/releases-index.json`,
  });
}

function setup(t: TestContext, url: string, extra: Partial<LiveLifecycleOptions> = {}) {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wc-lifecycles-'));
  t.after(() => fs.rmSync(cacheDir, { recursive: true, force: true }));
  const logs: string[] = [];
  let changes = 0;
  let clock = Date.parse('2026-12-06T10:00:00Z');
  const options: LiveLifecycleOptions = {
    cacheDir,
    url,
    enabled: () => true,
    log: (message) => void logs.push(message),
    onChange: () => void changes++,
    now: () => clock,
    env: {},
    ...extra,
  };
  const source = createLiveLifecycleSource(options);
  t.after(() => source.dispose());
  return { source, options, cacheDir, logs, changes: () => changes, advance: (ms: number) => void (clock += ms) };
}

test('first use: bundled data at once, the refresh in the background, then the updates (and a change notice)', async (t) => {
  const served = await serve(t, MOVED);
  let release!: () => void;
  served.hold = new Promise((resolve) => (release = resolve));
  const { source, options, changes } = setup(t, served.url);
  assert.equal(source.getUpdates(), undefined, 'never waits: the bundled data answers while the request is pending');
  assert.equal(source.getUpdates(), undefined);
  release();
  await source.whenIdle();
  assert.equal(served.requests.length, 1, 'one request for both calls');
  const updates = source.getUpdates();
  assert.deepEqual(
    updates?.find((u) => u.version === '10.0'),
    { product: 'dotnet', version: '10.0', releaseType: 'lts', endOfSupport: '2028-12-12' },
  );
  assert.equal(changes(), 1);
  assert.equal(source.getUpdates(), updates, 'the same array until a refresh changes it');
  // What the rules read: the bundled products with the update applied.
  const dotnet = listProducts(updates).find((p) => p.id === 'dotnet')!;
  assert.equal(dotnet.versions.find((v) => v.version === '10.0')?.endOfSupport, '2028-12-12');
  assert.equal(dotnet.versions.find((v) => v.version === '8.0')?.endOfSupport, '2026-11-10');

  // Another window (a new source on the same folder) reads the cache: no request.
  const second = createLiveLifecycleSource({ ...options, onChange: undefined });
  t.after(() => second.dispose());
  assert.deepEqual(second.getUpdates(), updates);
  await second.whenIdle();
  assert.equal(served.requests.length, 1);
});

test('a day later the cache answers at once and is refreshed in the background; the same facts are no change', async (t) => {
  const served = await serve(t, RECORDED);
  const { source, changes, advance } = setup(t, served.url);
  assert.equal((await source.refresh()).status, 'updated');
  const first = source.getUpdates();
  advance(DAY - 1000);
  assert.equal(source.getUpdates(), first);
  await source.whenIdle();
  assert.equal(served.requests.length, 1, 'fresh for a day');
  advance(2000);
  assert.equal(source.getUpdates(), first, 'stale: still answered from the cache');
  await source.whenIdle();
  assert.equal(served.requests.length, 2);
  assert.equal(source.getUpdates(), first);
  assert.equal(changes(), 1, 'only the first refresh changed anything');
});

test('offline: the bundled data, one log line, and a back-off before the next try', async (t) => {
  const served = await serve(t, RECORDED);
  const closedPort = new URL(served.url);
  // A port nobody listens on: take one, close it.
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort.port = String((probe.address() as net.AddressInfo).port);
  await new Promise((resolve) => probe.close(resolve));
  const { source, logs, advance } = setup(t, closedPort.href);
  assert.equal(source.getUpdates(), undefined);
  await source.whenIdle();
  assert.equal(source.getUpdates(), undefined, 'backing off: no new attempt');
  await source.whenIdle();
  assert.equal(logs.length, 1, logs.join('\n'));
  assert.match(
    logs[0],
    /Could not refresh the \.NET lifecycles .*\(network: connection refused.*using the bundled product lifecycles/,
  );
  advance(11 * 60 * 1000);
  const again = await source.refresh();
  assert.equal(again.status, 'failed');
  assert.equal(logs.length, 1, 'the same kind of failure is logged once');
});

test('a malformed answer or a date in the wrong format is refused: the cached facts stay', async (t) => {
  const served = await serve(t, RECORDED);
  const { source, logs, cacheDir } = setup(t, served.url);
  await source.refresh();
  const good = source.getUpdates();
  const cacheFile = fs.readdirSync(cacheDir);
  served.body = RECORDED.replace('"eol-date": "2028-11-14"', '"eol-date": "14.11.2028"');
  const result = await source.refresh();
  assert.equal(result.status, 'failed');
  assert.match(
    result.status === 'failed' ? result.message : '',
    /10\.0 has eol-date "14\.11\.2028", not a date in YYYY-MM-DD/,
  );
  served.body = '{"releases-index": [';
  assert.match(JSON.stringify(await source.refresh()), /is not valid JSON/);
  assert.equal(source.getUpdates(), good);
  assert.deepEqual(fs.readdirSync(cacheDir), cacheFile);
  assert.equal(logs.length, 1, 'one line for the kind of failure');
  // A corrupt cache file is ignored, never trusted.
  fs.writeFileSync(
    path.join(cacheDir, cacheFile[0]),
    JSON.stringify({
      source: served.url,
      fetchedAt: Date.now(),
      updates: [{ product: 'dotnet', version: '8.0', endOfSupport: 'soon' }],
    }),
  );
  const fresh = createLiveLifecycleSource({ cacheDir, url: served.url, enabled: () => false, log: () => undefined });
  assert.equal(fresh.getUpdates(), undefined, 'switched off: nothing read');
  const reader = createLiveLifecycleSource({
    cacheDir,
    url: served.url,
    enabled: () => true,
    log: () => undefined,
    backoffMs: DAY,
  });
  t.after(() => reader.dispose());
  assert.equal(reader.getUpdates(), undefined, 'a cache with an odd date is not used');
  await reader.whenIdle();
});

test('switched off: no request, no cache, the bundled data', async (t) => {
  const served = await serve(t, RECORDED);
  const { source } = setup(t, served.url, { enabled: () => false });
  assert.equal(source.getUpdates(), undefined);
  assert.deepEqual(await source.refresh(), { status: 'skipped', reason: 'disabled' });
  assert.equal(served.requests.length, 0);
  assert.throws(
    () =>
      createLiveLifecycleSource({
        cacheDir: os.tmpdir(),
        url: 'http://example.com/releases-index.json',
        enabled: () => true,
        log: () => undefined,
      }),
    /must be read over https/,
  );
});
