/**
 * `windows-containers lint [files or folders] [--format text|json|sarif|gitlab] [--target-host X] [--isolation process|hyperv]`:
 * the language server's checks (dockerfile-utils plus the Windows rules), run by the same pure
 * service, for CI. Exit codes in `HELP` (and the README): 0 no error, 1 an error finding, 2 a
 * usage error, 3 a file or folder that could not be read or checked (everything else is still
 * checked and printed).
 *
 * Memory stays flat in the number of files: each document is released once checked, and only
 * the findings are kept.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ValidationCode } from 'dockerfile-utils';
import type { Diagnostic } from 'vscode-languageserver-types';
import { DIAGNOSTIC_SOURCE, REPOSITORY_URL, ruleDocsUrl } from '../../../common/links';
import { ISOLATIONS, normaliseSettings, TARGET_HOSTS } from '../../../common/settings';
import { ALL_RULES as RULES } from '../rules';
import { createWindowsDockerfileService } from '../service/languageService';
import { MAX_DOCUMENT_BYTES, MAX_DOCUMENT_LENGTH, whyNotAnalysed } from '../service/documentPolicy';
import { isComposeFileName, yamlRoute } from '../service/yaml/route';
import { createYamlService } from '../service/yaml/yamlService';
import {
  CliCommand,
  CliIo,
  EXIT_FAILED,
  EXIT_INCOMPLETE,
  EXIT_OK,
  EXIT_USAGE,
  helpRequested,
  parseArgs,
  printable,
} from './command';
import { toGitLabCodeQuality } from './gitlab';

declare const SERVER_VERSION: string;

const FORMATS = ['text', 'json', 'sarif', 'gitlab'] as const;
type Format = (typeof FORMATS)[number];
const SEVERITY = ['', 'error', 'warning', 'information', 'hint'] as const;
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.hg', '.svn', 'bin', 'obj']);

export interface Finding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly severity: 'error' | 'warning' | 'information' | 'hint';
  readonly rule: string;
  readonly message: string;
  readonly helpUri?: string;
}

/** A file or folder that was not checked, and why; `warning` for a file skipped on purpose (over the size limit). */
export interface NotChecked {
  readonly file: string;
  readonly level: 'error' | 'warning';
  readonly reason: string;
}

/** The rule id a not-checked path gets in JSON output. */
export const NOT_CHECKED_RULE = 'windows-containers/not-checked';

const HELP = `Usage: windows-containers lint [files or folders...] [options]

Checks Dockerfiles with the rules of the Windows Containers extension (dockerfile-utils checks
and the Windows rules). Folders are searched for Dockerfile, *.Dockerfile, Dockerfile.* and
Containerfile, in any case (also windows-Dockerfile, Dockerfile_1809 ...), except names that end
in an extension of another kind of file (Dockerfile.dockerignore, Dockerfile.md, .json, .yml,
.txt ...); files named on the command line are always checked. Without arguments, the current
folder. node_modules, .git, bin and obj are skipped. Compose files and Kubernetes manifests are
checked with the compose and Kubernetes rules: *.yaml and *.yml files (compose files by name:
compose.yaml, docker-compose*.yml ...; other YAML files count when their documents have
apiVersion and kind). YAML parse errors and templated files (with {{) are noted on stderr and
change no exit code.

Options:
  --format text|json|sarif|gitlab
                             output format (default text: path:line:col severity rule-id message);
                             sarif is SARIF 2.1.0, for GitHub code scanning; gitlab is GitLab's
                             Code Quality report
  --target-host HOST         check base images against a Windows host: ${TARGET_HOSTS.filter((h) => h !== 'auto').join(', ')}
  --isolation MODE           process or hyperv (default: the engine default for the host)
  -h, --help                 this help

Control characters in paths and messages are printed escaped (\n, \x1b ...) in text output.

Exit codes:
  0  every file was checked; no finding is an error
  1  every file was checked; at least one finding is an error
  2  usage error (unknown option, format, host or isolation); nothing was checked
  3  a file or folder could not be read (permissions, a path too long, a vanished file), was
     larger than the limit, or its check failed; every other file was checked and all findings
     are printed (text: on stderr; json: as ${NOT_CHECKED_RULE} entries; sarif: as
     toolExecutionNotifications)`;

