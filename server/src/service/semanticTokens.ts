/**
 * Semantic tokens in linear time, token for token what dockerfile-language-service 0.16.1's
 * `computeSemanticTokens` returns (same legend: SEMANTIC_TOKEN_LEGEND).
 *
 * Upstream's DockerSemanticTokens is quadratic in three places, none in how it classifies text:
 * 1. every token is appended with `this.tokens = this.tokens.concat([...5 numbers])`, which copies
 *    the whole array each time (docs/performance.md has upstream's times);
 * 2. `computeSemanticTokens` drops comments embedded in multi-line instructions by scanning every
 *    comment for every multi-line instruction (and splices the tree's own comment list);
 * 3. every token goes through every variable of its instruction (see VariableWindows below).
 * Here the same class classifies every instruction (`createTokensForInstruction`, unchanged), but
 * its token array appends in place, each token sees only the variables near it, and the top-level
 * walk, rewritten below, finds the embedded comments with one sorted sweep and leaves the tree
 * alone, so the document's cached parse can be shared. Everything else (directives, the order of
 * lines, resetting the open quote before each instruction) is upstream's code, step for step.
 * test/unit/semanticTokens.test.ts checks the result against upstream's on the fixtures, the
 * samples, the corpus and generated files.
 */
import { Comment, Instruction, Variable } from 'dockerfile-ast';
import { DockerSemanticTokens } from 'dockerfile-language-service/lib/dockerSemanticTokens';
import type { Position, Range, SemanticTokens } from 'vscode-languageserver-types';
import { copyVariable, SharedParse, withSharedParse } from '../patches';

/** The members of DockerSemanticTokens (private in its typings) that the walk below uses. */
interface Internals {
  tokens: number[];
  quote: string | null;
  escapedQuote: string | null;
  createToken(
    instruction: Instruction | null,
    range: Range,
    tokenType: string,
    tokenModifiers?: string[],
    checkVariables?: boolean,
    checkStrings?: boolean,
    checkNewline?: boolean,
  ): void;
  createTokensForInstruction(instruction: Instruction): void;
}

export function computeSemanticTokens(document: SharedParse): SemanticTokens {
  const data = new TokenData();
  const upstream = withSharedParse(
    document,
    () => new DockerSemanticTokens(document.parserText),
  ) as unknown as Internals;
  upstream.tokens = data.asUpstreamTokens();
  const variables = new VariableWindows(upstream);
  try {
    walk(document, upstream);
  } finally {
    variables.restore();
  }
  return { data: data.numbers() };
}

function walk(document: SharedParse, upstream: Internals): void {
  const dockerfile = document.dockerfile;
  const instructions = dockerfile.getInstructions();
  const comments = withoutEmbeddedComments(dockerfile.getComments(), instructions);
  // Upstream sorts comments + instructions by start line (a stable sort: a comment first on a tie).
  const lines: (Comment | Instruction)[] = (comments as (Comment | Instruction)[]).concat(instructions);
  lines.sort((a, b) => a.getRange().start.line - b.getRange().start.line);
  for (const directive of dockerfile.getDirectives()) {
    const range = directive.getRange();
    const nameRange = directive.getNameRange();
    upstream.createToken(null, { start: range.start, end: nameRange.start }, 'comment', [], false);
    upstream.createToken(null, nameRange, 'property', [], false);
    const valueRange = directive.getValueRange();
    const operatorRange = {
      start: { character: valueRange.start.character - 1, line: valueRange.start.line },
      end: { character: valueRange.start.character, line: valueRange.start.line },
    };
    upstream.createToken(null, operatorRange, 'operator', [], false);
    if (valueRange.start.character !== valueRange.end.character)
      upstream.createToken(null, valueRange, 'parameter', [], false);
  }
  for (const line of lines) {
    if (line instanceof Comment) {
      upstream.createToken(null, line.getRange(), 'comment', [], false);
    } else {
      // trailing open quotes should not cause subsequent argument parameters to be flagged as strings
      upstream.quote = null;
      upstream.escapedQuote = null;
      upstream.createTokensForInstruction(line);
    }
  }
}

/**
 * The comments upstream keeps: those not strictly inside a multi-line instruction
 * (`start.line < comment line < end.line`), in their order. One sort of the instructions'
 * line spans and a binary search per comment, instead of every comment per instruction.
 */
export function withoutEmbeddedComments(comments: readonly Comment[], instructions: readonly Instruction[]): Comment[] {
  const spans = instructions
    .map((instruction) => instruction.getRange())
    .filter((range) => range.start.line !== range.end.line)
    .map((range) => [range.start.line, range.end.line] as const)
    .sort((a, b) => a[0] - b[0]);
  // reach[i]: the furthest end line of spans[0..i].
  const reach: number[] = [];
  for (let i = 0; i < spans.length; i++) reach.push(Math.max(spans[i][1], i > 0 ? reach[i - 1] : -1));
  return comments.filter((comment) => {
    const line = comment.getRange().start.line;
    // The last span that starts before the comment's line.
    let low = 0;
    let high = spans.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (spans[mid][0] < line) low = mid + 1;
      else high = mid;
    }
    return !(low > 0 && reach[low - 1] > line);
  });
}

