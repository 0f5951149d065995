/**
 * Without a SHELL, Windows runs each shell-form RUN as `cmd /S /C <command>`, so
 * `RUN powershell -Command …` starts cmd, which starts PowerShell, every time; the Dockerfile
 * reference calls this "inefficient for two reasons" and recommends a SHELL instead (Dockerfile
 * reference, SHELL; MicrosoftDocs/Virtualization-Documentation `manage-docker/manage-windows-dockerfile.md`).
 * A SHELL changes every later shell-form RUN, CMD and ENTRYPOINT of the stage, the stages built
 * on it and the image's default shell, so the rewrite is offered only where every shell-form
 * instruction of the stage is such a RUN and cmd leaves its text alone.
 */
import type { Instruction } from 'dockerfile-ast';
import type { TextEdit } from 'vscode-languageserver-types';
import { findRepository } from '../catalogue/catalogue';
import { findLineEnd } from '../dockerfile/buildkit';
import type { ParsedDocument } from '../dockerfile/document';
import type { Stage } from '../dockerfile/stages';
import { parsesAsStringArray } from '../dockerfile/execForm';
import {
  instructionsByStage,
  InstructionText,
  lineBreakOf,
  logicalRange,
  positionAt,
  rangeOf,
  readAsBuildKit,
} from '../dockerfile/instructionText';
import type { Finding, Rule } from './support/types';

export const CANONICAL_SHELL = `SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue';"]`;

const POWERSHELL_PREFIX = /^powershell(\.exe)?(?=[ \t]|$)/i;
const COMMAND_PARAMETER = /^-(c|command)(?=[ \t]|$)/i;

export const powershellRunWithoutShell: Rule = {
  id: 'powershell-run-without-shell',
  description: 'Two or more RUN powershell … in a stage without SHELL start cmd and then PowerShell for every RUN.',
  defaultSeverity: 'information',
  fixable: true,
  check({ document }) {
    const findings: Finding[] = [];
    const byStage = instructionsByStage(document);
    const parents = parentStages(document);
    const builtOn = new Set(parents.values());
    const shellInChain = shellsInChain(document, byStage, parents);
    for (const stage of document.stages) {
      if (stage.os !== 'windows' || !runsCmdByDefault(stage, shellInChain)) continue;
      const instructions = readAsBuildKit(document, byStage[stage.index]);
      const runs = instructions.filter((i) => i.keyword === 'RUN' && !isExecForm(i));
      const powershellRuns = runs.filter((i) => POWERSHELL_PREFIX.test(args(i)));
      if (powershellRuns.length < 2) continue;
      const first = powershellRuns[0];
      const word = POWERSHELL_PREFIX.exec(args(first))?.[0] ?? 'powershell';
      // A stage built on this one would inherit the SHELL.
      const edits = builtOn.has(stage) ? undefined : rewriteEdits(document, stage, instructions, runs);
      findings.push({
        range: logicalRange(document, first.logical, first.argsStart, first.argsStart + word.length),
        message:
          `${powershellRuns.length} RUN instructions in this stage start PowerShell through cmd, the default shell: cmd /S /C powershell … ` +
          `starts two programs for every RUN. A SHELL after the FROM runs them in PowerShell directly: ${CANONICAL_SHELL}`,
        // It changes the image's default shell too (images built FROM it), so it is not applied blindly.
        fixes: edits
          ? [
              {
                title: `Add a PowerShell SHELL after FROM and drop the ${powershellRuns.length} prefixes`,
                edits,
                preferred: false,
              },
            ]
          : [],
      });
    }
    return findings;
  },
};

function args(instruction: InstructionText): string {
  return instruction.logical.text.slice(instruction.argsStart);
}

function isExecForm(instruction: InstructionText): boolean {
  return parsesAsStringArray(args(instruction));
}

/**
 * Whether the stage's shell is cmd: no SHELL in it or in the stages it builds on, and the image
 * at the root is a Windows base image, or its old Docker Hub name (derived images such as the
 * .NET Framework SDK or SQL Server ones may set a SHELL of their own).
 */
function runsCmdByDefault(stage: Stage, shellInChain: readonly boolean[]): boolean {
  const { legacy } = stage.catalogue;
  const repository =
    stage.catalogue.repository ?? (legacy?.replacement ? findRepository(legacy.replacement) : undefined);
  if (!repository || (repository.kind !== 'base' && repository.kind !== 'insider')) return false;
  // Nano Server has no Windows PowerShell to switch to.
  if (repository.family === 'nanoserver') return false;
  return !shellInChain[stage.index];
}

