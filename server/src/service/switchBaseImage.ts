/**
 * Moves a whole Dockerfile to another Windows version (and optionally another image family): every
 * FROM, every ARG default that feeds a FROM, and COPY --from images, with the tags of the derived
 * images (.NET, .NET Framework, IIS, PowerShell) rewritten consistently. Combinations that do not
 * exist are refused with the reason, and nothing is changed then.
 */
import type { TextEdit } from 'vscode-languageserver-types';
import { findRepository, getVersion, listTags, RepositoryData, unpublishedReason } from '../catalogue/catalogue';
import { parseImageReference } from '../catalogue/imageReference';
import type { ParsedDocument } from './document';
import { findImageSlots, ImageSlot } from './imageReferences';

export type SwitchFamily = 'nanoserver' | 'servercore' | 'server';
export const SWITCH_FAMILIES: readonly SwitchFamily[] = ['servercore', 'nanoserver', 'server'];
export const SWITCH_VERSIONS = ['ltsc2025', 'ltsc2022', 'ltsc2019'] as const;

export interface SwitchRequest {
  readonly version: string;
  readonly family?: SwitchFamily;
}

export type SwitchResult = { readonly edits: TextEdit[]; readonly changed: number } | { readonly refused: string[] };

const BASE_REPOSITORY: Record<SwitchFamily, string> = {
  nanoserver: 'mcr.microsoft.com/windows/nanoserver',
  servercore: 'mcr.microsoft.com/windows/servercore',
  server: 'mcr.microsoft.com/windows/server',
};

const VARIANT_PREFIX: Record<SwitchFamily, string> = { nanoserver: 'nanoserver', servercore: 'windowsservercore', server: 'windowsserver' };

/** Computes the edits, or the reasons the switch is refused. */
export function computeSwitchBaseImage(document: ParsedDocument, request: SwitchRequest): SwitchResult {
  const version = getVersion(request.version);
  if (!version) return { refused: [`Unknown Windows version ${request.version}; choose one of ${SWITCH_VERSIONS.join(', ')}.`] };
  if (request.family && !SWITCH_FAMILIES.includes(request.family)) {
    return { refused: [`Unknown image family ${request.family}; choose one of ${SWITCH_FAMILIES.join(', ')}.`] };
  }
  const edits: TextEdit[] = [];
  const refused: string[] = [];
  for (const slot of findImageSlots(document)) {
    const outcome = switchSlot(document, slot, request);
    if (!outcome) continue;
    if ('refused' in outcome) refused.push(`line ${slot.range.start.line + 1}: ${outcome.refused}`);
    else if (outcome.newText !== slot.text) edits.push({ range: slot.range, newText: outcome.newText });
  }
  return refused.length > 0 ? { refused } : { edits, changed: edits.length };
}

function switchSlot(document: ParsedDocument, slot: ImageSlot, request: SwitchRequest): { newText: string } | { refused: string } | undefined {
  if (slot.text === '') return undefined;
  // An ARG default may hold a whole image or just a tag (`ARG TAG=ltsc2022` feeding `FROM …:${TAG}`).
  if (slot.kind === 'arg-default' && !slot.text.includes('/') && !slot.text.includes(':')) return switchBareTag(document, slot, request);
  // `FROM …:${TAG}`: the tag comes from an ARG default, which is switched where it is written.
  if (slot.text.includes('$')) return undefined;
  if (slot.kind === 'copy-from' && document.stages.some((s) => s.name === slot.text.toLowerCase())) return undefined;
  const reference = parseImageReference(slot.text);
  const repository = reference && findRepository(reference.repository);
  if (!reference || !repository || reference.digest) return undefined;
  const result = switchImage(repository, reference.tag, request);
  if ('refused' in result) return result;
  const prefix = slot.text.slice(0, slot.text.length - (reference.tag ? reference.tag.length + 1 : 0) - repositoryText(slot.text, reference.tag).length);
  return { newText: `${prefix}${result.repository === repository.name ? repositoryText(slot.text, reference.tag) : result.repository}:${result.tag}` };
}

/** The repository as written (keeps the user's casing when it does not change). */
function repositoryText(text: string, tag: string | undefined): string {
  return tag === undefined ? text : text.slice(0, text.length - tag.length - 1);
}

