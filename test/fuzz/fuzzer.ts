/**
 * The fuzzer: mutates real Dockerfiles (../shared/corpus, the repository's samples and fixtures)
 * and random text, sends each change to the real server (`dist/server.js --stdio`) as an editor
 * would (incremental `didChange`), waits for its diagnostics, and asks for completion, hover,
 * semantic tokens, formatting, code actions and the other features at random positions.
 *
 * A finding is any of:
 * - `crash`: the server process exited;
 * - `hang`: a request (or the diagnostics of a change) not answered within the bound;
 * - `error-response`: a request answered with an error (none of these requests should fail);
 * - `logged-failure`: a handler failure the server caught and logged (`window/logMessage`);
 * - `invalid-result`: an answer the client cannot use (a negative or reversed range, overlapping
 *   edits, a semantic token outside its line, formatting that changes more than blanks, a code
 *   action without its edit).
 *
 * The run is deterministic for a seed (the sequence of changes and requests; how far it gets in
 * the time bound depends on the machine). Used by `npm run fuzz` (scripts/fuzz.mjs, longer runs
 * that also minimise what they find) and test/lsp/fuzz.test.ts (a short run in `npm test`).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, Position, Range, TextEdit } from 'vscode-languageserver-protocol';
import { REPO_ROOT, startClient, TestClient, withTimeout } from '../lsp/lspClient';
import { mutate, randomDocument } from './mutate';
import { Random } from './random';

export type FindingKind = 'crash' | 'hang' | 'error-response' | 'logged-failure' | 'invalid-result';

export interface Finding {
  readonly signature: string;
  readonly kind: FindingKind;
  readonly method: string;
  readonly detail: string;
  /** The document when it happened. */
  readonly text: string;
  readonly params: unknown;
  readonly iteration: number;
  /** How many times the same signature was seen. */
  count: number;
  /** The smallest text found that still reproduces it (scripts/fuzz.mjs). */
  minimized?: string;
}

export interface FuzzOptions {
  readonly seed: number;
  /** Time bound of the mutation loop. */
  readonly seconds: number;
  /** The real Dockerfiles to mutate (default `<repo>/../shared/corpus`); skipped with a notice when absent. */
  readonly corpusDir?: string;
  /** Bound of every request and of each change's diagnostics (default 5000 ms). */
  readonly requestBoundMs?: number;
  /** Documents that grow past this are replaced by a fresh one (default 64 KiB). */
  readonly maxTextLength?: number;
  /** Progress lines. */
  readonly print?: (line: string) => void;
  /** Shrink each finding to a small reproducing text, within this many seconds in all (default 0: off). */
  readonly minimizeSeconds?: number;
}

export interface MethodStats {
  count: number;
  totalMs: number;
  maxMs: number;
}

export interface FuzzReport {
  readonly seed: number;
  readonly seeds: number;
  readonly corpusNotice?: string;
  iterations: number;
  requests: number;
  restarts: number;
  elapsedMs: number;
  readonly findings: Finding[];
  readonly methods: Record<string, MethodStats>;
}

export const DEFAULT_CORPUS = path.join(REPO_ROOT, '..', 'shared', 'corpus');

/** The texts the mutations start from: the corpus (when present), the samples, the fixtures. */
export function loadSeeds(corpusDir = DEFAULT_CORPUS): { texts: string[]; notice?: string } {
  const files: string[] = [];
  const walk = (dir: string, accept: (name: string) => boolean) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full, accept);
      else if (accept(entry.name)) files.push(full);
    }
  };
  let notice: string | undefined;
  if (fs.existsSync(corpusDir)) walk(corpusDir, (name) => !name.endsWith('.tsv') && !name.endsWith('.md'));
  else notice = `fuzz: corpus ${corpusDir} not found: mutating the repository's samples and fixtures only`;
  walk(path.join(REPO_ROOT, 'samples'), () => true);
  walk(path.join(REPO_ROOT, 'test', 'fixtures'), (name) => name.endsWith('.Dockerfile'));
  walk(path.join(REPO_ROOT, 'test', 'fixtures-fuzz'), (name) => name.endsWith('.Dockerfile'));
  walk(path.join(REPO_ROOT, 'test', 'integration', 'workspace'), (name) => name.includes('Dockerfile'));
  return { texts: files.sort().map((file) => fs.readFileSync(file, 'utf8')), notice };
}

