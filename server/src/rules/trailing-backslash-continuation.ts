/**
 * With the default `\` escape, a Windows path that ends a line in a single `\` (`COPY a c:\`,
 * `WORKDIR C:\app\`) is a line continuation: BuildKit removes the `\` and appends the next line,
 * so the next instruction becomes part of this one (moby/buildkit `frontend/dockerfile/parser/
 * parser.go` trimContinuationCharacter, `([^\\])\\[ \t]*$`; Dockerfile reference, "escape":
 * `COPY testfile.txt c:\` + `RUN dir c:` ran as one instruction). An escaped `\\` is not a
 * continuation. The tell-tale that the author meant a path is that the next line starts with an
 * instruction keyword.
 */
import { findLineEnd } from '../dockerfile/buildkit';
import type { ParsedDocument } from '../dockerfile/document';
import { backtickConversion, UNLEXED_INSTRUCTIONS } from './support/escapeConversion';
import {
  continuationAt,
  firstNonBlank,
  INSTRUCTION_KEYWORDS,
  isCommentLine,
  rangeOf,
} from '../dockerfile/instructionText';
import type { Finding, Fix, Rule } from './support/types';

interface Swallow {
  /** Offset of the continuation `\`. */
  readonly escape: number;
  /** `[start, end)` of the path the `\` ends. */
  readonly token: readonly [number, number];
  readonly line: number;
  readonly nextLine: number;
  readonly keyword: string;
  /** Keyword of the instruction the path belongs to, and the line it starts on. */
  readonly owner: string;
  readonly ownerLine: number;
}

const ESCAPE_FILE_CARRIERS = 20;

