#!/usr/bin/env node
// Maintainer's update of server/src/data/products.json from Microsoft's machine-readable files
// (run by hand when online, never in CI):
//   - dotnet/core release-notes/releases-index.json (release type, end of support, GA date)
//   - dotnet/dotnet-docker and microsoft/dotnet-framework-docker manifest.json (the Windows images
//     each product version builds, and the Windows versions of multi-platform tags)
//   - mcr.microsoft.com /v2/<repository>/tags/list (for versions the manifests no longer build)
// It rewrites only the generated fields (see the description in products.json), prints what
// changed and what needs a person, and never writes a file that fails products.schema.json.
//
//   npm run catalogue:update                   (compiles, then runs this script)
//   node scripts/catalogue-update.mjs [--dry-run] [--from DIR] [--data FILE] [--today YYYY-MM-DD]
//
// --from DIR reads recorded copies instead of the network: DIR/releases-index.json,
// DIR/dotnet-docker.manifest.json, DIR/dotnet-framework-docker.manifest.json and, when present,
// DIR/tags/<repository with / as _>.json (test/fixtures-upstream holds such copies). Exit 0 when
// the data was updated (or is already up to date), 1 on any error (nothing is written then).
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const compiled = join(root, 'out', 'server', 'src');
const require = createRequire(import.meta.url);

const args = process.argv.slice(2);
const option = (name) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const dryRun = args.includes('--dry-run');
const from = option('--from');
const dataFile = resolve(option('--data') ?? join(root, 'server', 'src', 'data', 'products.json'));
const schemaFile = join(root, 'server', 'src', 'data', 'products.schema.json');
const today = option('--today') ?? new Date().toISOString().slice(0, 10);

const SOURCES = {
  releasesIndex: {
    file: 'releases-index.json',
    url: 'https://builds.dotnet.microsoft.com/dotnet/release-metadata/releases-index.json',
  },
  dotnetDocker: {
    file: 'dotnet-docker.manifest.json',
    url: 'https://raw.githubusercontent.com/dotnet/dotnet-docker/main/manifest.json',
  },
  frameworkDocker: {
    file: 'dotnet-framework-docker.manifest.json',
    url: 'https://raw.githubusercontent.com/microsoft/dotnet-framework-docker/main/manifest.json',
  },
};

function fail(message) {
  console.error(`catalogue:update: ${message}`);
  process.exit(1);
}

let update, live;
try {
  update = require(join(compiled, 'catalogue', 'productsUpdate.js'));
  live = require(join(compiled, 'network', 'liveTags.js'));
} catch (error) {
  fail(
    `cannot load the compiled modules under out/ (${error.message}).\nCompile first: npx tsc -p test/tsconfig.json (npm run catalogue:update does it).`,
  );
}
if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) fail(`--today ${today} is not a date in YYYY-MM-DD`);

async function read(source) {
  if (from) {
    const file = join(from, source.file);
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      throw new update.UpstreamError(source.file, `cannot be read from ${file} (${error.code ?? error.message})`);
    }
  }
  let response;
  try {
    response = await fetch(source.url, {
      signal: AbortSignal.timeout(30000),
      headers: { 'User-Agent': 'windows-containers catalogue:update' },
    });
  } catch (error) {
    throw new update.UpstreamError(
      source.file,
      `cannot be fetched from ${source.url} (${error.cause?.code ?? error.message})`,
    );
  }
  if (!response.ok)
    throw new update.UpstreamError(source.file, `${source.url} answered ${response.status} ${response.statusText}`);
  return response.text();
}

async function registryTags(repositories) {
  const tags = new Map();
  if (from) {
    for (const repository of repositories) {
      const file = join(from, 'tags', `${repository.replace(/^mcr\.microsoft\.com\//, '').replaceAll('/', '_')}.json`);
      if (existsSync(file)) tags.set(repository, update.parseTagsList(readFileSync(file, 'utf8'), file).tags);
    }
    return tags;
  }
  const cacheDir = mkdtempSync(join(tmpdir(), 'wc-catalogue-update-'));
  const source = live.createLiveTagSource({
    cacheDir,
    enabled: () => true,
    timeoutMs: 15000,
    maxPages: 100,
    maxBytes: 32 * 1024 * 1024,
    log: () => undefined,
  });
  try {
    for (const repository of repositories) {
      const result = await source.refresh(repository);
      if (result.status !== 'updated')
        throw new update.UpstreamError(
          `${repository} tags/list`,
          result.status === 'failed' ? `${result.failure}: ${result.message}` : result.reason,
        );
      if (!result.complete) throw new update.UpstreamError(`${repository} tags/list`, 'has more pages than were read');
      tags.set(repository, result.tags);
    }
  } finally {
    source.dispose();
    rmSync(cacheDir, { recursive: true, force: true });
  }
  return tags;
}

try {
  const current = JSON.parse(readFileSync(dataFile, 'utf8'));
  const channels = update.parseReleasesIndex(await read(SOURCES.releasesIndex), SOURCES.releasesIndex.file);
  const images = [
    ...update.parseImageManifest(await read(SOURCES.dotnetDocker), SOURCES.dotnetDocker.file),
    ...update.parseImageManifest(await read(SOURCES.frameworkDocker), SOURCES.frameworkDocker.file),
  ];
  const repositories = current.products.filter((p) => p.id !== 'powershell').map((p) => p.repositories[0]);
  const registry = await registryTags(repositories);
  const result = update.applyUpstream(
    current,
    { channels, images, registryTags: registry.size === repositories.length ? registry : undefined },
    today,
  );

  console.log(
    `catalogue:update: ${result.changes.length} change(s) to ${dataFile}${dryRun ? ' (dry run: nothing written)' : ''}`,
  );
  for (const change of result.changes) console.log(`  ${change}`);
  if (registry.size !== repositories.length)
    console.log(
      '  (registry tag lists not read: versions the manifests no longer build, and "checked", are left as they are)',
    );
  if (result.notes.length > 0) {
    console.log('For a person to review:');
    for (const note of result.notes) console.log(`  - ${note}`);
  }
  if (!dryRun && result.changes.length > 0) {
    const Ajv = require('ajv').default;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(schemaFile, 'utf8')));
    update.writeProductsFile(dataFile, result.data, (value) =>
      validate(value) ? undefined : validate.errors.map((e) => `${e.instancePath || '/'} ${e.message}`).join('; '),
    );
    console.log(`catalogue:update: wrote ${dataFile}`);
  }
} catch (error) {
  fail(`${error.message}\nNothing was written.`);
}
