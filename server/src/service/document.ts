/**
 * A Dockerfile parsed once per version and shared by upstream validation, the rules and every
 * feature: the BuildKit-corrected parser text (see `buildkit.ts`), the dockerfile-ast tree built
 * from it, and the stages with their operating system.
 */
import { DockerfileParser, Dockerfile, Instruction } from 'dockerfile-ast';
import { EscapeChar, EscapeDirective, findLineEnd, readEscapeDirective, skipLineBreak, toParserText } from './buildkit';
import { findStages, Stage } from './stages';
import type { Position } from 'vscode-languageserver-types';

export interface TextDocumentSnapshot {
  readonly uri: string;
  readonly version: number;
  readonly text: string;
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

/** Parses a document snapshot. Pure: the same text always gives the same result. */
export function parseDocument(snapshot: TextDocumentSnapshot): ParsedDocument {
  const escapeDirective = readEscapeDirective(snapshot.text);
  const escapeChar = escapeDirective?.escapeChar ?? '\\';
  const parserText = toParserText(snapshot.text, escapeChar);
  const dockerfile = DockerfileParser.parse(parserText);
  const stages = findStages(dockerfile, escapeDirective !== undefined && escapeChar === '`');
  const lineOffsets = computeLineOffsets(snapshot.text);
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
      let found: Stage | undefined;
      for (const stage of stages) {
        if (stage.from.getRange().start.line <= line) found = stage;
        else break;
      }
      return found;
    },
  };
}

/** Keeps the latest parse of each open document, so one version is parsed once. */
export class DocumentCache {
  private readonly parsed = new Map<string, ParsedDocument>();

  get(snapshot: TextDocumentSnapshot): ParsedDocument {
    const cached = this.parsed.get(snapshot.uri);
    if (cached && cached.version === snapshot.version && cached.text.length === snapshot.text.length && cached.text === snapshot.text) {
      return cached;
    }
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
  return document.dockerfile.getInstructions().filter((i) => {
    const line = i.getRange().start.line;
    return line >= start && line < end;
  });
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