export const trailingBackslashContinuation: Rule = {
  id: 'trailing-backslash-continuation',
  description:
    'A Windows path ending in a single \\ at the end of a line joins the next line, so the next instruction is swallowed.',
  defaultSeverity: 'error',
  fixable: true,
  check({ document }) {
    if (document.escapeChar !== '\\') return [];
    const swallows = findSwallows(document);
    if (swallows.length === 0) return [];
    const conversion = backtickConversion(
      document.text,
      document.escapeDirective,
      new Set(swallows.map((s) => s.escape)),
      swallows.map((s) => s.token),
    );
    const escapeFile = conversion?.map((e) => ({ range: rangeOf(document, e.start, e.end), newText: e.newText }));
    return swallows.map((s, index): Finding => {
      const token = document.text.slice(s.token[0], s.token[1]);
      const lexed = !UNLEXED_INSTRUCTIONS.has(s.owner) && s.owner !== 'ONBUILD';
      const plain = !/["']/.test(token);
      const range = rangeOf(document, s.token[0], s.token[1]);
      const escaped = lexed && plain ? escapeBackslashes(token) : token + '\\';
      const forwardSlash = lexed && plain ? token.replace(/\\\\|\\/g, '/') : undefined;
      const fixes: Fix[] = [{ title: `Write ${escaped}`, edits: [{ range, newText: escaped }], preferred: true }];
      if (forwardSlash !== undefined)
        fixes.push({ title: `Write ${forwardSlash}`, edits: [{ range, newText: forwardSlash }], preferred: false });
      // The file-wide switch is the same for every finding: carried by the first few only, so the diagnostics stay small.
      if (escapeFile && index < ESCAPE_FILE_CARRIERS) {
        fixes.push({
          title: 'Use # escape=` for this file (backslashes become plain path separators)',
          edits: escapeFile,
          preferred: false,
        });
      }
      return {
        range,
        message:
          `The trailing \\ of ${token} continues the line, so the ${s.keyword} on line ${s.nextLine + 1} becomes part of this instruction: ` +
          `Docker reads ${quoteJoin(document, s)}. Write ${escaped}` +
          (forwardSlash ? ` or ${forwardSlash}` : '') +
          (escapeFile ? ', or use # escape=` for the file.' : '.'),
        fixes,
      };
    });
  },
};

/** Lines of Windows stages whose trailing `\` ends a path and swallows the next instruction. */
function findSwallows(document: ParsedDocument): Swallow[] {
  const text = document.text;
  const lines = document.lineOffsets;
  const result: Swallow[] = [];
  // Where the instructions the author meant start: the parsed ones, and each swallowed line.
  const starts = new Set(document.dockerfile.getInstructions().map((i) => i.getRange().start.line));
  let stage = -1;
  for (let line = 0; line < lines.length; line++) {
    const start = lines[line];
    const end = findLineEnd(text, start);
    if (isCommentLine(text, start, end)) continue;
    const escape = continuationAt(text, start, end, '\\');
    if (escape === undefined) continue;
    let tokenStart = escape;
    while (tokenStart > start && text[tokenStart - 1] !== ' ' && text[tokenStart - 1] !== '\t') tokenStart--;
    const token = text.slice(tokenStart, escape + 1);
    if (!looksLikeWindowsPath(token)) continue;
    while (stage + 1 < document.stages.length && document.stages[stage + 1].from.getRange().start.line <= line) stage++;
    if (stage < 0 || document.stages[stage].os !== 'windows') continue;
    const next = nextMeaningfulLine(document, line + 1);
    if (!next) continue;
    let ownerLine = line;
    while (ownerLine > 0 && !starts.has(ownerLine)) ownerLine--;
    starts.add(next.line);
    result.push({
      escape,
      token: [tokenStart, escape + 1],
      line,
      nextLine: next.line,
      keyword: next.keyword,
      owner: firstWord(document, ownerLine).toUpperCase(),
      ownerLine,
    });
  }
  return result;
}

function firstWord(document: ParsedDocument, line: number): string {
  const start = document.lineOffsets[line];
  const end = findLineEnd(document.text, start);
  const first = firstNonBlank(document.text, start, end) ?? start;
  let wordEnd = first;
  while (wordEnd < end && document.text[wordEnd] !== ' ' && document.text[wordEnd] !== '\t') wordEnd++;
  return document.text.slice(first, wordEnd);
}

/** `c:\`, `C:\app\`, `\app\`, `.\dist\`, `"C:\x\`: a drive letter, or a `\` before the last one. */
function looksLikeWindowsPath(token: string): boolean {
  if (token.length < 2) return false;
  return /^["']?[A-Za-z]:/.test(token) || token.slice(0, -1).includes('\\');
}

/**
 * The next line BuildKit would join (comment and blank lines are skipped) when it starts with an
 * instruction keyword. An indented keyword that is not upper case (`    copy a b`, `    cmd /c x`)
 * reads as a command of the script, not a new instruction.
 */
function nextMeaningfulLine(document: ParsedDocument, from: number): { line: number; keyword: string } | undefined {
  const text = document.text;
  for (let line = from; line < document.lineOffsets.length; line++) {
    const start = document.lineOffsets[line];
    const end = findLineEnd(text, start);
    const first = firstNonBlank(text, start, end);
    if (first === undefined || text[first] === '#') continue;
    let wordEnd = first;
    while (wordEnd < end && text[wordEnd] !== ' ' && text[wordEnd] !== '\t') wordEnd++;
    const word = text.slice(first, wordEnd);
    const keyword = word.toUpperCase();
    if (!INSTRUCTION_KEYWORDS.has(keyword)) return undefined;
    if (first > start && word !== keyword) return undefined;
    return { line, keyword };
  }
  return undefined;
}

/** Each lone `\` doubled (`C:\app\` → `C:\\app\\`); an existing `\\` stays. */
function escapeBackslashes(token: string): string {
  let out = '';
  for (let i = 0; i < token.length; i++) {
    if (token[i] === '\\' && token[i + 1] === '\\') {
      out += '\\\\';
      i++;
    } else {
      out += token[i] === '\\' ? '\\\\' : token[i];
    }
  }
  return out;
}

const QUOTE_PART = 60;

/** What BuildKit joins: this line up to its `\`, then the next line as written (shortened). */
function quoteJoin(document: ParsedDocument, swallow: Swallow): string {
  const text = document.text;
  const lineStart = document.lineOffsets[swallow.line];
  const first = firstNonBlank(text, lineStart, swallow.escape) ?? lineStart;
  let head = text.slice(first, swallow.escape);
  if (head.length > QUOTE_PART) head = '…' + head.slice(-QUOTE_PART);
  else if (swallow.ownerLine < swallow.line) head = '… ' + head;
  const nextStart = document.lineOffsets[swallow.nextLine];
  const nextEnd = findLineEnd(text, nextStart);
  const nextEscape = continuationAt(text, nextStart, nextEnd, '\\');
  let tail = text.slice(nextStart, nextEscape ?? nextEnd);
  if (tail.length > QUOTE_PART) tail = tail.slice(0, QUOTE_PART) + '…';
  else if (nextEscape !== undefined) tail += '…';
  return `"${head}${tail}"`;
}
