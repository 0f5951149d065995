/**
 * Linear-time answers to the dockerfile-ast 0.7.1 queries that scan the whole tree on every call,
 * for the trees the service parses once per document version and never changes afterwards.
 *
 * dockerfile-ast recomputes these from scratch each time, and dockerfile-utils' validator, the
 * language service's features and our rules call them once per instruction or per variable:
 * - `Dockerfile.getFROMs()` filters every instruction;
 * - `Dockerfile.resolveVariable(name, line)` calls `getFROMs()` and rebuilds the initial ARG
 *   scope, for every `$VAR` of every instruction (so a file of many `FROM image:$TAG` stages is
 *   quadratic);
 * - `Dockerfile.getContainingImage(position)` computes the range of every build stage (and
 *   `resolveVariable` asks it for every variable);
 * - `Instruction.getRawArguments()` (behind `getArguments()`, `getVariables()`, `getImageName()`,
 *   ...) re-tokenizes the instruction's text, converting offsets to positions each time;
 * - `Instruction.getVariables()` re-reads every argument for `$` references (the semantic tokens
 *   ask once per token);
 * - `Instruction.parseVariables()` (behind `getVariables()` and `getExpandedArguments()`) walks
 *   an argument character by character even when it has no `$`, and so no variable.
 *
 * Each is replaced by a version that answers what the original answers: memoized on the one tree
 * instance after parsing, except `getRawArguments`, which depends on nothing but the instruction
 * itself and is cached on the class, so the parser's own calls are cached too, and
 * `parseVariables`, which answers at once when there is no `$`. Where the original
 * returns fresh objects that callers modify, so does the replacement: `getFROMs()` and
 * `getRawArguments()` arrays are modified by `ModifiableInstruction.getArguments()` and
 * `Instruction.getExpandedArguments()`; `From.getImageNameRange()` and `getRegistryRange()` assign
 * to the `start`/`end` of the first argument's range; the semantic tokens assign to the `end` of a
 * variable's range. Nothing modifies the tree itself once parsed (the service, dockerfile-utils and
 * the language service features it shares the tree with, see upstreamParse.ts), which is what
 * makes the answers cacheable. test/unit/sharedParse.test.ts compares every answer with the
 * original's.
 */
import {
  Argument,
  Comment,
  Dockerfile,
  DockerfileParser,
  Flag,
  ImageTemplate,
  Instruction,
  ModifiableInstruction,
  Variable,
} from 'dockerfile-ast';
import { ImageTemplate as ImageTemplateClass } from 'dockerfile-ast/lib/imageTemplate';
import { Parser } from 'dockerfile-ast/lib/parser';
import type { Position, Range } from 'vscode-languageserver-types';

/** `Instruction.getRawArguments` is private in the typings; it is what `getArguments()` calls. */
interface RawArguments {
  getRawArguments(this: Cached): Argument[];
}

