/**
 * Which stages are Nano Server, of which era, and who runs their RUN steps. Nano Server 1607
 * (`sac2016`, build 14393) still had PowerShell Core and ran as ContainerAdministrator; from 1709
 * on the image has no PowerShell, WMI or servicing stack and runs as ContainerUser (VD-base;
 * nodejs/docker-node#720; PowerShell/PowerShell-Docker#164; dotnet/dotnet-docker-nightly#506).
 * ltsc2025 (build 26100) adds Features on Demand (WoW64, IIS, PowerShell) that a build step can
 * install (techcommunity "Discover the new era of Windows Server 2025 Nano Server containers").
 */
import { findRepository, getVersion, resolveTag } from '../catalogue/catalogue';
import type { ImageReference } from '../catalogue/imageReference';
import type { ParsedDocument } from './document';
import { perDocument } from './perDocument';
import type { Stage } from './stages';

export const POWERSHELL_REPOSITORY = 'mcr.microsoft.com/powershell';

const BUILD_1709 = 16299;
const BUILD_LTSC2025 = 26100;

export interface NanoServer {
  /** `2016`: Nano Server 1607, PowerShell Core, ContainerAdministrator. `core`: 1709 to ltsc2022. `fod`: ltsc2025 and later, Features on Demand. */
  readonly era: '2016' | 'core' | 'fod';
  readonly build: number;
  /** The base image as written after ARG defaults, for messages (`mcr.microsoft.com/windows/nanoserver:1809`). */
  readonly image: string;
  /** The mcr.microsoft.com/powershell Nano Server image (pwsh, no Windows PowerShell). */
  readonly pwshImage: boolean;
  /** The stage whose FROM names the base image (the stage itself, or the stage it builds on). */
  readonly root: Stage;
}

/** Each stage's root, by stage index. */
const roots = perDocument((document) => {
  const known: Stage[] = [];
  const byName = new Map<string, Stage>();
  for (const s of document.stages) {
    // FROM can name only an earlier stage, so the latest stage of that name so far is the one.
    const parent = s.image ? undefined : byName.get(s.from.getExpandedArguments()[0]?.getValue().toLowerCase() ?? '');
    known.push(parent ? known[parent.index] : s);
    if (s.name) byName.set(s.name, s);
  }
  return known;
});

/** The stage a stage builds on, following `FROM <stage>` to the stage that names an image (computed once per document). */
export function rootStage(document: ParsedDocument, stage: Stage): Stage {
  return roots(document)[stage.index] ?? stage;
}

/** Nano Server, Server Core, ... of a stage: from the catalogue, a legacy repository's replacement, or the tag's `nanoserver`/`windowsservercore` marker. */
export function stageFamily(document: ParsedDocument, stage: Stage): string | undefined {
  if (stage.os !== 'windows') return undefined;
  if (stage.catalogue.family) return stage.catalogue.family;
  const legacy = stage.catalogue.legacy?.replacement ? findRepository(stage.catalogue.legacy.replacement) : undefined;
  if (legacy && legacy.family !== 'multi-os') return legacy.family;
  const tag = rootStage(document, stage).image?.tag?.toLowerCase();
  if (!tag || stage.catalogue.repository) return undefined;
  if (/(^|-)nanoserver(-|$)/.test(tag)) return 'nanoserver';
  if (/(^|-)windowsservercore(-|$)/.test(tag)) return 'servercore';
  if (/(^|-)windowsserver(-|$)/.test(tag)) return 'server';
  return undefined;
}

const nanoCache = new WeakMap<Stage, NanoServer | null>();

/** The Nano Server a Windows stage runs on, when its family and build are known. */
export function nanoServerOf(document: ParsedDocument, stage: Stage): NanoServer | undefined {
  const cached = nanoCache.get(stage);
  if (cached !== undefined) return cached ?? undefined;
  const nano = findNanoServer(document, stage);
  nanoCache.set(stage, nano ?? null);
  return nano;
}

function findNanoServer(document: ParsedDocument, stage: Stage): NanoServer | undefined {
  if (stageFamily(document, stage) !== 'nanoserver') return undefined;
  const root = rootStage(document, stage);
  const build = nanoBuild(stage, root.image);
  if (build === undefined || !root.image) return undefined;
  const era = build < BUILD_1709 ? '2016' : build < BUILD_LTSC2025 ? 'core' : 'fod';
  const image = root.image.repository + (root.image.tag ? `:${root.image.tag}` : '');
  const pwshImage = stage.catalogue.repository?.name === POWERSHELL_REPOSITORY;
  return { era, build, image, pwshImage, root };
}

function nanoBuild(stage: Stage, image: ImageReference | undefined): number | undefined {
  const tag = stage.catalogue.tag;
  if (tag?.version) return tag.version.build;
  const written = image?.tag;
  if (!written) return undefined;
  const full = /^10\.0\.(\d+)(\.|$)/.exec(written);
  if (full) return Number(full[1]);
  const legacy = stage.catalogue.legacy?.replacement ? findRepository(stage.catalogue.legacy.replacement) : undefined;
  if (legacy) return resolveTag(legacy, written)?.version?.build;
  if (stage.catalogue.repository) return undefined;
  // An image outside the catalogue with a Nano Server tag (golang:1.22-nanoserver-ltsc2022).
  const marker = /(?:^|-)(ltsc20(?:16|19|22|25)|sac2016|1709|1803|1809|1903|1909|2004|20h2)(?:-|$)/i.exec(written);
  if (!marker) return undefined;
  const id = marker[1].toLowerCase();
  const version =
    id === 'sac2016'
      ? getVersion('ltsc2016')
      : id === '1809'
        ? getVersion('ltsc2019')
        : (getVersion(id) ?? getVersion(id.toUpperCase()));
  return version?.build;
}

/** The user a stage's RUN steps start as when no USER is given: ContainerUser on Nano Server from 1709, ContainerAdministrator elsewhere; undefined when unknown. */
export function defaultUser(document: ParsedDocument, stage: Stage): string | undefined {
  const family = stageFamily(document, stage);
  if (!family) return undefined;
  if (family !== 'nanoserver') return 'ContainerAdministrator';
  const nano = nanoServerOf(document, stage);
  if (!nano) return undefined;
  return nano.era === '2016' ? 'ContainerAdministrator' : 'ContainerUser';
}

/** Whether a USER value is an administrator of the container. */
export function isAdministrator(user: string): boolean {
  const u = user.replace(/^"|"$/g, '').toLowerCase();
  return u === 'containeradministrator' || u === 'administrator' || u === 'nt authority\\system' || u === 'system';
}

/** The user in effect for a step: the last USER (null when it is a variable), or the image's default user. */
export function effectiveUser(
  document: ParsedDocument,
  stage: Stage,
  user: string | null | undefined,
): string | null | undefined {
  return user === undefined ? defaultUser(document, stage) : user;
}
