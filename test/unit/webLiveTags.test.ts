/**
 * The browser's live tag source (server/src/web/liveTags.ts, built into dist/web/server.js) against
 * a loopback registry, with node's `fetch` (the same API as the browser's): tags are learnt in the
 * background, and an error, a refusal or an endless answer leaves the bundled catalogue answering.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLiveTagSource } from '../../server/src/web/liveTags';

const SERVERCORE = 'mcr.microsoft.com/windows/servercore';

async function registry(
  handler: http.RequestListener,
): Promise<{ url: string; requests: string[]; close: () => Promise<void> }> {
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    requests.push(request.url ?? '');
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function source(url: string, logs: string[], enabled = true) {
  return createLiveTagSource({
    cacheDir: '/unused',
    baseUrl: url,
    enabled: () => enabled,
    log: (message) => void logs.push(message),
    timeoutMs: 2000,
    maxBytes: 64 * 1024,
  });
}

test('tags are fetched in the background and answered from then on', async () => {
  const mcr = await registry((_, response) =>
    response
      .writeHead(200, { 'Content-Type': 'application/json' })
      .end(JSON.stringify({ name: 'windows/servercore', tags: ['ltsc2025', 'ltsc2025-KB5099999'] })),
  );
  const logs: string[] = [];
  const tags = source(mcr.url, logs);
  try {
    assert.deepEqual(tags.getTags(SERVERCORE), [], 'the first ask does not wait');
    await tags.whenIdle();
    assert.deepEqual(tags.getTags(SERVERCORE), ['ltsc2025', 'ltsc2025-KB5099999']);
    assert.deepEqual(mcr.requests, ['/v2/windows/servercore/tags/list']);
    assert.deepEqual(tags.getTags('docker.io/library/python'), [], 'other registries are never asked');
    assert.equal(mcr.requests.length, 1);
    assert.deepEqual(logs, []);
  } finally {
    tags.dispose();
    await mcr.close();
  }
});

test('an error answer, a malformed one and an endless one leave no tags, logged once per kind, retried only after the back-off', async () => {
  for (const [kind, handler] of [
    ['http-status', (_: http.IncomingMessage, response: http.ServerResponse) => response.writeHead(500).end('no')],
    [
      'wrong-shape',
      (_: http.IncomingMessage, response: http.ServerResponse) =>
        response.writeHead(200).end(JSON.stringify({ tags: ['ok', 'not a tag!'] })),
    ],
    [
      'too-large',
      (_: http.IncomingMessage, response: http.ServerResponse) => {
        response.writeHead(200);
        const chunk = Buffer.alloc(16 * 1024, 'a');
        const write = () => {
          while (response.write(chunk)) if (response.destroyed) return;
          response.once('drain', write);
        };
        write();
      },
    ],
  ] as const) {
    const mcr = await registry(handler);
    const logs: string[] = [];
    const tags = source(mcr.url, logs);
    try {
      const result = await tags.refresh(SERVERCORE);
      assert.equal(result.status, 'failed', kind);
      assert.equal(result.status === 'failed' && result.failure, kind);
      assert.deepEqual(tags.getTags(SERVERCORE), [], 'the bundled catalogue answers');
      await tags.whenIdle();
      assert.equal(mcr.requests.length, 1, `${kind}: no second request within the back-off`);
      assert.equal(logs.length, 1, `${kind}: logged once: ${logs.join(' | ')}`);
    } finally {
      tags.dispose();
      await mcr.close();
    }
  }
});

test('switched off, nothing is asked', async () => {
  const mcr = await registry((_, response) => response.writeHead(200).end('{"tags":["x"]}'));
  const tags = source(mcr.url, [], false);
  try {
    assert.deepEqual(tags.getTags(SERVERCORE), []);
    assert.deepEqual(await tags.refresh(SERVERCORE), { status: 'skipped', reason: 'disabled' });
    assert.deepEqual(mcr.requests, []);
  } finally {
    tags.dispose();
    await mcr.close();
  }
});