export function memoizeTreeQueries(dockerfile: Dockerfile): void {
  const froms = dockerfile.getFROMs();
  dockerfile.getFROMs = () => froms.slice();

  const getContainingImage = dockerfile.getContainingImage.bind(dockerfile);
  // The build stages' ranges are disjoint and in order: a binary search finds the one stage that
  // contains a position, which is what dockerfile-ast's scan of every stage answers. Positions in
  // no stage (before the first FROM, between stages, outside the document) get the original's answer.
  const stages = (dockerfile as unknown as { buildStages: ImageTemplate[] }).buildStages ?? [];
  const ranges = stages.map((stage) => stage.getRange());
  // (Checked rather than assumed: the fast path only when every range is there and they are in order.)
  const ordered = ranges.every(
    (range, i) =>
      range !== null &&
      compare(range.start, range.end) <= 0 &&
      (i === 0 || compare(ranges[i - 1]!.end, range.start) < 0),
  );
  const stageRanges = ordered ? (ranges as Range[]) : [];
  const images = new Map<string, ImageTemplate | null>();
  dockerfile.getContainingImage = (position: Position) => {
    const stage = stageContaining(stageRanges, position);
    if (stage >= 0) return stages[stage];
    const key = `${position.line}:${position.character}`;
    let image = images.get(key);
    if (image === undefined) {
      image = getContainingImage(position);
      images.set(key, image);
    }
    return image;
  };

  // dockerfile-ast's resolveVariable, step for step, without its scan of every FROM per call:
  // on a FROM's lines the variable resolves against the ARGs before the first FROM; elsewhere in
  // the stage (or the instructions before the first FROM) that contains the line, then against
  // those ARGs when the stage declares it without a value. A line in no stage (or outside the
  // document) goes to the original, with the fixes of upstreamFixes.ts.
  const resolveVariable = dockerfile.resolveVariable.bind(dockerfile);
  const fromLines = new Set<number>();
  for (const from of froms) {
    const range = from.getRange();
    for (let line = range.start.line; line <= range.end.line; line++) fromLines.add(line);
  }
  const initialArgs = new ImageTemplateClass();
  for (const arg of dockerfile.getInitialARGs()) initialArgs.addInstruction(arg);
  const resolved = new Map<string, string | null | undefined>();
  dockerfile.resolveVariable = (variable: string, line: number) => {
    const key = `${line}\u0000${variable}`;
    if (resolved.has(key)) return resolved.get(key);
    let value: string | null | undefined;
    if (fromLines.has(line)) {
      value = initialArgs.resolveVariable(variable, line);
    } else {
      const image = typeof line === 'number' ? dockerfile.getContainingImage({ line, character: 0 }) : null;
      if (image !== null && image !== dockerfile) {
        value = (image as unknown as ImageTemplateClass).resolveVariable(variable, line);
        if (value === null) value = initialArgs.resolveVariable(variable, line);
      } else {
        value = resolveVariable(variable, line);
      }
    }
    resolved.set(key, value);
    return value;
  };

  for (const instruction of dockerfile.getInstructions()) memoizeVariables(instruction);
}

/** Index of the range (disjoint, in document order) that contains `position` (ends included), or -1. */
function stageContaining(ranges: readonly Range[], position: Position): number {
  if (!position || typeof position.line !== 'number' || typeof position.character !== 'number') return -1;
  let low = 0;
  let high = ranges.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (compare(ranges[mid].start, position) <= 0) low = mid + 1;
    else high = mid;
  }
  const candidate = low - 1;
  return candidate >= 0 && compare(position, ranges[candidate].end) <= 0 ? candidate : -1;
}

function compare(a: Position, b: Position): number {
  return a.line !== b.line ? a.line - b.line : a.character - b.character;
}

/**
 * Where an instruction keeps its arguments as first computed: per argument its value, then the
 * line of its start (counted from the instruction's first line), the start's character, and the
 * same two for its end: five slots in a row. Numbers rather than the Position objects (40 bytes
 * each on node's 64-bit heap), and no WeakMap (no ephemerons for the GC to trace).
 */
const RAW_ARGUMENTS = Symbol('windowsContainers.rawArguments');
const SLOTS = 5;

type Row = readonly (string | number)[];

/** The parts of an Instruction (private in the typings) that the argument cache reads. */
interface Cached {
  [RAW_ARGUMENTS]?: Row;
  getRange(): Range;
}

/** The row of `computed`, the arguments of an instruction that starts on `line`. */
function toRow(computed: readonly Argument[], line: number): Row {
  const row = new Array<string | number>(computed.length * SLOTS);
  for (let i = 0; i < computed.length; i++) {
    const range = computed[i].getRange();
    row[SLOTS * i] = flatString(computed[i].getValue());
    row[SLOTS * i + 1] = range.start.line - line;
    row[SLOTS * i + 2] = range.start.character;
    row[SLOTS * i + 3] = range.end.line - line;
    row[SLOTS * i + 4] = range.end.character;
  }
  return row;
}

