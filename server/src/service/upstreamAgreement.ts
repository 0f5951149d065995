/**
 * Drops dockerfile-utils diagnostics that today's Docker/BuildKit does not agree with. The line
 * continuation difference is handled earlier, in the parser text (`buildkit.ts` toParserText);
 * what is left is judged here, one function per known false positive, each naming its source.
 */
import type { Copy, Add, Instruction } from 'dockerfile-ast';
import { ValidationCode } from 'dockerfile-utils';
import type { Diagnostic } from 'vscode-languageserver-types';
import { shellWordValue } from '../dockerfile/buildkit';
import type { ParsedDocument } from '../dockerfile/document';
import { isBareDrive, isWindowsAbsolute, windowsWorkdirs } from '../dockerfile/workdirs';

/** Returns the upstream diagnostics that BuildKit agrees with. */
export function filterUpstreamDiagnostics(document: ParsedDocument, diagnostics: Diagnostic[]): Diagnostic[] {
  let windowsWorkdirStarts: Set<string> | undefined;
  return diagnostics.filter((diagnostic) => {
    switch (diagnostic.code) {
      case ValidationCode.WORKDIR_IS_NOT_ABSOLUTE:
        windowsWorkdirStarts ??= absoluteWindowsWorkdirs(document);
        return !windowsWorkdirStarts.has(key(diagnostic.range.start));
      case ValidationCode.INVALID_DESTINATION:
        return !destinationIsDirectory(document, diagnostic);
      default:
        return true;
    }
  });
}

function key(position: { line: number; character: number }): string {
  return `${position.line}:${position.character}`;
}

/**
 * WORKDIRs of Windows stages that are absolute there. On Windows `\app` and `/app` are rooted on
 * the system drive (`C:\app`) and `C:\app` / `C:/app` are absolute: BuildKit's NormalizeWorkdir
 * (moby/buildkit `util/system/path.go`) accepts them. A bare `C:` is not relative either: it is
 * an error, which the workdir-bare-drive rule reports in place of the upstream warning.
 */
function absoluteWindowsWorkdirs(document: ParsedDocument): Set<string> {
  const starts = new Set<string>();
  for (const workdir of windowsWorkdirs(document)) {
    const value = workdir.value;
    if (isWindowsAbsolute(workdir.raw) || (value !== undefined && (isWindowsAbsolute(value) || isBareDrive(value)))) {
      starts.add(key(workdir.range.start));
    }
  }
  return starts;
}

/**
 * dockerfile-utils compares the destination's last character with `/` and `\` without removing
 * quotes, so `COPY a b "C:\app\"` (under `` # escape=` ``) or `COPY a b "c:/dest/"` is reported
 * as "not a directory". BuildKit reads the word with its shell lexer (`shell/lex.go`) first: the
 * quoted destination ends with a separator, so it is a directory.
 */
function destinationIsDirectory(document: ParsedDocument, diagnostic: Diagnostic): boolean {
  const instruction = instructionAt(document, diagnostic.range.start.line);
  if (!instruction || (instruction.getKeyword() !== 'COPY' && instruction.getKeyword() !== 'ADD')) return false;
  const raw = document.text.slice(document.offsetAt(diagnostic.range.start), document.offsetAt(diagnostic.range.end));
  if (!raw.includes('"') && !raw.includes("'")) return false;
  const value = shellWordValue(raw, document.escapeChar);
  return value !== undefined && (value.endsWith('/') || value.endsWith('\\'));
}

function instructionAt(document: ParsedDocument, line: number): Copy | Add | Instruction | undefined {
  return document.dockerfile.getInstructions().find((i) => {
    const range = i.getRange();
    return range.start.line <= line && line <= range.end.line;
  });
}
