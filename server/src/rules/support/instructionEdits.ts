/**
 * Edits that add whole instructions next to existing ones, in the document's own style: the
 * indentation of the instruction they sit beside and the document's line ending (a CRLF file
 * stays CRLF).
 */
import type { Instruction } from 'dockerfile-ast';
import type { Position, TextEdit } from 'vscode-languageserver-types';
import { findLineEnd } from '../../dockerfile/buildkit';
import type { ParsedDocument } from '../../dockerfile/document';
import { lineBreakOf } from '../../dockerfile/instructionText';

/** The document's line ending: that of its first line break, `\n` when it has none. */
export function lineEnding(document: ParsedDocument): string {
  return lineBreakOf(document.text);
}

/** The blanks that start a line. */
export function indentOf(document: ParsedDocument, line: number): string {
  const start = document.lineOffsets[line] ?? document.text.length;
  let i = start;
  while (document.text[i] === ' ' || document.text[i] === '\t') i++;
  return document.text.slice(start, i);
}

/** The end of a line, before its line break. */
export function endOfLine(document: ParsedDocument, line: number): Position {
  const start = document.lineOffsets[line] ?? document.text.length;
  return { line, character: findLineEnd(document.text, start) - start };
}

/** Lines to put before and after an instruction: inserted at the start of its first line and the end of its last. */
export function surround(
  document: ParsedDocument,
  instruction: Instruction,
  before: readonly string[],
  after: readonly string[],
): TextEdit[] {
  const { start, end } = instruction.getRange();
  const eol = lineEnding(document);
  const indent = indentOf(document, start.line);
  const edits: TextEdit[] = [];
  if (before.length > 0) {
    const at = { line: start.line, character: 0 };
    edits.push({ range: { start: at, end: at }, newText: before.map((l) => indent + l + eol).join('') });
  }
  if (after.length > 0) {
    const at = endOfLine(document, end.line);
    edits.push({ range: { start: at, end: at }, newText: after.map((l) => eol + indent + l).join('') });
  }
  return edits;
}

/** `USER ContainerAdministrator` before an instruction and `USER <restore>` after it. */
export function runAsAdministrator(document: ParsedDocument, instruction: Instruction, restore: string): TextEdit[] {
  return surround(document, instruction, ['USER ContainerAdministrator'], [`USER ${restore}`]);
}