/** The kinds of document a fuzzed text is opened as: a Dockerfile, a manifest (`yaml`), a compose file (`dockercompose`). */
const DOCUMENT_KINDS = [
  { suffix: '.Dockerfile', languageId: 'dockerfile' },
  { suffix: '.yaml', languageId: 'yaml' },
  { suffix: '/compose.yaml', languageId: 'dockercompose' },
] as const;

/** Log lines of the server that say a handler failed (transport/guard.ts, transport/documents.ts `validate`, the rule loops, server.ts). */
export const FAILURE_LOG =
  /^(?:\w+ failed: |validation of .* failed: |(?:rule|fix of) [\w-]+ failed on |dockerfile-utils validation failed on |uncaught: |unhandled rejection: )/;

/** The settings every fuzz server gets: no network, every upstream feature on. */
const SETTINGS = { catalogue: { liveRefresh: false }, upstreamFeatures: 'on' };

interface Request {
  readonly method: string;
  readonly params: unknown;
  /** A follow-up on the answer (completion resolve, link resolve). */
  readonly followUp?: (result: unknown) => Request | undefined;
}

class Session {
  private logIndex = 0;
  private constructor(readonly client: TestClient) {}

  static async start(cacheDir: string): Promise<Session> {
    return new Session(await startClient({ settings: SETTINGS, initializationOptions: { cacheDir } }));
  }

  get alive(): boolean {
    return this.client.process.exitCode === null && this.client.process.signalCode === null;
  }

  /** The handler failures logged since the last call. */
  newFailures(): string[] {
    const logs = this.client.logs.slice(this.logIndex);
    this.logIndex = this.client.logs.length;
    return logs.filter((line) => FAILURE_LOG.test(line));
  }

  async stop(): Promise<void> {
    if (this.alive) await this.client.stop();
    else this.client.connection.dispose();
  }
}

const FORMAT_OPTIONS = { tabSize: 4, insertSpaces: true };

function lineLength(doc: TextDocument, line: number): number {
  return doc.offsetAt({ line, character: Number.MAX_SAFE_INTEGER }) - doc.offsetAt({ line, character: 0 });
}

function randomPosition(random: Random, doc: TextDocument): Position {
  const r = random.next();
  if (r < 0.85) {
    const line = random.int(0, doc.lineCount - 1);
    return { line, character: random.int(0, lineLength(doc, line) + (random.chance(0.1) ? 5 : 0)) };
  }
  if (r < 0.93) return doc.positionAt(doc.getText().length);
  if (r < 0.97) return { line: random.int(0, doc.lineCount + 5), character: random.int(0, 300) };
  // Far past the end, as a hostile client sends them (the server clamps every position: limits.ts).
  const far = () => random.pick([2_147_483_647, 50_000_000, Number.MAX_SAFE_INTEGER, doc.lineCount + 1_000_000]);
  return random.chance(0.5)
    ? { line: far(), character: random.int(0, 300) }
    : { line: random.int(0, doc.lineCount), character: far() };
}

function randomRange(random: Random, doc: TextDocument): Range {
  const a = randomPosition(random, doc);
  const b = random.chance(0.3) ? a : randomPosition(random, doc);
  const before = a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before ? { start: a, end: b } : { start: b, end: a };
}

