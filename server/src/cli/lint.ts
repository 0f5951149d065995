/**
 * `windows-containers lint [files or folders] [--format text|json|sarif] [--target-host X] [--isolation process|hyperv]`:
 * the language server's checks (dockerfile-utils plus the Windows rules), run by the same pure
 * service, for CI. Exit 1 when any finding is an error, 0 otherwise, 2 on usage errors or
 * unreadable files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ValidationCode } from 'dockerfile-utils';
import type { Diagnostic } from 'vscode-languageserver-types';
import { DIAGNOSTIC_SOURCE, REPOSITORY_URL, ruleDocsUrl } from '../../../common/links';
import { ISOLATIONS, normaliseSettings, TARGET_HOSTS } from '../../../common/settings';
import { ALL_RULES as RULES } from '../rules';
import { createWindowsDockerfileService } from '../service/languageService';
import { MAX_DOCUMENT_LENGTH } from '../service/limits';
import { isComposeFileName, yamlRoute } from '../yaml/route';
import { createYamlService } from '../yaml/yamlService';
import { CliCommand, CliIo, EXIT_FAILED, EXIT_OK, EXIT_USAGE, helpRequested, parseArgs } from './command';

declare const SERVER_VERSION: string;

const FORMATS = ['text', 'json', 'sarif'] as const;
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

const HELP = `Usage: windows-containers lint [files or folders...] [options]

Checks Dockerfiles with the rules of the Windows Containers extension (dockerfile-utils checks
and the Windows rules), and compose files and Kubernetes manifests with its compose and
Kubernetes rules. Folders are searched for Dockerfile, *.Dockerfile, Dockerfile.*,
*.dockerfile and Containerfile (also windows-Dockerfile, Dockerfile_1809 ...) and for *.yaml and
*.yml (compose files by name: compose.yaml, docker-compose*.yml ...; other YAML files count when
their documents have apiVersion and kind); without arguments, the current folder. node_modules,
.git, bin and obj are skipped. YAML parse errors and templated files (with {{) are noted on
stderr and change no exit code.

Options:
  --format text|json|sarif   output format (default text: path:line:col severity rule-id message);
                             sarif is SARIF 2.1.0, for GitHub code scanning
  --target-host HOST         check base images against a Windows host: ${TARGET_HOSTS.filter((h) => h !== 'auto').join(', ')}
  --isolation MODE           process or hyperv (default: the engine default for the host)
  -h, --help                 this help

Exit codes: 0 no errors, 1 at least one error, 2 usage error or unreadable file.`;

/** Whether a file name is one the linter checks. */
export function isDockerfileName(name: string): boolean {
  return /^(.*[._-])?(Dockerfile|Containerfile)([._-].*)?$/i.test(name);
}

function collect(target: string, found: string[]): void {
  const stat = fs.statSync(target);
  if (stat.isFile()) {
    found.push(target);
    return;
  }
  for (const entry of fs.readdirSync(target, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name)) collect(path.join(target, entry.name), found);
    } else if (entry.isFile() && (isDockerfileName(entry.name) || /\.ya?ml$/i.test(entry.name) || isComposeFileName(entry.name))) {
      found.push(path.join(target, entry.name));
    }
  }
}

function ruleOf(d: Diagnostic): string {
  if (d.source === DIAGNOSTIC_SOURCE) return String(d.code);
  const name = typeof d.code === 'number' ? ValidationCode[d.code] : String(d.code);
  return `dockerfile-utils/${(name ?? 'unknown').toLowerCase().replace(/_/g, '-')}`;
}

