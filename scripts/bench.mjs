#!/usr/bin/env node
// `npm run bench`: our language server (`dist/server.js --stdio`) against the anchor,
// dockerfile-language-server-nodejs 0.15.0 (a pinned devDependency, the same engine), over LSP
// stdio, on generated Windows Dockerfiles (scripts/bench-input.mjs) of 100, 1,000, 3,000 and
// 10,000 lines, in one run. Prints a markdown table with both figures and ours/anchor ratios,
// the VSIX size and the extension's activation time in a real VS Code (the integration runner).
//
// A benchmark, never a test: it is not part of `npm test` and asserts nothing; it exits 0 when it
// could measure, whatever the figures. Every wait is bounded; both servers are killed at the end.
//
// By default it first runs `npm run package`, so the figures are those of the build that ships
// (minified dist/, the VSIX it measures), and puts the development build back at the end.
//
// Then the real-file mode: every Dockerfile of the shared corpus (../shared/corpus/windows and
// linux, real files by others; median about 20 lines), opened and edited in both servers side by side.
//
//   node scripts/bench.mjs [--sizes 100,1000,3000,10000] [--edits 20] [--cold-runs 5]
//                          [--json <file>] [--no-package] [--no-activation] [--server <dist/server.js>]
//                          [--corpus <folder>] [--no-corpus] [--corpus-only] [--corpus-edits 5]
//
// Inputs are written to a temporary folder (removed at the end), never to the repository.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateWindowsDockerfile, probePositions } from './bench-input.mjs';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const require = createRequire(import.meta.url);
const {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
} = require('vscode-languageserver-protocol/node');

const ANCHOR = path.join(ROOT, 'node_modules', 'dockerfile-language-server-nodejs', 'lib', 'server.js');
const ANCHOR_VERSION = JSON.parse(
  fs.readFileSync(path.join(ROOT, 'node_modules', 'dockerfile-language-server-nodejs', 'package.json'), 'utf8'),
).version;

// ---------------------------------------------------------------------------------------------
// Options

function parseArgs(argv) {
  const options = {
    sizes: [100, 1000, 3000, 10000],
    edits: 20,
    coldRuns: 5,
    json: undefined,
    package: true,
    activation: true,
    server: path.join(ROOT, 'dist', 'server.js'),
    corpus: path.resolve(ROOT, '..', 'shared', 'corpus'),
    corpusMode: 'also',
    corpusEdits: 5,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--sizes')
      options.sizes = value()
        .split(',')
        .map((s) => Number(s.replace(/_/g, '')));
    else if (arg === '--edits') options.edits = Number(value());
    else if (arg === '--cold-runs') options.coldRuns = Number(value());
    else if (arg === '--json') options.json = path.resolve(value());
    else if (arg === '--server') options.server = path.resolve(value());
    else if (arg === '--no-package') options.package = false;
    else if (arg === '--no-activation') options.activation = false;
    else if (arg === '--corpus') options.corpus = path.resolve(value());
    else if (arg === '--no-corpus') options.corpusMode = 'off';
    else if (arg === '--corpus-only') options.corpusMode = 'only';
    else if (arg === '--corpus-edits') options.corpusEdits = Number(value());
    else throw new Error(`unknown argument ${arg}`);
  }
  if (options.sizes.some((n) => !Number.isInteger(n) || n < 10))
    throw new Error('--sizes takes line counts of at least 10');
  if (!Number.isInteger(options.edits) || options.edits < 1) throw new Error('--edits takes a positive integer');
  if (!Number.isInteger(options.coldRuns) || options.coldRuns < 1)
    throw new Error('--cold-runs takes a positive integer');
  if (!Number.isInteger(options.corpusEdits) || options.corpusEdits < 1)
    throw new Error('--corpus-edits takes a positive integer');
  if (options.corpusMode === 'only') {
    options.sizes = [];
    options.package = false;
    options.activation = false;
  }
  return options;
}

// Bounds (milliseconds) of every wait.
const BOUND = {
  initialize: 20_000,
  /** Cold start and each edit: from the message to the diagnostics. */
  diagnostics: 60_000,
  request: 30_000,
  /** The anchor's semantic tokens are quadratic: about 20 s at 10,000 lines here. */
  semanticTokens: 180_000,
  /** The anchor asks Docker Hub for tags (a network round trip, or its failure offline). */
  tagCompletion: 10_000,
  shutdown: 3_000,
  package: 180_000,
  activation: 240_000,
};

/**
 * How long the servers are left idle before "RSS at rest" is read: past both of ours quiet-time
 * steps (1 s, then 6 s more: server/src/runtime/idleCollect.ts), with a second to spare.
 */
const REST_MS = 8_000;

/** Repetitions of a request: up to `max`, stopping once `budgetMs` is spent (at least one). */
const REPS = { max: 15, budgetMs: 3_000 };

// ---------------------------------------------------------------------------------------------
// Small helpers

const now = () => performance.now();

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    Promise.resolve(promise).finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutError(`${what}: no answer within ${ms} ms`, ms)), ms);
    }),
  ]);
}

class TimeoutError extends Error {
  constructor(message, ms) {
    super(message);
    this.ms = ms;
  }
}