/**
 * Extensions of files that sit beside Dockerfiles and are not Dockerfiles: BuildKit's per-Dockerfile
 * ignore file (`Dockerfile.dockerignore`), documentation, data and configuration, scripts, backups.
 */
const NOT_DOCKERFILE_EXTENSIONS = new Set([
  'dockerignore',
  'md',
  'markdown',
  'rst',
  'adoc',
  'txt',
  'html',
  'htm',
  'pdf',
  'json',
  'jsonc',
  'yml',
  'yaml',
  'toml',
  'xml',
  'ini',
  'cfg',
  'conf',
  'env',
  'sh',
  'bash',
  'ps1',
  'psm1',
  'bat',
  'cmd',
  'py',
  'js',
  'mjs',
  'cjs',
  'ts',
  'go',
  'cs',
  'csproj',
  'sln',
  'rb',
  'java',
  'lock',
  'log',
  'bak',
  'orig',
  'rej',
  'swp',
  'tmp',
  'old',
  'patch',
  'diff',
  'zip',
  'gz',
  'tgz',
  'tar',
  'png',
  'jpg',
  'jpeg',
  'gif',
  'svg',
  'sarif',
]);

/**
 * Whether a file name found in a folder is one the linter checks: `Dockerfile`, `*.Dockerfile`,
 * `Dockerfile.*` and `Containerfile` (any case, also `windows-Dockerfile`, `Dockerfile_1809`),
 * unless it ends in an extension of another kind of file (`Dockerfile.dockerignore`, `Dockerfile.md`).
 */
export function isDockerfileName(name: string): boolean {
  if (!namesDockerfile(name)) return false;
  const dot = name.lastIndexOf('.');
  return dot < 0 || !NOT_DOCKERFILE_EXTENSIONS.has(name.slice(dot + 1).toLowerCase());
}

/** Whether `Dockerfile` or `Containerfile` (any case) is a whole part of `name`, between its ends and `.`, `_` or `-`. */
function namesDockerfile(name: string): boolean {
  const lower = name.toLowerCase();
  const separator = (i: number) => i < 0 || i >= lower.length || '._-'.includes(lower[i]);
  for (const word of ['dockerfile', 'containerfile']) {
    for (let at = lower.indexOf(word); at >= 0; at = lower.indexOf(word, at + 1)) {
      if (separator(at - 1) && separator(at + word.length)) return true;
    }
  }
  return false;
}

/** `error` as a short reason: the system's code (ENOENT, EACCES, ENAMETOOLONG ...) or its message. */
function reasonOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message ?? String(error);
}

/**
 * The files to check under `target` (itself when it is a file), in order; a file or folder that
 * cannot be read goes to `notChecked` and the walk goes on. A folder is listed before its
 * subfolders are entered, so the walk holds one listing per level.
 */
function collect(target: string, found: string[], notChecked: NotChecked[]): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch (error) {
    notChecked.push({ file: target, level: 'error', reason: `cannot read: ${reasonOf(error)}` });
    return;
  }
  if (!stat.isDirectory()) {
    found.push(target);
    return;
  }
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(target, { withFileTypes: true });
  } catch (error) {
    notChecked.push({ file: target, level: 'error', reason: `cannot read the folder: ${reasonOf(error)}` });
    return;
  }
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name)) collect(path.join(target, entry.name), found, notChecked);
    } else if (
      entry.isFile() &&
      (isDockerfileName(entry.name) || /\.ya?ml$/i.test(entry.name) || isComposeFileName(entry.name))
    ) {
      found.push(path.join(target, entry.name));
    }
  }
}

/** A path as printed: relative to the current folder, with `/`. */
function shownPath(file: string): string {
  return path.relative(process.cwd(), file).split(path.sep).join('/') || file;
}

function ruleOf(d: Diagnostic): string {
  if (d.source === DIAGNOSTIC_SOURCE) return String(d.code);
  const name = typeof d.code === 'number' ? ValidationCode[d.code] : String(d.code);
  return `dockerfile-utils/${(name ?? 'unknown').toLowerCase().replace(/_/g, '-')}`;
}