/**
 * 3. `createToken` looks for the variables a token touches by going through every variable of its
 * instruction (`instruction.getVariables()`, once per token), so an instruction with thousands of
 * `$VAR`s over continuation lines is quadratic. Its loop does nothing with a variable that neither
 * contains the token nor starts inside it, and the variables of an instruction come in document
 * order without overlapping: while a `createToken` call runs, `getVariables()` answers only those
 * that reach into the token's range (found by binary search), as new objects each time, in their
 * order. The range a call checks is the range it was called with or a part of it, so none it
 * would act on is left out.
 */
class VariableWindows {
  /** Per instruction seen: its own getVariables before the window (undefined: the class's), or NOT_INSTALLED. */
  private readonly installed = new Map<Instruction, PropertyDescriptor | typeof NOT_INSTALLED | undefined>();
  private current: Range | undefined;

  constructor(private readonly upstream: Internals) {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called with the upstream object as `this`
    const createToken = upstream.createToken;
    upstream.createToken = (
      instruction,
      range,
      tokenType,
      tokenModifiers,
      checkVariables,
      checkStrings,
      checkNewline,
    ) => {
      if (instruction && !this.installed.has(instruction)) this.install(instruction);
      const saved = this.current;
      this.current = range;
      try {
        createToken.call(
          upstream,
          instruction,
          range,
          tokenType,
          tokenModifiers,
          checkVariables,
          checkStrings,
          checkNewline,
        );
      } finally {
        this.current = saved;
      }
    };
  }

  private install(instruction: Instruction): void {
    const all = instruction.getVariables();
    const own = Object.getOwnPropertyDescriptor(instruction, 'getVariables');
    if (all.length <= WINDOW_FROM) {
      // Nothing to window (most instructions): an instruction of the parsed tree has its memoized
      // getVariables (patches/treeQueries.ts) and is left as it is, which keeps its shape.
      if (own) {
        this.installed.set(instruction, NOT_INSTALLED);
        return;
      }
      // One the tree does not hold, such as the trigger of an ONBUILD (made anew by each
      // getTriggerInstruction call): the class's getVariables reads the whole instruction again
      // for every token, so a long trigger is quadratic. Its variables are the ones read here.
      this.installed.set(instruction, undefined);
      instruction.getVariables = () => all.map(copyVariable);
      return;
    }
    this.installed.set(instruction, own);
    if (!inOrderWithoutOverlap(all)) return;
    instruction.getVariables = () => {
      const range = this.current;
      if (!range) return all.map(copyVariable);
      // The first variable that ends at or after the token's start; then all that start at or before its end.
      let low = 0;
      let high = all.length;
      while (low < high) {
        const mid = (low + high) >> 1;
        if (compare(all[mid].getRange().end, range.start) < 0) low = mid + 1;
        else high = mid;
      }
      const window: Variable[] = [];
      for (let i = low; i < all.length && compare(all[i].getRange().start, range.end) <= 0; i++)
        window.push(copyVariable(all[i]));
      return window;
    };
  }

  /** Puts every instruction's getVariables back (its own memoized one, or the class's). */
  restore(): void {
    for (const [instruction, own] of this.installed) {
      if (own === NOT_INSTALLED) continue;
      if (own) Object.defineProperty(instruction, 'getVariables', own);
      else delete (instruction as Partial<Instruction>).getVariables;
    }
    delete (this.upstream as Partial<Internals>).createToken;
  }
}

/**
 * Instructions with at most this many variables keep upstream's loop over all of them for each
 * token: a few comparisons, cheaper than replacing and later restoring their `getVariables`.
 */
const WINDOW_FROM = 8;
const NOT_INSTALLED = Symbol('not installed');

function inOrderWithoutOverlap(variables: readonly Variable[]): boolean {
  for (let i = 1; i < variables.length; i++)
    if (compare(variables[i - 1].getRange().end, variables[i].getRange().start) > 0) return false;
  return variables.every((v) => compare(v.getRange().start, v.getRange().end) <= 0);
}

function compare(a: Position, b: Position): number {
  return a.line !== b.line ? a.line - b.line : a.character - b.character;
}

/**
 * The numbers of the tokens, gathered in chunks of CHUNK numbers (64 KB each, an ordinary object of
 * the young generation) and joined once at the end. One array grown a token at a time is copied at
 * each growth, and past V8's large-object size each copy is a new large object in fresh memory, which
 * the system hands over page by page; fixed-size chunks stay small and are never copied
 * (docs/performance.md, "Linear semantic tokens").
 */
class TokenData {
  private readonly full: number[][] = [];
  private chunk: number[] = [];

  /**
   * What upstream's `this.tokens` becomes: its `this.tokens = this.tokens.concat([...5 numbers])`
   * (the only way it touches the array while it classifies) appends here and answers the same
   * object, so each token is five pushes instead of a copy of every token so far.
   */
  asUpstreamTokens(): number[] {
    const tokens = {
      concat: (items: readonly number[]) => {
        for (let i = 0; i < items.length; i++) {
          if (this.chunk.length === CHUNK) {
            this.full.push(this.chunk);
            this.chunk = [];
          }
          this.chunk.push(items[i]);
        }
        return tokens;
      },
    };
    return tokens as unknown as number[];
  }

  /** All the numbers, in order, in one array. */
  numbers(): number[] {
    return this.full.length === 0 ? this.chunk : ([] as number[]).concat(...this.full, this.chunk);
  }
}

/** Numbers per chunk (exported for the test that crosses chunks). */
export const CHUNK = 8192;