function median(values) {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Nearest-rank percentile. */
function percentile(values, p) {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * CPU time a process has used so far (user + system, all its threads), in milliseconds, from
 * /proc (Linux; undefined elsewhere). Wall times on a shared machine include waiting for a core;
 * CPU time does not, so its ratios hold steadier from run to run.
 */
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;
function readCpu(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

function readMemory(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return { rss: undefined, peak: undefined };
  }
}

// ---------------------------------------------------------------------------------------------
// An LSP client over stdio

const live = new Set();

function killAll() {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
}

process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}

/**
 * The folder where our server keeps V8's code cache, as the extension's client gives it one
 * (`--code-cache-dir`, server/src/runtime/codeCache.ts); set in main(). The anchor has no such option.
 */
let codeCacheDir;

/** The node flags the extension's client starts our server with (client/src/languageClient.ts). */
const SERVER_NODE_FLAGS = JSON.parse(fs.readFileSync(path.join(ROOT, 'common', 'serverNodeFlags.json'), 'utf8'));

async function startServer(kind, serverPath, cacheDir) {
  const started = now();
  const args =
    kind === 'ours'
      ? [...SERVER_NODE_FLAGS, serverPath, '--stdio', ...(codeCacheDir ? ['--code-cache-dir', codeCacheDir] : [])]
      : [ANCHOR, '--stdio'];
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'], cwd: os.tmpdir() });
  live.add(child);
  child.on('exit', () => live.delete(child));
  child.stderr.on('data', () => undefined);
  const connection = createProtocolConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  const waiters = [];
  const published = [];
  connection.onNotification('textDocument/publishDiagnostics', (params) => {
    const at = now();
    published.push({ ...params, at });
    for (const waiter of [...waiters]) {
      if (waiter.accept(params)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve({ params, at });
      }
    }
  });
  connection.onNotification('window/logMessage', () => undefined);
  connection.onNotification('telemetry/event', () => undefined);
  // Default settings for both, all Windows rules on; the MCR tag refresh off so no network
  // round trip runs in the background of a measurement (completion never waits for it anyway).
  connection.onRequest('workspace/configuration', (params) =>
    params.items.map((item) => (item.section === 'windowsContainers' ? { catalogue: { liveRefresh: false } } : null)),
  );
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('client/unregisterCapability', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onRequest('workspace/applyEdit', () => ({ applied: false }));
  connection.onError(() => undefined);
  connection.listen();

  await withTimeout(
    connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      initializationOptions: { cacheDir },
      capabilities: {
        workspace: {
          configuration: true,
          applyEdit: true,
          didChangeConfiguration: { dynamicRegistration: true },
          workspaceEdit: { documentChanges: true },
        },
        textDocument: {
          synchronization: { dynamicRegistration: false },
          publishDiagnostics: { versionSupport: true },
          semanticTokens: {
            requests: { full: true },
            tokenTypes: [
              'keyword',
              'comment',
              'parameter',
              'property',
              'namespace',
              'class',
              'macro',
              'string',
              'variable',
              'operator',
            ],
            tokenModifiers: ['declaration', 'definition', 'deprecated'],
            formats: ['relative'],
          },
          completion: {
            completionItem: {
              documentationFormat: ['markdown', 'plaintext'],
              snippetSupport: true,
              deprecatedSupport: true,
              tagSupport: { valueSet: [1] },
            },
          },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          rename: { prepareSupport: true },
          foldingRange: { lineFoldingOnly: true },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
        },
      },
    }),
    BOUND.initialize,
    `${kind}: initialize`,
  );
  await connection.sendNotification('initialized', {});

  return {
    kind,
    child,
    connection,
    started,
    /** The next diagnostics for `uri` published after now that `accept` takes. */
    nextDiagnostics(uri, accept = () => true) {
      let waiter;
      const promise = new Promise((resolve) => {
        waiter = { accept: (params) => params.uri === uri && accept(params), resolve };
        waiters.push(waiter);
      });
      return withTimeout(promise, BOUND.diagnostics, `${kind}: diagnostics for ${uri}`).finally(() => {
        const i = waiters.indexOf(waiter);
        if (i >= 0) waiters.splice(i, 1);
      });
    },
    async stop() {
      try {
        await withTimeout(connection.sendRequest('shutdown'), BOUND.shutdown, `${kind}: shutdown`);
        await connection.sendNotification('exit');
      } catch {
        // killed below either way
      }
      connection.dispose();
      await new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          resolve();
        }, BOUND.shutdown);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      live.delete(child);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// One server on one file

/** Times a request `reps` times (bounded by REPS and `bound`); the median, or a timeout/failure note. */
async function timeRequest(server, method, params, bound = BOUND.request, describe) {
  const times = [];
  let lastResult;
  const deadline = now() + REPS.budgetMs;
  for (let i = 0; i < REPS.max && (i === 0 || now() < deadline); i++) {
    const start = now();
    try {
      lastResult = await withTimeout(server.connection.sendRequest(method, params), bound, `${server.kind}: ${method}`);
    } catch (error) {
      if (error instanceof TimeoutError) return { timeout: bound };
      return { failed: String(error?.message ?? error) };
    }
    times.push(now() - start);
    if (times[0] > REPS.budgetMs) break;
  }
  return { ms: median(times), reps: times.length, note: describe ? describe(lastResult) : undefined };
}

function completionCount(result) {
  const items = Array.isArray(result) ? result : (result?.items ?? []);
  return `${items.length} items`;
}

/** Spawns the server, opens the document: the time from spawning to its first diagnostics. Returns the running server too. */
async function coldStart(kind, serverPath, text, uri, cacheDir) {
  const server = await startServer(kind, serverPath, cacheDir);
  try {
    const first = server.nextDiagnostics(uri);
    await server.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'dockerfile', version: 1, text },
    });
    const cold = await first;
    return {
      server,
      ms: cold.at - server.started,
      cpu: readCpu(server.child.pid),
      diagnostics: cold.params.diagnostics.length,
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/** Cold starts before the measured run (each on a fresh process, stopped at once); the median of all is reported. */
async function extraColdStarts(kind, serverPath, text, lines, cacheDir, count) {
  const uri = pathToFileURL(path.join(os.tmpdir(), `bench-${lines}`, 'Dockerfile')).href;
  const times = [];
  for (let i = 0; i < count; i++) {
    const { server, ms, cpu } = await coldStart(kind, serverPath, text, uri, cacheDir);
    times.push({ ms, cpu });
    await server.stop();
  }
  return times;
}

async function measure(kind, serverPath, text, lines, options, cacheDir, earlierColdStarts = []) {
  const uri = pathToFileURL(path.join(os.tmpdir(), `bench-${lines}`, 'Dockerfile')).href;
  const result = { kind, lines };
  // Cold start: from spawning the process to the first diagnostics of the opened document.
  const started = await coldStart(kind, serverPath, text, uri, cacheDir);
  const server = started.server;
  try {
    const runs = [...earlierColdStarts, { ms: started.ms, cpu: started.cpu }];
    result.coldRuns = runs.map((run) => run.ms);
    result.cold = median(result.coldRuns);
    if (runs.every((run) => run.cpu !== undefined)) result.coldCpu = median(runs.map((run) => run.cpu));
    result.diagnostics = started.diagnostics;
    Object.assign(result, await sessionWork(kind, server, text, uri, options));
    Object.assign(result, readMemory(server.child.pid));
    // At rest: the same process after REST_MS with nothing to do (ours then gives back what a burst of
    // work made the heap grow to, server/src/runtime/idleCollect.ts). A measurement protocol, not a wait for an event.
    await new Promise((resolve) => setTimeout(resolve, REST_MS));
    result.rssAtRest = readMemory(server.child.pid).rss;
  } finally {
    await server.stop();
  }
  return result;
}

/**
 * Our first session, before any code cache exists (the first after installing or updating the
 * extension): it opens the file, edits it and asks what the measured sessions ask, as a user's first
 * session does, then exits, leaving the code cache every later start reads. So every size is
 * measured as a later session is, with the functions of editing and of the requests in the cache.
 */
async function firstSession(serverPath, text, lines, options, cacheDir) {
  const uri = pathToFileURL(path.join(os.tmpdir(), `bench-${lines}`, 'Dockerfile')).href;
  const started = await coldStart('ours', serverPath, text, uri, cacheDir);
  try {
    const work = await sessionWork('ours', started.server, text, uri, options);
    return { lines, ms: started.ms, editMedian: work.editMedian };
  } finally {
    await started.server.stop();
  }
}

/** Edits, then one series of each request, on an open document; the figures of each. */
async function sessionWork(kind, server, text, uri, options) {
  const probes = probePositions(text);
  const result = {};
  // Edit to diagnostics: type characters one by one into a PowerShell string in the middle of
  // the file (incremental sync), each time waiting for the diagnostics of that version (ours
  // publishes the version; the anchor does not, so for it: the next publication).
  const writeHost = probes.lines.findIndex((l, i) => i >= probes.runLine && l.includes('Write-Host "installed tool'));
  const column = probes.lines[writeHost].indexOf('"installed') + 1;
  const typed = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const edits = [];
  let version = 1;
  const cpuBefore = readCpu(server.child.pid);
  for (let i = 0; i < options.edits; i++) {
    version++;
    const at = { line: writeHost, character: column + i };
    const accept = kind === 'ours' ? (params) => params.version === version : () => true;
    const next = server.nextDiagnostics(uri, accept);
    const start = now();
    await server.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: at, end: at }, rangeLength: 0, text: typed[i % typed.length] }],
    });
    const published = await next;
    edits.push(published.at - start);
  }
  const cpuAfter = readCpu(server.child.pid);
  if (cpuBefore !== undefined && cpuAfter !== undefined) result.editCpu = (cpuAfter - cpuBefore) / options.edits;
  result.editRuns = edits;
  result.editMedian = median(edits);
  result.editP95 = percentile(edits, 95);

  // Completion: an instruction on a blank line, a repository after `FROM mcr.microsoft.com/windows/`, a tag after `nanoserver:`.
  const fromText = probes.lines[probes.fromLine];
  const doc = { uri };
  result.completionInstruction = await timeRequest(
    server,
    'textDocument/completion',
    { textDocument: doc, position: { line: probes.blankLine, character: 0 } },
    BOUND.request,
    completionCount,
  );
  result.completionRepository = await timeRequest(
    server,
    'textDocument/completion',
    {
      textDocument: doc,
      position: { line: probes.fromLine, character: 'FROM mcr.microsoft.com/windows/'.length },
      context: { triggerKind: 2, triggerCharacter: '/' },
    },
    BOUND.request,
    completionCount,
  );
  result.completionTag = await timeRequest(
    server,
    'textDocument/completion',
    {
      textDocument: doc,
      position: { line: probes.fromLine, character: fromText.indexOf(':') + 1 },
      context: { triggerKind: 2, triggerCharacter: ':' },
    },
    BOUND.tagCompletion,
    completionCount,
  );
  // Hover on an instruction keyword (both answer with the upstream documentation).
  result.hover = await timeRequest(
    server,
    'textDocument/hover',
    { textDocument: doc, position: { line: probes.keywordLine, character: 1 } },
    BOUND.request,
    (r) => (r ? 'content' : 'null'),
  );
  result.semanticTokens = await timeRequest(
    server,
    'textDocument/semanticTokens/full',
    { textDocument: doc },
    BOUND.semanticTokens,
    (r) => `${(r?.data?.length ?? 0) / 5} tokens`,
  );
  result.formatting = await timeRequest(
    server,
    'textDocument/formatting',
    { textDocument: doc, options: { tabSize: 4, insertSpaces: true } },
    BOUND.request,
    (r) => `${r?.length ?? 0} edits`,
  );
  return result;
}