export const lintCommand: CliCommand = {
  name: 'lint',
  summary:
    'check Dockerfiles, compose files and Kubernetes manifests with the extension’s rules (text, JSON or SARIF output)',
  async run(args: readonly string[], io: CliIo): Promise<number> {
    if (helpRequested(args)) {
      io.out(HELP);
      return EXIT_OK;
    }
    let parsed;
    try {
      parsed = parseArgs(args, ['--format', '--target-host', '--isolation'], []);
    } catch (error) {
      io.err(printable(`windows-containers lint: ${(error as Error).message}`) + `\n\n${HELP}`);
      return EXIT_USAGE;
    }
    const format = (parsed.options.get('--format') ?? 'text') as Format;
    const targetHost = parsed.options.get('--target-host') ?? 'auto';
    const isolation = parsed.options.get('--isolation') ?? 'default';
    const problems: string[] = [];
    if (!FORMATS.includes(format)) problems.push(`unknown format "${String(format)}" (${FORMATS.join(', ')})`);
    if (targetHost === true || !(TARGET_HOSTS as readonly string[]).includes(targetHost))
      problems.push(`unknown target host "${String(targetHost)}" (${TARGET_HOSTS.join(', ')})`);
    if (isolation === true || !(ISOLATIONS as readonly string[]).includes(isolation))
      problems.push(`unknown isolation "${String(isolation)}" (process or hyperv)`);
    if (problems.length > 0) {
      io.err(printable(`windows-containers lint: ${problems.join('; ')}`));
      return EXIT_USAGE;
    }
    const files: string[] = [];
    const notChecked: NotChecked[] = [];
    for (const target of parsed.positional.length > 0 ? parsed.positional : ['.']) collect(target, files, notChecked);
    const settings = normaliseSettings({ targetHost, isolation });
    // What the service logs while checking a file is a failed check of that file (a rule or
    // dockerfile-utils threw): the other findings stand, and the file is reported as not fully checked.
    let failures: string[] = [];
    const service = createWindowsDockerfileService({ log: (message) => void failures.push(message) });
    const yaml = createYamlService({ log: (message) => void failures.push(message) });
    const findings: Finding[] = [];
    for (const file of files) {
      let text: string | undefined;
      const shown = shownPath(file);
      try {
        // A bigger file is over the size limit whatever it holds: not read.
        text = fs.statSync(file).size > MAX_DOCUMENT_BYTES ? undefined : fs.readFileSync(file, 'utf8');
      } catch (error) {
        notChecked.push({ file, level: 'error', reason: `cannot read: ${reasonOf(error)}` });
        continue;
      }
      // The language server's bound (the document policy): no Dockerfile anyone wrote is this large.
      if (text === undefined || whyNotAnalysed({ text })) {
        notChecked.push({ file, level: 'warning', reason: `larger than ${MAX_DOCUMENT_LENGTH} characters` });
        continue;
      }
      const uri = pathToFileURL(path.resolve(file)).href;
      const snapshot = { uri, version: 1, text };
      failures = [];
      // Compose files and manifests by name (service/yaml/route.ts), as the server routes them.
      const route = yamlRoute(undefined, file);
      if (route) {
        const parsed = yaml.parse(snapshot, route);
        if (parsed.kind)
          for (const e of parsed.errors)
            io.err(printable(`${shown}:${e.range.start.line + 1}:${e.range.start.character + 1} YAML: ${e.message}`));
        if (parsed.skipped) io.err(printable(`windows-containers lint: ${shown} is not checked: ${parsed.skipped}`));
      }
      const diagnostics = route ? yaml.validate(snapshot, route, settings) : service.validate(snapshot, settings);
      // Released at once: keeping every parsed document made memory grow with the number of files.
      if (route) yaml.forget(uri);
      else service.forget(uri);
      if (failures.length > 0)
        notChecked.push({
          file,
          level: 'error',
          reason: `the check failed, findings may be missing: ${failures[0].split('\n')[0]}`,
        });
      for (const d of diagnostics) {
        findings.push({
          file: shown,
          line: d.range.start.line + 1,
          column: d.range.start.character + 1,
          endLine: d.range.end.line + 1,
          endColumn: d.range.end.character + 1,
          severity: SEVERITY[d.severity ?? 1] || 'error',
          rule: ruleOf(d),
          message: typeof d.message === 'string' ? d.message : d.message.value,
          helpUri: d.codeDescription?.href,
        });
      }
    }
    findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
    if (format === 'json') io.out(JSON.stringify([...findings, ...notChecked.map(notCheckedFinding)], null, 2));
    else if (format === 'sarif') io.out(JSON.stringify(toSarif(findings, notChecked), null, 2));
    else if (format === 'gitlab')
      io.out(JSON.stringify(toGitLabCodeQuality([...findings, ...notChecked.map(notCheckedFinding)]), null, 2));
    else for (const f of findings) io.out(textLine(f));
    for (const n of notChecked)
      io.err(printable(`windows-containers lint: ${shownPath(n.file)} was not checked: ${n.reason}`));
    if (format === 'text') {
      const errors = findings.filter((f) => f.severity === 'error').length;
      const skipped = notChecked.length > 0 ? `; ${notChecked.length} path(s) not checked` : '';
      io.err(
        `${files.length} file(s) checked: ${errors} error(s), ${findings.length - errors} other finding(s)${skipped}`,
      );
    }
    if (notChecked.length > 0) return EXIT_INCOMPLETE;
    return findings.some((f) => f.severity === 'error') ? EXIT_FAILED : EXIT_OK;
  },
};

