/**
 * Sets the default isolation of the Windows Docker engine in its `daemon.json`, for the VS Code
 * command and the CLI alike.
 *
 * The engine reads `exec-opts: ["isolation=process"]` or `["isolation=hyperv"]`; without the entry
 * it uses its own default (hyperv on Windows 10/11, process on Windows Server). Sources: the
 * dockerd reference (`--exec-opt isolation=`, "Daemon configuration file") and
 * https://learn.microsoft.com/virtualization/windowscontainers/manage-containers/hyperv-container
 *
 * This file is the pure side: `applyIsolation` edits the JSON text minimally (every other key,
 * value, the BOM, line endings and indentation stay as they were) and refuses text that is not
 * strict JSON; plus the paths, Docker Desktop detection and the elevated PowerShell fallback.
 * daemonConfigFile.ts reads and writes the file (lock, backup, atomic replace).
 */
import * as nodeFs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyEdits, Edit, Node, parse, ParseError, ParseErrorCode, parseTree } from 'jsonc-parser';

/** The setting (under `windowsContainers`) that names the daemon.json to edit; `machine` scope. */
export const DAEMON_CONFIG_PATH_SETTING = 'daemon.configPath';

export type IsolationMode = 'process' | 'hyperv' | 'default';
export const ISOLATION_MODES: readonly IsolationMode[] = ['process', 'hyperv', 'default'];

/** One line per mode, for the quick pick and the CLI's help. */
export const ISOLATION_DESCRIPTIONS: Readonly<Record<IsolationMode, string>> = {
  process: 'containers share the host kernel; the image must match the host Windows version',
  hyperv: 'each container runs in a utility VM; runs images of older Windows versions',
  default: "remove the entry: the engine's default (hyperv on Windows 10/11, process on Windows Server)",
};

export function isIsolationMode(value: unknown): value is IsolationMode {
  return typeof value === 'string' && (ISOLATION_MODES as readonly string[]).includes(value);
}

export type DaemonConfigErrorCode = 'invalid-json' | 'unsupported' | 'permission-denied' | 'locked' | 'changed' | 'io';

/** Every failure of this module: nothing was changed on disk when one is thrown. */
export class DaemonConfigError extends Error {
  constructor(
    readonly code: DaemonConfigErrorCode,
    message: string,
    readonly file?: string,
    /** 1-based, for `invalid-json`. */
    readonly position?: { readonly line: number; readonly column: number },
  ) {
    super(message);
    this.name = 'DaemonConfigError';
  }
}

// ---------------------------------------------------------------------------------------------
// pure text

export interface IsolationEdit {
  /** The text after the change; equal to the input when nothing changes. */
  readonly text: string;
  readonly changed: boolean;
  /** The isolation values the file set before (normally none or one). */
  readonly previous: readonly string[];
}

const ISOLATION_ENTRY = /^\s*isolation\s*=/i;
const BOM = '\uFEFF';

function isolationValue(entry: string): string {
  return entry.slice(entry.indexOf('=') + 1).trim();
}

/**
 * Sets `isolation=<mode>` in the `exec-opts` of a daemon.json text (`default` removes it),
 * replacing any earlier isolation entry and keeping every other entry and key. An emptied
 * `exec-opts` stays as `[]` (the smallest edit; dockerd accepts it). An empty or blank text is
 * read as `{}`. Throws `DaemonConfigError` (`invalid-json`, `unsupported`) and changes nothing
 * when the text is not strict JSON or `exec-opts` is not an array of strings.
 */
