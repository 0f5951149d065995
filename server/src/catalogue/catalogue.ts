/**
 * Typed, pure look-ups over `data/base-images.json`: repositories, tags, Windows versions, their
 * lifecycle and the hosts that can run them. Nothing here reads the clock or the network: the
 * caller passes `today` and any tags learnt from the live registry.
 */
import data from '../data/base-images.json';
import { ImageReference } from './imageReference';
import { FloatingTag, floatingTag, Product, productOfRepository, productTag, ProductTag } from './products';

export type SupportStatus = 'supported' | 'extended' | 'ended';

export interface WindowsVersion {
  readonly id: string;
  readonly displayName: string;
  readonly channel: 'LTSC' | 'SAC';
  readonly build: number;
  readonly released: string;
  readonly mainstreamEnd?: string;
  readonly extendedEnd: string;
  readonly note?: string;
}

export interface Contents {
  readonly powershell: string;
  readonly dotnetFramework: boolean;
  readonly wow64: boolean;
  readonly msi: boolean;
  readonly wmi: boolean;
  readonly defaultUser: string;
  readonly gpu?: boolean;
  readonly iis?: boolean;
}

export interface Host {
  readonly id: string;
  readonly name: string;
  readonly build: number;
  readonly kind: string;
  /** Why this host is not in Microsoft's compatibility matrix; what it runs is then never derived as a certainty (see hosts.ts). */
  readonly unverified?: string;
  readonly note?: string;
  /** When Azure Kubernetes Service retires (or retired) its node pools of this Windows version. */
  readonly aks?: { readonly nodePoolsRetire: string; readonly note?: string; readonly source: string };
}

interface TagData {
  readonly tag: string;
  readonly version: string | null;
  readonly uncertain?: string;
  readonly extendedEnd?: string;
  readonly note?: string;
  readonly source?: string;
  readonly contents?: Partial<Contents>;
}

interface OsVariant {
  readonly suffix: string;
  readonly family: string;
  readonly version: string;
}

/** The Windows tags of a multi-OS repository: `<prefix>-<suffix>`; which product version publishes which suffix is in products.json. */
interface TagGrid {
  /** Offer `<product version>-<suffix>` for each suffix a product version publishes. */
  readonly versionTags: boolean;
  /** Prefixes offered with every suffix (`''` for the bare suffix, `lts`). */
  readonly channelPrefixes?: readonly string[];
  readonly osVariants: readonly OsVariant[];
  readonly versionPattern: string;
}

export interface RepositoryData {
  readonly name: string;
  readonly family: string;
  readonly kind: 'base' | 'insider' | 'derived';
  readonly title: string;
  readonly summary: string;
  readonly contents?: Contents;
  readonly contentsSource?: string;
  readonly versionContents?: Record<string, { note: string; source: string }>;
  readonly size?: { approx: string; source: string };
  readonly mcrPage: string;
  readonly source: string;
  readonly tags: readonly TagData[];
  readonly tagPatterns?: readonly { pattern: string; versionGroup: number; description: string }[];
  readonly retiredTags?: readonly { pattern: string; since: string; replacement: string; reason: string }[];
  readonly windowsTagGrid?: TagGrid;
}

export interface LegacyRepository {
  readonly name: string;
  readonly replacement?: string;
  readonly replacementBySdkTag?: string;
  readonly multiOs?: boolean;
  /** The tags were published under the replacement too. */
  readonly keepsTags?: boolean;
  readonly note: string;
  readonly source: string;
}