/**
 * One finding as a text line, control characters escaped: a path or message with a line break
 * cannot forge a line, and a line never starts with `::` (a GitHub Actions workflow command).
 */
export function textLine(f: Finding): string {
  const line = printable(`${f.file}:${f.line}:${f.column} ${f.severity} ${f.rule} ${f.message}`);
  return line.startsWith(':') ? `./${line}` : line;
}

function notCheckedFinding(n: NotChecked): Finding {
  return {
    file: shownPath(n.file),
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 1,
    severity: n.level,
    rule: NOT_CHECKED_RULE,
    message: `not checked: ${n.reason}`,
  };
}

/**
 * A SARIF artifact location for a printed path: relative to `%SRCROOT%` (the current folder) when
 * it is under it, else an absolute file URI; built with the URL API, so `#`, `?`, `%` and spaces
 * are escaped.
 */
export function artifactLocation(file: string, root = process.cwd()): { uri: string; uriBaseId?: string } {
  const absolute = pathToFileURL(path.resolve(root, file)).href;
  const base = pathToFileURL(root.endsWith(path.sep) ? root : root + path.sep).href;
  return absolute.startsWith(base) ? { uri: absolute.slice(base.length), uriBaseId: '%SRCROOT%' } : { uri: absolute };
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', information: 'note', hint: 'note' } as const;

/**
 * SARIF 2.1.0, as GitHub code scanning reads it: one run, the rules that fired, relative file URIs,
 * and the paths that were not checked as the invocation's `toolExecutionNotifications`.
 */
export function toSarif(findings: readonly Finding[], notChecked: readonly NotChecked[] = []): object {
  const ruleIds = [...new Set(findings.map((f) => f.rule))].sort();
  const rules = ruleIds.map((id) => {
    const rule = RULES.find((r) => r.id === id);
    return {
      id,
      shortDescription: { text: rule?.description ?? `dockerfile-utils check ${id.replace('dockerfile-utils/', '')}` },
      helpUri: rule ? ruleDocsUrl(rule.id) : 'https://github.com/rcjsuen/dockerfile-utils',
      defaultConfiguration: {
        level: rule ? (rule.defaultSeverity === 'off' ? 'none' : SARIF_LEVEL[rule.defaultSeverity]) : 'warning',
      },
    };
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'windows-containers',
            version: typeof SERVER_VERSION === 'string' ? SERVER_VERSION : '0.0.0',
            informationUri: REPOSITORY_URL,
            rules,
          },
        },
        invocations: [
          {
            executionSuccessful: !notChecked.some((n) => n.level === 'error'),
            toolExecutionNotifications: notChecked.map((n) => ({
              level: n.level,
              message: { text: `${shownPath(n.file)} was not checked: ${n.reason}` },
              locations: [{ physicalLocation: { artifactLocation: artifactLocation(n.file) } }],
            })),
          },
        ],
        results: findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: ruleIds.indexOf(f.rule),
          level: SARIF_LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: artifactLocation(f.file),
                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
              },
            },
          ],
        })),
      },
    ],
  };
}
