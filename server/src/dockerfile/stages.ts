/**
 * The build stages of a Dockerfile and the operating system each one targets. A stage is
 * Windows when its base image is a Windows image (after ARG defaults are applied), when it
 * builds on a Windows stage, when `--platform=windows/...` says so, when it sets a Windows SHELL
 * (cmd or Windows PowerShell), or when the file uses the `` ` `` escape directive, which only
 * Windows Dockerfiles need. Never from the file name.
 */
import { Dockerfile, From, Shell } from 'dockerfile-ast';
import {
  findLegacyRepository,
  findRepository,
  isWindowsImage,
  LegacyRepository,
  RepositoryData,
  resolveTag,
  TagInfo,
} from '../catalogue/catalogue';
import { ImageReference, parseImageReference } from '../catalogue/imageReference';

export type StageOs = 'windows' | 'linux' | 'unknown';

export interface Stage {
  readonly index: number;
  readonly from: From;
  /** The base image after ARG defaults are applied, when it is not another stage. */
  readonly image?: ImageReference;
  /** The name given with `AS`, lower-cased. */
  readonly name?: string;
  readonly os: StageOs;
  /** Why `os` was decided, for hovers and tests. */
  readonly osReason: string;
  /** What the catalogue knows of the base image (for a stage built on another stage: of that stage's image). */
  readonly catalogue: StageCatalogue;
}

export interface StageCatalogue {
  readonly repository?: RepositoryData;
  readonly legacy?: LegacyRepository;
  /** The tag explained (version, family, lifecycle), when the catalogue knows it. */
  readonly tag?: TagInfo;
  /** Nano Server, Server Core, ... (`nanoserver`, `servercore`, `server`, `windows`), when known. */
  readonly family?: string;
}

const WINDOWS_SHELLS = /^(cmd|cmd\.exe|powershell|powershell\.exe)$/i;

export function findStages(dockerfile: Dockerfile, backtickEscape: boolean): Stage[] {
  const froms = dockerfile.getFROMs();
  const shellsOf = shellsByStage(dockerfile, froms);
  const stages: Stage[] = [];
  const byName = new Map<string, Stage>();
  for (let index = 0; index < froms.length; index++) {
    const from = froms[index];
    const shells = shellsOf[index];
    const expanded = unquoteWord(from.getExpandedArguments()[0]?.getValue());
    const name = from.getBuildStage()?.toLowerCase() ?? undefined;
    const parent = expanded ? byName.get(expanded.toLowerCase()) : undefined;
    const image = parent || !expanded || expanded.includes('$') ? undefined : parseImageReference(expanded);
    const { os, osReason } = decideOs(from, image, parent, shells, backtickEscape);
    const catalogue = parent ? parent.catalogue : describeImage(image);
    const stage: Stage = { index, from, image, name, os, osReason, catalogue };
    stages.push(stage);
    if (name) byName.set(name, stage);
  }
  return stages;
}

/**
 * The FROM word as the builder reads it: quotes removed (`"${T}"`, `servercore:"${TAG}"`) and a
 * `${VAR:-default}` / `${VAR-default}` whose variable is not declared replaced by its default
 * (dockerfile-ast already expands the declared ones). Image references never contain quotes.
 */
function unquoteWord(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return value.replace(/\$\{[A-Za-z_][A-Za-z0-9_]*:?-([^{}$"'\s]*)\}/g, '$1').replace(/["']/g, '');
}

/** The SHELL instructions after each FROM and before the next one, in one pass over the instructions. */
function shellsByStage(dockerfile: Dockerfile, froms: readonly From[]): Shell[][] {
  const result: Shell[][] = froms.map(() => []);
  const starts = froms.map((from) => from.getRange().start.line);
  let stage = -1;
  for (const instruction of dockerfile.getInstructions()) {
    const line = instruction.getRange().start.line;
    while (stage + 1 < starts.length && starts[stage + 1] <= line) stage++;
    // A SHELL on the FROM's own line (never, in practice) belongs to no stage, as before.
    if (stage >= 0 && line > starts[stage] && instruction.getKeyword() === 'SHELL')
      result[stage].push(instruction as Shell);
  }
  return result;
}

function decideOs(
  from: From,
  image: ImageReference | undefined,
  parent: Stage | undefined,
  shells: Shell[],
  backtickEscape: boolean,
): { os: StageOs; osReason: string } {
  const platform = from.getPlatformFlag()?.getValue()?.toLowerCase();
  if (platform?.startsWith('windows')) return { os: 'windows', osReason: `--platform=${platform}` };
  if (platform?.startsWith('linux')) return { os: 'linux', osReason: `--platform=${platform}` };
  if (image && isWindowsImage(image))
    return { os: 'windows', osReason: `Windows image ${image.repository}${image.tag ? ':' + image.tag : ''}` };
  if (parent && parent.os !== 'unknown')
    return { os: parent.os, osReason: `builds on stage ${parent.name ?? parent.index}` };
  for (const shell of shells) {
    const executable = shell.getJSONStrings()[0]?.getValue().replace(/^"|"$/g, '');
    if (executable && WINDOWS_SHELLS.test(executable)) return { os: 'windows', osReason: `SHELL ${executable}` };
  }
  if (backtickEscape) return { os: 'windows', osReason: 'the # escape=` directive' };
  return { os: 'unknown', osReason: 'no Windows signal' };
}

/** What the catalogue knows of an image (also for images named in compose files and manifests). */
export function describeImage(image: ImageReference | undefined): StageCatalogue {
  if (!image) return {};
  const repository = findRepository(image.repository);
  if (repository) {
    const tag = image.tag ? resolveTag(repository, image.tag) : undefined;
    const family = tag?.family ?? repository.family;
    return { repository, tag, family: family === 'multi-os' ? undefined : family };
  }
  const legacy = findLegacyRepository(image.repository);
  return legacy ? { legacy } : {};
}