/** What a tag of a repository means. */
export interface TagInfo {
  readonly tag: string;
  readonly repository: RepositoryData;
  /** The Windows version, when the tag pins one (multi-platform tags such as `4.8.1` do not). */
  readonly version?: WindowsVersion;
  /** Nano Server, Server Core, ... of this tag (for .NET and PowerShell images, from the tag's suffix). */
  readonly family: string;
  readonly extendedEnd?: string;
  readonly uncertain?: string;
  readonly note?: string;
  /** Since when the tag gets no updates: the earlier of its own retirement and its Windows version's end of servicing. */
  readonly retired?: { since: string; replacement: string; reason: string };
  /** The product the image ships (.NET 8.0, PowerShell 7.2, ...), from products.json, when the tag names one. */
  readonly product?: ProductTag;
  /** Why the tag does not exist, when products.json says its product version never published it. */
  readonly unpublished?: string;
  /** The Windows versions a multi-platform tag (`4.8`, `latest`) has variants for. */
  readonly floating?: { readonly versions: readonly WindowsVersion[]; readonly data: FloatingTag };
  /**
   * How the tag was recognised: listed in the data, a tag form (arch, KB, build), a date-pinned
   * pattern, the product grid, a Windows version marker inside the tag (`-1803`, `nanoserver-20H2`), or the live registry.
   */
  readonly form: 'listed' | 'arch' | 'kb' | 'build' | 'pattern' | 'grid' | 'marker' | 'live';
}

const versions: readonly WindowsVersion[] = data.versions as WindowsVersion[];
const versionById = new Map(versions.map((v) => [v.id, v]));
const repositories: readonly RepositoryData[] = data.repositories as unknown as RepositoryData[];
const repositoryByName = new Map(repositories.map((r) => [r.name, r]));
const legacyByName = new Map((data.legacy as LegacyRepository[]).map((l) => [l.name, l]));
const tagMarkers = data.tagMarkers.map((m) => new RegExp(m.pattern, 'i'));
const archForm = new RegExp(data.tagForms.arch.pattern, 'i');
const kbForm = new RegExp(data.tagForms.kb.pattern, 'i');
const buildForm = new RegExp(data.tagForms.build.pattern);

export const WINDOWS_VERSIONS = versions;
export const HOSTS: readonly Host[] = data.hosts;
export const SOURCES: Readonly<Record<string, string>> = data.sources;

export function getVersion(id: string): WindowsVersion | undefined {
  return versionById.get(id);
}

export function getVersionByBuild(build: number): WindowsVersion | undefined {
  return versions.find((v) => v.build === build);
}

/** Repositories offered in completion (base, insider and derived; never legacy names). */
export function listRepositories(): readonly RepositoryData[] {
  return repositories;
}

export function findRepository(name: string): RepositoryData | undefined {
  return repositoryByName.get(name.toLowerCase());
}

export function findLegacyRepository(name: string): LegacyRepository | undefined {
  return legacyByName.get(name.toLowerCase());
}

/** The MCR repository that replaces a legacy name (the SDK variant for SDK tags of dotnet-framework). */
export function legacyReplacement(legacy: LegacyRepository, tag: string | undefined): string | undefined {
  if (legacy.replacementBySdkTag && tag && /sdk/i.test(tag)) return legacy.replacementBySdkTag;
  return legacy.replacement;
}

/** The families of Windows base images, and their repositories. */
export type WindowsFamily = 'nanoserver' | 'servercore' | 'server';
export const WINDOWS_BASE_REPOSITORY: Readonly<Record<WindowsFamily, string>> = {
  nanoserver: 'mcr.microsoft.com/windows/nanoserver',
  servercore: 'mcr.microsoft.com/windows/servercore',
  server: 'mcr.microsoft.com/windows/server',
};

/**
 * The base image of a family for a Windows version (`mcr.microsoft.com/windows/servercore:ltsc2019`):
 * a listed, certain, non-retired tag, as the switch picks it; undefined when there is none.
 */
export function windowsBaseImage(family: WindowsFamily, version: string): string | undefined {
  const repository = findRepository(WINDOWS_BASE_REPOSITORY[family]);
  const tag = repository && versionTag(repository, version, '');
  return tag ? `${repository.name}:${tag}` : undefined;
}

/**
 * The tag of a repository for a Windows version: a listed, certain, non-retired tag (with the same
 * architecture suffix when the old tag had one); for repositories whose tags carry a product version
 * (`4.8.1-windowsservercore-ltsc2025`), the one for that Windows version.
 */
