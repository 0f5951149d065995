/**
 * Reading an exec-form (JSON array) argument list the way a Windows author writes it. BuildKit
 * parses the text after the instruction and its flags with Go's `json.Unmarshal` when it starts
 * with `[` (moby/buildkit `frontend/dockerfile/parser/line_parsers.go` parseMaybeJSON); when that
 * fails the instruction silently falls back to shell form. JSON needs every `\` escaped, so a
 * Windows path such as `"C:\Ruby30-x64\bin"` either fails (`\R` is no JSON escape) or parses into
 * something else (`\t` and `\b` are a tab and a backspace).
 */

/** One string literal of the array: `[start, end)` in the text, quotes included. */
export interface JsonStringToken {
  readonly start: number;
  readonly end: number;
  /** Positions of the `\` that open an escape, with the character after each. */
  readonly escapes: readonly { readonly at: number; readonly next: string }[];
}

/**
 * The string literals of a `[ "…", "…" ]` text with JSON's lexical structure (a `\` takes the next
 * character along, whatever it is), or `undefined` when the text is not an array of strings.
 * When that fails, a second reading takes a `\"` followed by `,` or `]` as a path ending in a
 * backslash (`["C:\src\", "C:\dest\"]`), which is how such arrays are usually meant.
 */
export function scanStringArray(text: string): JsonStringToken[] | undefined {
  return scan(text, false) ?? scan(text, true);
}

function scan(text: string, pathEnds: boolean): JsonStringToken[] | undefined {
  let i = skipJsonBlanks(text, 0);
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
    (e) => e.next !== '\\' && e.next !== '"' && /(^|[^A-Za-z0-9_])[A-Za-z]:$/.test(text.slice(Math.max(token.start + 1, e.at - 3), e.at)),
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

/** Whether Go's `json.Unmarshal` into `[]interface{}` would give an array of strings (what BuildKit accepts as exec form). */
export function parsesAsStringArray(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) && value.every((v) => typeof v === 'string');
  } catch {
    return false;
  }
}

function skipJsonBlanks(text: string, i: number): number {
  while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  return i;
}