function pickRequest(random: Random, doc: TextDocument, diagnostics: Diagnostic[], stale: Diagnostic[]): Request {
  const textDocument = { uri: doc.uri };
  const position = randomPosition(random, doc);
  const method = random.weighted<string>([
    [8, 'completion'],
    [6, 'hover'],
    [6, 'semanticTokens'],
    [6, 'codeAction'],
    [4, 'formatting'],
    [3, 'rangeFormatting'],
    [3, 'onTypeFormatting'],
    [3, 'signatureHelp'],
    [2, 'definition'],
    [2, 'documentHighlight'],
    [2, 'documentSymbol'],
    [2, 'foldingRange'],
    [2, 'documentLink'],
    [2, 'prepareRename'],
    [2, 'rename'],
    [1, 'switchBaseImage'],
  ]);
  switch (method) {
    case 'completion':
      return {
        method: 'textDocument/completion',
        params: { textDocument, position },
        followUp: (result) => {
          const items = Array.isArray(result) ? result : (result as { items?: unknown[] } | null)?.items;
          return items && items.length > 0
            ? { method: 'completionItem/resolve', params: items[random.int(0, items.length - 1)] }
            : undefined;
        },
      };
    case 'semanticTokens':
      return { method: 'textDocument/semanticTokens/full', params: { textDocument } };
    case 'codeAction': {
      const range = randomRange(random, doc);
      const pool = random.chance(0.15) ? stale : diagnostics;
      const touching = pool.filter(
        (d) => random.chance(0.3) || (d.range.start.line <= range.end.line && d.range.end.line >= range.start.line),
      );
      const only = random.weighted<string[] | undefined>([
        [6, undefined],
        [3, ['quickfix']],
        [1, ['refactor.rewrite']],
      ]);
      return {
        method: 'textDocument/codeAction',
        params: { textDocument, range, context: { diagnostics: touching, ...(only ? { only } : {}) } },
      };
    }
    case 'formatting':
      return { method: 'textDocument/formatting', params: { textDocument, options: FORMAT_OPTIONS } };
    case 'rangeFormatting':
      return {
        method: 'textDocument/rangeFormatting',
        params: { textDocument, range: randomRange(random, doc), options: FORMAT_OPTIONS },
      };
    case 'onTypeFormatting':
      return {
        method: 'textDocument/onTypeFormatting',
        params: { textDocument, position, ch: random.pick(['\\', '`']), options: FORMAT_OPTIONS },
      };
    case 'rename':
      return {
        method: 'textDocument/rename',
        params: { textDocument, position, newName: random.pick(['X', 'new_name', 'a b', '']) },
      };
    case 'documentLink':
      return {
        method: 'textDocument/documentLink',
        params: { textDocument },
        followUp: (result) =>
          Array.isArray(result) && result.length > 0
            ? { method: 'documentLink/resolve', params: random.pick(result) }
            : undefined,
      };
    case 'documentSymbol':
    case 'foldingRange':
      return { method: `textDocument/${method}`, params: { textDocument } };
    case 'switchBaseImage': {
      const argument = {
        uri: doc.uri,
        version: random.pick(['ltsc2025', 'ltsc2022', 'ltsc2019']),
        ...(random.chance(0.5) ? { family: random.pick(['servercore', 'nanoserver', 'server']) } : {}),
      };
      return {
        method: 'workspace/executeCommand',
        params: { command: 'windowsContainers.switchBaseImage', arguments: [argument] },
      };
    }
    default:
      return { method: `textDocument/${method}`, params: { textDocument, position } };
  }
}

// ---------------------------------------------------------------------------------------------
// what a client can use

const isUint = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0;

function rangeProblem(range: Range | undefined, what: string): string | undefined {
  if (!range || !range.start || !range.end) return `${what}: no range`;
  const { start, end } = range;
  if (![start.line, start.character, end.line, end.character].every(isUint))
    return `${what}: range ${JSON.stringify(range)} is not made of unsigned integers`;
  if (start.line > end.line || (start.line === end.line && start.character > end.character))
    return `${what}: range ${JSON.stringify(range)} ends before it starts`;
  return undefined;
}

function editsProblem(doc: TextDocument, edits: TextEdit[], what: string): string | undefined {
  for (const edit of edits) {
    const problem =
      rangeProblem(edit.range, what) ??
      (typeof edit.newText === 'string' ? undefined : `${what}: newText is not a string`);
    if (problem) return problem;
  }
  const spans = edits
    .map((e) => [doc.offsetAt(e.range.start), doc.offsetAt(e.range.end)])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i][0] < spans[i - 1][1]) return `${what}: overlapping edits ${JSON.stringify(edits)}`;
  }
  return undefined;
}

