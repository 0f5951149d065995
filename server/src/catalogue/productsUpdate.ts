/**
 * Reads Microsoft's machine-readable upstream files and regenerates the generated fields of
 * `data/products.json` (see its description): `checked`; per version `releaseType`, `released`,
 * `endOfSupport`, `windows`; per product `floatingTags[].windows`. Everything else is curated by
 * hand and kept as is. Used by `npm run catalogue:update` (scripts/catalogue-update.mjs) and, for
 * `releases-index.json` only, by the live lifecycle refresh (liveLifecycles.ts).
 *
 * Invariants: every parser rejects input it does not understand with an `UpstreamError` naming the
 * file and the value (never a guess); a field is only written from a value upstream states (an
 * absent `eol-date` keeps the curated date); `writeProductsFile` writes nothing that fails the
 * schema, and replaces the file atomically (temp file, validate, rename).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LifecycleUpdate } from './products';

/** A malformed or unexpected upstream file; the message names the file and what is wrong. */
export class UpstreamError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const CHANNEL = /^\d+\.\d+$/;
const PRODUCT_VERSION = /^\d+\.\d+(\.\d+)?$/;
const OS_VERSION = /^(nanoserver|windowsservercore|windowsserver)-([A-Za-z0-9]+)$/;
const REPOSITORY = /^[a-z0-9]+(?:[._/-][a-z0-9]+)*$/;

/** One .NET channel of dotnet/core `release-notes/releases-index.json`. */
export interface DotnetChannel {
  readonly version: string;
  readonly releaseType: 'lts' | 'sts';
  /** `preview`, `go-live`, `active`, `maintenance`, `eol`. */
  readonly supportPhase: string;
  readonly eolDate?: string;
  readonly latestRelease: string;
  readonly latestReleaseDate?: string;
}