export function applyIsolation(original: string, mode: IsolationMode): IsolationEdit {
  const bom = original.startsWith(BOM) ? BOM : '';
  const body = original.slice(bom.length);
  const eol = /\r\n/.test(body) || (!/\n/.test(body) && /\r/.test(body)) ? '\r\n' : '\n';
  const unit = /^([ \t]+)"/m.exec(body)?.[1] ?? '  ';
  const wanted = `isolation=${mode}`;

  if (body.trim() === '') {
    if (mode === 'default') return { text: original, changed: false, previous: [] };
    const text = `${bom}{${eol}${unit}"exec-opts": [${eol}${unit}${unit}${JSON.stringify(wanted)}${eol}${unit}]${eol}}${eol}`;
    return { text, changed: true, previous: [] };
  }

  const data = parseStrict(body);
  let text = body;
  const entries = readExecOpts(text).entries;
  const previous = entries.filter((e) => ISOLATION_ENTRY.test(e)).map(isolationValue);
  const first = entries.findIndex((e) => ISOLATION_ENTRY.test(e));

  if (mode !== 'default' && first >= 0 && isolationValue(entries[first]).toLowerCase() !== mode) {
    const { array } = readExecOpts(text);
    const item = array!.children![first];
    text = applyEdits(text, [{ offset: item.offset, length: item.length, content: JSON.stringify(wanted) }]);
  }
  // Remove the other isolation entries, all in one pass over one tree (linear in the entries).
  {
    const { array, entries: now } = readExecOpts(text);
    const removed = now.map((e, i) => ISOLATION_ENTRY.test(e) && (mode === 'default' || i !== first));
    if (array && removed.some(Boolean)) text = applyDisjointEdits(text, removeItems(array, removed));
  }
  if (mode !== 'default' && first < 0) {
    const { root, property, array } = readExecOpts(text);
    text = applyEdits(text, [
      array && property
        ? appendItem(text, property, array, wanted, eol, unit)
        : addProperty(text, root, 'exec-opts', wanted, eol, unit),
    ]);
  }

  verify(text, data, mode);
  return { text: bom + text, changed: text !== body, previous };
}

/** The isolation entries a daemon.json text sets (values only, e.g. `['hyperv']`). */
export function readIsolation(original: string): string[] {
  const body = original.replace(/^\uFEFF/, '');
  if (body.trim() === '') return [];
  parseStrict(body);
  return readExecOpts(body)
    .entries.filter((e) => ISOLATION_ENTRY.test(e))
    .map(isolationValue);
}

const PARSE_MESSAGES: Partial<Record<ParseErrorCode, string>> = {
  [ParseErrorCode.InvalidSymbol]: 'unexpected character',
  [ParseErrorCode.InvalidNumberFormat]: 'invalid number',
  [ParseErrorCode.PropertyNameExpected]: 'property name expected',
  [ParseErrorCode.ValueExpected]: 'value expected',
  [ParseErrorCode.ColonExpected]: "':' expected",
  [ParseErrorCode.CommaExpected]: "',' expected",
  [ParseErrorCode.CloseBraceExpected]: "'}' expected",
  [ParseErrorCode.CloseBracketExpected]: "']' expected",
  [ParseErrorCode.EndOfFileExpected]: 'end of file expected (a second value?)',
  [ParseErrorCode.InvalidCommentToken]: 'comments are not allowed in daemon.json (strict JSON)',
  [ParseErrorCode.UnexpectedEndOfComment]: 'comments are not allowed in daemon.json (strict JSON)',
  [ParseErrorCode.UnexpectedEndOfString]: 'unterminated string',
  [ParseErrorCode.UnexpectedEndOfNumber]: 'unterminated number',
  [ParseErrorCode.InvalidUnicode]: 'invalid \\u escape',
  [ParseErrorCode.InvalidEscapeCharacter]: 'invalid escape character',
  [ParseErrorCode.InvalidCharacter]: 'invalid character in a string',
};

/** 1-based line and column of an offset; `\r\n`, `\n` and `\r` each end a line. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\r' && text[i + 1] === '\n') i++;
    if (text[i] === '\n' || text[i] === '\r') {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

function invalid(text: string, offset: number, reason: string): DaemonConfigError {
  const position = positionAt(text, offset);
  return new DaemonConfigError(
    'invalid-json',
    `not valid JSON at line ${position.line}, column ${position.column}: ${reason}`,
    undefined,
    position,
  );
}

/** Parses strict JSON (no comments, no trailing commas) or throws `invalid-json` with a position. */
function parseStrict(text: string): unknown {
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length > 0) {
    const { error, offset } = errors[0];
    let back = offset - 1;
    while (back >= 0 && /\s/.test(text[back])) back--;
    if ((text[offset] === '}' || text[offset] === ']') && text[back] === ',') {
      return failWith(invalid(text, back, `trailing comma before '${text[offset]}' (daemon.json is strict JSON)`));
    }
    return failWith(invalid(text, offset, PARSE_MESSAGES[error] ?? 'syntax error'));
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    // Whatever the tolerant scanner let through (it is rare): JSON.parse names the offset.
    const message = error instanceof Error ? error.message : String(error);
    const at = /position (\d+)/.exec(message);
    return failWith(invalid(text, at ? Number(at[1]) : 0, message));
  }
}