function workspaceEditProblem(
  doc: TextDocument,
  edit: { changes?: Record<string, TextEdit[]>; documentChanges?: unknown } | null | undefined,
  what: string,
): string | undefined {
  if (!edit) return undefined;
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) {
    if (uri !== doc.uri) return `${what}: edits another document ${uri}`;
    const problem = editsProblem(doc, edits, what);
    if (problem) return problem;
  }
  return undefined;
}

const withoutBlanks = (text: string) => text.replace(/[ \t]/g, '');

/** Whether the answer is usable by a client; the problem when not. */
export function resultProblem(method: string, result: unknown, doc: TextDocument): string | undefined {
  if (result === null || result === undefined) return undefined;
  switch (method) {
    case 'textDocument/semanticTokens/full': {
      const data = (result as { data?: number[] }).data;
      if (!Array.isArray(data) || data.length % 5 !== 0) return 'semantic tokens: data is not a multiple of 5 numbers';
      let line = 0;
      let char = 0;
      let previousEnd = 0;
      for (let i = 0; i < data.length; i += 5) {
        const [dl, dc, length, type, modifiers] = data.slice(i, i + 5);
        if (![dl, dc, length, type, modifiers].every(isUint))
          return `semantic tokens: token ${i / 5} has a negative or fractional number`;
        line += dl;
        char = dl === 0 ? char + dc : dc;
        if (length === 0) return `semantic tokens: token ${i / 5} (line ${line}) has length 0`;
        if (i > 0 && dl === 0 && char < previousEnd)
          return `semantic tokens: token ${i / 5} (${line}:${char}) starts before the previous one ends (${previousEnd})`;
        previousEnd = char + length;
        if (line >= doc.lineCount) return `semantic tokens: token ${i / 5} is on line ${line}, past the last line`;
        if (char + length > lineLength(doc, line))
          return `semantic tokens: token ${i / 5} (${line}:${char}, length ${length}) runs past the end of its line (${lineLength(doc, line)})`;
        if (type > 10 || modifiers >= 8)
          return `semantic tokens: token ${i / 5} has type ${type} / modifiers ${modifiers} outside the legend`;
      }
      return undefined;
    }
    case 'textDocument/formatting':
    case 'textDocument/rangeFormatting':
    case 'textDocument/onTypeFormatting': {
      const edits = result as TextEdit[];
      const problem = editsProblem(doc, edits, method);
      if (problem) return problem;
      const after = TextDocument.applyEdits(doc, edits);
      return withoutBlanks(after) === withoutBlanks(doc.getText())
        ? undefined
        : `${method}: the edits change more than blanks`;
    }
    case 'textDocument/codeAction':
      for (const action of result as {
        title?: unknown;
        command?: unknown;
        edit?: { changes?: Record<string, TextEdit[]> };
      }[]) {
        if (typeof action.title !== 'string') return 'code action without a title';
        if (action.command !== undefined) return `code action "${action.title}" carries a command`;
        if (!action.edit) return `code action "${action.title}" has no edit`;
        const problem = workspaceEditProblem(doc, action.edit, `code action "${action.title}"`);
        if (problem) return problem;
      }
      return undefined;
    case 'textDocument/rename':
    case 'workspace/executeCommand':
      return workspaceEditProblem(doc, result as { changes?: Record<string, TextEdit[]> }, method);
    case 'textDocument/completion': {
      const items = Array.isArray(result) ? result : (result as { items?: unknown[] }).items;
      if (!Array.isArray(items)) return 'completion: no items';
      for (const item of items as {
        label?: unknown;
        textEdit?: { range?: Range; insert?: Range; replace?: Range };
      }[]) {
        if (typeof item.label !== 'string') return 'completion item without a label';
        const edit = item.textEdit;
        if (edit) {
          const problem = edit.range
            ? rangeProblem(edit.range, `completion "${item.label}"`)
            : (rangeProblem(edit.insert, `completion "${item.label}" insert`) ??
              rangeProblem(edit.replace, `completion "${item.label}" replace`));
          if (problem) return problem;
        }
      }
      return undefined;
    }
    case 'textDocument/foldingRange':
      for (const f of result as { startLine: number; endLine: number }[]) {
        if (!isUint(f.startLine) || !isUint(f.endLine) || f.startLine > f.endLine || f.endLine >= doc.lineCount)
          return `folding range ${JSON.stringify(f)} is not within the document`;
      }
      return undefined;
    case 'textDocument/documentSymbol':
      for (const s of result as { location?: { range: Range }; range?: Range }[]) {
        const problem = rangeProblem(s.location?.range ?? s.range, 'symbol');
        if (problem) return problem;
      }
      return undefined;
    case 'textDocument/documentHighlight':
    case 'textDocument/documentLink':
      for (const h of result as { range: Range }[]) {
        const problem = rangeProblem(h.range, method);
        if (problem) return problem;
      }
      return undefined;
    case 'textDocument/hover': {
      const hover = result as { contents?: unknown; range?: Range };
      if (hover.contents === undefined) return 'hover without contents';
      return hover.range ? rangeProblem(hover.range, 'hover') : undefined;
    }
    case 'textDocument/prepareRename': {
      const r = result as Range | { range: Range };
      return rangeProblem('range' in r ? r.range : r, 'prepareRename');
    }
    case 'textDocument/definition':
      for (const location of [result].flat() as { range: Range }[]) {
        const problem = rangeProblem(location.range, 'definition');
        if (problem) return problem;
      }
      return undefined;
    default:
      return undefined;
  }
}