export function versionTag(repository: RepositoryData, version: string, arch: string): string | undefined {
  const candidates = listTags(repository, '0000-00-00').filter(
    (t) => t.version?.id === version && !t.uncertain && !t.retired && t.form === 'listed',
  );
  const plain = candidates.filter((t) => !/-(amd64|arm64)$/i.test(t.tag));
  const withArch = arch ? candidates.find((t) => t.tag.toLowerCase().endsWith(arch.toLowerCase())) : undefined;
  // For nanoserver ltsc2019 the certain tag is 1809 (ltsc2019 is unconfirmed); prefer version-named tags otherwise.
  const byName = plain.find((t) => t.tag === version) ?? plain[0];
  return (withArch ?? byName)?.tag;
}

/** Whether an image reference names a Windows image (Windows-only repository, legacy name, or a Windows tag of a multi-OS repository). */
export function isWindowsImage(reference: ImageReference): boolean {
  const repository = findRepository(reference.repository);
  if (repository && repository.family !== 'multi-os') return true;
  const legacy = findLegacyRepository(reference.repository);
  if (legacy && !legacy.multiOs) return true;
  const tag = reference.tag;
  return tag !== undefined && tagMarkers.some((marker) => marker.test(tag));
}

/** The support status of a date range on `today` (ISO dates compare as strings). */
export function supportStatus(
  extendedEnd: string | undefined,
  mainstreamEnd: string | undefined,
  today: string,
): SupportStatus {
  if (extendedEnd && today > extendedEnd) return 'ended';
  if (mainstreamEnd && today > mainstreamEnd) return 'extended';
  return 'supported';
}

export function tagStatus(tag: TagInfo, today: string): SupportStatus {
  if (tag.retired && today >= tag.retired.since) return 'ended';
  if (!tag.version) return 'supported';
  return supportStatus(
    tag.extendedEnd ?? tag.version.extendedEnd,
    tag.extendedEnd ? undefined : tag.version.mainstreamEnd,
    today,
  );
}

/** Explains one tag of a repository, or `undefined` when the tag is unknown. */
export function resolveTag(
  repository: RepositoryData,
  tag: string,
  liveTags?: ReadonlySet<string>,
): TagInfo | undefined {
  const info = resolveWindowsTag(repository, tag, liveTags);
  return info && withProduct(info);
}

function resolveWindowsTag(
  repository: RepositoryData,
  tag: string,
  liveTags?: ReadonlySet<string>,
): TagInfo | undefined {
  const retiredInfo = retiredFor(repository, tag);
  const listed = repository.tags.find((t) => t.tag.toLowerCase() === tag.toLowerCase());
  if (listed) return fromListed(repository, listed, 'listed', tag, retiredInfo);
  for (const [form, pattern] of [
    ['arch', archForm],
    ['kb', kbForm],
  ] as const) {
    const match = pattern.exec(tag);
    const base = match && repository.tags.find((t) => t.tag.toLowerCase() === match[1].toLowerCase());
    if (base) return fromListed(repository, base, form, tag, retiredInfo);
  }
  const build = buildForm.exec(tag);
  if (build && repository.family !== 'multi-os') {
    const version = getVersionByBuild(Number(build[1]));
    return { tag, repository, version, family: repository.family, form: 'build' };
  }
  for (const p of repository.tagPatterns ?? []) {
    const match = new RegExp(p.pattern, 'i').exec(tag);
    if (match)
      return {
        tag,
        repository,
        version: getVersion(match[p.versionGroup]),
        family: repository.family,
        form: 'pattern',
        retired: retiredInfo,
      };
  }
  const grid = repository.windowsTagGrid;
  if (grid) {
    const lower = tag.toLowerCase().replace(ARCH_TAIL, '');
    for (const variant of grid.osVariants) {
      if (!lower.endsWith(variant.suffix)) continue;
      const prefix = lower.slice(0, lower.length - variant.suffix.length).replace(/-$/, '');
      if (
        prefix === '' ? (grid.channelPrefixes ?? []).includes('') : new RegExp(grid.versionPattern, 'i').test(prefix)
      ) {
        return { tag, repository, version: getVersion(variant.version), family: variant.family, form: 'grid' };
      }
    }
  }
  // Derived repositories only: a base repository lists every tag it published, so an unlisted
  // `windows:ltsc2022` names no image and must not borrow Windows Server 2022's facts.
  const marked = repository.kind === 'derived' ? fromMarkers(repository, tag) : undefined;
  if (marked) return { ...marked, retired: retiredInfo };
  if (retiredInfo) return { tag, repository, family: repository.family, form: 'pattern', retired: retiredInfo };
  if (liveTags?.has(tag)) return { tag, repository, family: repository.family, form: 'live' };
  return undefined;
}

