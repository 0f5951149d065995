/**
 * Moves a whole Dockerfile to another Windows version (and optionally another image family): every
 * FROM, every ARG default that feeds a FROM, and COPY --from images, with the tags of the derived
 * images (.NET, .NET Framework, IIS, PowerShell) rewritten consistently. Combinations that do not
 * exist are refused with the reason, and nothing is changed then.
 */
import type { TextEdit } from 'vscode-languageserver-types';
import {
  findRepository,
  getVersion,
  RepositoryData,
  unpublishedReason,
  versionTag,
  WINDOWS_BASE_REPOSITORY,
  WindowsFamily,
} from '../catalogue/catalogue';
import { parseImageReference } from '../catalogue/imageReference';
import type { ParsedDocument } from '../dockerfile/document';
import { findImageSlots, ImageSlot } from '../dockerfile/imageReferences';

export type SwitchFamily = WindowsFamily;
export const SWITCH_FAMILIES: readonly SwitchFamily[] = ['servercore', 'nanoserver', 'server'];
export const SWITCH_VERSIONS = ['ltsc2025', 'ltsc2022', 'ltsc2019'] as const;

export interface SwitchRequest {
  readonly version: string;
  readonly family?: SwitchFamily;
}

/**
 * The edits (with a note for each change a person would not expect, such as a product version that
 * moves: `.NET Framework SDK 4.8.1 → 4.8`), the reasons the switch is refused, or why there is
 * nothing to switch: the file names no Windows image (`noWindowsImage`, naming the images it has).
 */
export type SwitchResult =
  | { readonly edits: TextEdit[]; readonly changed: number; readonly notes: readonly SwitchNote[] }
  | { readonly refused: string[] }
  | { readonly noWindowsImage: string };

export interface SwitchNote {
  /** Index into `edits`. */
  readonly edit: number;
  /** Short, for a title: `.NET Framework SDK 4.8.1 → 4.8`. */
  readonly change: string;
  /** The sentence, for a message: `line 1: .NET Framework SDK 4.8.1 → 4.8, the version published for Windows Server 2019 (version 1809)`. */
  readonly text: string;
}

type SlotOutcome = { newText: string; change?: string; reason?: string } | { refused: string } | { windows: 'left' };

const VARIANT_PREFIX: Record<SwitchFamily, string> = {
  nanoserver: 'nanoserver',
  servercore: 'windowsservercore',
  server: 'windowsserver',
};

/** Computes the edits, or the reasons the switch is refused. */
export function computeSwitchBaseImage(document: ParsedDocument, request: SwitchRequest): SwitchResult {
  const version = getVersion(request.version);
  if (!version)
    return { refused: [`Unknown Windows version ${request.version}; choose one of ${SWITCH_VERSIONS.join(', ')}.`] };
  if (request.family && !SWITCH_FAMILIES.includes(request.family)) {
    return { refused: [`Unknown image family ${request.family}; choose one of ${SWITCH_FAMILIES.join(', ')}.`] };
  }
  const edits: TextEdit[] = [];
  const notes: SwitchNote[] = [];
  const refused: string[] = [];
  const others: string[] = [];
  let windows = 0;
  const stageNames = new Set(document.stages.flatMap((s) => (s.name ? [s.name] : [])));
  for (const slot of findImageSlots(document)) {
    const outcome = switchSlot(document, slot, request, stageNames);
    if (!outcome) {
      if (slot.text !== '' && !slot.text.includes('$') && !stageNames.has(slot.text.toLowerCase()))
        others.push(slot.text);
      continue;
    }
    windows++;
    if ('refused' in outcome) refused.push(`line ${slot.range.start.line + 1}: ${outcome.refused}`);
    else if ('newText' in outcome && outcome.newText !== slot.text) {
      if (outcome.change)
        notes.push({
          edit: edits.length,
          change: outcome.change,
          text: `line ${slot.range.start.line + 1}: ${outcome.change}, ${outcome.reason}`,
        });
      edits.push({ range: slot.range, newText: outcome.newText });
    }
  }
  if (refused.length > 0) return { refused };
  if (windows === 0) {
    const named = [...new Set(others)];
    return {
      noWindowsImage:
        'this file names no Windows image' +
        (named.length > 0 ? ` (its images: ${named.slice(0, 5).join(', ')}${named.length > 5 ? ', …' : ''})` : '') +
        ": Switch Base Image moves Microsoft's Windows images (mcr.microsoft.com/windows/*, .NET, .NET Framework, IIS, PowerShell) to another Windows version.",
    };
  }
  return { edits, changed: edits.length, notes };
}

