/**
 * Shared reading of WORKDIR instructions for the WORKDIR rules and the upstream-agreement filter.
 */
import type { Instruction } from 'dockerfile-ast';
import type { Range } from 'vscode-languageserver-types';
import { shellWordValue } from './buildkit';
import type { ParsedDocument } from './document';
import { perDocument } from './perDocument';

export interface WorkdirPath {
  readonly instruction: Instruction;
  /** The path as written (all arguments, so `C:\Program Files` stays one path). */
  readonly raw: string;
  /** What BuildKit's lexer makes of it (escapes and quotes applied), or undefined when it uses variables or an unterminated quote. */
  readonly value?: string;
  readonly range: Range;
}

/** The WORKDIR instructions of Windows stages, with their paths. Computed once per parsed document (two rules and the upstream filter ask): do not modify. */
export const windowsWorkdirs: (document: ParsedDocument) => readonly WorkdirPath[] = perDocument(findWorkdirs);

function findWorkdirs(document: ParsedDocument): WorkdirPath[] {
  const result: WorkdirPath[] = [];
  for (const instruction of document.dockerfile.getInstructions()) {
    if (instruction.getKeyword() !== 'WORKDIR') continue;
    if (document.stageAt(instruction.getRange().start.line)?.os !== 'windows') continue;
    const args = instruction.getArguments();
    if (args.length === 0) continue;
    const range = { start: args[0].getRange().start, end: args[args.length - 1].getRange().end };
    const raw = document.text.slice(document.offsetAt(range.start), document.offsetAt(range.end));
    const value = instruction.getVariables().length > 0 ? undefined : shellWordValue(raw, document.escapeChar);
    result.push({ instruction, raw, value, range });
  }
  return result;
}

/** `C:`, `d:`: a drive letter with no path, which BuildKit rejects. */
export function isBareDrive(path: string): boolean {
  return /^[A-Za-z]:$/.test(path);
}

/** Rooted (`\app`, `/app`) or drive-absolute (`C:\app`, `C:/app`): absolute for a Windows WORKDIR. */
export function isWindowsAbsolute(path: string): boolean {
  return /^[\\/]/.test(path) || /^[A-Za-z]:[\\/]/.test(path);
}
