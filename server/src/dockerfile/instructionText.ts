/**
 * An instruction's text as BuildKit reads it (moby/buildkit `frontend/dockerfile/parser/parser.go`
 * Parse, trimContinuationCharacter): at a continuation the escape character and its trailing
 * blanks are removed and the next line is appended as it is (leading blanks kept); comment lines
 * and empty lines inside a continuation are skipped. Every character keeps its document offset,
 * so rules can point into the document and fixes can edit it.
 */
import type { Instruction } from 'dockerfile-ast';
import type { Position, Range } from 'vscode-languageserver-types';
import { EscapeChar, escapeRunAtLineEnd, findLineEnd, skipLineBreak } from './buildkit';
import type { ParsedDocument } from './document';
import { perDocument } from './perDocument';

export interface LogicalText {
  readonly text: string;
  /** Document offset of each character of `text`. */
  readonly offsets: ArrayLike<number>;
  /** Document offsets of the continuation characters BuildKit removed. */
  readonly continuations: readonly number[];
  /** Document offset just past the instruction's last character. */
  readonly end: number;
}

export interface InstructionText {
  readonly instruction: Instruction;
  /** Upper-cased keyword. */
  readonly keyword: string;
  readonly logical: LogicalText;
  /** Index in `logical.text` where the arguments start, after the `--flag` words. */
  readonly argsStart: number;
}

/** Dockerfile instruction keywords (moby/buildkit `frontend/dockerfile/command/command.go`). */
export const INSTRUCTION_KEYWORDS: ReadonlySet<string> = new Set([
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
]);

/**
 * Offset of the line's continuation character, following BuildKit's
 * `([^\\])\\[ \t]*$|^\\[ \t]*$`: the last non-blank character is the escape character and is not
 * itself escaped. `undefined` when the line does not continue.
 */
export function continuationAt(
  text: string,
  lineStart: number,
  lineEnd: number,
  escape: EscapeChar,
): number | undefined {
  const run = escapeRunAtLineEnd(text, lineStart, lineEnd, escape);
  return run.length === 1 ? run.start : undefined;
}

/** The first non-blank character of a line, or `undefined` for a blank line. */
export function firstNonBlank(text: string, lineStart: number, lineEnd: number): number | undefined {
  for (let i = lineStart; i < lineEnd; i++) {
    if (text[i] !== ' ' && text[i] !== '\t') return i;
  }
  return undefined;
}

/** A comment line: its first non-blank character is `#` (BuildKit drops these before joining lines). */
export function isCommentLine(text: string, lineStart: number, lineEnd: number): boolean {
  const first = firstNonBlank(text, lineStart, lineEnd);
  return first !== undefined && text[first] === '#';
}

/** Joins the lines of the instruction that starts at `start` the way BuildKit does. */
export function logicalTextFrom(document: ParsedDocument, start: number): LogicalText {
  const text = document.text;
  // The copied parts of each line, `[from, to)` in the document: joined once, offsets filled once.
  const parts: number[] = [];
  const continuations: number[] = [];
  let length = 0;
  let lineStart = start;
  let first = true;
  let end = start;
  while (lineStart <= text.length) {
    const lineEnd = findLineEnd(text, lineStart);
    const skipped =
      !first && (isCommentLine(text, lineStart, lineEnd) || firstNonBlank(text, lineStart, lineEnd) === undefined);
    let continues = true;
    if (!skipped) {
      const escape = continuationAt(text, lineStart, lineEnd, document.escapeChar);
      const copyEnd = escape ?? lineEnd;
      if (copyEnd > lineStart) {
        parts.push(lineStart, copyEnd);
        length += copyEnd - lineStart;
      }
      end = lineEnd;
      if (escape === undefined) continues = false;
      else continuations.push(escape);
    }
    first = false;
    const next = skipLineBreak(text, lineEnd);
    if (!continues || next === lineEnd) break;
    lineStart = next;
  }
  const offsets = new Int32Array(length);
  const pieces: string[] = [];
  let k = 0;
  for (let i = 0; i < parts.length; i += 2) {
    pieces.push(text.slice(parts[i], parts[i + 1]));
    for (let offset = parts[i]; offset < parts[i + 1]; offset++) offsets[k++] = offset;
  }
  return { text: pieces.length === 1 ? pieces[0] : pieces.join(''), offsets, continuations, end };
}

