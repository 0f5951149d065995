/**
 * Bounds on what the analysis reads, so no text can make a request take seconds (see
 * docs/reliability.md). dockerfile-ast spends time superlinear in the length of a line (to parse it,
 * and again for every `getArguments()`), and every feature reads its tree.
 *
 * - A line longer than `MAX_ANALYSED_LINE` is analysed up to that many characters after its first
 *   non-blank character, plus its last non-blank character and what follows it; the characters in
 *   between are blanks in the parser text (`boundLineLengths`). Positions stay valid (same length,
 *   same line breaks), the line keeps its indentation, is never blank, and still ends (or not) in a
 *   line continuation, so the formatter, which only rewrites leading blanks and blank lines, never
 *   touches the real text. `blankedRanges` says where, so no edit is offered inside them.
 * - A document longer than `MAX_DOCUMENT_LENGTH` is not analysed at all (the document policy,
 *   server/src/service/documentPolicy.ts: the server answers every request on it with the empty
 *   result and logs it once; the CLI skips it).
 * - A lone `\r` is read as `\n` (`guardParserText`), which the libraries handle.
 */
import { findLineEnd, skipLineBreak } from './buildkit';

/** Characters of a line analysed after its first non-blank one (real Dockerfiles stay under a few hundred). */
export const MAX_ANALYSED_LINE = 16 * 1024;

/**
 * Documents longer than this (UTF-16 code units, 512 Ki) are not analysed. Real Dockerfiles are a
 * few kilobytes, far below it; the analysis is linear in the size within the other bounds, and this
 * size keeps a change's analysis within the time docs/reliability.md measures.
 */
export const MAX_DOCUMENT_LENGTH = 512 * 1024;

/**
 * Quick fixes are computed for at most this many diagnostics of one code action request. Selecting
 * a whole large file sends all of its diagnostics, and dockerfile-language-service reads the whole
 * text again for each one (`computeCommandEdits`), so the time grows with diagnostics × file size.
 */
export const MAX_CODE_ACTION_DIAGNOSTICS = 100;

export interface OffsetRange {
  readonly start: number;
  readonly end: number;
}

const isBlank = (code: number) => code === 32 || code === 9;

/** The parts of over-long lines that the analysis does not read (offsets, in order). */
export function blankedRanges(text: string, maxLine = MAX_ANALYSED_LINE): OffsetRange[] {
  const ranges: OffsetRange[] = [];
  let start = 0;
  while (start < text.length) {
    const end = findLineEnd(text, start);
    if (end - start > maxLine) {
      let first = start;
      while (first < end && isBlank(text.charCodeAt(first))) first++;
      let last = end - 1;
      while (last > first && isBlank(text.charCodeAt(last))) last--;
      if (first + maxLine < last) ranges.push({ start: first + maxLine, end: last });
    }
    const next = skipLineBreak(text, end);
    if (next === end) break;
    start = next;
  }
  return ranges;
}

/**
 * What the parser reads, made safe for dockerfile-ast and dockerfile-language-service: a lone
 * `\r` (a line break for VS Code, LSP and dockerfile-ast) becomes `\n`, since parts of both
 * libraries take `\r` for the first half of `\r\n` (semantic tokens recursed forever on an
 * escape character before a lone `\r`: found by the fuzzer, test/fixtures-fuzz/); and over-long
 * lines are blanked (`boundLineLengths`). Same length and line breaks: every position is valid in both.
 */
export function guardParserText(text: string): string {
  return boundLineLengths(loneCarriageReturnsAsLineFeeds(text));
}

/** `\r` not followed by `\n` becomes `\n` (same length, same lines). */
export function loneCarriageReturnsAsLineFeeds(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

/** `text` with the `blankedRanges` replaced by spaces; `text` itself when no line is too long. */
export function boundLineLengths(text: string, maxLine = MAX_ANALYSED_LINE): string {
  const ranges = blankedRanges(text, maxLine);
  if (ranges.length === 0) return text;
  const parts: string[] = [];
  let copied = 0;
  for (const range of ranges) {
    parts.push(text.slice(copied, range.start), ' '.repeat(range.end - range.start));
    copied = range.end;
  }
  parts.push(text.slice(copied));
  return parts.join('');
}

/** Whether `[start, end)` (offsets) overlaps a blanked range; an insertion at `start === end` inside one counts. */
export function touchesBlanked(ranges: readonly OffsetRange[], start: number, end: number): boolean {
  return ranges.some((r) => start < r.end && end > r.start);
}

interface Edit {
  readonly range: {
    readonly start: { line: number; character: number };
    readonly end: { line: number; character: number };
  };
}

/**
 * Whether an edit computed on the parser text may be applied to the real text: it must not touch
 * a blanked range, where the real text has characters the analysis never saw.
 */
export function editIsSafe(
  ranges: readonly OffsetRange[],
  offsetAt: (position: { line: number; character: number }) => number,
  edit: Edit,
): boolean {
  return ranges.length === 0 || !touchesBlanked(ranges, offsetAt(edit.range.start), offsetAt(edit.range.end));
}

/** What `clampPositions` needs of a document: the offset of a position (clamped) and back. */
export interface PositionSpace {
  offsetAt(position: { line: number; character: number }): number;
  positionAt(offset: number): { line: number; character: number };
}

/** Objects nested deeper than this in a request are left as they are (no request shape nests positions deeper). */
const MAX_POSITION_DEPTH = 8;

/**
 * A copy of request parameters in which every position (`{ line, character }`, at any depth:
 * `position`, `range`, code action diagnostics, command arguments) lies in the document: a line or
 * character past the end becomes the end, a negative, fractional or non-numeric one the nearest
 * valid one. The libraries trust positions: dockerfile-language-service's range formatting builds
 * one entry per line of the range (an end line of 2,147,483,647 ran the server out of memory). Objects
 * without positions are returned as they are.
 */
export function clampPositions<T>(value: T, document: PositionSpace, depth = 0): T {
  if (typeof value !== 'object' || value === null || depth > MAX_POSITION_DEPTH) return value;
  if (Array.isArray(value)) {
    const items: readonly unknown[] = value;
    let copy: unknown[] | undefined;
    for (let i = 0; i < items.length; i++) {
      const clamped = clampPositions(items[i], document, depth + 1);
      if (clamped !== items[i]) (copy ??= items.slice())[i] = clamped;
    }
    return (copy ?? value) as T;
  }
  const record = value as Record<string, unknown>;
  if ('line' in record && 'character' in record) {
    const line = wholeNumber(record.line);
    const character = wholeNumber(record.character);
    const clamped = document.positionAt(document.offsetAt({ line, character }));
    return clamped.line === record.line && clamped.character === record.character
      ? value
      : ({ ...record, ...clamped } as T);
  }
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(record)) {
    const clamped = clampPositions(record[key], document, depth + 1);
    if (clamped !== record[key]) (copy ??= { ...record })[key] = clamped;
  }
  return (copy ?? value) as T;
}

/** A non-negative integer no larger than 2^31 from anything a client may send (0 for what is not a finite number). */
function wholeNumber(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(Math.max(Math.floor(value), 0), 2 ** 31) : 0;
}
