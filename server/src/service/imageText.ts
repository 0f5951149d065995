/**
 * The words shown for an image: completion details, tag documentation and hovers. Uncertain
 * facts are always said to be uncertain.
 */
import {
  Contents,
  findLegacyRepository,
  findRepository,
  getVersion,
  Host,
  hostCompatibility,
  legacyReplacement,
  LegacyRepository,
  RepositoryData,
  resolveTag,
  TagInfo,
  tagStatus,
  WindowsVersion,
} from '../catalogue/catalogue';
import { knownIssueLines } from '../catalogue/hosts';
import type { ImageReference } from '../catalogue/imageReference';
import { escapeMarkdown, markdownCode } from './markdown';
import type { LifecycleUpdate } from '../catalogue/products';
import { checkedLine, daysLeft, productDetail, productLines } from './productText';

const FAMILY_NAMES: Record<string, string> = {
  nanoserver: 'Nano Server',
  servercore: 'Server Core',
  server: 'Windows Server',
  windows: 'Windows',
  'multi-os': 'Linux and Windows',
};

/** One line: `Windows Server 2022 · build 20348 · supported until 2031-10-14`. */
export function tagDetail(tag: TagInfo, today: string, updates?: readonly LifecycleUpdate[]): string {
  const parts: string[] = [];
  const version = tag.version;
  if (version) parts.push(version.displayName, `build ${version.build}`);
  else if (tag.form === 'live') parts.push('from the registry');
  else parts.push('multi-platform');
  const dates = lifecycle(tag, today);
  if (dates) parts.push(dates);
  if (tag.family !== tag.repository.family && FAMILY_NAMES[tag.family]) parts.unshift(FAMILY_NAMES[tag.family]);
  const product = productDetail(tag, today, updates);
  if (product) parts.push(product);
  if (tag.uncertain) parts.push('unconfirmed tag');
  return parts.join(' · ');
}

function lifecycle(tag: TagInfo, today: string): string {
  const status = tagStatus(tag, today);
  if (tag.retired && today >= tag.retired.since)
    return `no longer published since ${tag.retired.since}; use ${tag.retired.replacement}`;
  const version = tag.version;
  if (!version) return '';
  const extendedEnd = tag.extendedEnd ?? version.extendedEnd;
  if (status === 'ended') return `end of servicing ${extendedEnd}`;
  const left = daysLeft(extendedEnd, today);
  if (status === 'extended')
    return `extended support until ${extendedEnd}${left} (mainstream ended ${version.mainstreamEnd})`;
  return version.mainstreamEnd && !tag.extendedEnd
    ? `mainstream support until ${version.mainstreamEnd}, extended until ${extendedEnd}${left}`
    : `supported until ${extendedEnd}${left}`;
}

/** Markdown for a tag: version, build, dates, contents, hosts. */
export function describeTag(tag: TagInfo, today: string, updates?: readonly LifecycleUpdate[]): string {
  const lines: string[] = [`**${tag.repository.name}:${escapeMarkdown(tag.tag)}**`, ''];
  lines.push(tagDetail(tag, today, updates), '');
  lines.push(...productLines(tag, today, updates));
  if (tag.uncertain) lines.push(`⚠️ ${tag.uncertain}`, '');
  if (tag.retired) lines.push(`⚠️ ${tag.retired.reason} Use \`${tag.retired.replacement}\`.`, '');
  if (tag.note) lines.push(tag.note, '');
  if (tag.version) lines.push(...hostLines(tag.version));
  return lines.join('\n').trim();
}