/** The row of an instruction's arguments, computed once. */
function rowOf(instruction: Cached, line: number): Row {
  let row = instruction[RAW_ARGUMENTS];
  if (row === undefined) {
    row = toRow(original!.call(instruction), line);
    instruction[RAW_ARGUMENTS] = row;
  }
  return row;
}

/** New Arguments (new Ranges and Positions) from a row. */
function argumentsOf(row: Row, line: number): Argument[] {
  const result = new Array<Argument>(row.length / SLOTS);
  for (let i = 0; i < result.length; i++) {
    const at = SLOTS * i;
    const start = { line: line + (row[at + 1] as number), character: row[at + 2] as number };
    const end = { line: line + (row[at + 3] as number), character: row[at + 4] as number };
    result[i] = new Argument(row[at] as string, { start, end });
  }
  return result;
}

/** `ModifiableInstruction`'s private parts that its `getArguments()` reads. */
interface Modifiable extends Cached {
  flags?: Flag[];
  stopSearchingForFlags(value: string): boolean;
  getFlags(): Flag[];
  getArguments(): Argument[];
}

let original: (() => Argument[]) | undefined;
let originalModifiableGetArguments: (() => Argument[]) | undefined;
let originalArgumentsRange: (() => Range | null) | undefined;
let originalRawArgumentsContent: (() => string | null) | undefined;
const instructionGetArguments = Instruction.prototype.getArguments;

/** The instruction whose flags are being computed by its first `getArguments()`, and the Arguments it built. */
let flagsOf: { readonly instruction: Modifiable; readonly args: readonly Argument[] } | undefined;

/**
 * `ModifiableInstruction.getArguments()`: the arguments without the flags (as many leading
 * arguments as it has flags, which is what the original drops). The original's first call builds
 * every Argument twice, once for itself and once inside `getFlags()` (which calls it back); here
 * `getFlags()` is given the same Arguments. When it finds flags, the Flags keep ranges of those
 * Arguments, so the answer is built anew; without flags (every JSON instruction, whose flag
 * search stops at the first argument) it is the Arguments already built.
 */
function modifiableGetArguments(this: Modifiable): Argument[] {
  if (flagsOf !== undefined && flagsOf.instruction === this) return flagsOf.args.slice();
  const args = instructionGetArguments.call(this);
  let flags = this.flags;
  if (flags === undefined) {
    const outer = flagsOf;
    flagsOf = { instruction: this, args };
    try {
      flags = this.getFlags();
    } finally {
      flagsOf = outer;
    }
    if (flags.length === 0) return args;
    const fresh = instructionGetArguments.call(this);
    fresh.splice(0, flags.length);
    return fresh;
  }
  if (flags.length > 0) args.splice(0, flags.length);
  return args;
}

/**
 * How many Flags `getFlags()` finds, from the row: it reads the arguments in order, stops at the
 * first its class's `stopSearchingForFlags` stops at, and makes one Flag of each that starts with
 * `--` before it.
 */
function flagCount(instruction: Modifiable, row: Row): number {
  let count = 0;
  for (let at = 0; at < row.length; at += SLOTS) {
    const value = row[at] as string;
    if (instruction.stopSearchingForFlags(value)) break;
    if (value.indexOf('--') === 0) count++;
  }
  return count;
}

/**
 * From the first to the last of `getArguments()`, read from the row without building an Argument:
 * for a ModifiableInstruction the first `getFlags().length` arguments are left out, as its
 * `getArguments()` does, counted from the row when its flags are not computed yet (flagCount).
 * `undefined` when `getArguments` is not one of the two this knows.
 */
function argumentsBounds(instruction: Cached & Instruction): Range | null | undefined {
  const getArguments = instruction.getArguments;
  if (getArguments !== modifiableGetArguments && getArguments !== instructionGetArguments) return undefined;
  const line = instruction.getRange().start.line;
  const row = rowOf(instruction, line);
  const count = row.length / SLOTS;
  const modifiable = instruction as unknown as Modifiable;
  const skip = getArguments === modifiableGetArguments ? (modifiable.flags?.length ?? flagCount(modifiable, row)) : 0;
  if (count - skip <= 0) return null;
  const first = SLOTS * skip;
  const last = SLOTS * (count - 1);
  return {
    start: { line: line + (row[first + 1] as number), character: row[first + 2] as number },
    end: { line: line + (row[last + 3] as number), character: row[last + 4] as number },
  };
}