function failWith(error: Error): never {
  throw error;
}

interface ExecOpts {
  root: Node;
  property?: Node;
  array?: Node;
  entries: string[];
}

function readExecOpts(text: string): ExecOpts {
  const root = parseTree(text, [], { disallowComments: true });
  if (!root || root.type !== 'object') {
    throw new DaemonConfigError('unsupported', 'the top level of daemon.json is not a JSON object');
  }
  const properties = (root.children ?? []).filter((p) => p.children?.[0].value === 'exec-opts');
  if (properties.length > 1)
    throw new DaemonConfigError(
      'unsupported',
      '"exec-opts" appears more than once in daemon.json; keep one and run again',
    );
  const property = properties[0];
  const array = property?.children?.[1];
  if (!array) return { root, entries: [] };
  if (array.type !== 'array' || (array.children ?? []).some((item) => item.type !== 'string')) {
    throw new DaemonConfigError('unsupported', '"exec-opts" in daemon.json is not an array of strings');
  }
  return { root, property, array, entries: (array.children ?? []).map((item) => item.value as string) };
}

function whitespaceBefore(text: string, offset: number): string {
  let start = offset;
  while (start > 0 && /\s/.test(text[start - 1])) start--;
  return text.slice(start, offset);
}

function indentationOf(text: string, offset: number): string {
  const lineStart = Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, offset))?.[0] ?? '';
}

// jsonc-parser's own `modify` is not used for these: with formatting options it reformats
// whole neighbouring lines (a one-line file, or `"b": {"x": 1}` before the insertion, get
// expanded), and without them 3.3.1 turns the removal of the last of several items into
// `["a""]`. These edits touch only the item, its comma and the whitespace before it.

/**
 * The edits that remove the items of `array` marked in `removed` (same result as removing them
 * one by one with `removeItem`): an item followed by another goes with everything up to the next
 * one; items after the last kept one go with everything from the end of that one; all of them
 * removed empties the array. The edits do not overlap.
 */
function removeItems(array: Node, removed: readonly boolean[]): Edit[] {
  const items = array.children ?? [];
  const lastKept = removed.lastIndexOf(false);
  if (lastKept < 0) return [{ offset: array.offset + 1, length: array.length - 2, content: '' }];
  const edits: Edit[] = [];
  for (let i = 0; i < lastKept; i++) {
    if (removed[i]) edits.push({ offset: items[i].offset, length: items[i + 1].offset - items[i].offset, content: '' });
  }
  if (lastKept < items.length - 1) {
    const end = items[lastKept].offset + items[lastKept].length;
    const last = items[items.length - 1];
    edits.push({ offset: end, length: last.offset + last.length - end, content: '' });
  }
  return edits;
}

/** Applies edits that do not overlap, in one pass (jsonc-parser's `applyEdits` copies the whole text once per edit). */
function applyDisjointEdits(text: string, edits: readonly Edit[]): string {
  const sorted = [...edits].sort((a, b) => a.offset - b.offset);
  const parts: string[] = [];
  let copied = 0;
  for (const edit of sorted) {
    parts.push(text.slice(copied, edit.offset), edit.content);
    copied = edit.offset + edit.length;
  }
  parts.push(text.slice(copied));
  return parts.join('');
}