// ---------------------------------------------------------------------------------------------
// Real files: the shared corpus

/** The Dockerfiles of the corpus (its windows/ and linux/ folders; compose and Kubernetes YAML are not Dockerfiles). */
function corpusFiles(folder) {
  const files = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && entry.name !== 'SOURCES.tsv') files.push(full);
    }
  };
  for (const group of ['windows', 'linux']) if (fs.existsSync(path.join(folder, group))) walk(path.join(folder, group));
  return files;
}

/**
 * Every corpus file in both servers, one process each (ours from its code cache, as in VS Code),
 * alternating which server goes first from file to file: didOpen to the first diagnostics, then
 * `edits` single characters typed in the middle line (before its last character, so a line
 * continuation stays one), incremental sync, each to the diagnostics of that version (the anchor
 * publishes no version: its next publication), then didClose.
 */
async function measureCorpus(options, cacheDir) {
  const files = corpusFiles(options.corpus);
  if (files.length === 0) return { error: `no corpus at ${options.corpus}` };
  const servers = {};
  const figures = { ours: { open: [], edit: [] }, anchor: { open: [], edit: [] } };
  const lines = files.map((file) => fs.readFileSync(file, 'utf8').split(/\r?\n/).length).sort((a, b) => a - b);
  try {
    for (const kind of ['ours', 'anchor']) servers[kind] = await startServer(kind, options.server, cacheDir);
    const cpuBefore = {};
    for (const kind of ['ours', 'anchor']) cpuBefore[kind] = readCpu(servers[kind].child.pid);
    for (const [index, file] of files.entries()) {
      const text = fs.readFileSync(file, 'utf8');
      const fileLines = text.split('\n');
      const line = Math.floor(fileLines.length / 2);
      const character = Math.max(0, fileLines[line].replace(/\r$/, '').length - 1);
      for (const kind of index % 2 === 0 ? ['ours', 'anchor'] : ['anchor', 'ours']) {
        const server = servers[kind];
        const uri = pathToFileURL(path.join(os.tmpdir(), 'bench-corpus', String(index), path.basename(file))).href;
        const opened = server.nextDiagnostics(uri);
        const start = now();
        await server.connection.sendNotification('textDocument/didOpen', {
          textDocument: { uri, languageId: 'dockerfile', version: 1, text },
        });
        figures[kind].open.push((await opened).at - start);
        for (let i = 0, version = 1; i < options.corpusEdits; i++) {
          version++;
          const at = { line, character: character + i };
          const expected = version;
          const next = server.nextDiagnostics(
            uri,
            kind === 'ours' ? (params) => params.version === expected : () => true,
          );
          const editStart = now();
          await server.connection.sendNotification('textDocument/didChange', {
            textDocument: { uri, version },
            contentChanges: [{ range: { start: at, end: at }, rangeLength: 0, text: 'x' }],
          });
          figures[kind].edit.push((await next).at - editStart);
        }
        await server.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
      }
    }
    for (const kind of ['ours', 'anchor']) {
      const cpu = readCpu(servers[kind].child.pid);
      Object.assign(figures[kind], readMemory(servers[kind].child.pid), {
        cpu: cpu === undefined || cpuBefore[kind] === undefined ? undefined : (cpu - cpuBefore[kind]) / files.length,
      });
    }
    // At rest, as for the generated sizes (a measurement protocol, not a wait for an event).
    await new Promise((resolve) => setTimeout(resolve, REST_MS));
    for (const kind of ['ours', 'anchor']) figures[kind].rssAtRest = readMemory(servers[kind].child.pid).rss;
  } finally {
    for (const server of Object.values(servers)) await server.stop();
  }
  const summary = (values) => ({ median: median(values), p95: percentile(values, 95), max: Math.max(...values) });
  return {
    files: files.length,
    lines: { median: median(lines), max: lines[lines.length - 1] },
    edits: options.corpusEdits,
    ours: {
      open: summary(figures.ours.open),
      edit: summary(figures.ours.edit),
      cpu: figures.ours.cpu,
      rss: figures.ours.rss,
      rssAtRest: figures.ours.rssAtRest,
      peak: figures.ours.peak,
    },
    anchor: {
      open: summary(figures.anchor.open),
      edit: summary(figures.anchor.edit),
      cpu: figures.anchor.cpu,
      rss: figures.anchor.rss,
      rssAtRest: figures.anchor.rssAtRest,
      peak: figures.anchor.peak,
    },
  };
}

