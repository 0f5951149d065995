/**
 * The instructions of the Windows stages in build order, each with what is in effect before it:
 * the SHELL, the USER, and a few facts about earlier steps. A stage built on another stage
 * (`FROM build`) starts from that stage's state, as the image config carries SHELL, USER and ENV
 * over. Also the commands a RUN, CMD or ENTRYPOINT runs, for cmd and PowerShell, with nested
 * `powershell -Command ...` and `cmd /c ...` command lines. Shared by the rules about what a
 * Windows stage can run; computed once per parsed document.
 */
import { Env, Instruction, Run } from 'dockerfile-ast';
import type { Position } from 'vscode-languageserver-types';
import type { ParsedDocument } from './document';
import { perDocument } from './perDocument';
import type { Stage } from './stages';
import { positionAt } from './instructionText';
import {
  commandWordIndex,
  Commands,
  joinInstructionLines,
  parseJsonArray,
  programName,
  ScriptText,
  splitCommands,
  textOfWords,
  withoutExe,
  Word,
} from './shellScript';

export type ShellKind = 'cmd' | 'powershell' | 'pwsh' | 'other';

export interface ShellInEffect {
  readonly kind: ShellKind;
  /** The SHELL instruction that set it; undefined when the image's default shell applies (cmd for Windows images). */
  readonly instruction?: Instruction;
}

export interface StepState {
  readonly shell: ShellInEffect;
  /** The USER in effect: undefined for the image's default user, null when it is a variable. */
  readonly user: string | null | undefined;
  /** An earlier ENV of the stage (or of a stage it builds on) set PATH. */
  readonly pathSetByEnv: boolean;
  /** An earlier RUN added a Feature on Demand (`DISM /Add-Capability`, `Add-WindowsCapability`). */
  readonly addedCapability: boolean;
  /** An earlier COPY or ADD brought PowerShell in (its text names powershell or pwsh). */
  readonly broughtPowerShell: boolean;
  /** An earlier step may have installed pwsh: a COPY or ADD that names PowerShell, a RUN that names pwsh or a PowerShell release (`PowerShell-7.4.6-win-x64.zip`). */
  readonly mayHavePwsh: boolean;
  /** An earlier step mentions a POSIX tool set (busybox, MSYS2, Cygwin, Git's usr\bin). */
  readonly posixTools: boolean;
}

export interface WindowsStep {
  readonly instruction: Instruction;
  readonly keyword: string;
  readonly stage: Stage;
  /** What is in effect just before this instruction. */
  readonly state: StepState;
}

const INITIAL: StepState = {
  shell: { kind: 'cmd' },
  user: undefined,
  pathSetByEnv: false,
  addedCapability: false,
  broughtPowerShell: false,
  mayHavePwsh: false,
  posixTools: false,
};

const POSIX_TOOLS = /busybox|msys|cygwin|usr[\\/]+bin|git-for-windows|mingit|bash\.exe/i;

/** Every instruction of the Windows stages, in order, with the state before it. Computed once per parsed document: do not modify. */
export const windowsSteps: (document: ParsedDocument) => readonly WindowsStep[] = perDocument(findWindowsSteps);

function findWindowsSteps(document: ParsedDocument): WindowsStep[] {
  const steps: WindowsStep[] = [];
  const finalState = new Map<string, StepState>();
  const stages = document.stages;
  const instructions = document.dockerfile.getInstructions();
  let next = 0;
  for (const stage of stages) {
    const startLine = stage.from.getRange().start.line;
    const following = stages[stage.index + 1];
    const endLine = following ? following.from.getRange().start.line : Number.MAX_SAFE_INTEGER;
    const parentName = stage.image ? undefined : stage.from.getExpandedArguments()[0]?.getValue().toLowerCase();
    let state = (parentName !== undefined ? finalState.get(parentName) : undefined) ?? INITIAL;
    while (next < instructions.length && instructions[next].getRange().start.line < startLine) next++;
    for (; next < instructions.length && instructions[next].getRange().start.line < endLine; next++) {
      const instruction = instructions[next];
      if (instruction === stage.from) continue;
      const keyword = instruction.getKeyword();
      if (stage.os === 'windows') steps.push({ instruction, keyword, stage, state });
      state = advance(document, state, instruction, keyword);
    }
    if (stage.name) finalState.set(stage.name, state);
  }
  return steps;
}

