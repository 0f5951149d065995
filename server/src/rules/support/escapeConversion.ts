/**
 * Switching a file from the default `\` escape to `` # escape=` ``, and only when that keeps what
 * Docker reads everywhere except at the trailing backslashes being fixed. BuildKit's escape
 * character (moby/buildkit `frontend/dockerfile/parser/parser.go`, `shell/lex.go`) does three
 * things: at a line end it continues the instruction; outside quotes, in the instructions BuildKit
 * lexes (ENV, COPY, WORKDIR, ...), it takes the next character literally; inside double quotes
 * it escapes only `"`, `$` and itself. RUN, CMD, ENTRYPOINT, SHELL and HEALTHCHECK are not lexed
 * ("escaping is not performed in a RUN command, except at the end of a line", Dockerfile
 * reference, escape). So the switch rewrites each line-continuation `\` to `` ` `` and refuses
 * whenever a `\` or `` ` `` elsewhere would change meaning (`ENV A=x\ y`, `WORKDIR C:\\`,
 * a PowerShell line ending in a backtick, a heredoc).
 */
import { EscapeDirective, findLineEnd, skipLineBreak } from '../../dockerfile/buildkit';
import { continuationAt, firstNonBlank, isCommentLine, lineBreakOf } from '../../dockerfile/instructionText';

/** An edit by document offsets. */
export interface OffsetEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

/** Instructions whose arguments BuildKit does not lex: the escape character only continues lines there. */
export const UNLEXED_INSTRUCTIONS: ReadonlySet<string> = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'SHELL', 'HEALTHCHECK']);

/**
 * The edits that switch a default-escape file to `` # escape=` ``, or `undefined` when that would
 * change more than the given trailing backslashes. `kept` are offsets of continuation backslashes
 * that are path separators (they stay, and end their instruction); `tokens` are `[start, end)`
 * offsets of the paths they end, whose inner `\` before a name are separators too.
 */
export function backtickConversion(
  text: string,
  directive: EscapeDirective | undefined,
  kept: ReadonlySet<number>,
  tokens: readonly (readonly [number, number])[],
): OffsetEdit[] | undefined {
  if (directive && directive.escapeChar !== '\\') return undefined;
  const edits: OffsetEdit[] = [];
  // Offsets are visited in increasing order, so one pointer into the sorted tokens suffices.
  const sorted = [...tokens].sort((a, b) => a[0] - b[0]);
  let next = 0;
  const inToken = (offset: number) => {
    while (next < sorted.length && sorted[next][1] <= offset) next++;
    return next < sorted.length && offset >= sorted[next][0];
  };
  let continuing = false;
  let lexed = false;
  let quote: '"' | "'" | undefined;
  let lineStart = 0;
  let line = 0;
  let directiveEdit: OffsetEdit | undefined;
  for (;;) {
    const lineEnd = findLineEnd(text, lineStart);
    if (directive && line === directive.line) {
      directiveEdit = { start: lineStart, end: lineEnd, newText: '# escape=`' };
    } else if (!isCommentLine(text, lineStart, lineEnd)) {
      const first = firstNonBlank(text, lineStart, lineEnd);
      if (first !== undefined) {
        if (!continuing) {
          let wordEnd = first;
          while (wordEnd < lineEnd && !/\s/.test(text[wordEnd])) wordEnd++;
          lexed = !UNLEXED_INSTRUCTIONS.has(text.slice(first, wordEnd).toUpperCase());
          quote = undefined;
        }
        // A heredoc body is not read line by line: leave such files alone.
        if (text.slice(first, lineEnd).includes('<<')) return undefined;
        const escape = continuationAt(text, lineStart, lineEnd, '\\');
        const last = escape ?? lineEnd;
        // A single trailing backtick would become a continuation.
        if (escape === undefined && continuationAt(text, lineStart, lineEnd, '`') !== undefined) return undefined;
        if (escape !== undefined && escape > lineStart && text[escape - 1] === '`') return undefined;
        for (let i = first; i < last; i++) {
          const c = text[i];
          if (lexed) {
            if (c === '\\' || c === '`') {
              const after = i + 1 < last ? text[i + 1] : '';
              if (!sameUnderBothEscapes(c, after, quote, inToken(i))) return undefined;
              if (quote === undefined && after !== '') i++;
              continue;
            }
            if (quote === undefined && (c === '"' || c === "'")) quote = c;
            else if (quote === c) quote = undefined;
          }
        }
        if (escape === undefined) {
          continuing = false;
        } else if (kept.has(escape)) {
          continuing = false;
        } else {
          edits.push({ start: escape, end: escape + 1, newText: '`' });
          continuing = true;
        }
      }
    }
    const following = skipLineBreak(text, lineEnd);
    if (following === lineEnd) break;
    lineStart = following;
    line++;
  }
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  edits.unshift(directiveEdit ?? { start, end: start, newText: '# escape=`' + lineBreakOf(text) });
  return edits;
}

/**
 * Whether `c` followed by `next` reads the same under the `\` and the `` ` `` escape, in a lexed
 * instruction. A `\` before a name inside one of the paths being fixed is a path separator the
 * author meant: the switch makes it one.
 */
function sameUnderBothEscapes(c: string, next: string, quote: '"' | "'" | undefined, inToken: boolean): boolean {
  if (quote === "'") return true;
  if (quote === '"') return !(next === '"' || next === '$' || next === c);
  return c === '\\' && inToken && /^[A-Za-z0-9_.-]$/.test(next);
}