/** The parser's `processHeredocs(instruction, offset)` (private in the typings): called for every instruction it makes. */
interface HeredocReader {
  processHeredocs(instruction: Instruction, offset: number): number;
}
const parserPrototype = Parser.prototype as unknown as HeredocReader;
let originalProcessHeredocs: HeredocReader['processHeredocs'] | undefined;

/**
 * The parser's `processHeredocs`, which builds every argument of each ADD, COPY and RUN to look
 * for one that starts with `<<` and is longer: here the row is read, and the original runs only
 * when it has one (and for ONBUILD, whose trigger instruction it reads). Other instructions have
 * none, as in the original.
 */
function processHeredocs(this: HeredocReader, instruction: Instruction, offset: number): number {
  const keyword = instruction.getKeyword();
  if (keyword === 'ONBUILD') return originalProcessHeredocs!.call(this, instruction, offset);
  if (keyword !== 'ADD' && keyword !== 'COPY' && keyword !== 'RUN') return offset;
  const row = rowOf(instruction, instruction.getRange().start.line);
  for (let at = 0; at < row.length; at += SLOTS) {
    const value = row[at] as string;
    if (value.length > 2 && value.startsWith('<<')) return originalProcessHeredocs!.call(this, instruction, offset);
  }
  return offset;
}

/**
 * What is installed on dockerfile-ast's classes, before parsing, so the trees the parser makes
 * have it too:
 * - `Instruction.getRawArguments()` cached per instruction. The parser and the JSON instructions'
 *   constructors call it up to three times per instruction. Its result depends only on the
 *   instruction's own text, range and escape character, which never change after the instruction
 *   is created. Every call gets a new array of new Arguments with new Ranges and Positions, as
 *   without the cache.
 * - `ModifiableInstruction.getArguments()` builds its Arguments once on its first call, not twice
 *   (see modifiableGetArguments).
 * - `Instruction.getArgumentsRange()` and `getRawArgumentsContent()`, which the JSON instructions'
 *   constructors call, read the first and last argument from the cache instead of building every
 *   Argument (a new Range with new Positions, as before).
 * - `Instruction.parseVariables()` answers at once for an argument without `$`.
 * - The parser's `processHeredocs()` reads the arguments from the cache (see processHeredocs).
 * - `Dockerfile.organizeComments()`, which the parser calls once per parse to give each comment to
 *   its stage, computes each stage's range once (see organizeComments below).
 * `patchParserClasses(false)` puts the originals back (the tests compare the two).
 */