/** An ARG default that is a tag (`ltsc2022`, `8.0-nanoserver-ltsc2022`): switch it for the images whose tag it is. */
function switchBareTag(document: ParsedDocument, slot: ImageSlot, request: SwitchRequest): { newText: string } | { refused: string } | undefined {
  const argName = document.text.slice(document.offsetAt({ line: slot.range.start.line, character: 0 }), document.offsetAt(slot.range.start)).match(/ARG\s+([A-Za-z_][A-Za-z0-9_]*)\s*=\s*$/i)?.[1];
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
      return { refused: `the tag ${slot.text} feeds ${repository.name}, which cannot become ${result.repository} through an ARG; change that FROM by hand.` };
    }
    return { newText: result.tag };
  }
  return undefined;
}

interface Switched {
  readonly repository: string;
  readonly tag: string;
}

function switchImage(repository: RepositoryData, tag: string | undefined, request: SwitchRequest): Switched | { refused: string } {
  const target = request.version;
  const versionName = getVersion(target)?.displayName ?? target;
  const arch = tag?.match(/-(amd64|arm64)$/i)?.[0] ?? '';
  if (repository.kind === 'base' || repository.kind === 'insider') {
    if (repository.kind === 'insider') return { refused: `${repository.name} is an Insider image; its tags are build numbers.` };
    const family = request.family ?? (repository.family as SwitchFamily | 'windows');
    const targetRepository = family === 'windows' ? repository : findRepository(BASE_REPOSITORY[family])!;
    if (family === 'windows' && !versionTag(repository, target, arch)) {
      return { refused: `the windows image is not published for ${versionName} (Microsoft: it "isn't available for Windows Server 2025"); the server image is its successor.` };
    }
    const newTag = versionTag(targetRepository, target, arch);
    return newTag ? { repository: targetRepository.name, tag: newTag } : { refused: `${targetRepository.title} is not published for ${versionName}.` };
  }
  if (repository.windowsTagGrid) {
    const grid = repository.windowsTagGrid;
    const currentVariant = grid.osVariants.find((v) => tag?.toLowerCase().endsWith(v.suffix));
    if (!currentVariant || !tag) return { refused: `${repository.name}:${tag ?? ''} is not a Windows variant this switch knows.` };
    const product = tag.slice(0, tag.length - currentVariant.suffix.length).replace(/-$/, '');
    const family = request.family ?? (currentVariant.family as SwitchFamily);
    const variant = grid.osVariants.find((v) => v.family === family && v.version === target);
    if (!variant) return { refused: `${repository.title} has no ${VARIANT_PREFIX[family]} variant for ${versionName}.` };
    const unpublished = unpublishedReason(repository, product, variant.suffix);
    if (unpublished) return { refused: `${repository.title}: ${unpublished}` };
    return { repository: repository.name, tag: product ? `${product}-${variant.suffix}` : variant.suffix };
  }
  // Single-family derived images (.NET Framework, IIS): Server Core only.
  if (request.family && request.family !== repository.family) {
    return { refused: `${repository.title} exists only on ${repository.family === 'servercore' ? 'Windows Server Core' : repository.family}: there is no ${request.family} variant.` };
  }
  const newTag = versionTag(repository, target, '');
  return newTag ? { repository: repository.name, tag: newTag } : { refused: `${repository.title} is not published for ${versionName}.` };
}

/**
 * The tag of a repository for a Windows version: a listed, certain, non-retired tag (with the same
 * architecture suffix when the old tag had one); for repositories whose tags carry a product version
 * (`4.8.1-windowsservercore-ltsc2025`), the one for that Windows version.
 */
function versionTag(repository: RepositoryData, version: string, arch: string): string | undefined {
  const candidates = listTags(repository, '0000-00-00').filter((t) => t.version?.id === version && !t.uncertain && !t.retired && t.form === 'listed');
  const plain = candidates.filter((t) => !/-(amd64|arm64)$/i.test(t.tag));
  const withArch = arch ? candidates.find((t) => t.tag.toLowerCase().endsWith(arch.toLowerCase())) : undefined;
  // For nanoserver ltsc2019 the certain tag is 1809 (ltsc2019 is unconfirmed); prefer version-named tags otherwise.
  const byName = plain.find((t) => t.tag === version) ?? plain[0];
  return (withArch ?? byName)?.tag;
}