export function diagnosticsProblem(diagnostics: Diagnostic[]): string | undefined {
  for (const d of diagnostics) {
    const problem = rangeProblem(d.range, `diagnostic ${d.source}:${d.code}`);
    if (problem) return problem;
  }
  return undefined;
}

/** `switchBaseImage` refuses (RequestFailed, -32803) combinations it cannot make: an answer, not a failure. */
function expectedError(method: string, error: { code?: number }): boolean {
  return method === 'workspace/executeCommand' && error.code === -32803;
}

// ---------------------------------------------------------------------------------------------
// the loop

function signatureOf(kind: FindingKind, method: string, detail: string): string {
  const firstLine = detail.split('\n')[0];
  // A stack overflow ends wherever the stack ran out: name it by the frame that repeats most.
  const frames = [...detail.matchAll(/\n\s+at (\S+)/g)].map((m) => m[1]);
  const counts = new Map<string, number>();
  for (const f of frames) counts.set(f, (counts.get(f) ?? 0) + 1);
  const frame = /call stack/.test(firstLine)
    ? ([...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '')
    : (frames[0] ?? '');
  const text = kind === 'logged-failure' ? `${firstLine} ${frame}` : firstLine;
  return `${kind} ${method} ${text
    .replace(/file:\/\/\/\S+/g, '<uri>')
    .replace(/\d+/g, '#')
    .replace(/\[.*\]/g, '[…]')
    .slice(0, 160)}`;
}

interface Outcome {
  readonly kind: FindingKind;
  readonly detail: string;
}

/** Sends one request; the outcome when it is a finding. */
async function ask(
  session: Session,
  request: Request,
  doc: TextDocument,
  boundMs: number,
  stats: Record<string, MethodStats>,
): Promise<Outcome | undefined> {
  const started = performance.now();
  let result: unknown;
  try {
    result = await withTimeout(
      session.client.connection.sendRequest(request.method, request.params),
      boundMs,
      request.method,
    );
  } catch (error) {
    if (!session.alive)
      return {
        kind: 'crash',
        detail: `the server exited (code ${session.client.process.exitCode}, signal ${session.client.process.signalCode}) during ${request.method}\n${session.client.stderr().slice(-2000)}`,
      };
    const message = error instanceof Error ? error.message : String(error);
    if (/no answer within/.test(message)) return { kind: 'hang', detail: message };
    if (expectedError(request.method, error as { code?: number })) return undefined;
    return { kind: 'error-response', detail: `${(error as { code?: number }).code}: ${message}` };
  } finally {
    const ms = performance.now() - started;
    const s = (stats[request.method] ??= { count: 0, totalMs: 0, maxMs: 0 });
    s.count++;
    s.totalMs += ms;
    s.maxMs = Math.max(s.maxMs, ms);
  }
  const problem = resultProblem(request.method, result, doc);
  if (problem) return { kind: 'invalid-result', detail: problem };
  const next = request.followUp?.(result);
  return next ? ask(session, next, doc, boundMs, stats) : undefined;
}

export async function fuzz(options: FuzzOptions): Promise<FuzzReport> {
  const print = options.print ?? (() => undefined);
  const boundMs = options.requestBoundMs ?? 5000;
  const maxTextLength = options.maxTextLength ?? 64 * 1024;
  const random = new Random(options.seed);
  const seeds = loadSeeds(options.corpusDir);
  if (seeds.notice) print(seeds.notice);
  const report: FuzzReport = {
    seed: options.seed,
    seeds: seeds.texts.length,
    corpusNotice: seeds.notice,
    iterations: 0,
    requests: 0,
    restarts: 0,
    elapsedMs: 0,
    findings: [],
    methods: {},
  };
  const bySignature = new Map<string, Finding>();
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wc-fuzz-'));
  const started = Date.now();
  const deadline = started + options.seconds * 1000;

  const record = (outcome: Outcome, method: string, params: unknown, text: string) => {
    const signature = signatureOf(outcome.kind, method, outcome.detail);
    const known = bySignature.get(signature);
    if (known) {
      known.count++;
      return;
    }
    const finding: Finding = {
      signature,
      kind: outcome.kind,
      method,
      detail: outcome.detail,
      text,
      params,
      iteration: report.iterations,
      count: 1,
    };
    bySignature.set(signature, finding);
    report.findings.push(finding);
    print(`fuzz: finding #${report.findings.length} at iteration ${report.iterations}: ${signature}`);
  };

  let session = await Session.start(cacheDir);
  let documentCount = 0;
  let doc = TextDocument.create('file:///fuzz/0.Dockerfile', 'dockerfile', 1, '');
  let diagnostics: Diagnostic[] = [];
  let stale: Diagnostic[] = [];

  const restart = async () => {
    await session.stop().catch(() => undefined);
    session = await Session.start(cacheDir);
    report.restarts++;
  };
  const openFresh = async () => {
    const text = random.chance(0.2) ? randomDocument(random) : random.pick(seeds.texts);
    // Mostly Dockerfiles; some documents go to the compose and Kubernetes side (the corpus holds both).
    const kind = random.chance(0.7) ? DOCUMENT_KINDS[0] : random.pick(DOCUMENT_KINDS.slice(1));
    doc = TextDocument.create(`file:///fuzz/${++documentCount}${kind.suffix}`, kind.languageId, 1, text);
    session.client.open(doc.uri, text, 1, kind.languageId);
    diagnostics = await session.client.diagnosticsForVersion(doc.uri, 1, boundMs);
    stale = [];
  };
  /** A fresh document on a working server; a server that fails one is recorded and restarted. */
  const reopen = async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await openFresh();
        return;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        record(
          { kind: session.alive ? 'hang' : 'crash', detail: message },
          'textDocument/didOpen',
          { textDocument: { uri: doc.uri } },
          doc.getText(),
        );
        await restart();
      }
    }
    throw new Error('fuzz: the server failed three fresh documents in a row');
  };

  try {
    await reopen();
    while (Date.now() < deadline) {
      report.iterations++;
      const before = doc.getText();
      let method = 'textDocument/didChange';
      let params: unknown;
      try {
        if (random.chance(0.01)) {
          await openFresh();
          continue;
        }
        const change = mutate(random, before, random.pick(seeds.texts));
        if (before.length - (change.end - change.start) + change.text.length > maxTextLength) {
          await session.client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: doc.uri } });
          await openFresh();
          continue;
        }
        const event = random.chance(0.9)
          ? { range: { start: doc.positionAt(change.start), end: doc.positionAt(change.end) }, text: change.text }
          : { text: before.slice(0, change.start) + change.text + before.slice(change.end) };
        const version = doc.version + 1;
        doc = TextDocument.update(doc, [event], version);
        params = { textDocument: { uri: doc.uri, version }, contentChanges: [event] };
        await session.client.connection.sendNotification('textDocument/didChange', params);
        if (random.chance(0.02)) {
          method = 'workspace/didChangeConfiguration';
          session.client.settings = {
            ...SETTINGS,
            upstreamFeatures: random.pick(['on', 'off', 'auto']),
            formatter: { ignoreMultilineInstructions: random.chance(0.5) },
          };
          await session.client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
        }
        method = 'textDocument/publishDiagnostics';
        stale = diagnostics;
        diagnostics = await session.client.diagnosticsForVersion(doc.uri, version, boundMs);
        const problem = diagnosticsProblem(diagnostics);
        if (problem) record({ kind: 'invalid-result', detail: problem }, method, params, doc.getText());
        for (const line of session.newFailures())
          record({ kind: 'logged-failure', detail: line }, method, params, doc.getText());
        for (let n = random.int(2, 6); n > 0; n--) {
          const request = pickRequest(random, doc, diagnostics, stale);
          method = request.method;
          params = request.params;
          report.requests++;
          const outcome = await ask(session, request, doc, boundMs, report.methods);
          if (outcome) record(outcome, request.method, request.params, doc.getText());
          if (outcome?.kind === 'crash' || outcome?.kind === 'hang') throw new Error('restart');
          for (const line of session.newFailures())
            record({ kind: 'logged-failure', detail: line }, request.method, request.params, doc.getText());
        }
      } catch (error) {
        if (!(error instanceof Error && error.message === 'restart')) {
          const message = error instanceof Error ? error.message : String(error);
          if (!session.alive)
            record(
              { kind: 'crash', detail: `the server exited during ${method}\n${session.client.stderr().slice(-2000)}` },
              method,
              params,
              doc.getText(),
            );
          else
            record(
              { kind: /no (answer|matching diagnostics)/.test(message) ? 'hang' : 'error-response', detail: message },
              method,
              params,
              doc.getText(),
            );
        }
        await restart();
        await reopen();
      }
      for (const line of session.newFailures())
        record({ kind: 'logged-failure', detail: line }, method, params, doc.getText());
      if (!session.alive) {
        record(
          { kind: 'crash', detail: `the server exited\n${session.client.stderr().slice(-2000)}` },
          method,
          params,
          doc.getText(),
        );
        await restart();
        await reopen();
      }
      if (report.iterations % 500 === 0)
        print(
          `fuzz: ${report.iterations} changes, ${report.requests} requests, ${report.findings.length} finding(s), ${Math.round((Date.now() - started) / 1000)} s`,
        );
    }
  } finally {
    await session.stop().catch(() => undefined);
  }
  report.elapsedMs = Date.now() - started;
  if (options.minimizeSeconds && report.findings.length > 0)
    await minimizeAll(report.findings, options.minimizeSeconds, boundMs, cacheDir, print);
  fs.rmSync(cacheDir, { recursive: true, force: true });
  return report;
}

