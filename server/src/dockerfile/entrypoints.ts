/**
 * ENTRYPOINT, CMD and SHELL across a stage and the stages it builds on (`FROM <stage>` inherits
 * the image configuration, so an ENTRYPOINT or SHELL of a parent stage still applies). Shared by
 * the ServiceMonitor and LogMonitor rules.
 */
import type { Instruction } from 'dockerfile-ast';
import type { ParsedDocument } from './document';
import { perDocument } from './perDocument';
import { instructionsByStage } from './instructionText';

/** The image configuration a stage ends with, as far as the Dockerfile sets it: the ENTRYPOINT, CMD and SHELL in force. */
export interface StageConfig {
  /** The ENTRYPOINT, CMD and SHELL in force (of this stage or inherited from the stage it builds on). */
  readonly entrypoint?: Instruction;
  readonly cmd?: Instruction;
  readonly shell?: Instruction;
}

export interface StageConfigs {
  /** By stage index: what the stage inherits from the stage of this Dockerfile it builds on (empty when it builds on an image). */
  readonly inherited: readonly StageConfig[];
  /** By stage index: what the stage ends with. */
  readonly final: readonly StageConfig[];
}

/**
 * ENTRYPOINT, CMD and SHELL through `FROM <stage>`, in one pass over the stages (each stage builds
 * only on an earlier one). Setting ENTRYPOINT clears the CMD inherited from the base, not one the
 * stage sets itself (BuildKit dispatchEntrypoint: `if !d.cmdSet`). Computed once per parsed
 * document: do not modify.
 */
export const stageConfigs: (document: ParsedDocument) => StageConfigs = perDocument((document) => {
  const byStage = instructionsByStage(document);
  const byName = new Map<string, number>();
  const inherited: StageConfig[] = [];
  const final: StageConfig[] = [];
  for (const stage of document.stages) {
    const base = stage.from.getImageName()?.toLowerCase();
    const parent = base !== undefined ? byName.get(base) : undefined;
    const from: StageConfig = parent !== undefined ? final[parent] : {};
    const own = byStage[stage.index];
    const entrypoint = lastOf(own, 'ENTRYPOINT');
    const cmd = lastOf(own, 'CMD');
    inherited.push(from);
    final.push({
      entrypoint: entrypoint ?? from.entrypoint,
      cmd: cmd ?? (entrypoint ? undefined : from.cmd),
      shell: lastOf(own, 'SHELL') ?? from.shell,
    });
    if (stage.name) byName.set(stage.name, stage.index);
  }
  return { inherited, final };
});

/** The last instruction with a keyword (upper case) in a list. */
export function lastOf(instructions: readonly Instruction[], keyword: string): Instruction | undefined {
  for (let i = instructions.length - 1; i >= 0; i--)
    if (instructions[i].getKeyword().toUpperCase() === keyword) return instructions[i];
  return undefined;
}

/** The executable's file name, lower-cased, without `.exe`: `C:\\LogMonitor\\LogMonitor.exe` → `logmonitor`. */
export function executableName(value: string): string {
  return (value.split(/[\\/]/).pop() ?? '').toLowerCase().replace(/\.exe$/, '');
}
