/**
 * Typed, pure look-ups over `data/base-images.json`: repositories, tags, Windows versions, their
 * lifecycle and the hosts that can run them. Nothing here reads the clock or the network: the
 * caller passes `today` and any tags learnt from the live registry.
 */
import data from '../data/base-images.json';
import { ImageReference } from './imageReference';

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

interface TagGrid {
  readonly productVersions: readonly string[];
  readonly osVariants: readonly OsVariant[];
  readonly exclusions: readonly { productVersions: readonly string[]; suffixes: readonly string[]; reason: string }[];
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
  readonly retired?: { since: string; replacement: string; reason: string };
  /** How the tag was recognised: listed in the data, a tag form (arch, KB, build), or the live registry. */
  readonly form: 'listed' | 'arch' | 'kb' | 'build' | 'pattern' | 'grid' | 'live';
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
export const HOSTS: readonly Host[] = data.hosts as Host[];
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
export function supportStatus(extendedEnd: string | undefined, mainstreamEnd: string | undefined, today: string): SupportStatus {
  if (extendedEnd && today > extendedEnd) return 'ended';
  if (mainstreamEnd && today > mainstreamEnd) return 'extended';
  return 'supported';
}

export function tagStatus(tag: TagInfo, today: string): SupportStatus {
  if (tag.retired && today >= tag.retired.since) return 'ended';
  if (!tag.version) return 'supported';
  return supportStatus(tag.extendedEnd ?? tag.version.extendedEnd, tag.extendedEnd ? undefined : tag.version.mainstreamEnd, today);
}

/** Explains one tag of a repository, or `undefined` when the tag is unknown. */
export function resolveTag(repository: RepositoryData, tag: string, liveTags?: ReadonlySet<string>): TagInfo | undefined {
  const retired = repository.retiredTags?.find((r) => new RegExp(r.pattern, 'i').test(tag));
  const retiredInfo = retired ? { since: retired.since, replacement: retired.replacement, reason: retired.reason } : undefined;
  const listed = repository.tags.find((t) => t.tag.toLowerCase() === tag.toLowerCase());
  if (listed) return fromListed(repository, listed, 'listed', tag, retiredInfo);
  for (const [form, pattern] of [['arch', archForm], ['kb', kbForm]] as const) {
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
    if (match) return { tag, repository, version: getVersion(match[p.versionGroup]), family: repository.family, form: 'pattern', retired: retiredInfo };
  }
  const grid = repository.windowsTagGrid;
  if (grid) {
    for (const variant of grid.osVariants) {
      if (!tag.toLowerCase().endsWith(variant.suffix)) continue;
      const prefix = tag.slice(0, tag.length - variant.suffix.length).replace(/-$/, '');
      if (prefix === '' ? grid.productVersions.includes('') : new RegExp(grid.versionPattern, 'i').test(prefix)) {
        return { tag, repository, version: getVersion(variant.version), family: variant.family, form: 'grid' };
      }
    }
  }
  if (retiredInfo) return { tag, repository, family: repository.family, form: 'pattern', retired: retiredInfo };
  if (liveTags?.has(tag)) return { tag, repository, family: repository.family, form: 'live' };
  return undefined;
}

function fromListed(repository: RepositoryData, listed: TagData, form: TagInfo['form'], tag: string, retired: TagInfo['retired']): TagInfo {
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
  for (const listed of repository.tags) known.push(fromListed(repository, listed, 'listed', listed.tag, retiredFor(repository, listed.tag)));
  const grid = repository.windowsTagGrid;
  if (grid) {
    for (const product of grid.productVersions) {
      for (const variant of grid.osVariants) {
        const excluded = grid.exclusions.some((e) => e.productVersions.includes(product) && e.suffixes.includes(variant.suffix));
        if (excluded) continue;
        const tag = product ? `${product}-${variant.suffix}` : variant.suffix;
        known.push({ tag, repository, version: getVersion(variant.version), family: variant.family, form: 'grid' });
      }
    }
  }
  const seen = new Set(known.map((t) => t.tag));
  for (const tag of liveTags) {
    if (seen.has(tag)) continue;
    seen.add(tag);
    const resolved = resolveTag(repository, tag);
    known.push(resolved ?? { tag, repository, family: repository.family, form: 'live' });
  }
  // Versioned tags in support (mainstream or extended) first, newest build first; then tags that
  // pin no version (multi-platform, unknown live tags); end-of-servicing tags last.
  const rank = (t: TagInfo) => (tagStatus(t, today) === 'ended' ? 2 : t.version ? 0 : 1);
  return known
    .map((t, index) => ({ t, index }))
    .sort((a, b) => rank(a.t) - rank(b.t) || (b.t.version?.build ?? 0) - (a.t.version?.build ?? 0) || a.index - b.index)
    .map(({ t }) => t);
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