// ---------------------------------------------------------------------------------------------
// replay and minimisation

/**
 * Opens `text` on a session and sends the finding's request (for a finding of the diagnostics,
 * only waits for them): the signatures of the findings this shows.
 */
async function replay(session: Session, text: string, finding: Finding, boundMs: number, n: number): Promise<string[]> {
  // The finding's own kind of document (its request names the URI it was found on).
  const found = (finding.params as { textDocument?: { uri?: unknown } } | undefined)?.textDocument?.uri;
  const kind =
    DOCUMENT_KINDS.find((k) => typeof found === 'string' && found.endsWith(k.suffix) && k.suffix !== '.Dockerfile') ??
    DOCUMENT_KINDS[0];
  const uri = `file:///fuzz/replay-${n}${kind.suffix}`;
  const doc = TextDocument.create(uri, kind.languageId, 1, text);
  const seen: string[] = [];
  const failures = (method: string) =>
    session.newFailures().forEach((line) => seen.push(signatureOf('logged-failure', method, line)));
  session.newFailures();
  session.client.open(uri, text, 1, kind.languageId);
  let diagnostics: Diagnostic[] = [];
  try {
    diagnostics = await session.client.diagnosticsForVersion(uri, 1, boundMs);
  } catch (error) {
    return [
      signatureOf(
        session.alive ? 'hang' : 'crash',
        'textDocument/publishDiagnostics',
        error instanceof Error ? error.message : String(error),
      ),
    ];
  }
  const problem = diagnosticsProblem(diagnostics);
  if (problem) seen.push(signatureOf('invalid-result', 'textDocument/publishDiagnostics', problem));
  failures('textDocument/publishDiagnostics');
  if (
    finding.method !== 'textDocument/publishDiagnostics' &&
    finding.method !== 'textDocument/didChange' &&
    finding.params
  ) {
    const params = JSON.parse(
      JSON.stringify(finding.params)
        .split(JSON.stringify(findingUri(finding)).slice(1, -1))
        .join(uri),
    ) as { context?: { diagnostics?: Diagnostic[] } };
    if (params.context?.diagnostics) params.context.diagnostics = [...params.context.diagnostics, ...diagnostics];
    const outcome = await ask(session, { method: finding.method, params }, doc, boundMs, {});
    if (outcome) seen.push(signatureOf(outcome.kind, finding.method, outcome.detail));
    failures(finding.method);
  }
  if (session.alive)
    await session.client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  return seen;
}