const ARCH_TAIL = /-(amd64|arm64)$/;
/** Windows version markers inside any Microsoft tag: `-1803`, `windowsservercore-1903`, `nanoserver-20H2`, `ltsc2016`. */
const VERSION_MARKER =
  /(?:^|[-_])(ltsc2016|ltsc2019|ltsc2022|ltsc2025|sac2016|1709|1803|1809|1903|1909|2004|20h2)(?=$|[-_])/i;
/** A full build inside a tag: `10.0.14393.2068`, `4.8-10.0.17763`. */
const BUILD_MARKER = /(?:^|[-_])10\.0\.(\d{5})(?:\.\d+)?(?=$|[-_])/;
const FAMILY_MARKER = /(?:^|-)(nanoserver|windowsservercore|windowsserver)(?=-|$)/i;
const FAMILY_OF_MARKER: Record<string, string> = {
  nanoserver: 'nanoserver',
  windowsservercore: 'servercore',
  windowsserver: 'server',
};

/** The Windows version a tag names through a marker, for tags the data does not list (`4.8-windowsservercore-1903`, `nanoserver-1803`). */
function fromMarkers(repository: RepositoryData, tag: string): TagInfo | undefined {
  const marker = VERSION_MARKER.exec(tag)?.[1].toLowerCase();
  const build = BUILD_MARKER.exec(tag)?.[1];
  const id = marker === '1809' ? 'ltsc2019' : marker === 'sac2016' ? 'ltsc2016' : marker === '20h2' ? '20H2' : marker;
  const version = id ? getVersion(id) : build ? getVersionByBuild(Number(build)) : undefined;
  if (!version) return undefined;
  const familyMarker = FAMILY_MARKER.exec(tag)?.[1].toLowerCase();
  const family = familyMarker ? FAMILY_OF_MARKER[familyMarker] : repository.family;
  // Nano Server 2016 was a Semi-Annual image that ended on its own date (the `sac2016` tag of the data).
  const sac2016 =
    family === 'nanoserver' && version.id === 'ltsc2016'
      ? findRepository('mcr.microsoft.com/windows/nanoserver')?.tags.find((t) => t.tag === 'sac2016')?.extendedEnd
      : undefined;
  return { tag, repository, version, family, form: 'marker', ...(sac2016 ? { extendedEnd: sac2016 } : {}) };
}

/** The Windows suffix of a tag (`nanoserver-ltsc2022` of `8.0.30-nanoserver-ltsc2022-amd64`), when it has a family marker. */
export function windowsSuffix(tag: string): string | undefined {
  return splitSuffix(tag)?.suffix;
}

/** The suffix of a tag (`nanoserver-ltsc2022`) and the part before it, when the tag has a Windows family marker. */
function splitSuffix(tag: string): { prefix: string; suffix: string } | undefined {
  const lower = tag.toLowerCase().replace(ARCH_TAIL, '');
  const match = /(?:^|-)((?:nanoserver|windowsservercore|windowsserver)-[a-z0-9]+)$/.exec(lower);
  if (!match) return undefined;
  return { prefix: lower.slice(0, match.index), suffix: match[1] };
}

