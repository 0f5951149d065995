/**
 * The one reader of exec form (a JSON array of strings), for every rule and model module.
 *
 * BuildKit (moby/buildkit `frontend/dockerfile/parser/split_command.go` splitCommand, then
 * `line_parsers.go` parseMaybeJSON/parseJSON) trims the arguments after the instruction and its
 * flags with Go's `strings.TrimSpace` (Unicode spaces), and when they start with `[` decodes them
 * with `json.Unmarshal` into `[]any`: an array of strings is exec form; anything else that fails to
 * decode silently falls back to shell form (an array with a non-string element fails the build).
 * `readExecForm` answers that, with each string's place in the text.
 *
 * JSON needs every `\` escaped, so a Windows path such as `"C:\Ruby30-x64\bin"` either fails (`\R`
 * is no JSON escape) or parses into something else (`\t` and `\b` are a tab and a backspace).
 * `scanStringArray` is the reading of what a Windows author meant, for the rule that reports it
 * (exec-form-unescaped-backslash) and for it alone.
 */

import type { Instruction } from 'dockerfile-ast';
import type { ParsedDocument } from './document';
import { readInstruction } from './instructionText';

/** One string literal of the array: `[start, end)` in the text, quotes included. */
export interface JsonStringToken {
  readonly start: number;
  readonly end: number;
  /** Positions of the `\` that open an escape, with the character after each. */
  readonly escapes: readonly { readonly at: number; readonly next: string }[];
}

/** One string of an exec form: its decoded value, and its literal `[start, end)` in the text, quotes included. */
export interface ExecFormString extends JsonStringToken {
  readonly value: string;
}

export interface ExecFormReading {
  readonly strings: readonly ExecFormString[];
  /** `[start, end)` of the array in the text, from `[` to `]` included. */
  readonly start: number;
  readonly end: number;
}

/**
 * The exec form BuildKit reads in an instruction's arguments text (after the keyword and flags),
 * or `undefined` when it reads shell form. Offsets are indices into `text`.
 */
export function readExecForm(text: string): ExecFormReading | undefined {
  let start = 0;
  let end = text.length;
  while (start < end && isGoSpace(text.charCodeAt(start))) start++;
  while (end > start && isGoSpace(text.charCodeAt(end - 1))) end--;
  const tokens = scan(text, false, start, end);
  if (!tokens) return undefined;
  const strings: ExecFormString[] = [];
  for (const token of tokens) {
    // The scan found the literal's bounds; JSON.parse checks its escapes and control characters as json.Unmarshal does.
    let value: unknown;
    try {
      value = JSON.parse(text.slice(token.start, token.end));
    } catch {
      return undefined;
    }
    if (typeof value !== 'string') return undefined;
    strings.push({ ...token, value });
  }
  return { strings, start, end };
}

/** An instruction's exec form, decoded, placed in the document. */
export interface ExecForm {
  readonly values: readonly string[];
  /** Each string: its value and the document offsets of its literal, `[start, end)`, quotes included. */
  readonly strings: readonly { readonly value: string; readonly start: number; readonly end: number }[];
  /** Document offsets of the array, `[start, end)`, from `[` to `]`. */
  readonly start: number;
  readonly end: number;
}

/**
 * The exec form of an instruction (its arguments after the keyword and flags, lines joined as
 * BuildKit joins them, instructionText.ts), or `undefined` when BuildKit reads shell form.
 */
export function execForm(document: ParsedDocument, instruction: Instruction): ExecForm | undefined {
  const { logical, argsStart } = readInstruction(document, instruction);
  const exec = readExecForm(logical.text.slice(argsStart));
  if (!exec) return undefined;
  const at = (index: number) => logical.offsets[argsStart + index];
  return {
    values: exec.strings.map((s) => s.value),
    strings: exec.strings.map((s) => ({ value: s.value, start: at(s.start), end: at(s.end - 1) + 1 })),
    start: at(exec.start),
    end: at(exec.end - 1) + 1,
  };
}

/** Whether BuildKit reads the text as exec form (see readExecForm). */
export function parsesAsStringArray(text: string): boolean {
  return readExecForm(text) !== undefined;
}

/**
 * Go's `unicode.IsSpace`, what `strings.TrimSpace` trims: `\t \n \v \f \r`, space, U+0085, U+00A0
 * and the Unicode White_Space characters above (not U+FEFF, which JavaScript's `trim` takes too).
 */
function isGoSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0x85) return false;
  return (
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

/**
 * The string literals of a `[ "…", "…" ]` text with JSON's lexical structure (a `\` takes the next
 * character along, whatever it is), or `undefined` when the text is not an array of strings.
 * When that fails, a second reading takes a `\"` followed by `,` or `]` as a path ending in a
 * backslash (`["C:\src\", "C:\dest\"]`), which is how such arrays are usually meant. This is the
 * Windows author's reading, not BuildKit's (that is readExecForm): only a rule about what the
 * author meant asks for it.
 */
export function scanStringArray(text: string): JsonStringToken[] | undefined {
  return scan(text, false, 0, text.length) ?? scan(text, true, 0, text.length);
}

/** The lexical scan of `text` from `from` to `to` (JSON blanks around the array allowed). */
function scan(text: string, pathEnds: boolean, from: number, to: number): JsonStringToken[] | undefined {
  if (to < text.length) return scan(text.slice(0, to), pathEnds, from, to);
  let i = skipJsonBlanks(text, from);
  if (text[i] !== '[') return undefined;
  i = skipJsonBlanks(text, i + 1);
  const tokens: JsonStringToken[] = [];
  if (text[i] === ']') return skipJsonBlanks(text, i + 1) === text.length ? tokens : undefined;
  for (;;) {
    if (text[i] !== '"') return undefined;
    const escapes: { at: number; next: string }[] = [];
    let j = i + 1;
    while (j < text.length && text[j] !== '"') {
      if (text[j] === '\\') {
        if (pathEnds && text[j + 1] === '"' && /^[ \t]*[,\]]/.test(text.slice(j + 2, j + 40))) {
          escapes.push({ at: j, next: '' });
          j++;
          break;
        }
        escapes.push({ at: j, next: text[j + 1] ?? '' });
        j += 2;
      } else {
        j++;
      }
    }
    if (j >= text.length) return undefined;
    tokens.push({ start: i, end: j + 1, escapes });
    i = skipJsonBlanks(text, j + 1);
    if (text[i] === ',') {
      i = skipJsonBlanks(text, i + 1);
      continue;
    }
    if (text[i] !== ']') return undefined;
    return skipJsonBlanks(text, i + 1) === text.length ? tokens : undefined;
  }
}

/** A `\` followed by something JSON does not define (`\R`, `\P`, `\u` without four hex digits). */
export function isInvalidEscape(text: string, escape: { at: number; next: string }): boolean {
  if ('"\\/bfnrt'.includes(escape.next) && escape.next !== '') return false;
  if (escape.next === 'u') return !/^[0-9A-Fa-f]{4}$/.test(text.slice(escape.at + 2, escape.at + 6));
  return true;
}

/**
 * A string written with Windows backslashes left unescaped: it has an escape JSON does not define,
 * or a drive letter followed by a single `\` (`"C:\temp"`, where `\t` would be a tab). `C:\"` is
 * left out: that is how an escaped quote after a drive-like `h:` reads (`"/Path:\"C:\\x\""`).
 */
export function hasUnescapedBackslash(text: string, token: JsonStringToken): boolean {
  if (token.escapes.some((e) => isInvalidEscape(text, e))) return true;
  return token.escapes.some(
    (e) =>
      e.next !== '\\' &&
      e.next !== '"' &&
      /(^|[^A-Za-z0-9_])[A-Za-z]:$/.test(text.slice(Math.max(token.start + 1, e.at - 3), e.at)),
  );
}

/** The positions where a `\` must be inserted so the string's lone backslashes become `\\` (`\\` and `\"` stay). */
export function loneBackslashes(token: JsonStringToken): number[] {
  return token.escapes.filter((e) => e.next !== '\\' && e.next !== '"').map((e) => e.at);
}

/** The text with a `\` inserted before each given position. */
export function insertBackslashes(text: string, positions: readonly number[]): string {
  const sorted = [...positions].sort((a, b) => a - b);
  let out = '';
  let copied = 0;
  for (const at of sorted) {
    out += text.slice(copied, at) + '\\';
    copied = at;
  }
  return out + text.slice(copied);
}

function skipJsonBlanks(text: string, i: number): number {
  while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  return i;
}
