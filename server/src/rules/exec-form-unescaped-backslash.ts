/**
 * The exec (JSON) form needs every backslash escaped. `CMD ["C:\Ruby30-x64\bin\ruby.exe"]` is not
 * valid JSON, so Docker silently runs it in shell form (Dockerfile reference, "Backslashes";
 * moby/buildkit `frontend/dockerfile/parser/line_parsers.go` parseMaybeJSON falls back when
 * `json.Decode` fails). SHELL has no shell form and fails: "SHELL requires the arguments to be in
 * JSON form" (moby/buildkit `instructions/parse.go` parseShell; on Windows BuildKit adds "It looks
 * like '…' includes a file path without an escaped back-slash", `instructions/errors_windows.go`).
 * COPY, ADD and VOLUME fall back to splitting at blanks. Where every escape happens to be valid
 * JSON (`"C:\temp"`), the path parses into a tab or backspace instead.
 * Real case: MicrosoftDocs/Virtualization-Documentation `windows-container-samples/ruby/Dockerfile`.
 */
import type { Range, TextEdit } from 'vscode-languageserver-types';
import type { ParsedDocument } from '../dockerfile/document';
import {
  hasUnescapedBackslash,
  insertBackslashes,
  isInvalidEscape,
  JsonStringToken,
  loneBackslashes,
  parsesAsStringArray,
  scanStringArray,
} from '../dockerfile/execForm';
import {
  InstructionText,
  logicalRange,
  positionAt,
  readInstruction,
  windowsInstructions,
} from '../dockerfile/instructionText';
import type { Finding, Rule } from './support/types';

const EXEC_FORM_INSTRUCTIONS = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'SHELL', 'HEALTHCHECK', 'COPY', 'ADD', 'VOLUME']);

export const execFormUnescapedBackslash: Rule = {
  id: 'exec-form-unescaped-backslash',
  description:
    'An exec-form (JSON) argument list with unescaped backslashes is not the JSON Docker needs; it silently runs as shell form or misreads the path.',
  defaultSeverity: 'error',
  fixable: true,
  check({ document }) {
    const findings: Finding[] = [];
    for (const instruction of windowsInstructions(document)) {
      const keyword = instruction.getKeyword().toUpperCase();
      if (!EXEC_FORM_INSTRUCTIONS.has(keyword)) continue;
      // A finding needs a `[` and a backslash in the instruction's text: skip reading the others.
      const range = instruction.getRange();
      if (!hasBoth(document.text, document.offsetAt(range.start), document.offsetAt(range.end), '[', '\\')) continue;
      const finding = checkInstruction(document, readInstruction(document, instruction));
      if (finding) findings.push(finding);
    }
    return findings;
  },
};

function checkInstruction(document: ParsedDocument, parsed: InstructionText): Finding | undefined {
  const { logical, keyword } = parsed;
  let start = parsed.argsStart;
  if (keyword === 'HEALTHCHECK') {
    const word = /^\S+/.exec(logical.text.slice(start))?.[0] ?? '';
    if (word.toUpperCase() !== 'CMD') return undefined;
    start += word.length;
    while (start < logical.text.length && /[ \t]/.test(logical.text[start])) start++;
  }
  let end = logical.text.length;
  while (end > start && /\s/.test(logical.text[end - 1])) end--;
  const args = logical.text.slice(start, end);
  if (!args.startsWith('[') || !args.endsWith(']')) return undefined;
  const tokens = scanStringArray(args);
  if (!tokens) return undefined;
  const unescaped = tokens.filter((t) => hasUnescapedBackslash(args, t));
  if (unescaped.length === 0) return undefined;
  const positions = unescaped.flatMap(loneBackslashes);
  const fixed = insertBackslashes(args, positions);
  if (!parsesAsStringArray(fixed)) return undefined;
  const edits: TextEdit[] = positions.map((at) => {
    const position = positionAt(document, logical.offsets[start + at]);
    return { range: { start: position, end: position }, newText: '\\' };
  });
  const range: Range = logicalRange(document, logical, start, end);
  return {
    range,
    message: describe(keyword, args, unescaped, fixed),
    fixes: edits.length > 0 ? [{ title: 'Escape the backslashes (\\\\)', edits, preferred: true }] : [],
  };
}

function describe(keyword: string, args: string, unescaped: JsonStringToken[], fixed: string): string {
  const first = unescaped[0];
  const written = args.slice(first.start, first.end);
  const invalid = first.escapes.find((e) => isInvalidEscape(args, e));
  const fix = `Escape each backslash: ${fixedToken(args, first, fixed)}.`;
  if (!invalid) {
    const escape = first.escapes.find((e) => e.next !== '\\' && e.next !== '"');
    const name = escape ? (CONTROL_NAMES[escape.next] ?? 'another character') : 'another character';
    return `${written} is valid JSON but \\${escape?.next ?? ''} in it is an escape (${name}), so Docker reads a different path. ${fix}`;
  }
  const cause =
    invalid.next === '' ? 'the \\ before a closing quote escapes the quote' : `\\${invalid.next} is not a JSON escape`;
  switch (keyword) {
    case 'SHELL':
      return `This SHELL is not valid JSON (${cause}), so the build fails: "SHELL requires the arguments to be in JSON form". ${fix}`;
    case 'COPY':
    case 'ADD':
    case 'VOLUME':
      return `This ${keyword} is not valid JSON (${cause}), so Docker splits it at blanks and the brackets, quotes and commas become part of the paths. ${fix}`;
    default:
      return `This ${keyword} is not valid JSON (${cause}), so Docker silently runs it in shell form, brackets and quotes included, through the stage's shell (cmd /S /C by default). ${fix}`;
  }
}

const CONTROL_NAMES: Record<string, string> = {
  t: 'a tab',
  n: 'a line break',
  r: 'a carriage return',
  b: 'a backspace',
  f: 'a form feed',
  '/': 'a plain /',
  u: 'a Unicode character',
};

/** The first unescaped string as the fix writes it. */
function fixedToken(args: string, token: JsonStringToken, fixed: string): string {
  const tokens = scanStringArray(fixed);
  const index = scanStringArray(args)?.findIndex((t) => t.start === token.start) ?? -1;
  const match = tokens?.[index];
  return match ? fixed.slice(match.start, match.end) : fixed;
}

/** Whether `text[start, end)` contains both characters. */
function hasBoth(text: string, start: number, end: number, a: string, b: string): boolean {
  let seenA = false;
  let seenB = false;
  for (let i = start; i < end && !(seenA && seenB); i++) {
    const c = text[i];
    if (c === a) seenA = true;
    else if (c === b) seenB = true;
  }
  return seenA && seenB;
}
