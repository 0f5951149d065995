/**
 * Hover and document links for image references, from the catalogue. Upstream answers where the
 * catalogue has nothing to say.
 */
import type { DocumentLink, Hover, Position, Range } from 'vscode-languageserver-types';
import { findLegacyRepository, findRepository, legacyReplacement } from '../catalogue/catalogue';
import { ImageReference, parseImageReference } from '../catalogue/imageReference';
import { shellWordValue } from '../dockerfile/buildkit';
import type { ParsedDocument } from '../dockerfile/document';
import { perDocument } from '../dockerfile/perDocument';
import { findImageSlots, ImageSlot } from '../dockerfile/imageReferences';
import { describeImage } from './imageText';

/** The stage names of a document, once per parse (a file of 10,000 `COPY --from` asks 10,000 times). */
const stageNames = perDocument((document) => new Set(document.stages.map((s) => s.name)));

function referenceOf(document: ParsedDocument, slot: ImageSlot) {
  const text = slot.expanded ?? shellWordValue(slot.text, document.escapeChar) ?? slot.text;
  if (text.includes('$')) return undefined;
  // COPY --from names a stage more often than an image.
  if (slot.kind === 'copy-from') {
    if (stageNames(document).has(text.toLowerCase())) return undefined;
  }
  return parseImageReference(text);
}

function contains(slot: ImageSlot, position: Position): boolean {
  const { start, end } = slot.range;
  if (position.line < start.line || position.line > end.line) return false;
  if (position.line === start.line && position.character < start.character) return false;
  return !(position.line === end.line && position.character > end.character);
}

export function computeImageHover(
  document: ParsedDocument,
  position: Position,
  today: string,
  markdown: boolean,
): Hover | undefined {
  const slot = findImageSlots(document).find((s) => contains(s, position));
  const reference = slot && referenceOf(document, slot);
  const text = reference && describeImage(reference, today);
  if (!slot || !text) return undefined;
  return { contents: { kind: markdown ? 'markdown' : 'plaintext', value: text }, range: slot.range };
}

/** A link from a Microsoft image reference (or a retired Docker Hub name of one) to its MCR page, when the catalogue knows it. */
export function imageLink(reference: ImageReference, range: Range): DocumentLink | undefined {
  const repository = findRepository(reference.repository);
  const legacy = repository ? undefined : findLegacyRepository(reference.repository);
  const target =
    repository?.mcrPage ?? (legacy && findRepository(legacyReplacement(legacy, reference.tag) ?? '')?.mcrPage);
  return target
    ? { range, target, tooltip: `Open ${repository?.name ?? legacy?.name} on the Microsoft Artifact Registry` }
    : undefined;
}

/** Links from Microsoft image references to their MCR pages, in place of upstream's links on the same text. */
export function computeImageLinks(document: ParsedDocument, upstreamLinks: DocumentLink[]): DocumentLink[] {
  const ours: DocumentLink[] = [];
  for (const slot of findImageSlots(document)) {
    if (slot.text === '' || slot.text.includes('$')) continue;
    const reference = referenceOf(document, slot);
    const link = reference && imageLink(reference, slot.range);
    if (link) ours.push(link);
  }
  const overlaps = (a: DocumentLink, b: DocumentLink) =>
    a.range.start.line === b.range.start.line &&
    a.range.start.character < b.range.end.character &&
    b.range.start.character < a.range.end.character;
  // Ours by line, so a file of 10,000 FROMs is not 10,000 x 10,000 comparisons.
  const oursByLine = new Map<number, DocumentLink[]>();
  for (const link of ours)
    oursByLine.set(link.range.start.line, [...(oursByLine.get(link.range.start.line) ?? []), link]);
  // Upstream also links unresolved variables (`FROM $BASE` to hub.docker.com/_/$BASE): drop those.
  const isVariable = (link: DocumentLink) =>
    document.text.slice(document.offsetAt(link.range.start), document.offsetAt(link.range.end)).includes('$');
  return [
    ...upstreamLinks.filter(
      (u) => !isVariable(u) && !(oursByLine.get(u.range.start.line) ?? []).some((o) => overlaps(o, u)),
    ),
    ...ours,
  ];
}