function corpusTable(corpus) {
  if (corpus.error) return `Real files: not measured: ${corpus.error}.`;
  const row = (label, o, a, fmt) => {
    const r = a > 0 ? o / a : undefined;
    return `| ${label} | ${fmt(o)} | ${fmt(a)} | ${r === undefined ? '' : `${r < 0.1 ? r.toFixed(3) : r.toFixed(2)}×`} |`;
  };
  return [
    `Real files: the ${corpus.files} Dockerfiles of the shared corpus (median ${corpus.lines.median} lines, largest ${corpus.lines.max}), one process per server, each file opened, ${corpus.edits} single characters typed in its middle line (incremental sync), closed.`,
    '',
    '| Metric | Ours | Anchor | Ours / anchor |',
    '|---|---|---|---|',
    row('Open to diagnostics, median', corpus.ours.open.median, corpus.anchor.open.median, fmtMs),
    row('Open to diagnostics, p95', corpus.ours.open.p95, corpus.anchor.open.p95, fmtMs),
    row('Edit to diagnostics, median', corpus.ours.edit.median, corpus.anchor.edit.median, fmtMs),
    row('Edit to diagnostics, p95', corpus.ours.edit.p95, corpus.anchor.edit.p95, fmtMs),
    row('Edit to diagnostics, slowest', corpus.ours.edit.max, corpus.anchor.edit.max, fmtMs),
    row('CPU time per file (open, edits, close) ⁴', corpus.ours.cpu, corpus.anchor.cpu, fmtMs),
    row('Server RSS after the corpus', corpus.ours.rss, corpus.anchor.rss, fmtMb),
    row('Server RSS at rest after the corpus ³', corpus.ours.rssAtRest, corpus.anchor.rssAtRest, fmtMb),
    row('Server peak RSS', corpus.ours.peak, corpus.anchor.peak, fmtMb),
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// The web extension's server in a browser

/**
 * The browser server (dist/web/server.js, the web extension's language server) in headless
 * Chromium: each run a fresh page starts it as a worker and speaks LSP over postMessage, as the
 * web client does (initialize, initialized, didOpen); the time from `new Worker` to the first
 * publishDiagnostics. The page and the bundle come from a loopback server.
 */
async function measureBrowser(text, runs) {
  const bundle = path.join(ROOT, 'dist', 'web', 'server.js');
  if (!fs.existsSync(bundle)) return { error: 'no dist/web/server.js (npm run build)' };
  let chromium;
  try {
    ({ chromium } = require('playwright-core'));
  } catch {
    return { error: 'playwright-core is not installed' };
  }
  const http = require('node:http');
  const page = `<!doctype html><script>
window.coldStart = (text) => new Promise((resolve, reject) => {
  const started = performance.now();
  const worker = new Worker('/server.js');
  const send = (message) => worker.postMessage({ jsonrpc: '2.0', ...message });
  worker.onerror = (event) => reject(new Error(event.message));
  worker.onmessage = ({ data }) => {
    if (data.id === 1 && data.result) {
      send({ method: 'initialized', params: {} });
      send({ method: 'textDocument/didOpen', params: { textDocument: { uri: 'file:///bench/Dockerfile', languageId: 'dockerfile', version: 1, text } } });
    } else if (data.method === 'textDocument/publishDiagnostics') {
      resolve({ ms: performance.now() - started, diagnostics: data.params.diagnostics.length });
      worker.terminate();
    } else if (data.method && data.id !== undefined) {
      send({ id: data.id, result: data.method === 'workspace/configuration' ? data.params.items.map(() => null) : null });
    }
  };
  send({ id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: { workspace: { configuration: true } } } });
});
</script>`;
  const server = http.createServer((request, response) => {
    if (request.url === '/server.js') {
      response.writeHead(200, { 'Content-Type': 'text/javascript' });
      fs.createReadStream(bundle).pipe(response);
    } else response.writeHead(200, { 'Content-Type': 'text/html' }).end(page);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  try {
    const times = [];
    let diagnostics;
    for (let i = 0; i < runs; i++) {
      const tab = await browser.newPage();
      await tab.goto(`http://127.0.0.1:${server.address().port}/`);
      const result = await withTimeout(
        tab.evaluate((t) => window.coldStart(t), text),
        BOUND.diagnostics,
        'browser server: first diagnostics',
      );
      times.push(result.ms);
      diagnostics = result.diagnostics;
      await tab.close();
    }
    return {
      ms: median(times),
      runs: times,
      diagnostics,
      bytes: fs.statSync(bundle).size,
      nodeBytes: fs.statSync(path.join(ROOT, 'dist', 'serverMain.js')).size,
    };
  } finally {
    await browser.close();
    server.close();
  }
}

// ---------------------------------------------------------------------------------------------
// VSIX size and activation time

/** `npm run package`: the production build in dist/ and windows-containers.vsix. */
function packageVsix() {
  const vsix = path.join(ROOT, 'windows-containers.vsix');
  const run = spawnSync('npm', ['run', '--silent', 'package'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: BOUND.package,
    shell: process.platform === 'win32',
  });
  if (run.status !== 0 || !fs.existsSync(vsix))
    return {
      error: `npm run package failed: ${(run.stderr || run.stdout || String(run.error)).trim().split('\n').slice(-3).join(' ')}`,
    };
  const files = /\((\d+) files/.exec(run.stdout ?? '')?.[1];
  return { bytes: fs.statSync(vsix).size, fresh: true, files };
}

/** Puts the development build (what `npm run build` makes) back in dist/. */
function restoreDevelopmentBuild() {
  spawnSync(process.execPath, [path.join(ROOT, 'esbuild.mjs')], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: BOUND.package,
  });
}

function existingVsix() {
  const vsix = path.join(ROOT, 'windows-containers.vsix');
  if (!fs.existsSync(vsix)) return { error: 'no windows-containers.vsix (run without --no-package)' };
  return { bytes: fs.statSync(vsix).size, fresh: false, date: fs.statSync(vsix).mtime.toISOString() };
}

const ACTIVATION_RUNS = 3;

/**
 * Activation in a real VS Code: the integration runner (VS Code server + headless Chromium) runs
 * only the `activation time` test (test/integration/suite/activation.test.ts) in a fresh
 * extension host, which activates the extension and writes to the file named by
 * WINDOWS_CONTAINERS_ACTIVATION_FILE VS Code's own marks around loading dist/client.js and
 * calling its `activate` (their sum is what "Developer: Show Running Extensions" shows).
 */
function measureActivation() {
  const runner = path.join(ROOT, 'out', 'test', 'integration', 'runServer.js');
  const suiteFile = path.join(ROOT, 'out', 'test', 'integration', 'suite', 'activation.test.js');
  const tsc = spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(ROOT, 'test', 'tsconfig.json')],
    {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: BOUND.activation,
    },
  );
  if (!fs.existsSync(runner) || !fs.existsSync(suiteFile)) {
    return {
      error: `the integration suite is not compiled (tsc -p test/tsconfig.json: ${(tsc.stdout || tsc.stderr || '').trim().split('\n')[0]})`,
    };
  }
  const install = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'install-vscode-server.mjs')], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: BOUND.activation,
  });
  if (install.status !== 0)
    return { error: `VS Code server is not installed (node scripts/install-vscode-server.mjs failed)` };
  const samples = [];
  let vscode;
  let lastError;
  for (let i = 0; i < ACTIVATION_RUNS; i++) {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wc-activation-')), 'activation.json');
    const run = spawnSync(process.execPath, [runner], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: BOUND.activation,
      env: {
        ...process.env,
        INTEGRATION_GREP: '^activation time',
        INTEGRATION_QUIET: '1',
        WINDOWS_CONTAINERS_ACTIVATION_FILE: file,
      },
    });
    try {
      const measured = JSON.parse(fs.readFileSync(file, 'utf8'));
      samples.push(measured);
      vscode = measured.vscode;
    } catch {
      lastError = `the runner wrote no measurement (exit ${run.status}${run.error ? `, ${run.error.message}` : ''}): ${(run.stdout || '').trim().split('\n').slice(-1)[0] ?? ''}`;
    }
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
  if (samples.length === 0) return { error: lastError };
  const of = (key) => median(samples.map((sample) => sample[key]).filter((v) => typeof v === 'number'));
  return {
    ms: of('activationMs'),
    samples: samples.map((sample) => sample.activationMs),
    codeLoadingMs: of('codeLoadingMs'),
    activateCallMs: of('activateCallMs'),
    hostMs: of('hostMs'),
    readyMs: of('readyMs'),
    vscode,
  };
}