/**
 * What becomes of one image slot: its new text, a refusal, `{ windows: 'left' }` for a Windows image
 * the switch leaves alone (pinned by digest), or undefined when the slot names no Windows image.
 */
function switchSlot(
  document: ParsedDocument,
  slot: ImageSlot,
  request: SwitchRequest,
  stageNames: ReadonlySet<string>,
): SlotOutcome | undefined {
  if (slot.text === '') return undefined;
  // An ARG default may hold a whole image or just a tag (`ARG TAG=ltsc2022` feeding `FROM …:${TAG}`).
  if (slot.kind === 'arg-default' && !slot.text.includes('/') && !slot.text.includes(':'))
    return switchBareTag(document, slot, request);
  // `FROM …:${TAG}`: the tag comes from an ARG default, which is switched where it is written.
  if (slot.text.includes('$')) return undefined;
  if (slot.kind === 'copy-from' && stageNames.has(slot.text.toLowerCase())) return undefined;
  const reference = parseImageReference(slot.text);
  const repository = reference && findRepository(reference.repository);
  if (!reference || !repository) return undefined;
  if (repository.windowsTagGrid && !namesWindowsVariant(reference.tag)) return undefined;
  if (reference.digest) return { windows: 'left' };
  const result = switchImage(repository, reference.tag, request);
  if ('refused' in result) return result;
  const prefix = slot.text.slice(
    0,
    slot.text.length - (reference.tag ? reference.tag.length + 1 : 0) - repositoryText(slot.text, reference.tag).length,
  );
  return {
    ...result,
    newText: `${prefix}${result.repository === repository.name ? repositoryText(slot.text, reference.tag) : result.repository}:${result.tag}`,
  };
}

/**
 * Whether a tag of a multi-OS repository (.NET, PowerShell) names a Windows variant: `-nanoserver-`,
 * `-windowsservercore-`, `ltsc…`, `1809`. `8.0`, `8.0-alpine` and `lts-ubuntu-22.04` do not.
 */
function namesWindowsVariant(tag: string | undefined): boolean {
  return (
    tag !== undefined && /nanoserver|windowsserver|ltsc20\d\d|(^|-)(1709|1803|1809|1903|1909|2004|20h2)(-|$)/i.test(tag)
  );
}

/** The repository as written (keeps the user's casing when it does not change). */
function repositoryText(text: string, tag: string | undefined): string {
  return tag === undefined ? text : text.slice(0, text.length - tag.length - 1);
}

/** An ARG default that is a tag (`ltsc2022`, `8.0-nanoserver-ltsc2022`): switch it for the images whose tag it is. */
function switchBareTag(
  document: ParsedDocument,
  slot: ImageSlot,
  request: SwitchRequest,
): { newText: string } | { refused: string } | undefined {
  const argName = document.text
    .slice(document.offsetAt({ line: slot.range.start.line, character: 0 }), document.offsetAt(slot.range.start))
    .match(/ARG\s+([A-Za-z_][A-Za-z0-9_]*)\s*=\s*$/i)?.[1];
  if (!argName) return undefined;
  for (const stage of document.stages) {
    const from = stage.from;
    const written = from.getImage() ?? '';
    if (!new RegExp(`:\\$\\{?${argName}\\}?$`).test(written)) continue;
    const repository = findRepository(written.slice(0, written.lastIndexOf(':')));
    if (!repository) continue;
    const result = switchImage(repository, slot.text, request);
    if ('refused' in result) return result;
    if (result.repository !== repository.name) {
      return {
        refused: `the tag ${slot.text} feeds ${repository.name}, which cannot become ${result.repository} through an ARG; change that FROM by hand.`,
      };
    }
    return { ...result, newText: result.tag };
  }
  return undefined;
}

