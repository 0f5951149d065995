/**
 * `npm run catalogue:update`, offline: its parsers on recorded copies of the upstream files
 * (test/fixtures-upstream, see the README there), the rewrite of the generated fields of
 * products.json, and bad input, which must give a clear error and leave the data file untouched.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import {
  applyUpstream,
  channelUpdates,
  parseImageManifest,
  parseReleasesIndex,
  parseTagsList,
  ProductsFile,
  UpstreamError,
  writeProductsFile,
} from '../../server/src/catalogue/productsUpdate';
import { REPO_ROOT } from './helpers';

const UPSTREAM = path.join(REPO_ROOT, 'test', 'fixtures-upstream');
const DATA = path.join(REPO_ROOT, 'server', 'src', 'data', 'products.json');
const SCRIPT = path.join(REPO_ROOT, 'scripts', 'catalogue-update.mjs');
const read = (name: string) => fs.readFileSync(path.join(UPSTREAM, name), 'utf8');
const bundled = (): ProductsFile => JSON.parse(fs.readFileSync(DATA, 'utf8'));
const schema = JSON.parse(
  fs.readFileSync(path.join(REPO_ROOT, 'server', 'src', 'data', 'products.schema.json'), 'utf8'),
);
const ajv = new Ajv({ allErrors: true, strict: false }).compile(schema);
const validate = (value: unknown) => (ajv(value) ? undefined : JSON.stringify(ajv.errors));

test('releases-index.json (dotnet/core): release types, end-of-support dates, preview channels', () => {
  const channels = parseReleasesIndex(read('releases-index.json'));
  const byVersion = new Map(channels.map((c) => [c.version, c]));
  assert.deepEqual([byVersion.get('8.0')?.releaseType, byVersion.get('8.0')?.eolDate], ['lts', '2026-11-10']);
  assert.deepEqual([byVersion.get('9.0')?.releaseType, byVersion.get('9.0')?.eolDate], ['sts', '2026-11-10']);
  assert.deepEqual([byVersion.get('10.0')?.releaseType, byVersion.get('10.0')?.eolDate], ['lts', '2028-11-14']);
  assert.equal(byVersion.get('11.0')?.supportPhase, 'preview');
  const updates = channelUpdates(channels);
  assert.deepEqual(
    updates.find((u) => u.version === '11.0-preview'),
    { product: 'dotnet', version: '11.0-preview', releaseType: 'sts' },
    'a preview channel updates the preview entry and names no end of support',
  );
});

test('manifest.json of dotnet-docker and dotnet-framework-docker: Windows suffixes per version and floating tags', () => {
  const dotnet = parseImageManifest(read('dotnet-docker.manifest.json'));
  const windowsOf = (repository: string, version: string) =>
    dotnet
      .filter((i) => i.repository === repository && i.version === version)
      .flatMap((i) => i.windows)
      .sort();
  assert.deepEqual(windowsOf('mcr.microsoft.com/dotnet/aspnet', '11.0'), [
    'nanoserver-ltsc2025',
    'windowsservercore-ltsc2025',
  ]);
  assert.deepEqual(windowsOf('mcr.microsoft.com/dotnet/sdk', '10.0'), [
    'nanoserver-ltsc2022',
    'nanoserver-ltsc2025',
    'windowsservercore-ltsc2022',
    'windowsservercore-ltsc2025',
  ]);
  assert.ok(windowsOf('mcr.microsoft.com/dotnet/runtime', '8.0').includes('nanoserver-1809'));
  const framework = parseImageManifest(read('dotnet-framework-docker.manifest.json'));
  const latest = framework.find(
    (i) => i.repository === 'mcr.microsoft.com/dotnet/framework/sdk' && i.sharedTags.includes('latest'),
  );
  assert.deepEqual(
    [latest?.version, latest?.windows],
    ['4.8', ['windowsservercore-ltsc2016', 'windowsservercore-ltsc2019']],
  );
  const tags = parseTagsList(read('tags/dotnet_framework_runtime.json'));
  assert.ok(tags.tags.includes('4.7.2-windowsservercore-ltsc2019'));
});

test('the bundled products.json agrees with the recorded upstream files (no change to make)', () => {
  const result = applyUpstream(bundled(), upstreamFromFixtures(), '2026-12-06');
  assert.deepEqual(result.changes, []);
  assert.deepEqual(result.data, bundled());
});

test('stale generated fields are rewritten from upstream; curated fields are kept', () => {
  const stale = bundled();
  const dotnet = stale.products.find((p) => p.id === 'dotnet')!;
  const v8 = dotnet.versions.find((v) => v.version === '8.0')!;
  v8.endOfSupport = '2026-11-12';
  v8.releaseType = 'sts';
  // In the recorded releases-index.json 11.0 is a preview: the manifest's 11.0 images are the preview entry's.
  const v11 = dotnet.versions.find((v) => v.version === '11.0-preview')!;
  v11.windows = [
    'nanoserver-ltsc2025',
    'nanoserver-ltsc2022',
    'windowsservercore-ltsc2025',
    'windowsservercore-ltsc2022',
  ];
  const framework = stale.products.find((p) => p.id === 'dotnet-framework')!;
  framework.floatingTags.find((f) => f.tag === '4.8')!.windows = ['ltsc2022', 'ltsc2019', 'ltsc2016'];
  framework.versions.find((v) => v.version === '4.7.2')!.windows = ['windowsservercore-ltsc2016'];
  stale.checked = '2026-01-01';

  const result = applyUpstream(stale, upstreamFromFixtures(), '2026-12-06');
  assert.deepEqual(result.changes, [
    'dotnet 8.0 releaseType: "sts" → "lts"',
    'dotnet 8.0 endOfSupport: "2026-11-12" → "2026-11-10"',
    'dotnet 11.0-preview windows: ["nanoserver-ltsc2025","nanoserver-ltsc2022","windowsservercore-ltsc2025","windowsservercore-ltsc2022"] → ["nanoserver-ltsc2025","windowsservercore-ltsc2025"]',
    'dotnet-framework 4.7.2 windows: ["windowsservercore-ltsc2016"] → ["windowsservercore-ltsc2019","windowsservercore-ltsc2016"]',
    'dotnet-framework floating tag 4.8 windows: ["ltsc2022","ltsc2019","ltsc2016"] → ["ltsc2019","ltsc2016"]',
    'products.json  checked: "2026-01-01" → "2026-12-06"',
  ]);
  assert.deepEqual(
    result.data,
    bundled(),
    'back to the bundled data, curated fields (uncertain, frozen, sources) included',
  );
  assert.equal(validate(result.data), undefined);
});

test('what the updater does not write is reported for a person: a new channel, a confirmed uncertain entry', () => {
  const current = bundled();
  const dotnet = current.products.find((p) => p.id === 'dotnet')!;
  dotnet.versions = dotnet.versions.filter((v) => v.version !== '10.0');
  const index = JSON.parse(read('releases-index.json'));
  const v11 = index['releases-index'].find((c: { 'channel-version': string }) => c['channel-version'] === '11.0');
  Object.assign(v11, { 'support-phase': 'active', 'eol-date': '2028-11-09' });
  const result = applyUpstream(
    current,
    { ...upstreamFromFixtures(), channels: parseReleasesIndex(JSON.stringify(index)) },
    '2026-12-06',
  );
  assert.ok(
    result.notes.some((n) => /^\.NET 10\.0 \(active\) is in releases-index\.json but not in products\.json/.test(n)),
    result.notes.join('\n'),
  );
  assert.ok(
    result.notes.some((n) => /^\.NET 11\.0 is marked uncertain/.test(n)),
    result.notes.join('\n'),
  );
  assert.ok(
    !dotnet.versions.some((v) => v.version === '10.0') &&
      !result.data.products[0].versions.some((v) => v.version === '10.0'),
    'never added by itself',
  );
});

test('registry tags of ended versions: Semi-Annual variants are left out silently, an unknown variant is reported', () => {
  const upstream = upstreamFromFixtures();
  const runtime = upstream.registryTags.get('mcr.microsoft.com/dotnet/runtime')!;
  assert.ok(runtime.includes('6.0-nanoserver-20h2'), 'the recorded list has the 20H2 variant of .NET 6.0');
  const quiet = applyUpstream(bundled(), upstream, '2026-12-06');
  assert.deepEqual(quiet.notes, []);
  upstream.registryTags.set('mcr.microsoft.com/dotnet/runtime', [...runtime, '6.0-nanoserver-ltsc2030']);
  const result = applyUpstream(bundled(), upstream, '2026-12-06');
  assert.deepEqual(result.notes, [
    'dotnet 6.0: the registry (mcr.microsoft.com/dotnet/runtime) has nanoserver-ltsc2030, which products.schema.json does not allow: left out.',
  ]);
  assert.deepEqual(result.changes, [], 'the recorded suffixes stay');
});

test('bad upstream input: a clear error naming the file and the value', () => {
  const index = read('releases-index.json');
  assert.throws(
    () => parseReleasesIndex(index.slice(0, 500)),
    (e: Error) => e instanceof UpstreamError && /^releases-index\.json: is not valid JSON/.test(e.message),
  );
  assert.throws(
    () => parseReleasesIndex(index.replace('"2026-11-10"', '"11/10/2026"')),
    /releases-index\.json: 9\.0 has eol-date "11\/10\/2026", not a date in YYYY-MM-DD/,
  );
  assert.throws(
    () => parseReleasesIndex(index.replace('"2028-11-14"', '"2028-02-30"')),
    /10\.0 has eol-date "2028-02-30"/,
  );
  assert.throws(() => parseReleasesIndex('{"releases-index": {}}'), /has no "releases-index" array/);
  const framework = read('dotnet-framework-docker.manifest.json');
  assert.throws(
    () => parseImageManifest(framework.replace('"latest": {}', '"lat est;rm": {}'), 'fx.json'),
    /fx\.json: dotnet\/framework\/runtime 4\.8 has the shared tag "lat est;rm", which is not a tag/,
  );
  assert.throws(
    () =>
      parseImageManifest(
        framework.replace('"osVersion": "windowsservercore-ltsc2016"', '"osVersion": "windowsservercore ltsc2016"'),
        'fx.json',
      ),
    /osVersion "windowsservercore ltsc2016"/,
  );
  assert.throws(
    () => parseTagsList('{"name": "dotnet/runtime", "tags": ["8.0", "8.0\\n-nanoserver"]}', 'tags.json'),
    /tags\.json: lists "8\.0\\n-nanoserver", which is not a tag/,
  );
});

test('writeProductsFile never writes data that fails the schema, and replaces the file atomically', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wc-products-'));
  try {
    const file = path.join(dir, 'products.json');
    fs.writeFileSync(file, fs.readFileSync(DATA));
    const before = fs.readFileSync(file, 'utf8');
    const broken = bundled();
    broken.products[0].versions[0].endOfSupport = '09/11/2028';
    assert.throws(() => writeProductsFile(file, broken, validate), /would fail its schema .*; nothing was written/);
    assert.equal(fs.readFileSync(file, 'utf8'), before);
    assert.deepEqual(fs.readdirSync(dir), ['products.json'], 'no temporary file left behind');
    const good = bundled();
    good.checked = '2026-12-07';
    writeProductsFile(file, good, validate);
    assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).checked, '2026-12-07');
    assert.equal(
      fs.readFileSync(file, 'utf8'),
      before.replace('"checked": "2026-12-06"', '"checked": "2026-12-07"'),
      'the same formatting as the bundled file',
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('npm run catalogue:update (the script) on recorded copies: prints the diff and writes; on bad input exits 1 and writes nothing', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wc-update-'));
  try {
    const data = path.join(dir, 'products.json');
    const stale = bundled();
    stale.products.find((p) => p.id === 'dotnet')!.versions.find((v) => v.version === '9.0')!.endOfSupport =
      '2026-05-12';
    fs.writeFileSync(data, `${JSON.stringify(stale, null, 2)}\n`);
    const run = (from: string) =>
      spawnSync(process.execPath, [SCRIPT, '--from', from, '--data', data, '--today', '2026-12-06'], {
        encoding: 'utf8',
        timeout: 60000,
      });

    const dry = spawnSync(
      process.execPath,
      [SCRIPT, '--from', UPSTREAM, '--data', data, '--today', '2026-12-06', '--dry-run'],
      { encoding: 'utf8', timeout: 60000 },
    );
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(dry.stdout, /1 change\(s\) .*\(dry run: nothing written\)/);
    assert.equal(fs.readFileSync(data, 'utf8'), `${JSON.stringify(stale, null, 2)}\n`);

    const ok = run(UPSTREAM);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /1 change\(s\)/);
    assert.match(ok.stdout, /dotnet 9\.0 endOfSupport: "2026-05-12" → "2026-11-10"/);
    assert.equal(fs.readFileSync(data, 'utf8'), fs.readFileSync(DATA, 'utf8'));

    // A copy of the recorded files with one bad value each: a clear error, the data file untouched.
    const bad = path.join(dir, 'bad');
    fs.cpSync(UPSTREAM, bad, { recursive: true });
    fs.writeFileSync(data, `${JSON.stringify(stale, null, 2)}\n`);
    const before = fs.readFileSync(data, 'utf8');
    const cases: [string, (text: string) => string, RegExp][] = [
      ['releases-index.json', (t) => t.slice(0, 300), /releases-index\.json: is not valid JSON/],
      [
        'releases-index.json',
        (t) => t.replace('"2026-11-10"', '"2026-11-1"'),
        /eol-date "2026-11-1", not a date in YYYY-MM-DD/,
      ],
      [
        'dotnet-framework-docker.manifest.json',
        (t) => t.replace('"4.8.1": {}', '"4.8.1/../x": {}'),
        /shared tag "4\.8\.1\/\.\.\/x", which is not a tag/,
      ],
      [
        'tags/dotnet_runtime.json',
        (t) => t.replace('"8.0-nanoserver-1809"', '"8.0-nanoserver-1809 "'),
        /lists "8\.0-nanoserver-1809 ", which is not a tag/,
      ],
    ];
    for (const [file, spoil, message] of cases) {
      const original = fs.readFileSync(path.join(UPSTREAM, file), 'utf8');
      fs.writeFileSync(path.join(bad, file), spoil(original));
      const failed = run(bad);
      assert.equal(failed.status, 1, `${file}: ${failed.stdout}`);
      assert.match(failed.stderr, message);
      assert.match(failed.stderr, /Nothing was written\./);
      assert.equal(fs.readFileSync(data, 'utf8'), before, `${file}: the data file is untouched`);
      fs.writeFileSync(path.join(bad, file), original);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

function upstreamFromFixtures() {
  return {
    channels: parseReleasesIndex(read('releases-index.json')),
    images: [
      ...parseImageManifest(read('dotnet-docker.manifest.json')),
      ...parseImageManifest(read('dotnet-framework-docker.manifest.json')),
    ],
    registryTags: new Map([
      ['mcr.microsoft.com/dotnet/runtime', parseTagsList(read('tags/dotnet_runtime.json')).tags],
      ['mcr.microsoft.com/dotnet/framework/runtime', parseTagsList(read('tags/dotnet_framework_runtime.json')).tags],
    ]),
  };
}
