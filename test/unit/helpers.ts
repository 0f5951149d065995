/** Small helpers shared by the unit tests of the pure service and the CLI. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ValidationCode } from 'dockerfile-utils';
import type { Diagnostic, TextEdit } from 'vscode-languageserver-types';
import { normaliseSettings, Settings } from '../../common/settings';
import { pathToFileURL } from 'node:url';
import { createWindowsDockerfileService, WindowsDockerfileService } from '../../server/src/service/languageService';
import { withComposeAndKubernetes } from '../../server/src/service/yaml/routedService';
import { installLibraryPatches } from '../../server/src/patches';

/** The repository root, from `out/test/unit` (compiled) or `test/unit` (sources). */
export const REPO_ROOT = path.resolve(
  __dirname,
  __dirname.includes(`${path.sep}out${path.sep}`) ? '../../..' : '../..',
);
export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');

/** Fixtures are judged on a fixed date, so lifecycle findings do not change under them. */
export const FIXTURE_TODAY = '2026-11-21';

// What every host does before it parses (creating a service below does it too).
installLibraryPatches();

export const service: WindowsDockerfileService = createWindowsDockerfileService({
  log: (message) => {
    throw new Error(`the service logged an error: ${message}`);
  },
  today: () => FIXTURE_TODAY,
});

let version = 0;
export function snapshot(text: string, uri = 'file:///test/Dockerfile') {
  return { uri, version: ++version, text };
}

export function diagnose(text: string, settings: Settings = normaliseSettings(undefined)): Diagnostic[] {
  return service.validate(snapshot(text), settings);
}

const SEVERITY_NAMES = ['', 'error', 'warning', 'information', 'hint'];

/** One golden line: `line:col-line:col severity code message`, lines and columns 1-based. */
export function formatDiagnostic(d: Diagnostic): string {
  const { start, end } = d.range;
  const code = typeof d.code === 'number' ? `${d.source}:${ValidationCode[d.code] ?? d.code}` : String(d.code);
  return `${start.line + 1}:${start.character + 1}-${end.line + 1}:${end.character + 1} ${SEVERITY_NAMES[d.severity ?? 1]} ${code} ${d.message}`;
}

export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character ||
      String(a.code).localeCompare(String(b.code)),
  );
}

/** Applies non-overlapping text edits to a text. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = computeOffsets(text);
  const offset = (p: { line: number; character: number }) => (lines[p.line] ?? text.length) + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let result = text;
  for (const edit of sorted)
    result = result.slice(0, offset(edit.range.start)) + edit.newText + result.slice(offset(edit.range.end));
  return result;
}

function computeOffsets(text: string): number[] {
  const offsets = [0];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\r' && text[i + 1] === '\n') i++;
    if (text[i] === '\n' || text[i] === '\r') offsets.push(i + 1);
  }
  return offsets;
}

/** The server's service (Dockerfiles, compose files and manifests, routed by file name), on fixtures. */
export const routedService: WindowsDockerfileService = withComposeAndKubernetes(
  createWindowsDockerfileService({
    log: (message) => {
      throw new Error(`the service logged an error: ${message}`);
    },
    today: () => FIXTURE_TODAY,
  }),
  {
    log: (message) => {
      throw new Error(`the service logged an error: ${message}`);
    },
    today: () => FIXTURE_TODAY,
  },
);

/** The service, snapshots and `diagnose` for one fixture file: a Dockerfile by the plain service, a YAML file at its own path (so relative paths resolve). */
export function fixtureService(file: string) {
  if (!/\.ya?ml$/.test(file)) return { service, snapshot: (text: string) => snapshot(text), diagnose };
  const uri = pathToFileURL(file).href;
  const yamlSnapshot = (text: string) => snapshot(text, uri);
  return {
    service: routedService,
    snapshot: yamlSnapshot,
    diagnose: (text: string, settings: Settings = normaliseSettings(undefined)) =>
      routedService.validate(yamlSnapshot(text), settings),
  };
}

let cursorVersion = 0;
/** A snapshot of `textWithCursor` without its `|`, and the position the `|` marks (a new version each call). */
export function atCursor(textWithCursor: string, uri = 'file:///test/Dockerfile') {
  const offset = textWithCursor.indexOf('|');
  const text = textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1);
  const before = text.slice(0, offset).split('\n');
  return {
    snapshot: { uri, version: ++cursorVersion, text },
    position: { line: before.length - 1, character: before[before.length - 1].length },
  };
}

/** `node dist/cli.js lint <args>` in `cwd`: its exit code and output. */
export function lintCli(
  args: readonly string[],
  cwd = REPO_ROOT,
  options: { nodeArgs?: readonly string[]; timeoutMs?: number; maxBuffer?: number } = {},
) {
  const cli = path.join(REPO_ROOT, 'dist', 'cli.js');
  const result = spawnSync(process.execPath, [...(options.nodeArgs ?? []), cli, 'lint', ...args], {
    cwd,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 60_000,
    ...(options.maxBuffer ? { maxBuffer: options.maxBuffer } : {}),
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

/** A temporary folder holding `files` (relative path → text). */
export function tempTree(files: Record<string, string>, prefix = 'wc-lint-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}