interface Switched {
  readonly repository: string;
  readonly tag: string;
  /** A product version that changes with the Windows version (`.NET Framework SDK 4.8.1 → 4.8`), and why. */
  readonly change?: string;
  readonly reason?: string;
}

function switchImage(
  repository: RepositoryData,
  tag: string | undefined,
  request: SwitchRequest,
): Switched | { refused: string } {
  const target = request.version;
  const versionName = getVersion(target)?.displayName ?? target;
  const arch = tag?.match(/-(amd64|arm64)$/i)?.[0] ?? '';
  if (repository.kind === 'base' || repository.kind === 'insider') {
    if (repository.kind === 'insider')
      return { refused: `${repository.name} is an Insider image; its tags are build numbers.` };
    const family = request.family ?? (repository.family as SwitchFamily | 'windows');
    const targetRepository = family === 'windows' ? repository : findRepository(WINDOWS_BASE_REPOSITORY[family])!;
    if (family === 'windows' && !versionTag(repository, target, arch)) {
      return {
        refused: `the windows image is not published for ${versionName} (Microsoft: it "isn't available for Windows Server 2025"); the server image is its successor.`,
      };
    }
    const newTag = versionTag(targetRepository, target, arch);
    return newTag
      ? { repository: targetRepository.name, tag: newTag }
      : { refused: `${targetRepository.title} is not published for ${versionName}.` };
  }
  if (repository.windowsTagGrid) {
    const grid = repository.windowsTagGrid;
    const currentVariant = grid.osVariants.find((v) => tag?.toLowerCase().endsWith(v.suffix));
    if (!currentVariant || !tag)
      return { refused: `${repository.name}:${tag ?? ''} is not a Windows variant this switch knows.` };
    const product = tag.slice(0, tag.length - currentVariant.suffix.length).replace(/-$/, '');
    const family = request.family ?? (currentVariant.family as SwitchFamily);
    const variant = grid.osVariants.find((v) => v.family === family && v.version === target);
    if (!variant)
      return { refused: `${repository.title} has no ${VARIANT_PREFIX[family]} variant for ${versionName}.` };
    const unpublished = unpublishedReason(repository, product, variant.suffix);
    if (unpublished) return { refused: `${repository.title}: ${unpublished}` };
    return { repository: repository.name, tag: product ? `${product}-${variant.suffix}` : variant.suffix };
  }
  // Single-family derived images (.NET Framework, IIS): Server Core only.
  if (request.family && request.family !== repository.family) {
    return {
      refused: `${repository.title} exists only on ${repository.family === 'servercore' ? 'Windows Server Core' : repository.family}: there is no ${request.family} variant.`,
    };
  }
  const newTag = versionTag(repository, target, '');
  if (!newTag) return { refused: `${repository.title} is not published for ${versionName}.` };
  // .NET Framework tags carry the product version, and each Windows version has its own
  // (4.8.1 on ltsc2022/ltsc2025, 4.8 on ltsc2019/ltsc2016): say so when it moves.
  const before = productVersion(tag);
  const after = productVersion(newTag);
  if (before && after && before !== after) {
    return {
      repository: repository.name,
      tag: newTag,
      change: `${repository.title} ${before} → ${after}`,
      reason: `the version published for ${versionName}`,
    };
  }
  return { repository: repository.name, tag: newTag };
}

/** The product version a tag starts with (`4.8.1` of `4.8.1-windowsservercore-ltsc2022`). */
function productVersion(tag: string | undefined): string | undefined {
  return tag?.match(/^(\d+(?:\.\d+)+)-/)?.[1];
}
