/**
 * A compose file or a Kubernetes manifest, parsed once per version by the `yaml` package (a real
 * YAML parser with source offsets; never regular expressions over YAML). Which YAML is ours is
 * decided by `documentKind` (route.ts): a compose file by its name or the `dockercompose` language,
 * a manifest by the `apiVersion` and `kind` of each of its documents. Other YAML gets nothing.
 *
 * Invariants: parsing never throws (a document the parser cannot read, or one nested too deeply
 * for the stack, is reported in `errors` and the other documents of the file still count); nothing
 * here expands aliases recursively (an alias is resolved one step at a time, with a bound), so a
 * "billion laughs" file costs no more than its text.
 */
import type { Alias, Document, Node, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { Position, Range } from 'vscode-languageserver-types';
import { computeLineOffsets } from '../dockerfile/document';

/**
 * The `yaml` package, required on first use: a server that never opens a compose file or a manifest
 * does not load it at start (see lazyModules.ts for the same reason).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports, @typescript-eslint/no-unsafe-return -- required on first use, typed by the return type
const yamlLibrary = (): typeof import('yaml') => require('yaml');

export const isMap = (node: unknown): node is YAMLMap => yamlLibrary().isMap(node);
export const isSeq = (node: unknown): node is YAMLSeq => yamlLibrary().isSeq(node);
export const isScalar = (node: unknown): node is Scalar => yamlLibrary().isScalar(node);
const isAlias = (node: unknown): node is Alias => yamlLibrary().isAlias(node);

export type YamlKind = 'compose' | 'kubernetes';

export interface YamlProblem {
  readonly range: Range;
  readonly message: string;
}

export interface YamlFile {
  readonly uri: string;
  readonly version: number;
  readonly text: string;
  /** `compose` by name or language; `kubernetes` when at least one document has `apiVersion` and `kind`; else nothing is ours. */
  readonly kind: YamlKind | undefined;
  /** The parsed documents (all of them; for a manifest, `kubernetesDocuments` picks the ones with `apiVersion` and `kind`). */
  readonly documents: readonly Document[];
  /** Why the file is not analysed (a Helm or Go template), when it is not. */
  readonly skipped?: string;
  /** Parse errors, with their position, for the CLI and the log (the YAML extension shows them in the editor). */
  readonly errors: readonly YamlProblem[];
  offsetAt(position: Position): number;
  positionAt(offset: number): Position;
  /** The range of a node's value (quotes included), or `undefined` for a node without a source range. */
  rangeOf(node: Node | null | undefined): Range | undefined;
}

/**
 * Longer texts are not analysed: the parser is slow enough that a longer text would hold up every
 * request (docs/reliability.md has its speed), and a real compose file or Windows manifest is a few
 * kilobytes, far below the bound.
 */
export const MAX_YAML_LENGTH = 256 * 1024;
/**
 * Flow collections (`[`, `{`) nested deeper than this make a document unread: the parser composes
 * them by recursion, and tens of thousands of levels overflow the stack or take seconds.
 */
const MAX_FLOW_DEPTH = 256;

/**
 * The text with every document whose flow nesting exceeds MAX_FLOW_DEPTH blanked (same length and
 * line breaks, so positions hold), and where each such document starts. Documents are split at
 * `---` and `...` lines, which end a document wherever they stand. Quotes and comments are skipped
 * roughly (a bracket in a string may count): the bound is far above any real file.
 */
function guardFlowDepth(text: string): { text: string; deep: number[] } {
  const deep: number[] = [];
  let out: string | undefined;
  let start = 0;
  for (;;) {
    const next = nextMarker(text, start);
    const end = next ?? text.length;
    if (exceedsDepth(text, start, end)) {
      deep.push(start);
      out = (out ?? text).slice(0, start) + text.slice(start, end).replace(/[^\r\n]/g, ' ') + (out ?? text).slice(end);
    }
    if (next === undefined) return { text: out ?? text, deep };
    start = next;
  }
}