/**
 * For each stage, whether it or a stage it builds on has a SHELL: in one pass, since a stage builds
 * only on earlier ones (walking each chain again was quadratic: 10,000 chained stages took seconds).
 */
function shellsInChain(
  document: ParsedDocument,
  byStage: readonly (readonly Instruction[])[],
  parents: ReadonlyMap<Stage, Stage>,
): boolean[] {
  const result: boolean[] = [];
  for (const stage of document.stages) {
    const parent = parents.get(stage);
    result[stage.index] =
      byStage[stage.index].some((i) => i.getKeyword().toUpperCase() === 'SHELL') ||
      (parent !== undefined && result[parent.index] === true);
  }
  return result;
}

/** Each stage built on an earlier named stage, mapped to that stage. */
function parentStages(document: ParsedDocument): Map<Stage, Stage> {
  const byName = new Map<string, Stage>();
  const parents = new Map<Stage, Stage>();
  for (const stage of document.stages) {
    const base = stage.from.getExpandedArguments()[0]?.getValue()?.toLowerCase();
    const parent = base ? byName.get(base) : undefined;
    if (parent) parents.set(stage, parent);
    if (stage.name) byName.set(stage.name, stage);
  }
  return parents;
}

/**
 * The SHELL insertion and the prefix removals, or `undefined` when the rewrite could change what
 * runs: another shell-form instruction in the stage (or ONBUILD), a prefix with other parameters,
 * or text that cmd interprets (`%VAR%`, `^`, and `&`, `|`, `<`, `>` outside
 * double quotes), which PowerShell would read differently.
 */
function rewriteEdits(
  document: ParsedDocument,
  stage: Stage,
  instructions: readonly InstructionText[],
  runs: readonly InstructionText[],
): TextEdit[] | undefined {
  if (instructions.some((i) => i.keyword === 'ONBUILD' || usesShell(i))) return undefined;
  const edits: TextEdit[] = [];
  for (const run of runs) {
    const text = args(run);
    const word = POWERSHELL_PREFIX.exec(text)?.[0];
    if (!word) return undefined;
    let end = skipBlanks(text, word.length);
    const parameter = COMMAND_PARAMETER.exec(text.slice(end))?.[0];
    if (parameter) end = skipBlanks(text, end + parameter.length);
    if (text[end] === '-' || !cmdLeavesAlone(text.slice(end))) return undefined;
    const from = run.logical.offsets[run.argsStart];
    let to = end < text.length ? run.logical.offsets[run.argsStart + end] : run.logical.end;
    // When the command starts on the next line, keep the continuation: `RUN powershell -Command \` becomes `RUN \`.
    if (to > findLineEnd(document.text, from)) to = run.logical.continuations.find((c) => c > from) ?? to;
    edits.push({ range: rangeOf(document, from, to), newText: '' });
  }
  edits.push(shellInsertion(document, stage.from));
  return edits;
}

/** A shell-form CMD, ENTRYPOINT or HEALTHCHECK CMD, which a SHELL would change. */
function usesShell(instruction: InstructionText): boolean {
  if (!['CMD', 'ENTRYPOINT', 'HEALTHCHECK'].includes(instruction.keyword)) return false;
  let text = args(instruction).trim();
  if (instruction.keyword === 'HEALTHCHECK') {
    if (/^NONE$/i.test(text)) return false;
    text = text.replace(/^CMD[ \t]+/i, '');
  }
  return !parsesAsStringArray(text);
}

function skipBlanks(text: string, i: number): number {
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return i;
}

/** cmd expands `%VAR%` even inside quotes and treats `^ & | < >` as its own outside them. */
function cmdLeavesAlone(command: string): boolean {
  let quoted = false;
  for (const c of command) {
    if (c === '"') quoted = !quoted;
    else if (c === '%') return false;
    else if (!quoted && '^&|<>'.includes(c)) return false;
  }
  return true;
}

function shellInsertion(document: ParsedDocument, from: Instruction): TextEdit {
  const lastLine = from.getRange().end.line;
  const eol = lineBreakOf(document.text);
  if (lastLine + 1 < document.lineOffsets.length) {
    const position = { line: lastLine + 1, character: 0 };
    return { range: { start: position, end: position }, newText: CANONICAL_SHELL + eol };
  }
  const position = positionAt(document, document.text.length);
  return { range: { start: position, end: position }, newText: eol + CANONICAL_SHELL + eol };
}
