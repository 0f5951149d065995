/**
 * What today's Docker/BuildKit parser does where dockerfile-ast differs. Each function names the
 * BuildKit code it follows (moby/buildkit `frontend/dockerfile/parser/parser.go`,
 * `frontend/dockerfile/shell/lex.go`).
 */

export type EscapeChar = '\\' | '`';

/** Where the escape directive sits, when the file has a valid one. */
export interface EscapeDirective {
  readonly escapeChar: EscapeChar;
  /** Line of the `# escape=` comment. */
  readonly line: number;
}

const DIRECTIVE = /^#[ \t]*([A-Za-z][A-Za-z0-9]*)[ \t]*=[ \t]*(\S*)[ \t]*$/;

/**
 * Reads the parser directives at the top of the file the way BuildKit does
 * (`parser.go` possibleParserDirective): directives are `# key=value` comment lines before any
 * other line; the first line that is not a directive (a comment, a blank line, an instruction)
 * ends the search. Only `\` and `` ` `` are valid escape characters.
 */
export function readEscapeDirective(text: string): EscapeDirective | undefined {
  let start = 0;
  if (text.charCodeAt(0) === 0xfeff) start = 1;
  for (let line = 0; start <= text.length; line++) {
    const end = findLineEnd(text, start);
    const match = DIRECTIVE.exec(text.slice(start, end));
    if (!match) return undefined;
    if (match[1].toLowerCase() === 'escape') {
      const value = match[2];
      return value === '\\' || value === '`' ? { escapeChar: value, line } : undefined;
    }
    start = skipLineBreak(text, end);
    if (start === end) return undefined;
  }
  return undefined;
}

/** Offset of the first `\r` or `\n` at or after `start`, or the text length. */
export function findLineEnd(text: string, start: number): number {
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i;
  }
  return text.length;
}

/** Offset just past the line break at `end` (`\r\n`, `\n` or a lone `\r`, as dockerfile-ast counts lines). */
export function skipLineBreak(text: string, end: number): number {
  if (text.charCodeAt(end) === 13) return text.charCodeAt(end + 1) === 10 ? end + 2 : end + 1;
  if (text.charCodeAt(end) === 10) return end + 1;
  return end;
}

/**
 * BuildKit's continuation rule (`parser.go` setEscapeToken):
 * `([^\\])\\[ \t]*$|^\\[ \t]*$`: a line continues when its last non-blank character is the
 * escape character *unless* that character is itself preceded by an escape character. So
 * `C:\\Windows\\System32\\` is a complete line, where dockerfile-ast would join the next one.
 *
 * Returns the offset of the trailing run of escape characters (ignoring trailing blanks) when
 * the run is two or more long, i.e. when dockerfile-ast sees a continuation that BuildKit does not.
 */
export function escapedEscapeAtLineEnd(
  text: string,
  lineStart: number,
  lineEnd: number,
  escape: EscapeChar,
): number | undefined {
  const run = escapeRunAtLineEnd(text, lineStart, lineEnd, escape);
  return run.length >= 2 ? run.start : undefined;
}

/**
 * The run of escape characters that ends a line, before its trailing blanks: where it starts and how
 * long it is (0 when the line's last non-blank character is something else). BuildKit's continuation
 * rule reads only this run: one escape character continues the line, two or more do not.
 */
export function escapeRunAtLineEnd(
  text: string,
  lineStart: number,
  lineEnd: number,
  escape: EscapeChar,
): { readonly start: number; readonly length: number } {
  let i = lineEnd - 1;
  while (i >= lineStart && (text[i] === ' ' || text[i] === '\t')) i--;
  const end = i + 1;
  while (i >= lineStart && text[i] === escape) i--;
  return { start: i + 1, length: end - (i + 1) };
}

/**
 * The text handed to dockerfile-ast, dockerfile-utils and dockerfile-language-service: the same
 * length and line structure as the document, so every position they return is valid in it, with
 * one change: where a line ends in an escaped escape character (see `escapedEscapeAtLineEnd`),
 * the last escape character becomes `/`. dockerfile-ast then ends the instruction on that line,
 * as BuildKit does, and the word still reads as a directory (`C:\\dest\/` ends in `/`, as
 * `C:\dest\` ends in `\`). Comment lines are left alone: BuildKit drops them before it looks for
 * continuations.
 */
export function toParserText(text: string, escape: EscapeChar): string {
  let out: string[] | undefined;
  let copied = 0;
  let start = 0;
  while (start < text.length) {
    const end = findLineEnd(text, start);
    const run = escapedEscapeAtLineEnd(text, start, end, escape);
    if (run !== undefined && !isCommentLine(text, start, end)) {
      let last = end - 1;
      while (text[last] !== escape) last--;
      out ??= [];
      out.push(text.slice(copied, last), '/');
      copied = last + 1;
    }
    const next = skipLineBreak(text, end);
    if (next === end) break;
    start = next;
  }
  if (!out) return text;
  out.push(text.slice(copied));
  return out.join('');
}

function isCommentLine(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text[i];
    if (c === ' ' || c === '\t') continue;
    return c === '#';
  }
  return false;
}

/**
 * The literal value of one shell word as BuildKit's lexer reads it (`shell/lex.go`
 * processStopOn, processSingleQuote, processDoubleQuote), without variable expansion:
 * outside quotes the escape character takes the next character literally; inside single quotes
 * nothing is special; inside double quotes the escape character only escapes `"`, `$` and itself.
 * Returns `undefined` for an unterminated quote (BuildKit fails the build there).
 */
export function shellWordValue(word: string, escape: EscapeChar): string | undefined {
  let value = '';
  for (let i = 0; i < word.length; i++) {
    const c = word[i];
    if (c === escape) {
      if (i + 1 < word.length) value += word[++i];
      continue;
    }
    if (c === "'") {
      const close = word.indexOf("'", i + 1);
      if (close < 0) return undefined;
      value += word.slice(i + 1, close);
      i = close;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      for (; j < word.length && word[j] !== '"'; j++) {
        const d = word[j];
        if (
          d === escape &&
          j + 1 < word.length &&
          (word[j + 1] === '"' || word[j + 1] === '$' || word[j + 1] === escape)
        ) {
          value += word[++j];
        } else {
          value += d;
        }
      }
      if (j >= word.length) return undefined;
      i = j;
      continue;
    }
    value += c;
  }
  return value;
}