export const lintCommand: CliCommand = {
  name: 'lint',
  summary: 'check Dockerfiles, compose files and Kubernetes manifests with the extension’s rules (text, JSON or SARIF output)',
  async run(args: readonly string[], io: CliIo): Promise<number> {
    if (helpRequested(args)) {
      io.out(HELP);
      return EXIT_OK;
    }
    let parsed;
    try {
      parsed = parseArgs(args, ['--format', '--target-host', '--isolation'], []);
    } catch (error) {
      io.err(`windows-containers lint: ${(error as Error).message}\n\n${HELP}`);
      return EXIT_USAGE;
    }
    const format = (parsed.options.get('--format') ?? 'text') as Format;
    const targetHost = parsed.options.get('--target-host') ?? 'auto';
    const isolation = parsed.options.get('--isolation') ?? 'default';
    const problems: string[] = [];
    if (!FORMATS.includes(format)) problems.push(`unknown format "${String(format)}" (text, json or sarif)`);
    if (targetHost === true || !(TARGET_HOSTS as readonly string[]).includes(targetHost)) problems.push(`unknown target host "${String(targetHost)}" (${TARGET_HOSTS.join(', ')})`);
    if (isolation === true || !(ISOLATIONS as readonly string[]).includes(isolation)) problems.push(`unknown isolation "${String(isolation)}" (process or hyperv)`);
    if (problems.length > 0) {
      io.err(`windows-containers lint: ${problems.join('; ')}`);
      return EXIT_USAGE;
    }
    const files: string[] = [];
    for (const target of parsed.positional.length > 0 ? parsed.positional : ['.']) {
      try {
        collect(target, files);
      } catch (error) {
        io.err(`windows-containers lint: cannot read ${target}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
        return EXIT_USAGE;
      }
    }
    const settings = normaliseSettings({ targetHost, isolation });
    const service = createWindowsDockerfileService({ log: (message) => io.err(`windows-containers lint: ${message}`) });
    const yaml = createYamlService({ log: (message) => io.err(`windows-containers lint: ${message}`) });
    const findings: Finding[] = [];
    for (const file of files) {
      let text: string | undefined;
      const shown = path.relative(process.cwd(), file).split(path.sep).join('/') || file;
      try {
        // UTF-8 takes at most 3 bytes per UTF-16 code unit: a bigger file is over the limit below without reading it.
        text = fs.statSync(file).size > 3 * MAX_DOCUMENT_LENGTH ? undefined : fs.readFileSync(file, 'utf8');
      } catch (error) {
        io.err(`windows-containers lint: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
        return EXIT_USAGE;
      }
      // The language server's bound (server/src/service/limits.ts): no Dockerfile anyone wrote is this large.
      if (text === undefined || text.length > MAX_DOCUMENT_LENGTH) {
        io.err(`windows-containers lint: ${shown} is not checked: larger than ${MAX_DOCUMENT_LENGTH} characters`);
        continue;
      }
      const snapshot = { uri: `file://${path.resolve(file)}`, version: 1, text };
      // Compose files and manifests by name (yaml/route.ts), as the server routes them.
      const route = yamlRoute(undefined, file);
      if (route) {
        const parsed = yaml.parse(snapshot, route);
        if (parsed.kind) for (const e of parsed.errors) io.err(`${shown}:${e.range.start.line + 1}:${e.range.start.character + 1} YAML: ${e.message}`);
        if (parsed.skipped) io.err(`windows-containers lint: ${shown} is not checked: ${parsed.skipped}`);
      }
      for (const d of route ? yaml.validate(snapshot, route, settings) : service.validate(snapshot, settings)) {
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
    if (format === 'json') io.out(JSON.stringify(findings, null, 2));
    else if (format === 'sarif') io.out(JSON.stringify(toSarif(findings), null, 2));
    else {
      for (const f of findings) io.out(`${f.file}:${f.line}:${f.column} ${f.severity} ${f.rule} ${f.message}`);
      const errors = findings.filter((f) => f.severity === 'error').length;
      io.err(`${files.length} file(s) checked: ${errors} error(s), ${findings.length - errors} other finding(s)`);
    }
    return findings.some((f) => f.severity === 'error') ? EXIT_FAILED : EXIT_OK;
  },
};

const SARIF_LEVEL = { error: 'error', warning: 'warning', information: 'note', hint: 'note' } as const;

/** SARIF 2.1.0, as GitHub code scanning reads it: one run, the rules that fired, relative file URIs. */
export function toSarif(findings: readonly Finding[]): object {
  const ruleIds = [...new Set(findings.map((f) => f.rule))].sort();
  const rules = ruleIds.map((id) => {
    const rule = RULES.find((r) => r.id === id);
    return {
      id,
      shortDescription: { text: rule?.description ?? `dockerfile-utils check ${id.replace('dockerfile-utils/', '')}` },
      helpUri: rule ? ruleDocsUrl(rule.id) : 'https://github.com/rcjsuen/dockerfile-utils',
      defaultConfiguration: { level: rule ? (rule.defaultSeverity === 'off' ? 'none' : SARIF_LEVEL[rule.defaultSeverity]) : 'warning' },
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
        results: findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: ruleIds.indexOf(f.rule),
          level: SARIF_LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: encodeURI(f.file), uriBaseId: '%SRCROOT%' },
                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
              },
            },
          ],
        })),
      },
    ],
  };
}
