/**
 * The PowerShell SHELL instructions of Windows stages and where a preference statement goes in
 * them. With SHELL ["powershell", "-Command", "<prefix>"], Docker appends each shell-form RUN to
 * the array, and PowerShell joins every argument after -Command into one script, so the prefix
 * runs before every RUN (Dockerfile reference, SHELL). Windows PowerShell takes a first argument
 * that is not a parameter as the command; pwsh takes it as a script file (`-File` is its default),
 * so pwsh needs -Command spelled out.
 */
import type { Instruction } from 'dockerfile-ast';
import type { TextEdit } from 'vscode-languageserver-types';
import type { ParsedDocument } from './document';
import { perDocument } from './perDocument';
import type { Stage } from './stages';
import { execForm } from './execForm';
import { instructionsByStage, positionAt } from './instructionText';
import { commandForm, instructionText, WindowsStep, windowsSteps } from './windowsSteps';

export type PowerShellEdition = 'powershell' | 'pwsh';

export interface PowerShellShell {
  readonly instruction: Instruction;
  readonly stage: Stage;
  readonly edition: PowerShellEdition;
  /** The array's strings, decoded, with the document offsets of each literal (quotes included). */
  readonly elements: readonly { readonly value: string; readonly start: number; readonly end: number }[];
  /** Index of the first element of the command (after -Command, or the first non-parameter for powershell). */
  readonly commandStart?: number;
  /** Whether a -Command parameter is present. */
  readonly hasCommandParameter: boolean;
  /** The decoded command text (all elements of the command, joined with blanks). */
  readonly command: string;
}

/** Every SHELL of a Windows stage that runs Windows PowerShell or pwsh with a command (not -File). Computed once per parsed document (two rules ask): do not modify. */
export const powerShellShells: (document: ParsedDocument) => readonly PowerShellShell[] =
  perDocument(findPowerShellShells);

function findPowerShellShells(document: ParsedDocument): PowerShellShell[] {
  const result: PowerShellShell[] = [];
  instructionsByStage(document).forEach((instructions, index) => {
    const stage = document.stages[index];
    if (stage.os !== 'windows') return;
    for (const instruction of instructions) {
      if (instruction.getKeyword().toUpperCase() !== 'SHELL') continue;
      const shell = readShell(document, instruction, stage);
      if (shell) result.push(shell);
    }
  });
  return result;
}

function readShell(document: ParsedDocument, instruction: Instruction, stage: Stage): PowerShellShell | undefined {
  const exec = execForm(document, instruction);
  if (!exec || exec.values.length === 0) return undefined;
  const values = exec.values;
  const executable = values[0]
    .split(/[\\/]/)
    .pop()
    ?.toLowerCase()
    .replace(/\.exe$/, '');
  if (executable !== 'powershell' && executable !== 'pwsh') return undefined;
  const elements = exec.strings;
  let commandStart: number | undefined;
  let hasCommandParameter = false;
  for (let i = 1; i < values.length; i++) {
    const value = values[i];
    if (/^[-/]c(o(m(m(a(n(d)?)?)?)?)?)?$/i.test(value)) {
      hasCommandParameter = true;
      commandStart = i + 1 < values.length ? i + 1 : undefined;
      break;
    }
    // -File, -EncodedCommand: the RUN text is not a command there; leave such shells alone.
    if (/^[-/](f|fi|fil|file|e|ec|en|enc|enco|encod|encode|encoded|encodedc|encodedcommand)$/i.test(value))
      return undefined;
    if (!value.startsWith('-') && !value.startsWith('/')) {
      if (executable === 'pwsh') return undefined;
      commandStart = i;
      break;
    }
  }
  const command = commandStart === undefined ? '' : values.slice(commandStart).join(' ');
  return { instruction, stage, edition: executable, elements, commandStart, hasCommandParameter, command };
}

/** Whether the command assigns the preference variable (`$ErrorActionPreference = ...`, any case). */
export function assignsPreference(command: string, variable: string): boolean {
  return new RegExp(`\\$${variable}\\s*=`, 'i').test(command);
}

/**
 * The edit that adds `statement` to the SHELL: at the start of the command (`first`) or at its end,
 * inside the existing command string; as a new string after the last element when there is no
 * command yet (after a new "-Command" for pwsh, which would read a bare string as a file).
 * Statements contain no `"` or `\`, so they need no JSON escaping.
 */
export function preferenceEdit(
  document: ParsedDocument,
  shell: PowerShellShell,
  statement: string,
  where: 'first' | 'last',
): TextEdit {
  const at = (offset: number, newText: string): TextEdit => {
    const position = positionAt(document, offset);
    return { range: { start: position, end: position }, newText };
  };
  if (shell.commandStart !== undefined) {
    if (where === 'first') {
      const element = shell.elements[shell.commandStart];
      return at(element.start + 1, element.value.trim() === '' ? statement : `${statement} `);
    }
    const element = shell.elements[shell.elements.length - 1];
    const value = element.value.trimEnd();
    const separator = value === '' ? '' : value.endsWith(';') ? ' ' : '; ';
    return at(element.end - 1, `${separator}${statement}`);
  }
  const last = shell.elements[shell.elements.length - 1];
  const prefix = shell.edition === 'pwsh' && !shell.hasCommandParameter ? ', "-Command"' : '';
  return at(last.end, `${prefix}, "${statement}"`);
}

/**
 * The steps of a SHELL's stage that run under it: shell-form (and heredoc) RUN, CMD and ENTRYPOINT
 * after it, up to the next SHELL. Exec-form steps do not use the SHELL. Stages built on this one
 * (`FROM <stage>` carries the SHELL over) are not read. Computed once per document.
 */
const stepsUnderShells = perDocument((document: ParsedDocument) => {
  const under = new Map<Instruction, WindowsStep[]>();
  const stageOf = new Map<Instruction, Stage>();
  for (const step of windowsSteps(document)) {
    if (step.keyword === 'SHELL') stageOf.set(step.instruction, step.stage);
    const shell = step.state.shell.instruction;
    if (
      !shell ||
      stageOf.get(shell) !== step.stage ||
      (step.keyword !== 'RUN' && step.keyword !== 'CMD' && step.keyword !== 'ENTRYPOINT')
    )
      continue;
    const form = commandForm(document, step.instruction)?.form;
    if (form !== 'shell' && form !== 'heredoc') continue;
    const steps = under.get(shell);
    if (steps) steps.push(step);
    else under.set(shell, [step]);
  }
  return under;
});

export function stepsUnderShell(document: ParsedDocument, shell: Instruction): readonly WindowsStep[] {
  return stepsUnderShells(document).get(shell) ?? [];
}

/** Windows PowerShell's download and archive commands (`curl` and `wget` are aliases of Invoke-WebRequest in 5.1). */
const DOWNLOADS =
  /(^|[^\w-])(invoke-webrequest|iwr|invoke-restmethod|irm|start-bitstransfer|expand-archive|compress-archive|curl|wget)(?![\w-])/i;

/** Whether a step's script downloads or extracts (where PowerShell's progress display costs time). */
export function downloads(document: ParsedDocument, step: WindowsStep): boolean {
  return DOWNLOADS.test(instructionText(document, step.instruction).text);
}
