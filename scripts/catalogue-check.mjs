#!/usr/bin/env node
// Maintainer's check of server/src/data/base-images.json against the live registry (run by hand
// when online, never in CI): for each repository with tags, what mcr.microsoft.com has that the
// data lacks, and what the data lists that the registry no longer has.
//
//   npm run catalogue:check                 (compiles, then runs this script)
//   node scripts/catalogue-check.mjs [--registry https://mcr.microsoft.com]
//
// Pinned forms are not reported as missing from the data: KB-pinned (`ltsc2022-KB5034129`),
// full-build (`10.0.20348.2227`), date-pinned (`4.8.1-20240312-...`) and, for the multi-OS
// repositories, patch-pinned (`8.0.11-nanoserver-ltsc2022`). Multi-OS repositories are checked on
// their Windows tags only. HTTPS_PROXY/NO_PROXY are honoured. Exit 0 when every repository was
// read (whatever the differences), 1 when the registry could not be read.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const compiled = join(root, 'out', 'server', 'src');
const require = createRequire(import.meta.url);

const registryArg = process.argv.indexOf('--registry');
const baseUrl = registryArg > 0 ? process.argv[registryArg + 1] : undefined;

let live, catalogue;
try {
  live = require(join(compiled, 'network', 'liveTags.js'));
  catalogue = require(join(compiled, 'catalogue', 'catalogue.js'));
} catch (error) {
  fail(
    `Cannot load the compiled catalogue modules under out/ (${error.message}).\nCompile first: npx tsc -p test/tsconfig.json (npm run catalogue:check does it).`,
  );
}
// tsc re-indents the JSON it copies under out/: compare the data, not the bytes.
const readData = (dir) => JSON.stringify(JSON.parse(readFileSync(join(dir, 'data', 'base-images.json'), 'utf8')));
if (readData(compiled) !== readData(join(root, 'server', 'src'))) {
  fail(
    'out/server/src/data/base-images.json is older than server/src/data/base-images.json.\nCompile first: npx tsc -p test/tsconfig.json (npm run catalogue:check does it).',
  );
}

const WINDOWS_TAG = /(^|-)(nanoserver|windowsservercore|windowsserver)(-|$)/i;
const PINNED = [
  ['KB-pinned', /(^|-)KB\d+(-|$)/i],
  ['build-pinned', /(^|-)10\.0\.\d+\.\d+(-|$)/],
  ['date-pinned', /(^|-)\d{8}(-|$)/],
];
const ARCH = /^(.+)-(amd64|arm64)$/i;
const UNREACHABLE = new Set(['network', 'tls', 'timeout', 'proxy']);
const today = new Date().toISOString().slice(0, 10);

const cacheDir = mkdtempSync(join(tmpdir(), 'catalogue-check-'));
let tags;
try {
  tags = live.createLiveTagSource({
    cacheDir,
    baseUrl,
    timeoutMs: 20_000,
    maxBytes: 32 * 1024 * 1024,
    maxPages: 200,
    enabled: () => true,
    log: () => undefined,
  });
} catch (error) {
  rmSync(cacheDir, { recursive: true, force: true });
  fail(error.message);
}

const repositories = catalogue.listRepositories().filter((r) => r.tags.length > 0 || r.windowsTagGrid);
const summary = { checked: 0, withNew: 0, withGone: 0, failed: [] };
let reachable = false;
let unreachable;
try {
  for (const repository of repositories) {
    const result = await tags.refresh(repository.name);
    if (result.status !== 'updated') {
      const why = result.status === 'failed' ? `${result.failure}: ${result.message}` : result.reason;
      if (!reachable && result.status === 'failed' && UNREACHABLE.has(result.failure)) {
        unreachable = `Cannot reach the registry ${baseUrl ?? 'https://mcr.microsoft.com'} (${why}).\nThis check needs the internet; behind a proxy, set HTTPS_PROXY.`;
        break;
      }
      const gone =
        result.status === 'failed' && /^answered 404\b/.test(result.message)
          ? ' (the registry does not know this repository)'
          : '';
      console.log(`\n${repository.name}\n  could not be read: ${why}${gone}`);
      summary.failed.push(repository.name);
      continue;
    }
    reachable = true;
    summary.checked++;
    report(repository, result);
  }
} finally {
  tags.dispose();
  rmSync(cacheDir, { recursive: true, force: true });
}
if (unreachable) fail(unreachable);

console.log(
  `\n${summary.checked} of ${repositories.length} repositories checked: ${summary.withNew} with tags the data lacks, ${summary.withGone} with listed tags the registry no longer has.`,
);
if (summary.failed.length > 0) fail(`Not read: ${summary.failed.join(', ')}.`);

function report(repository, result) {
  const multiOs = repository.family === 'multi-os';
  const bundled = catalogue.listTags(repository, today);
  const known = new Set(bundled.map((t) => t.tag));
  const liveTags = new Set(result.tags);
  const fresh = [];
  const ignored = new Map();
  const skip = (why) => ignored.set(why, (ignored.get(why) ?? 0) + 1);
  for (const tag of result.tags) {
    if (multiOs && !WINDOWS_TAG.test(tag)) skip('non-Windows');
    else if (covered(repository, known, tag)) continue;
    else {
      const pinned =
        PINNED.find(([, pattern]) => pattern.test(tag)) ??
        (multiOs && /^\d+\.\d+\.\d+/.test(tag) ? ['patch-pinned'] : undefined);
      if (pinned) skip(pinned[0]);
      else fresh.push(tag);
    }
  }
  const gone = result.complete ? bundled.filter((t) => !liveTags.has(t.tag)) : [];

  console.log(
    `\n${repository.name}: ${result.tags.length} tags in the registry (${result.pages} page${result.pages === 1 ? '' : 's'})`,
  );
  if (fresh.length > 0) {
    summary.withNew++;
    console.log(`  in the registry, not in the data (${fresh.length}):`);
    for (const tag of fresh) console.log(`    + ${tag}`);
  }
  if (gone.length > 0) {
    summary.withGone++;
    console.log(`  in the data, no longer in the registry (${gone.length}):`);
    for (const info of gone) console.log(`    - ${info.tag}${describeStatus(info)}`);
  }
  if (!result.complete)
    console.log(`  the registry has more pages than were read: tags gone from the registry are not checked`);
  if (fresh.length === 0 && gone.length === 0 && result.complete) console.log('  the data is up to date');
  if (ignored.size > 0)
    console.log(`  not compared: ${[...ignored].map(([why, count]) => `${count} ${why}`).join(', ')}`);
}

/** Whether the data already accounts for a live tag: listed (or on the grid), an arch form of one, or a retired pattern. */
function covered(repository, known, tag) {
  if (known.has(tag)) return true;
  const arch = ARCH.exec(tag);
  if (arch && known.has(arch[1])) return true;
  const form = catalogue.resolveTag(repository, tag)?.form;
  return (
    form === 'listed' || form === 'arch' || (form === 'pattern' && !PINNED.some(([, pattern]) => pattern.test(tag)))
  );
}

function describeStatus(info) {
  if (info.retired) return ` (retired in the data since ${info.retired.since})`;
  const status = catalogue.tagStatus(info, today);
  return status === 'ended' ? ' (end of servicing in the data)' : '';
}

function fail(message) {
  console.error(`catalogue:check: ${message}`);
  process.exit(1);
}