/** The instruction's logical text, keyword and where its arguments start. */
export function readInstruction(document: ParsedDocument, instruction: Instruction): InstructionText {
  const logical = logicalTextFrom(document, document.offsetAt(instruction.getRange().start));
  const text = logical.text;
  let i = 0;
  while (i < text.length && isBlank(text[i])) i++;
  while (i < text.length && !isBlank(text[i])) i++;
  for (;;) {
    while (i < text.length && isBlank(text[i])) i++;
    if (!text.startsWith('--', i)) break;
    while (i < text.length && !isBlank(text[i])) i++;
  }
  return { instruction, keyword: instruction.getKeyword().toUpperCase(), logical, argsStart: i };
}

/**
 * `instructions` (in document order) as BuildKit reads them, each with its joined text:
 * dockerfile-ast starts a new instruction on a line that BuildKit still joins to the one before (a
 * line of only the escape character after an empty line, for example), and the text joined from
 * such a start is a tail of the previous one. Those are left out, so each line is read once:
 * reading them all would be quadratic in the length of such a run, and would report what is in it
 * more than once. Nothing is kept once the caller drops the answer.
 */
export function readAsBuildKit(document: ParsedDocument, instructions: readonly Instruction[]): InstructionText[] {
  const result: InstructionText[] = [];
  let coveredUntil = -1;
  for (const instruction of instructions) {
    if (document.offsetAt(instruction.getRange().start) < coveredUntil) continue;
    const read = readInstruction(document, instruction);
    coveredUntil = read.logical.end;
    result.push(read);
  }
  return result;
}

/** The instructions of each stage, by stage index (instructions before the first FROM are left out). Computed once per parsed document: do not modify. */
export const instructionsByStage: (document: ParsedDocument) => readonly (readonly Instruction[])[] =
  perDocument(splitByStage);

/** The instructions of Windows stages (by the stage of their first line). Computed once per parsed document: do not modify. */
export const windowsInstructions: (document: ParsedDocument) => readonly Instruction[] = perDocument((document) =>
  instructionsByStage(document).flatMap((instructions, index) =>
    document.stages[index].os === 'windows' ? instructions : [],
  ),
);

function splitByStage(document: ParsedDocument): Instruction[][] {
  const result: Instruction[][] = document.stages.map(() => []);
  let stage = -1;
  for (const instruction of document.dockerfile.getInstructions()) {
    const line = instruction.getRange().start.line;
    while (stage + 1 < document.stages.length && document.stages[stage + 1].from.getRange().start.line <= line) stage++;
    if (stage >= 0) result[stage].push(instruction);
  }
  return result;
}

/** The position of a document offset. */
export function positionAt(document: ParsedDocument, offset: number): Position {
  const lines = document.lineOffsets;
  let low = 0;
  let high = lines.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (lines[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low, character: offset - lines[low] };
}

/** The range between two document offsets. */
export function rangeOf(document: ParsedDocument, start: number, end: number): Range {
  return { start: positionAt(document, start), end: positionAt(document, end) };
}

/** The range of logical characters `[from, to)` in the document (`to` exclusive, `to > from`). */
export function logicalRange(document: ParsedDocument, logical: LogicalText, from: number, to: number): Range {
  return rangeOf(document, logical.offsets[from], logical.offsets[to - 1] + 1);
}

/**
 * The range that removes a flag or word and the blanks after it on its line, so
 * `COPY --chown=a b c` becomes `COPY b c`.
 */
export function removalRange(document: ParsedDocument, range: Range): Range {
  const text = document.text;
  let end = document.offsetAt(range.end);
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  return rangeOf(document, document.offsetAt(range.start), end);
}

/** The line break the document uses (`\r\n` when its first line break is one). */
export function lineBreakOf(text: string): string {
  const end = findLineEnd(text, 0);
  return text[end] === '\r' && text[end + 1] === '\n' ? '\r\n' : text[end] === '\r' ? '\r' : '\n';
}

function isBlank(c: string): boolean {
  return c === ' ' || c === '\t';
}