function findingUri(finding: Finding): string {
  const params = finding.params as { textDocument?: { uri?: string }; arguments?: { uri?: string }[] } | undefined;
  return params?.textDocument?.uri ?? params?.arguments?.[0]?.uri ?? 'file:///fuzz/none';
}

/** Shrinks each finding's text (lines, then characters) while the same signature reproduces. */
async function minimizeAll(
  findings: Finding[],
  seconds: number,
  boundMs: number,
  cacheDir: string,
  print: (line: string) => void,
): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  let n = 0;
  for (const finding of findings) {
    if (Date.now() > deadline) break;
    let session = await Session.start(cacheDir);
    const reproduces = async (text: string) => {
      if (!session.alive) session = await Session.start(cacheDir);
      const seen = await replay(session, text, finding, boundMs, ++n).catch(() => [] as string[]);
      if (!session.alive || seen.some((signature) => signature.startsWith('hang'))) {
        await session.stop().catch(() => undefined);
        session = await Session.start(cacheDir);
      }
      return seen.includes(finding.signature);
    };
    try {
      if (!(await reproduces(finding.text))) {
        print(`fuzz: finding "${finding.signature}" does not reproduce from its text alone`);
        continue;
      }
      let text = finding.text;
      for (const unit of ['line', 'char'] as const) {
        const split = (t: string) => (unit === 'line' ? (t.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? []) : [...t]);
        let parts = split(text);
        for (
          let chunk = Math.max(1, Math.floor(parts.length / 2));
          chunk >= 1 && Date.now() < deadline;
          chunk = Math.floor(chunk / 2)
        ) {
          for (let i = 0; i < parts.length && Date.now() < deadline;) {
            const candidate = [...parts.slice(0, i), ...parts.slice(i + chunk)];
            if (candidate.length < parts.length && (await reproduces(candidate.join('')))) parts = candidate;
            else i += chunk;
          }
          if (chunk === 1) break;
        }
        text = parts.join('');
      }
      finding.minimized = text;
      print(
        `fuzz: minimised "${finding.signature}" to ${text.length} characters: ${JSON.stringify(text.slice(0, 300))}`,
      );
    } finally {
      await session.stop().catch(() => undefined);
    }
  }
}
