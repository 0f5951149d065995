/**
 * Fixes of dockerfile-ast 0.7.1, dockerfile-utils 0.16.3 and dockerfile-language-service 0.16.1
 * bugs that the fuzzer found (test/fixtures-fuzz/, see its README), installed once on their classes
 * by `installUpstreamFixes()` (through `installLibraryPatches()`, index.ts), so every instance has
 * them: ours, and the ones the libraries make. Loading this module changes nothing. Each bug, with
 * a minimal input and the upstream file, is in this folder's README.md.
 *
 * dockerfile-ast: `Dockerfile.getContainingImage(position)` answers the stage a position is in; for a position
 * outside every stage it answers the Dockerfile itself. The instructions before the first FROM
 * form a stage whose range starts at the first instruction's first character, so for an indented
 * instruction there (` RUN echo $HOME`, or one after a BOM) the line's start `{ line, 0 }` is in no
 * stage. `resolveVariable(variable, line)` and `getAvailableVariables(line)` ask
 * `getContainingImage({ line, character: 0 })` and then call themselves on the answer: on the
 * Dockerfile itself they recurse until the stack overflows, and every feature resolves variables
 * (validation, hover, completion, semantic tokens, rename, ...), so all of them failed.
 *
 * 1. `getContainingImage` answers the instructions before the first FROM for any position on
 *    their lines, as it does for the same lines without indentation.
 * 2. `resolveVariable` and `getAvailableVariables` never call themselves on the Dockerfile (for
 *    any position 1. leaves outside every stage): where upstream would, they answer "unknown"
 *    (`undefined`, `[]`).
 */
import { DockerfileParser, Instruction, Onbuild } from 'dockerfile-ast';
import { Parser } from 'dockerfile-ast/lib/parser';
import { DockerSemanticTokens } from 'dockerfile-language-service/lib/dockerSemanticTokens';
import { Validator } from 'dockerfile-utils/lib/dockerValidator';
import { Position, Range } from 'vscode-languageserver-types';

interface ImageTemplateInternals {
  getRange(): Range;
  getComments(): unknown[];
  getInstructions(): unknown[];
}

interface DockerfileInternals {
  getContainingImage(position: Position): unknown;
  resolveVariable(variable: string, line: number): string | null | undefined;
  getAvailableVariables(line: number): string[];
  /** The instructions before the first FROM (an ImageTemplate). */
  readonly initialInstructions: ImageTemplateInternals;
}

const prototype = Object.getPrototypeOf(DockerfileParser.parse('')) as DockerfileInternals;
const { getContainingImage, resolveVariable, getAvailableVariables } = prototype;

const fixedGetContainingImage = function (this: DockerfileInternals, position: Position) {
  const image = getContainingImage.call(this, position);
  if (image !== this || !position || typeof position.line !== 'number') return image;
  const initial = this.initialInstructions;
  if (initial.getInstructions().length === 0 && initial.getComments().length === 0) return image;
  const range = initial.getRange();
  return range.start.line <= position.line && position.line <= range.end.line ? initial : image;
};

/**
 * Neither method calls itself on the same Dockerfile except through that answer (they call the
 * stage's own method, an ImageTemplate's), so a call made while one is in progress is the
 * endless recursion: it answers "unknown" instead.
 */
function withoutRecursion<A extends unknown[], R>(
  method: (this: DockerfileInternals, ...args: A) => R,
  unknown: () => R,
) {
  const inProgress = new WeakSet<object>();
  return function (this: DockerfileInternals, ...args: A): R {
    if (inProgress.has(this)) return unknown();
    inProgress.add(this);
    try {
      return method.apply(this, args);
    } finally {
      inProgress.delete(this);
    }
  };
}

const fixedResolveVariable = withoutRecursion(resolveVariable, () => undefined);
const fixedGetAvailableVariables = withoutRecursion(getAvailableVariables, () => []);

/**
 * dockerfile-language-service: `DockerSemanticTokens.createToken` splits a token that spans lines
 * at its escaped line breaks and calls itself on the rest; for some texts (an escaped line break,
 * a comment line, an empty line: `RUN a \\`, `#`, ``, `b`) the rest is the whole token again, and
 * it recurses until the stack overflows. A call on exactly the arguments of a call in progress
 * can only repeat it, so it is skipped: that part of the line gets no token.
 */
