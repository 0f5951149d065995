/**
 * The code cache loader (server/src/runtime/codeCache.ts) on real files in a temporary folder: the module
 * runs as `require` would run it, with or without a cache; the cache is written once, through a
 * rename, read on the next load, and a corrupt, foreign or unwritable cache only means a load
 * without it.
 */
import { afterEach, beforeEach, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  cacheFileFor,
  codeCacheDir,
  loadWithCodeCache,
  REFRESH_GROWTH,
  textHash,
} from '../../server/src/runtime/codeCache';

let tmp: string;
let moduleFile: string;
const runs = () => (globalThis as { codeCacheTestRuns?: string[] }).codeCacheTestRuns ?? [];

/** A module that uses everything a CommonJS module gets, and records each run. */
function writeModule(marker: string): void {
  fs.writeFileSync(path.join(tmp, 'helper.js'), 'module.exports = (x) => x * 2;\n');
  fs.writeFileSync(
    moduleFile,
    [
      '#!/usr/bin/env node',
      "const helper = require('./helper');",
      "const path = require('node:path');",
      'const g = globalThis;',
      'g.codeCacheTestRuns = g.codeCacheTestRuns || [];',
      `g.codeCacheTestRuns.push([${JSON.stringify(marker)}, helper(21), path.basename(__filename), __dirname === path.dirname(__filename), typeof module.exports].join(' '));`,
      // Enough functions for V8 to have something to cache.
      ...Array.from({ length: 50 }, (_, i) => `function f${i}(a) { return a + ${i}; }`),
      'module.exports = { sum: [' +
        Array.from({ length: 50 }, (_, i) => `f${i}(1)`).join(', ') +
        '].reduce((a, b) => a + b) };',
      // Compiled only when a test calls it (after the load), as the functions of editing are.
      `g.codeCacheTestLater = function later(n) { let total = 0; for (let i = 0; i < n; i++) total += ${Array.from({ length: 300 }, (_, i) => `(i % ${i + 2})`).join(' + ')}; return total; };`,
      '',
    ].join('\n'),
  );
}

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wc-code-cache-'));
  moduleFile = path.join(tmp, 'serverMain.js');
  (globalThis as { codeCacheTestRuns?: string[] }).codeCacheTestRuns = [];
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('--code-cache-dir is read in both forms; without it there is no folder', () => {
  assert.equal(codeCacheDir(['node', 'server.js', '--stdio', '--code-cache-dir', '/c']), '/c');
  assert.equal(codeCacheDir(['node', 'server.js', '--code-cache-dir=/d', '--stdio']), '/d');
  assert.equal(codeCacheDir(['node', 'server.js', '--stdio']), undefined);
  assert.equal(codeCacheDir(['node', 'server.js', '--code-cache-dir']), undefined);
  assert.equal(codeCacheDir(['node', 'server.js', '--code-cache-dir=']), undefined);
});

test('without a folder the module runs as require runs it, and nothing is written', () => {
  writeModule('plain');
  const load = loadWithCodeCache(moduleFile, undefined);
  assert.equal(load.cache, 'off');
  assert.equal(load.writeNow(), false);
  assert.deepEqual(runs(), ['plain 42 serverMain.js true object']);
  assert.deepEqual(fs.readdirSync(tmp).sort(), ['helper.js', 'serverMain.js']);
});

test('the first load writes the cache once; the next load reads it and runs the module the same way', () => {
  writeModule('cached');
  const dir = path.join(tmp, 'cache', 'nested');
  const first = loadWithCodeCache(moduleFile, dir);
  assert.equal(first.cache, 'absent');
  assert.equal(first.writeNow(), true);
  assert.equal(first.writeNow(), false, 'written once');
  assert.deepEqual(fs.readdirSync(dir), [path.basename(first.file!)]);
  assert.match(path.basename(first.file!), /^server-[0-9a-f]{16}\.v8cache$/);
  assert.ok(fs.statSync(first.file!).size > 0);

  const second = loadWithCodeCache(moduleFile, dir);
  assert.equal(second.cache, 'read');
  assert.equal(second.writeNow(), false, 'a cache that was read is not written again');
  assert.deepEqual(runs(), ['cached 42 serverMain.js true object', 'cached 42 serverMain.js true object']);
});