/**
 * Adds what products.json knows: the product version the tag names, whether it was ever
 * published (grid tags only: a Semi-Annual tag found by its marker predates the data), the
 * Windows versions of a multi-platform tag, the frozen .NET Framework versions, and the earlier
 * of a retirement and the Windows version's end of servicing.
 */
function withProduct(info: TagInfo): TagInfo {
  const product = productOfRepository(info.repository.name);
  let result = info;
  if (product) {
    const floating = info.version ? undefined : floatingTag(product, info.tag);
    const split = splitSuffix(info.tag);
    const named = floating?.version
      ? productTag(product, floating.version, undefined)
      : split
        ? productTag(product, split.prefix, split.suffix)
        : undefined;
    if (named?.version || named?.written) result = { ...result, product: named };
    const unpublished =
      info.form === 'grid' && split ? unpublishedReason(info.repository, split.prefix, split.suffix) : undefined;
    if (unpublished) result = { ...result, unpublished };
    if (floating) {
      const versions = floating.windows.map((id) => getVersion(id)).filter((v): v is WindowsVersion => v !== undefined);
      result = { ...result, floating: { versions, data: floating } };
    }
    const frozen = named?.version?.frozen;
    if (frozen && !result.retired) {
      const replacement = split ? `${frozen.replacement}-${split.suffix}` : frozen.replacement;
      result = {
        ...result,
        retired: {
          since: frozen.since,
          replacement,
          reason: `Microsoft stopped producing the ${product.name} ${named?.version?.version} images; they stay pullable, frozen at their ${frozen.lastUpdate} update.`,
        },
      };
    }
  }
  const retired = result.retired;
  const windowsEnd = result.version && (result.extendedEnd ?? result.version.extendedEnd);
  if (retired && windowsEnd && windowsEnd < retired.since)
    result = { ...result, retired: { ...retired, since: windowsEnd } };
  return result;
}

/**
 * Why `<prefix>-<suffix>` of a grid repository was never published (products.json), or
 * `undefined` when it was, or when the data cannot say.
 */
export function unpublishedReason(repository: RepositoryData, prefix: string, suffix: string): string | undefined {
  const product = productOfRepository(repository.name);
  const named = product && prefix ? productTag(product, prefix, suffix) : undefined;
  if (!product || !named?.version || named.published !== false) return undefined;
  const where = named.version.windows.length ? named.version.windows.join(', ') : 'no Windows version';
  return `${product.name} ${named.version.version} publishes no ${suffix} image (its Windows tags end in ${where}).`;
}

/** The product of a repository, for callers that list its versions. */
export function repositoryProduct(repository: RepositoryData): Product | undefined {
  return productOfRepository(repository.name);
}

function fromListed(
  repository: RepositoryData,
  listed: TagData,
  form: TagInfo['form'],
  tag: string,
  retired: TagInfo['retired'],
): TagInfo {
  return {
    tag,
    repository,
    version: listed.version ? getVersion(listed.version) : undefined,
    family: repository.family,
    extendedEnd: listed.extendedEnd,
    uncertain: listed.uncertain,
    note: listed.note,
    retired,
    form,
  };
}

/**
 * The tags offered in completion for a repository, newest supported first and end-of-servicing
 * last. Multi-OS repositories offer their Windows variants. Live tags the data does not know are
 * added after the known ones.
 */
export function listTags(repository: RepositoryData, today: string, liveTags: readonly string[] = []): TagInfo[] {
  const known: TagInfo[] = [];
  for (const listed of repository.tags)
    known.push(withProduct(fromListed(repository, listed, 'listed', listed.tag, retiredFor(repository, listed.tag))));
  for (const tag of gridTags(repository)) known.push(withProduct(tag));
  const seen = new Set(known.map((t) => t.tag));
  for (const tag of liveTags) {
    if (seen.has(tag)) continue;
    seen.add(tag);
    const resolved = resolveTag(repository, tag);
    known.push(resolved ?? { tag, repository, family: repository.family, form: 'live' });
  }
  // Versioned tags in support (mainstream or extended) first, newest build first; then those whose
  // product version is a preview or unconfirmed; then those whose product version is out of
  // support; then tags that pin no version (multi-platform, unknown live tags); end-of-servicing tags last.
  const rank = (t: TagInfo) => {
    if (tagStatus(t, today) === 'ended') return 4;
    if (!t.version) return 3;
    const product = t.product?.version;
    if (!product) return 0;
    if (product.endOfSupport && today > product.endOfSupport) return 2;
    return product.preview || product.uncertain ? 1 : 0;
  };
  return known
    .map((t, index) => ({ t, index }))
    .sort((a, b) => rank(a.t) - rank(b.t) || (b.t.version?.build ?? 0) - (a.t.version?.build ?? 0) || a.index - b.index)
    .map(({ t }) => t);
}