// ---------------------------------------------------------------------------------------------
// Report

const fmtMs = (ms) =>
  ms === undefined
    ? 'n/a'
    : ms >= 10_000
      ? `${(ms / 1000).toFixed(1)} s`
      : ms >= 100
        ? `${ms.toFixed(0)} ms`
        : ms >= 10
          ? `${ms.toFixed(1)} ms`
          : `${ms.toFixed(2)} ms`;
const fmtMb = (mb) => (mb === undefined || Number.isNaN(mb) ? 'n/a' : `${mb.toFixed(0)} MB`);

function valueOf(entry) {
  if (entry === undefined) return undefined;
  if (typeof entry === 'number') return entry;
  return entry.ms;
}

function cellText(entry, fmt) {
  if (entry === undefined) return 'n/a';
  if (typeof entry === 'number') return fmt(entry);
  if (entry.timeout) return `> ${fmtMs(entry.timeout)} (bound)`;
  if (entry.failed) return `failed`;
  return fmt(entry.ms);
}

function ratio(ours, anchor) {
  const a = valueOf(anchor);
  const o = valueOf(ours);
  if (o === undefined || a === undefined || !(a > 0)) {
    if (o !== undefined && anchor?.timeout) return `< ${(o / anchor.timeout).toFixed(3)}×`;
    return '';
  }
  const r = o / a;
  return `${r < 0.1 ? r.toFixed(3) : r.toFixed(2)}×`;
}