function hostLines(version: WindowsVersion): string[] {
  const compat = hostCompatibility(version.build);
  const names = (hosts: readonly Host[]) => (hosts.length ? hosts.map((h) => h.name).join(', ') : 'none');
  const lines = [
    '**Hosts** (process isolation needs a matching Windows build):',
    `- process isolation: ${names(compat.process)}`,
    `- Hyper-V isolation only: ${names(compat.hypervOnly)}`,
    `- cannot run it: ${names(compat.none)}`,
  ];
  if (compat.unverified.length > 0)
    lines.push(`- not in Microsoft's compatibility matrix (unverified): ${names(compat.unverified)}`);
  const issues = knownIssueLines(version);
  if (issues.length > 0) lines.push('', '**Known issues**:', ...issues);
  if (version.note) lines.push('', version.note);
  if (compat.none.length > 0 || compat.hypervOnly.length > 0) {
    lines.push(
      '',
      `On a host that cannot run it, \`docker pull\` fails with \`no matching manifest for windows/amd64 10.0.<host build>\` and \`docker run\` with *The container operating system does not match the host operating system*. Use \`--isolation=hyperv\` on a newer host, or rebuild on the host's version.`,
    );
  }
  return lines;
}

function contentsLines(contents: Contents | undefined): string[] {
  if (!contents) return [];
  const yes = (value: boolean | undefined) => (value ? 'yes' : 'no');
  return [
    '| PowerShell | .NET Framework | WoW64 (32-bit) | MSI | WMI | default user |',
    '|---|---|---|---|---|---|',
    `| ${contents.powershell} | ${yes(contents.dotnetFramework)} | ${yes(contents.wow64)} | ${yes(contents.msi)} | ${yes(contents.wmi)} | ${contents.defaultUser} |`,
  ];
}

/** The hover for an image reference, or `undefined` for images the catalogue does not know. */
export function describeImage(
  reference: ImageReference,
  today: string,
  updates?: readonly LifecycleUpdate[],
): string | undefined {
  const repository = findRepository(reference.repository);
  if (repository) return describeRepositoryImage(repository, reference, today, updates);
  const legacy = findLegacyRepository(reference.repository);
  return legacy ? describeLegacy(legacy, reference) : undefined;
}

function describeRepositoryImage(
  repository: RepositoryData,
  reference: ImageReference,
  today: string,
  updates?: readonly LifecycleUpdate[],
): string {
  const lines = [`**${repository.title}** · \`${repository.name}\``, '', repository.summary, ''];
  const tag = reference.tag ? resolveTag(repository, reference.tag) : undefined;
  if (reference.tag && !tag) lines.push(`The tag ${markdownCode(reference.tag)} is not in the bundled catalogue.`, '');
  if (!reference.tag && !reference.digest) {
    lines.push(
      repository.kind === 'derived' && repository.tags.some((t) => t.tag === 'latest')
        ? 'No tag: Docker uses `latest`.'
        : 'No tag: Windows base images publish no `latest` tag since April 16, 2019; name a version such as `ltsc2022`.',
      '',
    );
  }
  if (tag) {
    lines.push(tagDetail(tag, today, updates), '');
    lines.push(...productLines(tag, today, updates));
    if (tag.uncertain) lines.push(`⚠️ ${tag.uncertain}`, '');
    if (tag.retired) lines.push(`⚠️ ${tag.retired.reason} Use \`${tag.retired.replacement}\`.`, '');
    if (tag.note) lines.push(tag.note, '');
  }
  const family = tag?.family ?? repository.family;
  const contents =
    repository.contents ??
    (family !== 'multi-os' ? findRepository(`mcr.microsoft.com/windows/${family}`)?.contents : undefined);
  lines.push(...contentsLines(contents));
  const versionNote = tag?.version ? repository.versionContents?.[tag.version.id] : undefined;
  if (versionNote) lines.push('', versionNote.note);
  if (repository.size) lines.push('', `Size: ${repository.size.approx} (approximate).`);
  if (tag?.version) lines.push('', ...hostLines(tag.version));
  lines.push('', `[${repository.name} on MCR](${repository.mcrPage}) · ${checkedLine()}`);
  return lines.join('\n').trim();
}

function describeLegacy(legacy: LegacyRepository, reference: ImageReference): string {
  const lines = [`**\`${legacy.name}\`** is a retired name.`, '', legacy.note];
  const replacement = legacyReplacement(legacy, reference.tag);
  if (replacement) {
    const version = reference.tag ? getVersion(reference.tag) : undefined;
    lines.push(
      '',
      `Use \`${replacement}\`${version && reference.tag ? ` (${markdownCode(reference.tag)}: ${version.displayName})` : ''}.`,
    );
  }
  return lines.join('\n');
}