export function patchParserClasses(enabled = true): void {
  const prototype = Instruction.prototype as unknown as RawArguments;
  const instruction = Instruction.prototype as unknown as {
    getArgumentsRange(): Range | null;
    getRawArgumentsContent(): string | null;
    getRangeContent(range: Range): string | null;
  };
  const modifiable = ModifiableInstruction.prototype as unknown as Modifiable;
  if (enabled && !original) {
    original = prototype.getRawArguments;
    prototype.getRawArguments = function (this: Cached): Argument[] {
      const line = this.getRange().start.line;
      return argumentsOf(rowOf(this, line), line);
    };
    originalModifiableGetArguments = modifiable.getArguments;
    modifiable.getArguments = modifiableGetArguments;
    const argumentsRange = instruction.getArgumentsRange;
    originalArgumentsRange = argumentsRange;
    instruction.getArgumentsRange = function (this: Cached & Instruction): Range | null {
      const bounds = argumentsBounds(this);
      return bounds === undefined ? argumentsRange.call(this) : bounds;
    };
    const rawArgumentsContent = instruction.getRawArgumentsContent;
    originalRawArgumentsContent = rawArgumentsContent;
    instruction.getRawArgumentsContent = function (
      this: Cached & Instruction & { getRangeContent(range: Range): string | null },
    ): string | null {
      const bounds = argumentsBounds(this);
      if (bounds === undefined) return rawArgumentsContent.call(this);
      return bounds === null ? null : this.getRangeContent(bounds);
    };
    // parseVariables reads an argument character by character for `$`: without one it finds nothing.
    const parse = (prototype as unknown as VariableParser).parseVariables;
    originalParseVariables = parse;
    (prototype as unknown as VariableParser).parseVariables = function (
      this: Instruction,
      offset: number,
      arg: string,
    ): Variable[] {
      return arg.indexOf('$') === -1 ? [] : parse.call(this, offset, arg);
    };
    originalOrganizeComments = dockerfilePrototype.organizeComments;
    dockerfilePrototype.organizeComments = organizeComments;
    originalProcessHeredocs = parserPrototype.processHeredocs;
    parserPrototype.processHeredocs = processHeredocs;
  } else if (!enabled && original) {
    prototype.getRawArguments = original;
    original = undefined;
    modifiable.getArguments = originalModifiableGetArguments!;
    originalModifiableGetArguments = undefined;
    instruction.getArgumentsRange = originalArgumentsRange!;
    originalArgumentsRange = undefined;
    instruction.getRawArgumentsContent = originalRawArgumentsContent!;
    originalRawArgumentsContent = undefined;
    (prototype as unknown as VariableParser).parseVariables = originalParseVariables!;
    originalParseVariables = undefined;
    dockerfilePrototype.organizeComments = originalOrganizeComments!;
    originalOrganizeComments = undefined;
    parserPrototype.processHeredocs = originalProcessHeredocs!;
    originalProcessHeredocs = undefined;
  }
}

/** The parts of dockerfile-ast's Dockerfile (private in the typings) that organizeComments uses. */
interface CommentOrganizer {
  getComments(): Comment[];
  readonly initialInstructions: ImageTemplate & { addComment(comment: Comment): void };
  readonly buildStages: (ImageTemplate & { addComment(comment: Comment): void })[];
  organizeComments(): void;
}

const dockerfilePrototype = Object.getPrototypeOf(DockerfileParser.parse('')) as CommentOrganizer;
let originalOrganizeComments: (() => void) | undefined;

/**
 * dockerfile-ast 0.7.1's `organizeComments`, step for step: each comment whose end is in the range
 * of the instructions before the first FROM goes to them, any other to every stage whose range
 * contains its start. The original asks every stage for its range once per comment, and each
 * answer is a new Range built (and checked) from the stage's instructions: comments times stages,
 * quadratic in a file whose comments and stages grow together. A stage's range depends only on its
 * instructions, which adding comments does not change, so here each is computed once; when the
 * ranges are disjoint and in order (they are, for what the parser makes), a binary search finds
 * the one stage that contains a position, which is what the scan of every stage finds.
 */
function organizeComments(this: CommentOrganizer): void {
  // (Never null for what the parser makes; a null would throw here as in the original.)
  const initial = this.initialInstructions.getRange() as Range;
  const stages = this.buildStages;
  const ranges = stages.map((stage) => stage.getRange() as Range);
  const ordered = ranges.every(
    (range, i) =>
      range !== null &&
      compare(range.start, range.end) <= 0 &&
      (i === 0 || compare(ranges[i - 1].end, range.start) < 0),
  );
  for (const comment of this.getComments()) {
    const range = comment.getRange();
    if (isInsideRange(range.end, initial)) {
      this.initialInstructions.addComment(comment);
    } else if (ordered) {
      const stage = stageContaining(ranges, range.start);
      if (stage >= 0) stages[stage].addComment(comment);
    } else {
      for (let i = 0; i < stages.length; i++) if (isInsideRange(range.start, ranges[i])) stages[i].addComment(comment);
    }
  }
}