const ROWS = [
  ['Cold start to first diagnostics ²', 'cold', fmtMs],
  ['Edit to diagnostics, median', 'editMedian', fmtMs],
  ['Edit to diagnostics, p95', 'editP95', fmtMs],
  ['Cold start, CPU time ⁴', 'coldCpu', fmtMs],
  ['Edit, CPU time per edit (mean) ⁴', 'editCpu', fmtMs],
  ['Completion: instruction', 'completionInstruction', fmtMs],
  ['Completion: FROM repository', 'completionRepository', fmtMs],
  ['Completion: FROM tag ¹', 'completionTag', fmtMs],
  ['Hover (instruction)', 'hover', fmtMs],
  ['Semantic tokens (full)', 'semanticTokens', fmtMs],
  ['Formatting (document)', 'formatting', fmtMs],
  ['Server RSS at the end', 'rss', fmtMb],
  ['Server RSS at rest ³', 'rssAtRest', fmtMb],
  ['Server peak RSS', 'peak', fmtMb],
];

function table(results, sizes) {
  const header = `| Metric (ours / anchor, ratio) | ${sizes.map((n) => `${n.toLocaleString('en-US')} lines`).join(' | ')} |`;
  const rule = `|---|${sizes.map(() => '---').join('|')}|`;
  const rows = ROWS.map(([label, key, fmt]) => {
    const cells = sizes.map((n) => {
      const ours = results.find((r) => r.kind === 'ours' && r.lines === n)?.[key];
      const anchor = results.find((r) => r.kind === 'anchor' && r.lines === n)?.[key];
      const r = ratio(ours, anchor);
      return `${cellText(ours, fmt)} / ${cellText(anchor, fmt)}${r ? ` (${r})` : ''}`;
    });
    return `| ${label} | ${cells.join(' | ')} |`;
  });
  const diag = `| Diagnostics published (ours / anchor) | ${sizes
    .map(
      (n) =>
        `${results.find((r) => r.kind === 'ours' && r.lines === n)?.diagnostics ?? 'n/a'} / ${results.find((r) => r.kind === 'anchor' && r.lines === n)?.diagnostics ?? 'n/a'}`,
    )
    .join(' | ')} |`;
  return [header, rule, ...rows, diag].join('\n');
}

