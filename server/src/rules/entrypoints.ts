/**
 * ENTRYPOINT, CMD and SHELL across a stage and the stages it builds on (`FROM <stage>` inherits
 * the image configuration, so an ENTRYPOINT or SHELL of a parent stage still applies). Shared by
 * the ServiceMonitor and LogMonitor rules.
 */
import type { Instruction } from 'dockerfile-ast';
import type { ParsedDocument } from '../service/document';
import type { Stage } from '../service/stages';
import { parsesAsStringArray } from './exec-form-json';
import { instructionsByStage, readInstruction } from './instruction-text';

/** An exec-form (JSON) argument list, decoded, with where its text lies in the document. */
export interface ExecForm {
  readonly values: readonly string[];
  /** Document offsets of the array text: `[start, end)`. */
  readonly start: number;
  readonly end: number;
}

/** The exec form of a CMD, ENTRYPOINT or SHELL, or `undefined` when it is shell form (or not valid JSON, which Docker runs as shell form). */
export function execForm(document: ParsedDocument, instruction: Instruction): ExecForm | undefined {
  const { logical, argsStart } = readInstruction(document, instruction);
  const args = logical.text.slice(argsStart).trimEnd();
  if (!args.startsWith('[') || !parsesAsStringArray(args)) return undefined;
  return { values: JSON.parse(args) as string[], start: logical.offsets[argsStart], end: logical.offsets[argsStart + args.length - 1] + 1 };
}

/** The stages a stage builds on, oldest first, ending with the stage itself (`FROM build` follows `build`). */
export function stageLineage(document: ParsedDocument, stage: Stage): Stage[] {
  const chain: Stage[] = [stage];
  let current = stage;
  for (let hops = 0; hops < document.stages.length; hops++) {
    const base = current.from.getImageName()?.toLowerCase();
    const parent = base ? document.stages.find((s) => s.index < current.index && s.name === base) : undefined;
    if (!parent) break;
    chain.unshift(parent);
    current = parent;
  }
  return chain;
}

/** The instructions of a stage's ancestors (inherited configuration) and of the stage itself. */
export function lineageInstructions(document: ParsedDocument, stage: Stage): { inherited: Instruction[]; own: readonly Instruction[] } {
  const byStage = instructionsByStage(document);
  const lineage = stageLineage(document, stage);
  return { inherited: lineage.slice(0, -1).flatMap((s) => [...byStage[s.index]]), own: byStage[stage.index] };
}

/** The last instruction with a keyword (upper case) in a list. */
export function lastOf(instructions: readonly Instruction[], keyword: string): Instruction | undefined {
  for (let i = instructions.length - 1; i >= 0; i--) if (instructions[i].getKeyword().toUpperCase() === keyword) return instructions[i];
  return undefined;
}

/** The executable's file name, lower-cased, without `.exe`: `C:\\LogMonitor\\LogMonitor.exe` → `logmonitor`. */
export function executableName(value: string): string {
  return (value.split(/[\\/]/).pop() ?? '').toLowerCase().replace(/\.exe$/, '');
}