/** Windows images of one product version in one repository of an image manifest (dotnet-docker, dotnet-framework-docker). */
export interface ManifestImage {
  readonly repository: string;
  readonly version: string;
  /** Tag suffixes (`nanoserver-ltsc2025`) of the amd64 Windows platforms. */
  readonly windows: readonly string[];
  /** Literal multi-platform tags of the image (`4.8`, `latest`); templated ones (`$(...)`) are left out. */
  readonly sharedTags: readonly string[];
  /** Windows platforms of another architecture, reported and not used (the data has amd64 suffixes only). */
  readonly otherArchitectures: readonly string[];
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UpstreamError(file, `is not valid JSON (${(error as Error).message})`);
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const show = (value: unknown) => JSON.stringify(value)?.slice(0, 80) ?? String(value);

/** A real calendar date in `YYYY-MM-DD` (not `2026-02-30`, not `11/10/2026`). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** Parses dotnet/core `release-notes/releases-index.json`. */
export function parseReleasesIndex(text: string, file = 'releases-index.json'): DotnetChannel[] {
  const value = parseJson(text, file);
  const list = isRecord(value) ? value['releases-index'] : undefined;
  if (!Array.isArray(list)) throw new UpstreamError(file, 'has no "releases-index" array');
  return list.map((entry: unknown, index): DotnetChannel => {
    if (!isRecord(entry)) throw new UpstreamError(file, `entry ${index} is not an object`);
    const version = entry['channel-version'];
    if (typeof version !== 'string' || !CHANNEL.test(version))
      throw new UpstreamError(
        file,
        `entry ${index} has channel-version ${show(version)}, not a version such as "10.0"`,
      );
    const releaseType = entry['release-type'];
    if (releaseType !== 'lts' && releaseType !== 'sts')
      throw new UpstreamError(file, `${version} has release-type ${show(releaseType)}, not "lts" or "sts"`);
    const supportPhase = entry['support-phase'];
    if (typeof supportPhase !== 'string' || !/^[a-z-]+$/.test(supportPhase))
      throw new UpstreamError(file, `${version} has support-phase ${show(supportPhase)}`);
    const eolDate = entry['eol-date'];
    if (eolDate !== undefined && eolDate !== null && !isIsoDate(eolDate))
      throw new UpstreamError(file, `${version} has eol-date ${show(eolDate)}, not a date in YYYY-MM-DD`);
    const latestRelease = entry['latest-release'];
    if (typeof latestRelease !== 'string' || !/^\d+\.\d+\.\d+(-[A-Za-z0-9.]+)?$/.test(latestRelease))
      throw new UpstreamError(file, `${version} has latest-release ${show(latestRelease)}`);
    const latestReleaseDate = entry['latest-release-date'];
    if (latestReleaseDate !== undefined && !isIsoDate(latestReleaseDate))
      throw new UpstreamError(
        file,
        `${version} has latest-release-date ${show(latestReleaseDate)}, not a date in YYYY-MM-DD`,
      );
    return {
      version,
      releaseType,
      supportPhase,
      eolDate: (eolDate as string | null) ?? undefined,
      latestRelease,
      latestReleaseDate,
    };
  });
}

/** The lifecycle facts of releases-index.json as updates of the `dotnet` product (see applyUpstream for the mapping). */
export function channelUpdates(channels: readonly DotnetChannel[]): LifecycleUpdate[] {
  return channels.map((c) => {
    const preview = c.supportPhase === 'preview' || c.supportPhase === 'go-live';
    const released = !preview && c.latestRelease === `${c.version}.0` ? c.latestReleaseDate : undefined;
    return {
      product: 'dotnet',
      version: preview ? `${c.version}-preview` : c.version,
      releaseType: c.releaseType,
      ...(c.eolDate ? { endOfSupport: c.eolDate } : {}),
      ...(released ? { released } : {}),
    };
  });
}

/**
 * Parses the `manifest.json` of dotnet/dotnet-docker or microsoft/dotnet-framework-docker: the
 * Windows platforms of every image, by repository and product version. The product version is
 * `productVersion` when literal (`4.8.1`), else the channel inside the template
 * (`$(dotnet|8.0|product-version)`), else the version folder of the Dockerfile (`src/sdk/10.0/...`).
 */
export function parseImageManifest(text: string, file = 'manifest.json'): ManifestImage[] {
  const value = parseJson(text, file);
  const repos = isRecord(value) ? value.repos : undefined;
  if (!Array.isArray(repos)) throw new UpstreamError(file, 'has no "repos" array');
  const result: ManifestImage[] = [];
  for (const repo of repos) {
    if (!isRecord(repo) || typeof repo.name !== 'string' || !REPOSITORY.test(repo.name))
      throw new UpstreamError(file, `a repository has the name ${show(isRecord(repo) ? repo.name : repo)}`);
    if (!Array.isArray(repo.images)) throw new UpstreamError(file, `${repo.name} has no "images" array`);
    for (const image of repo.images) {
      if (!isRecord(image) || !Array.isArray(image.platforms))
        throw new UpstreamError(file, `an image of ${repo.name} has no "platforms" array`);
      const windows: string[] = [];
      const other: string[] = [];
      let folder: string | undefined;
      for (const platform of image.platforms) {
        if (!isRecord(platform)) throw new UpstreamError(file, `a platform of ${repo.name} is not an object`);
        if (platform.os !== 'windows') continue;
        const osVersion = platform.osVersion;
        if (typeof osVersion !== 'string' || !OS_VERSION.test(osVersion))
          throw new UpstreamError(
            file,
            `a Windows platform of ${repo.name} has osVersion ${show(osVersion)}, not <family>-<windows version>`,
          );
        const architecture = platform.architecture ?? 'amd64';
        if (architecture === 'amd64') windows.push(osVersion.toLowerCase());
        else other.push(`${osVersion}/${show(architecture)}`);
        if (typeof platform.dockerfile === 'string') folder ??= platform.dockerfile.split('/')[2];
      }
      if (windows.length === 0 && other.length === 0) continue;
      const version = productVersion(image.productVersion, folder);
      if (!version)
        throw new UpstreamError(
          file,
          `a Windows image of ${repo.name} has productVersion ${show(image.productVersion)}, which names no version`,
        );
      const shared = isRecord(image.sharedTags) ? Object.keys(image.sharedTags) : [];
      const literal = shared.filter((tag) => !tag.includes('$('));
      const bad = literal.find((tag) => !TAG.test(tag));
      if (bad !== undefined)
        throw new UpstreamError(file, `${repo.name} ${version} has the shared tag ${show(bad)}, which is not a tag`);
      result.push({
        repository: `mcr.microsoft.com/${repo.name}`,
        version,
        windows: [...new Set(windows)],
        sharedTags: literal,
        otherArchitectures: other,
      });
    }
  }
  return result;
}

function productVersion(raw: unknown, folder: string | undefined): string | undefined {
  if (typeof raw === 'string' && PRODUCT_VERSION.test(raw)) return raw;
  const templated = typeof raw === 'string' ? /^\$\([a-z-]+\|(\d+\.\d+)\|[a-z-]+\)$/.exec(raw)?.[1] : undefined;
  if (templated) return templated;
  return folder && CHANNEL.test(folder) ? folder : undefined;
}

/** Parses a registry answer to `GET /v2/<name>/tags/list` (`{"name": ..., "tags": [...]}`). */
export function parseTagsList(text: string, file = 'tags/list'): { name: string; tags: string[] } {
  const value = parseJson(text, file);
  if (!isRecord(value) || typeof value.name !== 'string')
    throw new UpstreamError(file, 'is not a tag list (no "name")');
  const tags = value.tags === null ? [] : value.tags;
  if (!Array.isArray(tags)) throw new UpstreamError(file, 'has no "tags" array');
  const bad: unknown = tags.find((tag) => typeof tag !== 'string' || !TAG.test(tag));
  if (bad !== undefined) throw new UpstreamError(file, `lists ${show(bad)}, which is not a tag`);
  return { name: value.name, tags: tags as string[] };
}

// ---------------------------------------------------------------------------------------------
// Applying upstream facts to products.json

interface VersionData {
  version: string;
  releaseType: string | null;
  released: string | null;
  endOfSupport: string | null;
  uncertain?: string;
  windows: string[];
  [key: string]: unknown;
}
interface ProductData {
  id: string;
  repositories: string[];
  versions: VersionData[];
  floatingTags: { tag: string; version?: string; windows: string[]; [key: string]: unknown }[];
  [key: string]: unknown;
}
/** The products.json document (only the parts the updater reads are typed). */
export interface ProductsFile {
  checked: string;
  products: ProductData[];
  [key: string]: unknown;
}

export interface Upstream {
  readonly channels?: readonly DotnetChannel[];
  /** Images of dotnet/dotnet-docker and microsoft/dotnet-framework-docker, together. */
  readonly images?: readonly ManifestImage[];
  /** Tags of MCR repositories (`mcr.microsoft.com/dotnet/framework/runtime` → tags), for versions the manifests no longer build. */
  readonly registryTags?: ReadonlyMap<string, readonly string[]>;
}

export interface UpdateResult {
  readonly data: ProductsFile;
  /** `dotnet 8.0 endOfSupport: 2026-11-10 → 2026-11-12`, one per changed field. */
  readonly changes: string[];
  /** Facts the updater does not write by itself (a new version, an `uncertain` upstream now confirms, ...): for a person. */
  readonly notes: string[];
}

const FAMILY_ORDER = ['nanoserver', 'windowsservercore', 'windowsserver'];
const WINDOWS_ORDER = ['ltsc2025', 'ltsc2022', 'ltsc2019', '1809', 'ltsc2016'];
const SUFFIX = /^(nanoserver|windowsservercore|windowsserver)-(ltsc2016|ltsc2019|1809|ltsc2022|ltsc2025)$/;
/** The Semi-Annual Windows versions whose variants old product versions published (`6.0-nanoserver-20H2`). */
const SEMI_ANNUAL = /^(nanoserver|windowsservercore|windowsserver)-(sac2016|1709|1803|1903|1909|2004|2009|20h2)$/;

/** Suffixes in the data's order: by family, newest Windows first. */
function sortSuffixes(suffixes: Iterable<string>): string[] {
  const key = (s: string) => {
    const [family, windows] = [s.slice(0, s.indexOf('-')), s.slice(s.indexOf('-') + 1)];
    return FAMILY_ORDER.indexOf(family) * 100 + WINDOWS_ORDER.indexOf(windows);
  };
  return [...new Set(suffixes)].sort((a, b) => key(a) - key(b));
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/**
 * Returns a copy of `current` with the generated fields rewritten from `upstream`, and what changed.
 * A source left out of `upstream` leaves its fields as they are; `checked` becomes `today` only
 * when every source was given.
 */
export function applyUpstream(current: ProductsFile, upstream: Upstream, today: string): UpdateResult {
  const data = JSON.parse(JSON.stringify(current)) as ProductsFile;
  const changes: string[] = [];
  const notes: string[] = [];
  const set = (product: string, entry: { [key: string]: unknown }, label: string, field: string, value: unknown) => {
    if (JSON.stringify(entry[field]) === JSON.stringify(value)) return;
    changes.push(`${product} ${label} ${field}: ${JSON.stringify(entry[field])} → ${JSON.stringify(value)}`);
    entry[field] = value;
  };

  const dotnet = data.products.find((p) => p.id === 'dotnet');
  if (upstream.channels && dotnet) {
    for (const channel of upstream.channels) {
      const update = channelUpdates([channel])[0];
      const entry = dotnet.versions.find((v) => v.version === update.version);
      if (!entry) {
        if (channel.supportPhase !== 'eol')
          notes.push(
            `.NET ${channel.version} (${channel.supportPhase}) is in releases-index.json but not in products.json: add it by hand (name its Windows images and source).`,
          );
        continue;
      }
      if (update.releaseType !== undefined) set('dotnet', entry, update.version, 'releaseType', update.releaseType);
      if (update.endOfSupport) set('dotnet', entry, update.version, 'endOfSupport', update.endOfSupport);
      if (update.released) set('dotnet', entry, update.version, 'released', update.released);
      const ga = dotnet.versions.find((v) => v.version === channel.version);
      if (ga?.uncertain && (channel.supportPhase === 'active' || channel.supportPhase === 'maintenance')) {
        notes.push(
          `.NET ${channel.version} is marked uncertain in products.json, and releases-index.json now says "${channel.supportPhase}": review "uncertain" by hand.`,
        );
      }
    }
  }

  if (upstream.images) {
    for (const product of data.products) {
      const images = upstream.images.filter((i) => product.repositories.includes(i.repository));
      for (const image of images)
        for (const other of image.otherArchitectures)
          notes.push(
            `${image.repository} ${image.version} has a Windows platform ${other}, which the data does not record.`,
          );
      const built = new Map<string, string[]>();
      for (const image of images) built.set(image.version, [...(built.get(image.version) ?? []), ...image.windows]);
      for (const [version, suffixes] of built) {
        const phase = upstream.channels?.find((c) => c.version === version)?.supportPhase;
        const preview = phase === 'preview' || phase === 'go-live';
        const entry =
          product.versions.find((v) => v.version === (preview ? `${version}-preview` : version)) ??
          product.versions.find((v) => v.version === version || v.version === `${version}-preview`);
        if (!entry) {
          notes.push(
            `${product.id} ${version} has Windows images in the manifest but no entry in products.json: add it by hand.`,
          );
          continue;
        }
        setWindows(product.id, entry, suffixes, 'manifest');
      }
      // Versions no longer built (frozen, out of support): what the registry still serves.
      const tags = upstream.registryTags?.get(product.repositories[0]);
      if (tags) {
        for (const entry of product.versions) {
          if (built.has(entry.version) || built.has(entry.version.replace(/-preview$/, ''))) continue;
          const prefix = `${entry.version}-`;
          // Windows suffixes only: date-pinned (`4.7.2-20250909-windowsservercore-ltsc2019`) and other forms are not variants.
          const served = tags
            .filter((t) => t.startsWith(prefix))
            .map((t) => t.slice(prefix.length).toLowerCase())
            .filter((s) => OS_VERSION.test(s));
          if (served.length > 0) setWindows(product.id, entry, served, `registry (${product.repositories[0]})`);
        }
      }
      for (const floating of product.floatingTags) {
        const covering = images.filter((i) => i.sharedTags.includes(floating.tag));
        if (covering.length === 0) continue;
        const windows = [
          ...new Set(
            covering.flatMap((i) =>
              i.windows.map((s) => s.slice(s.indexOf('-') + 1)).map((w) => (w === '1809' ? 'ltsc2019' : w)),
            ),
          ),
        ];
        const ordered = WINDOWS_ORDER.filter((w) => windows.includes(w));
        const unknown = windows.filter((w) => !WINDOWS_ORDER.includes(w));
        if (unknown.length > 0)
          notes.push(
            `${product.id} floating tag ${floating.tag} covers ${unknown.join(', ')}, which the data does not know: left out.`,
          );
        if (!sameSet(floating.windows, ordered))
          set(product.id, floating, `floating tag ${floating.tag}`, 'windows', ordered);
      }
      const known = new Set(product.floatingTags.map((f) => f.tag));
      for (const tag of new Set(images.flatMap((i) => i.sharedTags))) {
        if (!known.has(tag))
          notes.push(
            `${product.id} has a new multi-platform tag ${tag} in the manifest: add it to floatingTags by hand.`,
          );
      }
    }
  }

  function setWindows(product: string, entry: VersionData, suffixes: readonly string[], from: string): void {
    const recordable = suffixes.filter((s) => SUFFIX.test(s));
    // Semi-Annual variants are left out by design (the data records LTSC ones); anything else is for a person.
    const other = [...new Set(suffixes.filter((s) => !SUFFIX.test(s) && !SEMI_ANNUAL.test(s)))];
    if (other.length > 0)
      notes.push(
        `${product} ${entry.version}: the ${from} has ${other.join(', ')}, which products.schema.json does not allow: left out.`,
      );
    if (!sameSet(entry.windows, recordable)) set(product, entry, entry.version, 'windows', sortSuffixes(recordable));
  }

  if (upstream.channels && upstream.images && upstream.registryTags) set('products.json', data, '', 'checked', today);
  return { data, changes, notes };
}

/**
 * Writes `data` to `file` only if `validate` (the JSON schema) accepts it: to a temporary file
 * beside it, validated as read back, then renamed over the old file (atomic). Throws, leaving the
 * old file untouched, when the data fails the schema.
 */
export function writeProductsFile(file: string, data: unknown, validate: (value: unknown) => string | undefined): void {
  const text = `${JSON.stringify(data, null, 2)}\n`;
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(temp, text);
    const problem = validate(JSON.parse(fs.readFileSync(temp, 'utf8')));
    if (problem)
      throw new Error(`the updated ${path.basename(file)} would fail its schema (${problem}); nothing was written`);
    fs.renameSync(temp, file);
  } finally {
    fs.rmSync(temp, { force: true });
  }
}