function targets(results, sizes, activation) {
  const get = (kind, n, key) => valueOf(results.find((r) => r.kind === kind && r.lines === n)?.[key]);
  const checks = [];
  for (const key of ['cold', 'editMedian']) {
    const label = key === 'cold' ? 'Cold start to first diagnostics' : 'Edit to diagnostics (median)';
    const ratios = sizes.map((n) => ({ n, r: get('ours', n, key) / get('anchor', n, key) }));
    // The target is at 3,000 lines (issue 20: the speed mechanisms are kept only where they pay on real
    // files or hold it); the other sizes are printed beside it.
    const at3000 = ratios.find((x) => x.n === 3000);
    checks.push([
      `${label} ≤ 1.0× the anchor at 3,000 lines`,
      at3000 ? at3000.r <= 1.0 : undefined,
      ratios.map((x) => `${x.n}: ${x.r.toFixed(2)}×`).join(', '),
    ]);
  }
  if (sizes.includes(3000)) {
    const o = get('ours', 3000, 'semanticTokens');
    const anchorEntry = results.find((r) => r.kind === 'anchor' && r.lines === 3000)?.semanticTokens;
    const a = valueOf(anchorEntry) ?? anchorEntry?.timeout;
    checks.push([
      'Semantic tokens ≤ 0.05× the anchor at 3,000 lines',
      o / a <= 0.05,
      `${fmtMs(o)} vs ${fmtMs(a)}: ${(o / a).toFixed(4)}×`,
    ]);
  }
  if (sizes.includes(10000)) {
    const o = get('ours', 10000, 'semanticTokens');
    checks.push(['Semantic tokens < 100 ms at 10,000 lines', o < 100, fmtMs(o)]);
  }
  if (sizes.includes(1000)) {
    const o = ['completionInstruction', 'completionRepository', 'completionTag'].map((k) => get('ours', 1000, k));
    checks.push([
      'Completion median < 5 ms at 1,000 lines',
      o.every((v) => v < 5),
      `instruction ${fmtMs(o[0])}, repository ${fmtMs(o[1])}, tag ${fmtMs(o[2])}`,
    ]);
  }
  if (sizes.includes(10000)) {
    // Judged at rest: what the process holds while the file stays open. Right after the last answer
    // the heap still holds that burst's garbage (docs/performance.md: why that reading cannot be
    // under 80 MB at 10,000 lines); it is printed beside it, with the anchor's.
    const rest = get('ours', 10000, 'rssAtRest');
    const after = `right after the last answer ${fmtMb(get('ours', 10000, 'rss'))} (anchor ${fmtMb(get('anchor', 10000, 'rss'))}), peak ${fmtMb(get('ours', 10000, 'peak'))}`;
    checks.push([
      'Server RSS < 80 MB at 10,000 lines (at rest ³)',
      rest < 80,
      `${fmtMb(rest)} (anchor ${fmtMb(get('anchor', 10000, 'rssAtRest'))}); ${after}`,
    ]);
  }
  if (activation?.ms !== undefined)
    checks.push([
      'Activation < 50 ms',
      activation.ms < 50,
      `${fmtMs(activation.ms)} (median of ${activation.samples.join(', ')} ms)`,
    ]);
  else if (activation) checks.push(['Activation < 50 ms', undefined, `not measured: ${activation.error}`]);
  return [
    '| Target | Holds | Measured |',
    '|---|---|---|',
    ...checks.map(([t, ok, m]) => `| ${t} | ${ok === undefined ? '?' : ok ? 'yes' : 'NO'} | ${m} |`),
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(options.server))
    throw new Error(`missing ${path.relative(ROOT, options.server)}: run npm run build (npm run bench does)`);
  if (!fs.existsSync(ANCHOR)) throw new Error('missing dockerfile-language-server-nodejs: run npm ci');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wc-bench-'));
  const results = [];
  const started = Date.now();
  let vsix;
  if (options.package) {
    process.stderr.write(
      'bench: npm run package (the servers and the activation are measured on the build that ships) ...\n',
    );
    vsix = packageVsix();
  } else vsix = existingVsix();
  codeCacheDir = path.join(tmp, 'code-cache');
  let firstStart;
  let corpus;
  let browserServer;
  try {
    // Our very first start, before any code cache exists (the first start after installing or
    // updating the extension); every later start of ours reads the cache this one leaves at exit.
    {
      const lines = options.sizes[0] ?? 100;
      const text = generateWindowsDockerfile(lines);
      const first = await firstSession(options.server, text, lines, options, path.join(tmp, 'tags'));
      firstStart = {
        ...first,
        cached: fs.existsSync(codeCacheDir) && fs.readdirSync(codeCacheDir).some((name) => name.endsWith('.v8cache')),
      };
    }
    for (const lines of options.sizes) {
      const text = generateWindowsDockerfile(lines);
      fs.writeFileSync(path.join(tmp, `windows-${lines}.Dockerfile`), text);
      // Cold starts alternate between the two servers (the machine's load changes over time); the
      // last cold start of each goes on with the other measurements.
      const cold = { ours: [], anchor: [] };
      for (let run = 0; run + 1 < options.coldRuns; run++) {
        for (const kind of run % 2 === 0 ? ['ours', 'anchor'] : ['anchor', 'ours']) {
          cold[kind].push(...(await extraColdStarts(kind, options.server, text, lines, path.join(tmp, 'tags'), 1)));
        }
      }
      for (const kind of ['ours', 'anchor']) {
        process.stderr.write(`bench: ${kind}, ${lines} lines ...`);
        const t = Date.now();
        results.push(await measure(kind, options.server, text, lines, options, path.join(tmp, 'tags'), cold[kind]));
        process.stderr.write(` ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
      }
    }
    if (options.sizes.length > 0) {
      process.stderr.write('bench: the browser server in headless Chromium ...');
      const t = Date.now();
      browserServer = await measureBrowser(generateWindowsDockerfile(options.sizes[0]), options.coldRuns).catch(
        (error) => ({ error: String(error?.message ?? error) }),
      );
      process.stderr.write(` ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
    }
    if (options.corpusMode !== 'off') {
      process.stderr.write(`bench: real files of ${options.corpus} ...`);
      const t = Date.now();
      corpus = await measureCorpus(options, path.join(tmp, 'tags'));
      process.stderr.write(` ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
    }
  } finally {
    killAll();
  }

  let activation;
  if (options.activation) {
    process.stderr.write('bench: activation in VS Code server (integration runner) ...\n');
    activation = measureActivation();
  }
  if (options.package) restoreDevelopmentBuild();
  fs.rmSync(tmp, { recursive: true, force: true });

  const out = [];
  out.push(`## Benchmark: windows-containers language server vs dockerfile-language-server-nodejs ${ANCHOR_VERSION}`);
  out.push('');
  out.push(
    `Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model?.trim() ?? 'cpu'}, ${os.platform()} ${os.release()}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; ${new Date().toISOString().slice(0, 16)}Z; ${((Date.now() - started) / 1000).toFixed(0)} s.`,
  );
  const generated = options.sizes.length > 0;
  if (generated) {
    out.push(
      `Generated Windows Dockerfiles (scripts/bench-input.mjs), default settings (all Windows rules on), ${options.edits} edits, other requests: median of up to ${REPS.max} within ${REPS.budgetMs / 1000} s.`,
    );
    out.push('');
    out.push(table(results, options.sizes));
  }
  if (browserServer) {
    out.push('');
    const nodeCold = results.find((r) => r.kind === 'ours' && r.lines === options.sizes[0])?.cold;
    out.push(
      browserServer.error
        ? `Browser server: not measured: ${browserServer.error}.`
        : `Browser server (the web extension's, dist/web/server.js): ${(browserServer.bytes / 1024).toFixed(0)} KiB against the node server's dist/serverMain.js ${(browserServer.nodeBytes / 1024).toFixed(0)} KiB; cold start to first diagnostics in headless Chromium (a fresh page and worker each time, ${options.sizes[0]} lines, ${browserServer.diagnostics} diagnostics): ${fmtMs(browserServer.ms)}, median of ${browserServer.runs.map((ms) => ms.toFixed(0)).join(', ')} ms; the node server's cold start above: ${fmtMs(nodeCold)}.`,
    );
  }
  if (corpus) {
    out.push('');
    out.push(corpusTable(corpus));
  }
  out.push('');
  if (generated) {
    out.push(
      `¹ The anchor asks Docker Hub (auth.docker.io) for tags, so its figure is a network round trip (or its failure offline); ours answers from the bundled catalogue of Microsoft images. Item counts: ${options.sizes
        .map(
          (n) =>
            `${n}: ${results.find((r) => r.kind === 'ours' && r.lines === n)?.completionTag?.note ?? 'n/a'} / ${results.find((r) => r.kind === 'anchor' && r.lines === n)?.completionTag?.note ?? 'n/a'}`,
        )
        .join('; ')}.`,
    );
    out.push(
      `² Median of ${options.coldRuns} cold starts per server and size (fresh processes, the two servers alternating): spawning node, initialize, didOpen, the first publishDiagnostics. ` +
        `Ours starts from V8's code cache, as in VS Code (\`--code-cache-dir\`, server/src/runtime/codeCache.ts): its first session, without a cache, opened the ${firstStart?.lines}-line file, edited it and made the requests above, as a user's first session after installing does, and left the cache at exit (a process that compiled more than the cache held writes it again at exit, as each VS Code session does); every start measured above is a later one. That first start took ${fmtMs(firstStart?.ms)} (the anchor's cold start: ${fmtMs(results.find((r) => r.kind === 'anchor' && r.lines === firstStart?.lines)?.cold)}) and its edits ${fmtMs(firstStart?.editMedian)} (median) at ${firstStart?.lines} lines` +
        `${firstStart?.cached ? '' : ', and it left no cache: the figures above are without one'}.`,
    );
  }
  if (generated || corpus) {
    out.push(
      `³ The same process ${REST_MS / 1000} s after its last answer${generated ? ', the document still open' : ''}. Ours gives back what a burst of work made the heap grow to after 1 s without messages, and the young generation's growth 6 s later (server/src/runtime/idleCollect.ts); the anchor keeps both.`,
    );
    out.push(
      `⁴ CPU time of the server process (user and system, all its threads, from /proc; ${CLOCK_TICKS} ticks a second): ${generated ? `for a cold start the whole process until its first diagnostics (median of the runs), for edits the process over all ${options.edits} edits divided by their number` : ''}${generated && corpus ? '; ' : ''}${corpus ? 'for the real files the process over the whole corpus divided by the number of files' : ''}. On a machine shared with other work the wall times above include waiting for a core; the CPU times do not.`,
    );
  }
  out.push('');
  out.push(
    `Servers: ours runs with the node flags its VS Code client gives it (${SERVER_NODE_FLAGS.join(' ') || 'none'}: common/serverNodeFlags.json), the anchor with node's defaults; ${options.package ? 'both from the production build (npm run package)' : `ours from dist/ as it is (--no-package)`}. VSIX: ${
      vsix.bytes !== undefined
        ? `${(vsix.bytes / 1024).toFixed(0)} KiB (${vsix.bytes.toLocaleString('en-US')} bytes${vsix.files ? `, ${vsix.files} files` : ''}${vsix.fresh ? ', npm run package' : `, existing file of ${vsix.date}`})`
        : vsix.error
    }.`,
  );
  if (activation) {
    out.push(
      activation.ms !== undefined
        ? `Activation in VS Code ${activation.vscode} (VS Code server, headless Chromium), median of ${activation.samples.length} fresh extension hosts: ` +
            `${fmtMs(activation.ms)} (loading dist/client.js ${fmtMs(activation.codeLoadingMs)} + activate() ${fmtMs(activation.activateCallMs)}, VS Code's marks, 1 ms resolution: what "Developer: Show Running Extensions" shows; runs: ${activation.samples.join(', ')} ms). ` +
            `extension.activate() as a test sees it, VS Code creating the extension context included: ${fmtMs(activation.hostMs)}; until the language server runs: ${fmtMs(activation.readyMs)}.`
        : `Activation: not measured: ${activation.error}.`,
    );
  } else out.push('Activation: not measured (--no-activation).');
  if (generated) {
    out.push('');
    out.push(targets(results, options.sizes, activation));
  }
  console.log(out.join('\n'));
  if (options.json)
    fs.writeFileSync(
      options.json,
      JSON.stringify({ results, browserServer, corpus, firstStart, vsix, activation }, null, 2) + '\n',
    );
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`bench: ${error?.stack ?? error}`);
    killAll();
    process.exit(1);
  },
);