function appendItem(text: string, property: Node, array: Node, value: string, eol: string, unit: string): Edit {
  const items = array.children ?? [];
  const literal = JSON.stringify(value);
  if (items.length === 0) {
    const inner = { offset: array.offset + 1, length: array.length - 2 };
    if (!/[\r\n]/.test(text.slice(inner.offset, inner.offset + inner.length))) return { ...inner, content: literal };
    const indent = indentationOf(text, property.offset);
    return { ...inner, content: `${eol}${indent}${unit}${literal}${eol}${indent}` };
  }
  const last = items[items.length - 1];
  const separator =
    items.length > 1 ? whitespaceBefore(text, last.offset) : text.slice(array.offset + 1, items[0].offset);
  return { offset: last.offset + last.length, length: 0, content: `,${separator}${literal}` };
}

function addProperty(text: string, root: Node, key: string, value: string, eol: string, unit: string): Edit {
  const properties = root.children ?? [];
  const literal = JSON.stringify(value);
  if (properties.length === 0) {
    const content = `${eol}${unit}${JSON.stringify(key)}: [${eol}${unit}${unit}${literal}${eol}${unit}]${eol}`;
    return { offset: root.offset + 1, length: root.length - 2, content };
  }
  const last = properties[properties.length - 1];
  const [lastKey, lastValue] = last.children ?? [];
  const colon = text.slice(lastKey.offset + lastKey.length, lastValue.offset);
  const separator =
    properties.length > 1 ? whitespaceBefore(text, last.offset) : text.slice(root.offset + 1, properties[0].offset);
  let array = `[${literal}]`;
  if (/[\r\n]/.test(separator)) {
    const indent = indentationOf(text, last.offset) || unit;
    array = `[${eol}${indent}${unit}${literal}${eol}${indent}]`;
  }
  return {
    offset: last.offset + last.length,
    length: 0,
    content: `,${separator}${JSON.stringify(key)}${colon}${array}`,
  };
}

/** The edited text must parse to the original data with only `exec-opts` changed as intended. */
function verify(text: string, before: unknown, mode: IsolationMode): void {
  const after = parseStrict(text);
  const data = before as Record<string, unknown>;
  const opts = Array.isArray(data['exec-opts']) ? (data['exec-opts'] as string[]) : undefined;
  let expected: unknown = data;
  if (opts || mode !== 'default') {
    const others = (opts ?? []).filter((e) => !ISOLATION_ENTRY.test(e));
    const first = (opts ?? []).findIndex((e) => ISOLATION_ENTRY.test(e));
    let next = others;
    if (mode !== 'default') {
      const kept =
        first >= 0 && isolationValue(opts![first]).toLowerCase() === mode ? opts![first] : `isolation=${mode}`;
      next = [...others];
      next.splice(first >= 0 ? first : others.length, 0, kept);
    }
    expected = { ...data, 'exec-opts': next };
  }
  if (JSON.stringify(after) !== JSON.stringify(expected)) {
    throw new DaemonConfigError(
      'unsupported',
      'could not edit daemon.json without disturbing other content; nothing was written',
    );
  }
}

// ---------------------------------------------------------------------------------------------
// paths and environment

/** `%ProgramData%\docker\config\daemon.json` on Windows; no default elsewhere. */
export function defaultDaemonConfigPath(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  if (platform !== 'win32') return undefined;
  return path.win32.join(env.ProgramData || env.PROGRAMDATA || 'C:\\ProgramData', 'docker', 'config', 'daemon.json');
}

/**
 * What a path is when it is a Linux engine's config, or undefined: `/etc/docker/daemon.json`
 * (dockerd, also in WSL), the snap package's `/var/snap/docker/current/config/daemon.json`,
 * rootless dockerd's `$XDG_CONFIG_HOME/docker/daemon.json` (`~/.config/docker/daemon.json`), and
 * Docker Desktop's Linux engine settings `~/.docker/daemon.json` (Windows, macOS and Linux; its
 * Windows engine's file is %ProgramData%\docker\config\daemon.json). Compared after resolving
 * symbolic links (a link to one of them is one of them). Sources: dockerd reference, "Daemon
 * configuration file"; docs.docker.com/engine/security/rootless; ../shared/windows-facts.md.
 */