function advance(document: ParsedDocument, state: StepState, instruction: Instruction, keyword: string): StepState {
  switch (keyword) {
    case 'SHELL': {
      const words = parseJsonArray(instructionText(document, instruction).text) ?? [];
      return { ...state, shell: { kind: shellKind(words[0]?.value ?? ''), instruction } };
    }
    case 'USER': {
      const raw = instruction.getArgumentsContent() ?? '';
      return { ...state, user: raw.includes('$') ? null : raw.trim() };
    }
    case 'ENV': {
      const properties = instruction instanceof Env ? instruction.getProperties() : [];
      return properties.some((p) => p.getName().toLowerCase() === 'path') ? { ...state, pathSetByEnv: true } : state;
    }
    case 'RUN':
    case 'COPY':
    case 'ADD': {
      const text = instructionText(document, instruction).text;
      const changes: Partial<{ -readonly [K in keyof StepState]: StepState[K] }> = {};
      if (keyword === 'RUN' && /add-capability|add-windowscapability/i.test(text)) changes.addedCapability = true;
      if (keyword !== 'RUN' && /powershell|pwsh/i.test(text)) {
        changes.broughtPowerShell = true;
        changes.mayHavePwsh = true;
      }
      if (keyword === 'RUN' && /pwsh|powershell-\d/i.test(text)) changes.mayHavePwsh = true;
      if (POSIX_TOOLS.test(text)) changes.posixTools = true;
      return Object.keys(changes).length > 0 ? { ...state, ...changes } : state;
    }
    default:
      return state;
  }
}

/** What a SHELL or exec-form executable is: cmd, Windows PowerShell, PowerShell 7, or something else. */
export function shellKind(executable: string): ShellKind {
  const name = withoutExe(programName(executable));
  if (name === 'cmd') return 'cmd';
  if (name === 'powershell') return 'powershell';
  if (name === 'pwsh') return 'pwsh';
  return 'other';
}

const textOfInstruction = new WeakMap<Instruction, ScriptText>();

/**
 * The text of an instruction's arguments (after its flags), continuation lines joined as BuildKit
 * joins them. Computed once per instruction of a parsed document (the steps and several rules ask).
 */
export function instructionText(document: ParsedDocument, instruction: Instruction): ScriptText {
  let text = textOfInstruction.get(instruction);
  if (!text) {
    text = joinArguments(document, instruction);
    textOfInstruction.set(instruction, text);
  }
  return text;
}

function joinArguments(document: ParsedDocument, instruction: Instruction): ScriptText {
  const args = instruction.getArguments();
  const end = document.offsetAt(instruction.getRange().end);
  const start = args.length > 0 ? document.offsetAt(args[0].getRange().start) : end;
  return joinInstructionLines(document.text, start, end, document.escapeChar);
}

/** Where a command is run, and by what: a shell (cmd, Windows PowerShell, pwsh) or the exec form itself. */
export type CommandDialect = 'cmd' | 'powershell' | 'pwsh' | 'exec';

/** A command line of a step, split into simple commands. */
export interface CommandLine {
  readonly dialect: CommandDialect;
  readonly script: ScriptText;
  readonly commands: Commands;
  /** True for a command line nested in another (`powershell -Command ...`, `cmd /c ...`, an exec form's script). */
  readonly nested: boolean;
}

/** How RUN, CMD or ENTRYPOINT is written. */
export type CommandForm =
  { form: 'exec'; script: ScriptText; argv: Word[] } | { form: 'shell'; script: ScriptText } | { form: 'heredoc' };

export function commandForm(document: ParsedDocument, instruction: Instruction): CommandForm | undefined {
  if (instruction instanceof Run && instruction.getHeredocs().length > 0) return { form: 'heredoc' };
  if (instruction.getArguments().length === 0) return undefined;
  const script = instructionText(document, instruction);
  const argv = parseJsonArray(script.text);
  return argv ? { form: 'exec', script, argv } : { form: 'shell', script };
}

/**
 * The command lines a RUN, CMD or ENTRYPOINT runs: its own (under the shell in effect, or the
 * exec form's argv), then the ones nested in it. Shell form under a shell other than cmd or
 * PowerShell, and heredocs, give nothing: they are not read.
 */
export function commandLines(document: ParsedDocument, step: WindowsStep): CommandLine[] {
  let lines = linesOfStep.get(step);
  if (!lines) {
    lines = readCommandLines(document, step);
    linesOfStep.set(step, lines);
  }
  return lines;
}

const linesOfStep = new WeakMap<WindowsStep, CommandLine[]>();