/** The start of the first line after the one at `from` that begins with `---` or `...` (a document marker), if any. */
function nextMarker(text: string, from: number): number | undefined {
  const marker = /[\r\n](---|\.\.\.)(?=[ \t\r\n]|$)/g;
  marker.lastIndex = from;
  const match = marker.exec(text);
  return match ? match.index + 1 : undefined;
}

function exceedsDepth(text: string, start: number, end: number): boolean {
  let depth = 0;
  let quote = '';
  let comment = false;
  for (let i = start; i < end; i++) {
    const c = text[i];
    if (c === '\n' || c === '\r') {
      comment = false;
      quote = '';
    } else if (comment) continue;
    else if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === start || /\s/.test(text[i - 1]))) comment = true;
    else if (c === '[' || c === '{') {
      if (++depth > MAX_FLOW_DEPTH) return true;
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return false;
}

/** Aliases followed in one look-up, at most (`a: *b`, `b: *c`, ...). */
const MAX_ALIAS_STEPS = 16;
/** Merge keys (`<<: *defaults`) followed in one look-up, at most. */
const MAX_MERGE_DEPTH = 8;

export function parseYamlFile(
  snapshot: { uri: string; version: number; text: string },
  composeByName: boolean,
): YamlFile {
  const { uri, version, text } = snapshot;
  const lineOffsets = computeLineOffsets(text);
  const positionAt = (offset: number): Position => {
    const clamped = Math.max(0, Math.min(offset, text.length));
    let low = 0;
    let high = lineOffsets.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineOffsets[mid] <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: clamped - lineOffsets[low] };
  };
  const offsetAt = (position: Position) =>
    Math.min(text.length, (lineOffsets[position.line] ?? text.length) + position.character);
  const rangeOf = (node: Node | null | undefined): Range | undefined => {
    const range = node?.range;
    return range ? { start: positionAt(range[0]), end: positionAt(range[1]) } : undefined;
  };
  const base = { uri, version, text, offsetAt, positionAt, rangeOf };
  if (text.includes('{{')) {
    // A Helm chart or an Ansible/Jinja template: noted only when it would be ours (a compose file, or
    // a text that names both keys of a manifest); a workflow's `${{ }}` is no one's business here.
    const candidate = composeByName || (text.includes('apiVersion') && text.includes('kind'));
    return {
      ...base,
      kind: composeByName ? 'compose' : undefined,
      documents: [],
      errors: [],
      ...(candidate ? { skipped: 'a template (it contains `{{`): its YAML is known only once rendered' } : {}),
    };
  }
  if (text.length > MAX_YAML_LENGTH) {
    const candidate = composeByName || (text.includes('apiVersion') && text.includes('kind'));
    return {
      ...base,
      kind: composeByName ? 'compose' : undefined,
      documents: [],
      errors: [],
      ...(candidate
        ? {
            skipped: `${text.length} characters, more than the ${MAX_YAML_LENGTH / 1024} KiB analysed in a compose file or manifest`,
          }
        : {}),
    };
  }
  let documents: Document[] = [];
  const errors: YamlProblem[] = [];
  const guarded = guardFlowDepth(text);
  for (const deep of guarded.deep)
    errors.push({
      range: { start: positionAt(deep), end: positionAt(deep) },
      message: `A document nested more than ${MAX_FLOW_DEPTH} levels deep is not analysed`,
    });
  try {
    const parsed = yamlLibrary().parseAllDocuments(guarded.text, {
      uniqueKeys: false,
      prettyErrors: false,
      keepSourceTokens: false,
    });
    documents = Array.isArray(parsed) ? (parsed as Document[]) : [];
  } catch (error) {
    // The parser's composer recurses per nesting level: a document nested thousands of levels deep overflows the stack.
    errors.push({
      range: { start: positionAt(0), end: positionAt(0) },
      message: `The YAML could not be read: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
  for (const document of documents) {
    for (const error of document.errors)
      errors.push({
        range: { start: positionAt(error.pos[0]), end: positionAt(error.pos[1]) },
        message: error.message.split('\n')[0],
      });
  }
  const kind: YamlKind | undefined = composeByName
    ? 'compose'
    : documents.some(isKubernetesDocument)
      ? 'kubernetes'
      : undefined;
  return { ...base, kind, documents, errors };
}

/** A document that declares `apiVersion` and `kind` (plain strings) at its top: a Kubernetes object. */
export function isKubernetesDocument(document: Document): boolean {
  const contents = document.contents;
  if (!isMap(contents)) return false;
  const apiVersion = get(document, contents, 'apiVersion');
  const kind = get(document, contents, 'kind');
  return (
    isScalar(apiVersion) && typeof apiVersion.value === 'string' && isScalar(kind) && typeof kind.value === 'string'
  );
}

/** A node with its aliases resolved, one step at a time and at most MAX_ALIAS_STEPS; `undefined` for an alias that leads nowhere. */
export function deref(document: Document, node: unknown): Node | undefined {
  let current = node;
  for (let step = 0; isAlias(current); step++) {
    if (step >= MAX_ALIAS_STEPS) return undefined;
    try {
      current = current.resolve(document);
    } catch {
      return undefined;
    }
  }
  return current === null || current === undefined ? undefined : (current as Node);
}

/** The key of a pair as a string, when it is a plain scalar. */
export function keyName(key: unknown): string | undefined {
  return isScalar(key) && (typeof key.value === 'string' || typeof key.value === 'number')
    ? String(key.value)
    : undefined;
}

/**
 * The value of `key` in a map (aliases resolved), following merge keys (`<<: *defaults`, a list of
 * them, or an alias to one) when the map has no such key of its own, as Compose does.
 */
export function get(document: Document, map: unknown, key: string, depth = 0): Node | undefined {
  const resolved = deref(document, map);
  if (!isMap(resolved)) return undefined;
  for (const pair of resolved.items) if (keyName(pair.key) === key) return deref(document, pair.value);
  if (depth >= MAX_MERGE_DEPTH) return undefined;
  for (const pair of resolved.items) {
    if (keyName(pair.key) !== '<<') continue;
    const merged = deref(document, pair.value);
    const sources = isSeq(merged) ? merged.items : [merged];
    for (const source of sources) {
      const found = get(document, source, key, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

/** The pair of `key` in a map itself (not through merge keys): where a fix inserts beside. */
export function ownPair(map: YAMLMap, key: string) {
  return map.items.find((pair) => keyName(pair.key) === key);
}

/** The map's entries (own keys, aliases resolved in values), for iterating services or labels. */
export function entries(document: Document, map: unknown): [string, Node | undefined, Scalar | undefined][] {
  const resolved = deref(document, map);
  if (!isMap(resolved)) return [];
  const result: [string, Node | undefined, Scalar | undefined][] = [];
  for (const pair of resolved.items) {
    const name = keyName(pair.key);
    if (name !== undefined && name !== '<<')
      result.push([name, deref(document, pair.value), isScalar(pair.key) ? pair.key : undefined]);
  }
  return result;
}

export function items(document: Document, seq: unknown): Node[] {
  const resolved = deref(document, seq);
  if (!isSeq(resolved)) return [];
  return resolved.items.map((item) => deref(document, item)).filter((item): item is Node => item !== undefined);
}

/** A scalar's value as a string (numbers and booleans too), or `undefined`. */
export function stringValue(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const value = node.value;
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;
}

/**
 * Where a scalar's characters are, without its quotes, when it is written on one line as a plain
 * or quoted scalar whose text is its value (no escapes): what an edit may replace.
 */
export function scalarTextRange(file: YamlFile, node: Scalar): Range | undefined {
  const range = node.range;
  if (!range || typeof node.value !== 'string') return undefined;
  let start = range[0];
  let end = range[1];
  const raw = file.text.slice(start, end);
  if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') {
    start++;
    end--;
  } else if (node.type !== 'PLAIN') return undefined;
  const inner = file.text.slice(start, end);
  if (inner !== node.value || /[\r\n]/.test(raw)) return undefined;
  return { start: file.positionAt(start), end: file.positionAt(end) };
}

/** The indentation (columns) of the line a node starts on, and of the node itself. */
export function columnOf(file: YamlFile, node: Node): number {
  return node.range ? file.positionAt(node.range[0]).character : 0;
}

export type { Document, Node, Scalar, YAMLMap, YAMLSeq };