test('a cache that was read is written again when the session compiled functions it did not hold, and only then', () => {
  writeModule('grows');
  const dir = path.join(tmp, 'cache');
  const first = loadWithCodeCache(moduleFile, dir);
  assert.equal(first.writeNow(), true);
  assert.equal(first.refreshNow(), false, 'a cache written in this session is not refreshed');
  const size = fs.statSync(first.file!).size;

  const unchanged = loadWithCodeCache(moduleFile, dir);
  assert.equal(unchanged.cache, 'read');
  assert.equal(unchanged.refreshNow(), false, 'nothing compiled beyond the cache');
  assert.equal(fs.statSync(first.file!).size, size);

  const grown = loadWithCodeCache(moduleFile, dir);
  (globalThis as { codeCacheTestLater?: (n: number) => number }).codeCacheTestLater!(10);
  assert.equal(grown.refreshNow(), true);
  assert.equal(grown.refreshNow(), false, 'written once');
  assert.ok(
    fs.statSync(first.file!).size >= size + REFRESH_GROWTH,
    `${fs.statSync(first.file!).size} bytes, ${size} before`,
  );

  const next = loadWithCodeCache(moduleFile, dir);
  assert.equal(next.cache, 'read');
  (globalThis as { codeCacheTestLater?: (n: number) => number }).codeCacheTestLater!(10);
  assert.equal(next.refreshNow(), false, 'the function is in the cache now');
});

test('a corrupt cache is rejected by V8: the module still runs, and a good cache replaces it', () => {
  writeModule('corrupt');
  const dir = path.join(tmp, 'cache');
  const file = cacheFileFor(dir, fs.readFileSync(moduleFile, 'utf8'));
  fs.mkdirSync(dir);
  fs.writeFileSync(file, Buffer.from('not V8 code cache data at all, just some bytes'));
  const load = loadWithCodeCache(moduleFile, dir);
  assert.equal(load.cache, 'rejected');
  assert.equal(runs().length, 1);
  assert.equal(load.writeNow(), true);
  assert.equal(loadWithCodeCache(moduleFile, dir).cache, 'read');
});

test('a changed bundle gets a cache of its own, and the old cache file is removed', () => {
  writeModule('old');
  const dir = path.join(tmp, 'cache');
  const old = loadWithCodeCache(moduleFile, dir);
  old.writeNow();
  fs.writeFileSync(path.join(dir, 'unrelated.txt'), 'kept');
  writeModule('new');
  const changed = loadWithCodeCache(moduleFile, dir);
  assert.notEqual(changed.file, old.file);
  assert.equal(changed.cache, 'absent');
  changed.writeNow();
  assert.deepEqual(fs.readdirSync(dir).sort(), [path.basename(changed.file!), 'unrelated.txt'].sort());
});

test('an unwritable cache folder is logged, and the module runs', () => {
  writeModule('unwritable');
  const blocker = path.join(tmp, 'blocker');
  fs.writeFileSync(blocker, 'a file where the folder should be');
  const logs: string[] = [];
  const load = loadWithCodeCache(moduleFile, path.join(blocker, 'cache'), (message) => logs.push(message));
  assert.equal(load.cache, 'absent');
  assert.equal(load.writeNow(), false);
  assert.equal(logs.length, 1);
  assert.match(logs[0], /^code cache: could not write /);
  assert.deepEqual(runs(), ['unwritable 42 serverMain.js true object']);
});

test('textHash names a text by 16 hex digits that any one changed character changes', () => {
  const text = fs.readFileSync(__filename, 'utf8');
  const hash = textHash(text);
  assert.match(hash, /^[0-9a-f]{16}$/);
  assert.equal(textHash(text), hash, 'the same text, the same name');
  const seen = new Set([hash]);
  for (let i = 0; i < text.length; i += Math.max(1, Math.floor(text.length / 200))) {
    const changed = text.slice(0, i) + String.fromCharCode(text.charCodeAt(i) ^ 1) + text.slice(i + 1);
    seen.add(textHash(changed));
  }
  assert.equal(seen.size, 1 + Math.ceil(text.length / Math.max(1, Math.floor(text.length / 200))));
  assert.notEqual(textHash('ab'), textHash('ba'), 'order counts');
  assert.equal(textHash(''), '811c9dc59747b28c', 'the seeds, for the empty text');
});
