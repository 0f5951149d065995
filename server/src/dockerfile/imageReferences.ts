/**
 * Where a Dockerfile names an image: the base image of a `FROM`, the default of an `ARG` that a
 * `FROM` uses, and `COPY --from=<image>`. Completion, hover and links all start from here.
 */
import type { Arg, Copy, From, Instruction } from 'dockerfile-ast';
import type { Position, Range } from 'vscode-languageserver-types';
import type { ImageReference } from '../catalogue/imageReference';
import type { ParsedDocument } from './document';
import { perDocument } from './perDocument';
import type { StageCatalogue } from './stages';

/** Where the parts of an image reference are written. A part built from anything but one plain ARG has no range: no fix edits it. */
export interface ReferenceSite {
  readonly repository?: Range;
  /** The tag without its `:`; for an untagged reference, the empty range where `:tag` goes. */
  readonly tag?: Range;
  readonly tagWritten: boolean;
}

/**
 * A Windows image named anywhere: a FROM, a compose service's `image:`, a container of a pod. What
 * the image rules (`Rule.checkImages`) read: the catalogue's view of it, where it is written, and
 * where its repository and tag are.
 */
export interface NamedImage {
  readonly stage: { readonly catalogue: StageCatalogue };
  readonly reference: ImageReference;
  /** The image as written: where the diagnostics go. */
  readonly range: Range;
  readonly site: ReferenceSite;
}

export type ImageSlotKind = 'from' | 'arg-default' | 'copy-from';

export interface ImageSlot {
  readonly kind: ImageSlotKind;
  /** The text of the reference as written (may be empty when nothing is typed yet). */
  readonly text: string;
  readonly range: Range;
  /** For a FROM: the reference with ARG defaults applied, when it uses variables. */
  readonly expanded?: string;
}

/** Whether `position` is in `range`, both ends included. */
export function rangeContains(range: Range, position: Position): boolean {
  const afterStart =
    position.line > range.start.line ||
    (position.line === range.start.line && position.character >= range.start.character);
  const beforeEnd =
    position.line < range.end.line || (position.line === range.end.line && position.character <= range.end.character);
  return afterStart && beforeEnd;
}

function textOf(document: ParsedDocument, range: Range): string {
  return document.text.slice(document.offsetAt(range.start), document.offsetAt(range.end));
}

/** Names of the ARGs whose value a FROM instruction uses. */
function argsUsedByFrom(document: ParsedDocument): Set<string> {
  const names = new Set<string>();
  for (const from of document.dockerfile.getFROMs())
    for (const variable of from.getVariables()) names.add(variable.getName());
  return names;
}

/**
 * Every image reference in the document that is written out (not empty). Found once per parsed
 * document version: completion, hover and links ask on every request.
 */
export const findImageSlots: (document: ParsedDocument) => readonly ImageSlot[] = perDocument((document) =>
  Object.freeze(readImageSlots(document).map((slot) => Object.freeze(slot))),
);

function readImageSlots(document: ParsedDocument): ImageSlot[] {
  const slots: ImageSlot[] = [];
  for (const from of document.dockerfile.getFROMs()) {
    const range = from.getImageRange();
    if (!range) continue;
    const expanded = from.getVariables().length > 0 ? from.getExpandedArguments()[0]?.getValue() : undefined;
    slots.push({ kind: 'from', text: textOf(document, range), range, expanded });
  }
  const used = argsUsedByFrom(document);
  for (const instruction of document.dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword();
    if (keyword === 'ARG') {
      const property = (instruction as Arg).getProperty();
      const range = property?.getValueRange();
      if (property && range && used.has(property.getName()))
        slots.push({ kind: 'arg-default', text: textOf(document, range), range });
    } else if (keyword === 'COPY') {
      const range = (instruction as Copy).getFromFlag()?.getValueRange();
      if (range) slots.push({ kind: 'copy-from', text: textOf(document, range), range });
    }
  }
  return slots;
}

/**
 * The image slot at a position, for completion: a written reference the position touches, or an
 * empty slot where a reference may be typed (`FROM |`, `FROM --platform=x |`, `ARG BASE=|`,
 * `COPY --from=|`).
 */
export function findImageSlotAt(document: ParsedDocument, position: Position): ImageSlot | undefined {
  const written = findImageSlots(document).find((slot) => rangeContains(slot.range, position));
  if (written) return written;
  const instruction = document.dockerfile.getInstructions().find((i) => rangeContains(i.getRange(), position));
  if (!instruction || position.line !== instruction.getInstructionRange().start.line) return undefined;
  const empty = { text: '', range: { start: position, end: position } };
  switch (instruction.getKeyword()) {
    case 'FROM':
      return isAfterFlagsOfFrom(document, instruction, position) ? { kind: 'from', ...empty } : undefined;
    case 'ARG': {
      const property = (instruction as Arg).getProperty();
      const operator = property?.getAssignmentOperatorRange();
      if (
        property &&
        operator &&
        !property.getValueRange() &&
        samePosition(operator.end, position) &&
        argsUsedByFrom(document).has(property.getName())
      ) {
        return { kind: 'arg-default', ...empty };
      }
      return undefined;
    }
    case 'COPY': {
      const flag = (instruction as Copy).getFromFlag();
      const name = flag?.getNameRange();
      if (
        flag &&
        name &&
        !flag.getValueRange() &&
        position.line === name.end.line &&
        position.character === name.end.character + 1
      ) {
        return { kind: 'copy-from', ...empty };
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

function samePosition(a: Position, b: Position): boolean {
  return a.line === b.line && a.character === b.character;
}

/** `FROM |` or `FROM --platform=x |`: after the keyword and any flags, with whitespace before, and no image yet. */
function isAfterFlagsOfFrom(document: ParsedDocument, from: Instruction, position: Position): boolean {
  if ((from as From).getImageRange()) return false;
  const keywordEnd = from.getInstructionRange().end;
  if (position.line !== keywordEnd.line || position.character <= keywordEnd.character) return false;
  const before = document.text.slice(
    document.offsetAt({ line: position.line, character: 0 }),
    document.offsetAt(position),
  );
  return /\s$/.test(before);
}