export function linuxEngineConfig(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  const paths = platform === 'win32' ? path.win32 : path.posix;
  const home = (platform === 'win32' ? env.USERPROFILE : env.HOME) || os.homedir();
  const known: [string, string][] = [
    [paths.join(home, '.docker', 'daemon.json'), "Docker Desktop's Linux engine settings"],
  ];
  if (platform !== 'win32') {
    known.push(
      ['/etc/docker/daemon.json', "the Linux Docker engine's config"],
      ['/var/snap/docker/current/config/daemon.json', "the Linux Docker engine's config (snap)"],
      [
        paths.join(env.XDG_CONFIG_HOME || paths.join(home, '.config'), 'docker', 'daemon.json'),
        "rootless dockerd's config",
      ],
    );
  }
  const normal = (p: string) => (platform === 'win32' ? paths.normalize(p).toLowerCase() : paths.normalize(p));
  const candidates = new Set([normal(paths.resolve(file))]);
  try {
    candidates.add(normal(nodeFs.realpathSync.native(file)));
  } catch {
    // missing or unreadable: the path as given is what counts
  }
  for (const [knownPath, what] of known) {
    let real = knownPath;
    try {
      real = nodeFs.realpathSync.native(knownPath);
    } catch {
      // absent: compare the path itself
    }
    if (candidates.has(normal(knownPath)) || candidates.has(normal(real))) return what;
  }
  return undefined;
}

/**
 * A file that shows Docker Desktop is installed (Windows only), or undefined. Desktop rewrites
 * the engine's daemon.json from its own settings (Settings > Docker Engine), so a direct edit
 * does not last (docker/docs#15106, docker/for-win#5936).
 */
export function findDockerDesktop(
  exists: (file: string) => boolean = nodeFs.existsSync,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  if (platform !== 'win32') return undefined;
  const candidates = [
    path.win32.join(env.ProgramFiles || 'C:\\Program Files', 'Docker', 'Docker', 'Docker Desktop.exe'),
  ];
  if (env.APPDATA) {
    candidates.push(
      path.win32.join(env.APPDATA, 'Docker', 'settings.json'),
      path.win32.join(env.APPDATA, 'Docker', 'settings-store.json'),
    );
  }
  return candidates.find((file) => exists(file));
}

/** Whether `file` is the engine's default daemon.json (the file Docker Desktop regenerates). */
export function isDefaultDaemonConfigPath(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): boolean {
  const standard = defaultDaemonConfigPath(env, platform);
  return (
    standard !== undefined && path.win32.normalize(file).toLowerCase() === path.win32.normalize(standard).toLowerCase()
  );
}

export const DOCKER_DESKTOP_ENGINE_DOCS =
  'https://docs.docker.com/desktop/settings-and-maintenance/settings/#docker-engine';

/**
 * A PowerShell command that copies `prepared` over `target` in an elevated process (UAC prompt),
 * keeping a backup of the old file and replacing it with a same-folder move. The script travels
 * as `-EncodedCommand`, so no path needs quoting on a command line; the readable script comes
 * first, as comments.
 */
export function elevatedCopyCommand(prepared: string, target: string, backup: string): string {
  const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;
  const temporary = `${target}.elevated.tmp`;
  const script = [
    "$ErrorActionPreference = 'Stop'",
    `New-Item -ItemType Directory -Force -Path ${quote(path.win32.dirname(target))} | Out-Null`,
    `if (Test-Path -LiteralPath ${quote(target)}) { Copy-Item -LiteralPath ${quote(target)} -Destination ${quote(backup)} }`,
    `Copy-Item -LiteralPath ${quote(prepared)} -Destination ${quote(temporary)} -Force`,
    `Move-Item -LiteralPath ${quote(temporary)} -Destination ${quote(target)} -Force`,
  ];
  const encoded = Buffer.from(script.join('\n'), 'utf16le').toString('base64');
  return [
    '# Runs, as administrator:',
    ...script.map((line) => `#   ${line}`),
    `Start-Process powershell.exe -Verb RunAs -Wait -ArgumentList '-NoProfile','-EncodedCommand','${encoded}'`,
  ].join('\n');
}