function readCommandLines(document: ParsedDocument, step: WindowsStep): CommandLine[] {
  const form = commandForm(document, step.instruction);
  if (!form || form.form === 'heredoc') return [];
  const lines: CommandLine[] = [];
  if (form.form === 'exec') {
    lines.push({
      dialect: 'exec',
      script: form.script,
      commands: { segments: [form.argv], operators: [] },
      nested: false,
    });
    addNested(form.script, form.argv, lines, 0);
    return lines;
  }
  const kind = step.state.shell.kind;
  if (kind === 'other') return [];
  addLine(form.script, kind, false, lines, 0);
  return lines;
}

function addLine(
  script: ScriptText,
  dialect: Exclude<CommandDialect, 'exec'>,
  nested: boolean,
  lines: CommandLine[],
  depth: number,
): void {
  const commands = splitCommands(script.text, dialect === 'cmd' ? 'cmd' : 'powershell');
  lines.push({ dialect, script, commands, nested });
  if (depth >= 2) return;
  for (const words of commands.segments)
    addNested(script, words.slice(commandWordIndex(words, dialect === 'cmd' ? 'cmd' : 'powershell')), lines, depth + 1);
}

/** `powershell [-options] -Command <script>`, `pwsh ... <script>`, `cmd /S /C <script>`: the nested script. */
function addNested(script: ScriptText, words: readonly Word[], lines: CommandLine[], depth: number): void {
  if (words.length < 2) return;
  const kind = shellKind(words[0].value);
  if (kind === 'cmd') {
    const c = words.findIndex((w, i) => i > 0 && /^\/[ck]$/i.test(w.value));
    if (c > 0 && c + 1 < words.length) addLine(textOfWords(script, words.slice(c + 1)), 'cmd', true, lines, depth);
    return;
  }
  if (kind !== 'powershell' && kind !== 'pwsh') return;
  const rest = powershellScriptWords(words.slice(1), kind);
  if (rest.length > 0) addLine(textOfWords(script, rest), kind, true, lines, depth);
}

// powershell.exe and pwsh parameters that take a value (`-ExecutionPolicy Bypass`); any unambiguous prefix is accepted.
const VALUED = [
  'executionpolicy',
  'inputformat',
  'outputformat',
  'windowstyle',
  'version',
  'configurationname',
  'workingdirectory',
  'psconsolefile',
  'settingsfile',
  'custompipename',
];
const VALUED_ALIASES = new Set(['ep', 'ex', 'if', 'of', 'w', 'v', 'wd', 'config']);

function takesValue(name: string): boolean {
  return VALUED_ALIASES.has(name) || (name.length >= 2 && VALUED.some((p) => p.startsWith(name)));
}

/**
 * The words PowerShell runs as its command: those after `-Command`/`-c`; for Windows PowerShell
 * also from the first word that is not a parameter (pwsh takes that word as a script file). None
 * for `-File` and `-EncodedCommand`.
 */
function powershellScriptWords(args: readonly Word[], kind: 'powershell' | 'pwsh'): readonly Word[] {
  for (let i = 0; i < args.length; i++) {
    const v = args[i].value;
    if (!v.startsWith('-') && !v.startsWith('/')) return kind === 'powershell' ? args.slice(i) : [];
    const name = v.replace(/^[-/]+/, '').toLowerCase();
    if (name === '') return args.slice(i + 1);
    if ('command'.startsWith(name)) return args.slice(i + 1);
    if ('file'.startsWith(name) || name.startsWith('enc') || name === 'e' || name === 'ec') return [];
    if (takesValue(name)) i++;
  }
  return [];
}

/**
 * The command word of a simple command, and its arguments. In PowerShell a quoted first word is a
 * string expression (`$('a.msi' -f $v)`), not a command, unless `&` or `.` calls it.
 */
export function commandOf(
  words: readonly Word[],
  dialect: CommandDialect,
): { word: Word; name: string; args: readonly Word[] } | undefined {
  const index = dialect === 'exec' ? 0 : commandWordIndex(words, dialect === 'cmd' ? 'cmd' : 'powershell');
  const word = words[index];
  if (!word) return undefined;
  if ((dialect === 'powershell' || dialect === 'pwsh') && word.quoted && !word.called && index === 0) return undefined;
  return { word, name: programName(word.value), args: words.slice(index + 1) };
}

/** The document range of indices `start`..`end` of a script. */
export function scriptRange(
  document: ParsedDocument,
  script: ScriptText,
  start: number,
  end: number,
): { start: Position; end: Position } {
  const from = script.offsetAt(start);
  const to = Math.max(from, end > start ? script.offsetAt(end - 1) + 1 : from);
  return { start: positionAt(document, from), end: positionAt(document, to) };
}

export { positionAt };
