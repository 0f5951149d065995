/**
 * A Dockerfile parsed once per version and shared by upstream validation, the rules and every
 * feature: the BuildKit-corrected parser text (see `buildkit.ts`), the dockerfile-ast tree built
 * from it, and the stages with their operating system.
 */
import { DockerfileParser, Dockerfile, Instruction } from 'dockerfile-ast';
import { EscapeChar, EscapeDirective, findLineEnd, readEscapeDirective, skipLineBreak, toParserText } from './buildkit';
import { guardParserText } from './limits';
import { findStages, Stage } from './stages';
import { memoizeTreeQueries } from '../patches';
import type { Position } from 'vscode-languageserver-types';

export interface TextDocumentSnapshot {
  readonly uri: string;
  readonly version: number;
  readonly text: string;
  /** The editor's language of the document, when known: compose files and manifests are routed by it (service/yaml/route.ts). */
  readonly languageId?: string;
}

export interface ParsedDocument {
  readonly uri: string;
  readonly version: number;
  /** The document's own text. */
  readonly text: string;
  /** Same length and lines as `text`; what dockerfile-ast and the upstream service read. */
  readonly parserText: string;
  readonly escapeChar: EscapeChar;
  readonly escapeDirective?: EscapeDirective;
  readonly dockerfile: Dockerfile;
  readonly stages: readonly Stage[];
  /** Offset of the first character of each line (line breaks counted as dockerfile-ast counts them). */
  readonly lineOffsets: readonly number[];
  offsetAt(position: Position): number;
  /** The stage an instruction belongs to, by the instruction's start line; `undefined` before the first FROM. */
  stageAt(line: number): Stage | undefined;
}

/**
 * Parses a document snapshot. Pure: the same text always gives the same result. The tree's
 * whole-tree queries are memoized (treeQueries.ts); `memoizeQueries: false` leaves the tree as
 * dockerfile-ast made it (the tests compare the two, with `patchParserClasses(false)`). The library
 * patches are the host's to install (`installLibraryPatches()`, patches/index.ts) before it parses.
 */
export function parseDocument(
  snapshot: TextDocumentSnapshot,
  options: { memoizeQueries?: boolean } = {},
): ParsedDocument {
  const escapeDirective = readEscapeDirective(snapshot.text);
  const escapeChar = escapeDirective?.escapeChar ?? '\\';
  // Lone CRs as LFs, over-long lines analysed in part (limits.ts): what dockerfile-ast mishandles.
  const parserText = guardParserText(toParserText(snapshot.text, escapeChar));
  const dockerfile = DockerfileParser.parse(parserText);
  if (options.memoizeQueries !== false) memoizeTreeQueries(dockerfile);
  const stages = findStages(dockerfile, escapeDirective !== undefined && escapeChar === '`');
  const lineOffsets = computeLineOffsets(snapshot.text);
  const stageLines = stages.map((stage) => stage.from.getRange().start.line);
  return {
    uri: snapshot.uri,
    version: snapshot.version,
    text: snapshot.text,
    parserText,
    escapeChar,
    escapeDirective,
    dockerfile,
    stages,
    lineOffsets,
    offsetAt(position: Position): number {
      const lineStart = lineOffsets[Math.min(Math.max(position.line, 0), lineOffsets.length - 1)];
      return Math.min(lineStart + Math.max(position.character, 0), snapshot.text.length);
    },
    stageAt(line: number): Stage | undefined {
      // The last stage whose FROM starts at or before `line` (binary search: rules ask per instruction).
      let low = 0;
      let high = stageLines.length;
      while (low < high) {
        const mid = (low + high) >> 1;
        if (stageLines[mid] <= line) low = mid + 1;
        else high = mid;
      }
      return low > 0 ? stages[low - 1] : undefined;
    },
  };
}

/** Keeps the latest parse of each open document, so one version is parsed once. */
export class DocumentCache {
  private readonly parsed = new Map<string, ParsedDocument>();

  get(snapshot: TextDocumentSnapshot): ParsedDocument {
    const cached = this.parsed.get(snapshot.uri);
    if (
      cached &&
      cached.version === snapshot.version &&
      cached.text.length === snapshot.text.length &&
      cached.text === snapshot.text
    ) {
      return cached;
    }
    // Let go of the previous version first: two trees of a large document at once is what makes the heap grow.
    this.parsed.delete(snapshot.uri);
    const fresh = parseDocument(snapshot);
    this.parsed.set(snapshot.uri, fresh);
    return fresh;
  }

  delete(uri: string): void {
    this.parsed.delete(uri);
  }
}

/** The instructions of a stage, in order. */
export function stageInstructions(document: ParsedDocument, stage: Stage): Instruction[] {
  const start = stage.from.getRange().start.line;
  const next = document.stages[stage.index + 1];
  const end = next ? next.from.getRange().start.line : Number.MAX_SAFE_INTEGER;
  const instructions = document.dockerfile.getInstructions();
  const result: Instruction[] = [];
  for (
    let i = firstInstructionFrom(instructions, start);
    i < instructions.length && instructions[i].getRange().start.line < end;
    i++
  )
    result.push(instructions[i]);
  return result;
}

/** Index of the first instruction that starts on or after `line` (instructions are in document order). */
export function firstInstructionFrom(instructions: readonly Instruction[], line: number): number {
  let low = 0;
  let high = instructions.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (instructions[mid].getRange().start.line < line) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Line start offsets, counting `\r\n`, `\n` and a lone `\r` as one break each. */
export function computeLineOffsets(text: string): number[] {
  const offsets = [0];
  let start = 0;
  for (;;) {
    const end = findLineEnd(text, start);
    if (end >= text.length) break;
    start = skipLineBreak(text, end);
    offsets.push(start);
  }
  return offsets;
}