interface SemanticTokensInternals {
  createToken(
    instruction: unknown,
    range: Range,
    tokenType: string,
    tokenModifiers?: readonly string[],
    checkVariables?: boolean,
    checkStrings?: boolean,
    checkNewline?: boolean,
  ): void;
}

const tokensPrototype = DockerSemanticTokens.prototype as unknown as SemanticTokensInternals;
const createToken = tokensPrototype.createToken;

/**
 * The calls in progress per DockerSemanticTokens instance (outermost first, one or two deep): the
 * range's four numbers as they were at the call, then the other arguments with upstream's defaults
 * applied. Plain arrays: no object per token.
 */
interface CallStack {
  /** How many calls are in progress. */
  depth: number;
  numbers: number[];
  others: unknown[];
}
const inProgress = new WeakMap<object, CallStack>();
const NONE: readonly string[] = [];

function sameModifiers(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const fixedCreateToken = function (
  this: SemanticTokensInternals,
  instruction: unknown,
  range: Range,
  tokenType: string,
  tokenModifiers: readonly string[] = NONE,
  checkVariables = true,
  checkStrings = false,
  checkNewline = true,
) {
  let stack = inProgress.get(this);
  if (!stack) inProgress.set(this, (stack = { depth: 0, numbers: [], others: [] }));
  const { numbers, others } = stack;
  const sl = range.start.line;
  const sc = range.start.character;
  const el = range.end.line;
  const ec = range.end.character;
  // Only a nested call can repeat one in progress; the outermost call (most of them) compares nothing.
  for (let i = 0, j = 0; i < 4 * stack.depth; i += 4, j += 5) {
    if (
      numbers[i] === sl &&
      numbers[i + 1] === sc &&
      numbers[i + 2] === el &&
      numbers[i + 3] === ec &&
      others[j] === tokenType &&
      sameModifiers(others[j + 1] as readonly string[], tokenModifiers) &&
      others[j + 2] === checkVariables &&
      others[j + 3] === checkStrings &&
      others[j + 4] === checkNewline
    ) {
      return;
    }
  }
  // The slots of this depth are overwritten, never removed (changing an array's length is slow).
  const i = 4 * stack.depth;
  const j = 5 * stack.depth;
  numbers[i] = sl;
  numbers[i + 1] = sc;
  numbers[i + 2] = el;
  numbers[i + 3] = ec;
  others[j] = tokenType;
  others[j + 1] = tokenModifiers;
  others[j + 2] = checkVariables;
  others[j + 3] = checkStrings;
  others[j + 4] = checkNewline;
  stack.depth++;
  try {
    createToken.call(
      this,
      instruction,
      range,
      tokenType,
      tokenModifiers as string[],
      checkVariables,
      checkStrings,
      checkNewline,
    );
  } finally {
    stack.depth--;
  }
};

/**
 * dockerfile-utils: the validator checks a build stage name (`FROM image AS <name>`) with
 * `/^[a-z]([a-z0-9_\-.]*)*$/`, whose nested quantifier backtracks exponentially when the name does
 * not match (time doubling with each character; docs/reliability.md has the figures), and the
 * language server answers nothing meanwhile (`FROM image AS my-build-stage-for-nano/` as one types it). A name
 * that `/^[a-z][a-z0-9_\-.]*$/` (the same language, in linear time) rejects gets upstream's own
 * diagnostic without upstream's regex; every other argument goes to upstream's check unchanged.
 */
const STAGE_NAME = /^[a-z][a-z0-9_\-.]*$/;

type CheckArgument = (index: number, argument: string, range: Range) => unknown;

interface ValidatorInternals {
  checkArguments(
    instruction: { getKeyword(): string; getInstructionRange(): Range },
    problems: unknown[],
    expected: number[],
    validate: CheckArgument,
    ...rest: unknown[]
  ): void;
}

const validatorClass = Validator as unknown as {
  prototype: ValidatorInternals;
  createInvalidBuildStageName(line: number, range: Range, name: string): unknown;
};
const checkArguments = validatorClass.prototype.checkArguments;

const fixedCheckArguments: ValidatorInternals['checkArguments'] = function (
  this: ValidatorInternals,
  instruction,
  problems,
  expected,
  validate,
  ...rest
) {
  if (instruction.getKeyword() !== 'FROM')
    return checkArguments.call(this, instruction, problems, expected, validate, ...rest);
  const line = instruction.getInstructionRange().start.line;
  const checked: CheckArgument = (index, argument, range) =>
    index === 2 && !STAGE_NAME.test(argument.toLowerCase())
      ? validatorClass.createInvalidBuildStageName(line, range, argument.toLowerCase())
      : validate(index, argument, range);
  return checkArguments.call(this, instruction, problems, expected, checked, ...rest);
};

/**
 * dockerfile-ast: `Onbuild.getTriggerInstruction()` parses the rest of the instruction as a new
 * one, so `ONBUILD ONBUILD ONBUILD ...` nests one level per word, and every feature that walks
 * the triggers (semantic tokens, hover, completion) rescans the rest at each level: quadratic in
 * the number of words (found by the fuzzer; docs/reliability.md). Docker refuses an ONBUILD trigger
 * ("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed", which dockerfile-utils reports), so
 * the trigger of an inner ONBUILD is its first word alone: two levels at most, in linear time.
 */
interface OnbuildInternals {
  readonly document: Parameters<typeof Parser.createInstruction>[0];
  readonly dockerfile: Parameters<typeof Parser.createInstruction>[1];
  readonly escapeChar: string;
  getTriggerRange(): Range | null;
  getTriggerWord(): string;
}

const innerOnbuilds = new WeakSet<object>();
const getTriggerInstruction = Onbuild.prototype.getTriggerInstruction;

const fixedGetTriggerInstruction = function (this: Onbuild) {
  if (innerOnbuilds.has(this)) {
    const inner = this as unknown as OnbuildInternals;
    const range = inner.getTriggerRange();
    return (
      range &&
      Parser.createInstruction(inner.document, inner.dockerfile, inner.escapeChar, range, inner.getTriggerWord(), range)
    );
  }
  const trigger = getTriggerInstruction.call(this);
  if (trigger instanceof Onbuild) innerOnbuilds.add(trigger);
  return trigger;
};

/**
 * dockerfile-ast: `Instruction.getHeredocs()` (behind `Run`/`Copy.getHeredocs()`, which
 * validation, the formatter, rename, definition, highlights and the Windows rules call) walks the
 * instruction's lines and, at each line that ends a heredoc, takes the next argument that starts
 * with `<<` as its definition, without checking that there is one or that it names a heredoc. Every
 * shape where the lines it reads as delimiters outnumber those arguments reads past the end of the
 * list: a TypeError. Found by the fuzzer and the hostile probe: `RUN a \` then `\# x` (an escaped
 * line start taken for the end of the first line); `RUN <<--` then `--`; `RUN <<--` then `--`, `<<`
 * (the `<<` line is taken for a second delimiter). The fix is for all such shapes: no `<<` argument, no heredocs (as before); and when
 * the walk fails anyway, the heredocs its arguments name, without content, which is what it answers
 * for an instruction on one line (heredocs not closed), never a failure.
 */
interface HeredocInternals {
  getArguments(): { getValue(): string }[];
  getHeredocs(): unknown[];
  createSingleLineHeredocs(args: unknown[]): unknown[];
}

const instructionPrototype = Instruction.prototype as unknown as HeredocInternals;
const getHeredocs = instructionPrototype.getHeredocs;

const fixedGetHeredocs = function (this: HeredocInternals) {
  const args = this.getArguments();
  if (!args.some((argument) => argument.getValue().startsWith('<<'))) return [];
  try {
    return getHeredocs.call(this);
  } catch {
    try {
      return this.createSingleLineHeredocs(args);
    } catch {
      return [];
    }
  }
};

let installed = false;

/** Puts the fixes above on the libraries' classes; once per process (later calls change nothing). */
export function installUpstreamFixes(): void {
  if (installed) return;
  installed = true;
  prototype.getContainingImage = fixedGetContainingImage;
  prototype.resolveVariable = fixedResolveVariable;
  prototype.getAvailableVariables = fixedGetAvailableVariables;
  tokensPrototype.createToken = fixedCreateToken;
  validatorClass.prototype.checkArguments = fixedCheckArguments;
  Onbuild.prototype.getTriggerInstruction = fixedGetTriggerInstruction;
  instructionPrototype.getHeredocs = fixedGetHeredocs;
}