/** dockerfile-ast's `Util.isInsideRange`: both ends included. */
function isInsideRange(position: Position, range: Range): boolean {
  if (range.start.line === range.end.line)
    return (
      range.start.line === position.line &&
      range.start.character <= position.character &&
      position.character <= range.end.character
    );
  if (range.start.line === position.line) return range.start.character <= position.character;
  if (range.end.line === position.line) return position.character <= range.end.character;
  return range.start.line < position.line && position.line < range.end.line;
}

/**
 * The same characters as one flat string. dockerfile-ast builds argument values one character at
 * a time (`value = value + char`), and V8 keeps such a string as a tree of pieces, one node per
 * character past the 13th: many times the size of the same string once flat. A JSON round trip copies any string exactly (lone surrogates included) into a flat one.
 * Shorter strings are already flat (V8 copies concatenations under 13 characters).
 */
export function flatString(value: string): string {
  return value.length < 13 ? value : (JSON.parse(JSON.stringify(value)) as string);
}

/** `Instruction.parseVariables(offset, arg)` is private in the typings; getVariables and getExpandedArguments call it per argument. */
interface VariableParser {
  parseVariables(offset: number, arg: string): Variable[];
}
let originalParseVariables: VariableParser['parseVariables'] | undefined;

/** Variable's fields (private in the typings), copied as they are: `buildVariable` may be `undefined`, which its getters do not give back. */
interface VariableFields {
  readonly name: string;
  readonly nameRange: Range;
  readonly range: Range;
  readonly modifier: string | null;
  readonly modifierRange: Range | null;
  readonly substitutionParameter: string | null;
  readonly substitutionRange: Range | null;
  readonly defined: boolean;
  readonly buildVariable: boolean;
  readonly stringValue: string;
}

/** Where an instruction keeps the Variables its class's `getVariables()` first answered. */
const VARIABLES = Symbol('windowsContainers.variables');

type WithVariables = Instruction & { [VARIABLES]?: Variable[] };

/**
 * `getVariables()` computed once per instruction, by its class's own (so LABEL's override applies);
 * every call gets new Variables with new Ranges. One shared function rather than a closure per
 * instruction (which would hold a closure, a bound function and a context for each instruction).
 */
function memoizedGetVariables(this: WithVariables): Variable[] {
  let cached = this[VARIABLES];
  if (cached === undefined) {
    const prototype = Object.getPrototypeOf(this) as Instruction;
    cached = prototype.getVariables.call(this).map(keptVariable);
    this[VARIABLES] = cached;
  }
  return cached.map(copyVariable);
}

function memoizeVariables(instruction: Instruction): void {
  instruction.getVariables = memoizedGetVariables;
}

/** A new Variable equal to `variable`, with new Ranges (callers may assign to their `start`/`end`). */
export function copyVariable(variable: Variable): Variable {
  const v = variable as unknown as VariableFields;
  return new Variable(
    v.name,
    copy(v.nameRange),
    copy(v.range),
    v.modifier,
    copyOrNull(v.modifierRange),
    v.substitutionParameter,
    copyOrNull(v.substitutionRange),
    v.defined,
    v.buildVariable,
    v.stringValue,
  );
}

/** A Variable equal to `variable`, to be kept: its strings flat (see flatString). */
function keptVariable(variable: Variable): Variable {
  const v = variable as unknown as VariableFields;
  const flat = (value: string | null) => (typeof value === 'string' ? flatString(value) : value);
  return new Variable(
    flat(v.name)!,
    copy(v.nameRange),
    copy(v.range),
    v.modifier,
    copyOrNull(v.modifierRange),
    flat(v.substitutionParameter),
    copyOrNull(v.substitutionRange),
    v.defined,
    v.buildVariable,
    flat(v.stringValue)!,
  );
}

function copy(range: Range): Range {
  return { start: range.start, end: range.end };
}

function copyOrNull(range: Range | null): Range | null {
  return range === null || range === undefined ? range : copy(range);
}