/** The Windows tags of a multi-OS repository's grid: per product version the suffixes it publishes, and the channel tags. */
function gridTags(repository: RepositoryData): TagInfo[] {
  const grid = repository.windowsTagGrid;
  if (!grid) return [];
  const out: TagInfo[] = [];
  const add = (tag: string, variant: OsVariant) =>
    out.push({ tag, repository, version: getVersion(variant.version), family: variant.family, form: 'grid' });
  const product = productOfRepository(repository.name);
  if (grid.versionTags && product) {
    for (const version of product.versions) {
      for (const variant of grid.osVariants)
        if (version.windows.includes(variant.suffix)) add(`${version.version}-${variant.suffix}`, variant);
    }
  }
  for (const prefix of grid.channelPrefixes ?? []) {
    for (const variant of grid.osVariants) add(prefix ? `${prefix}-${variant.suffix}` : variant.suffix, variant);
  }
  return out;
}

function retiredFor(repository: RepositoryData, tag: string): TagInfo['retired'] {
  const retired = repository.retiredTags?.find((r) => new RegExp(r.pattern, 'i').test(tag));
  return retired ? { since: retired.since, replacement: retired.replacement, reason: retired.reason } : undefined;
}

export interface HostCompatibility {
  readonly process: readonly Host[];
  readonly hypervOnly: readonly Host[];
  readonly none: readonly Host[];
  /** Hosts not in Microsoft's compatibility matrix that are not older than the image: not derived from the rule (see hosts.ts). */
  readonly unverified: readonly Host[];
}

/** LTSC builds, for the rule below. */
const LTSC_BUILDS = versions.filter((v) => v.channel === 'LTSC').map((v) => v.build);

/**
 * Whether a host build can run an image build with process isolation, by hcsshim's
 * CheckHostAndContainerCompat (osversion/platform_compat_windows.go): below 20348 the builds
 * must match exactly; from 20348 on, the image build must lie between the newest LTSC build that
 * is strictly older than the host (20348 for a 2022 host itself) and the host build, inclusive.
 */
export function runsProcessIsolated(hostBuild: number, imageBuild: number): boolean {
  if (hostBuild < 20348) return hostBuild === imageBuild;
  const older = LTSC_BUILDS.filter((b) => b < hostBuild && b >= 20348);
  const floor = older.length > 0 ? Math.max(...older) : 20348;
  return imageBuild >= floor && imageBuild <= hostBuild;
}

/** Hyper-V isolation gives the container matching kernel binaries: any image not newer than the host (VD-compat). */
export function runsWithHyperV(hostBuild: number, imageBuild: number): boolean {
  return imageBuild <= hostBuild;
}

export function hostCompatibility(imageBuild: number): HostCompatibility {
  const process: Host[] = [];
  const hypervOnly: Host[] = [];
  const none: Host[] = [];
  const unverified: Host[] = [];
  for (const host of HOSTS) {
    if (host.unverified && runsWithHyperV(host.build, imageBuild)) unverified.push(host);
    else if (runsProcessIsolated(host.build, imageBuild)) process.push(host);
    else if (runsWithHyperV(host.build, imageBuild)) hypervOnly.push(host);
    else none.push(host);
  }
  return { process, hypervOnly, none, unverified };
}
