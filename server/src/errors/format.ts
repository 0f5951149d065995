/**
 * One explanation, three forms: plain text for the CLI, Markdown for VS Code, and a JSON object
 * for `--format json` and the language server's `windowsContainers.explainError` command. Lines
 * and columns in the JSON form are 1-based, as in `windows-containers lint`.
 */
import { ErrorSource, ExplainedError, formatStep, ResponsibleLine, WindowsVersionInfo } from './explain';

export interface VersionJson {
  readonly version: string;
  readonly build: number;
  readonly name: string;
  readonly inCatalogue: boolean;
  readonly runsWithProcessIsolation: readonly string[];
  readonly runsOnlyWithHyperV: readonly string[];
}

export interface ResponsibleLineJson {
  readonly file?: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly instruction: string;
  readonly text: string;
  readonly reason: string;
}

export interface ExplanationJson {
  readonly id: string;
  readonly title: string;
  readonly matched: string;
  readonly logLine: number;
  /** The log line where it was first seen. */
  readonly lineText: string;
  readonly occurrences: number;
  readonly host?: VersionJson;
  readonly image?: VersionJson;
  readonly instruction?: string;
  readonly step?: string;
  readonly imageName?: string;
  readonly cause: string;
  readonly fixes: readonly string[];
  readonly sources: readonly ErrorSource[];
  readonly dockerfile?: ResponsibleLineJson;
  /** Why no Dockerfile line is named, when a Dockerfile was given. */
  readonly dockerfileNote?: string;
}

function versionJson(v: WindowsVersionInfo): VersionJson {
  return {
    version: v.raw,
    build: v.build,
    name: v.name,
    inCatalogue: v.known,
    runsWithProcessIsolation: v.runsProcess,
    runsOnlyWithHyperV: v.runsHyperVOnly,
  };
}

export function responsibleJson(line: ResponsibleLine, file?: string): ResponsibleLineJson {
  return {
    ...(file !== undefined ? { file } : {}),
    line: line.line + 1,
    column: line.startCharacter + 1,
    endLine: line.endLine + 1,
    endColumn: line.endCharacter + 1,
    instruction: line.keyword,
    text: line.text,
    reason: line.reason,
  };
}

export function explanationJson(error: ExplainedError, dockerfile?: ResponsibleLineJson): ExplanationJson {
  return {
    id: error.entry.id,
    title: error.entry.title,
    matched: error.matched,
    logLine: error.logLine + 1,
    lineText: error.lineText,
    occurrences: error.occurrences,
    ...(error.host ? { host: versionJson(error.host) } : {}),
    ...(error.image ? { image: versionJson(error.image) } : {}),
    ...(error.instruction ? { instruction: error.instruction } : {}),
    ...(error.step ? { step: `${formatStep(error.step)} ${error.step.instruction}` } : {}),
    ...(error.imageName ? { imageName: error.imageName } : {}),
    cause: error.entry.cause,
    fixes: error.entry.fixes,
    sources: error.entry.sources,
    ...(dockerfile ? { dockerfile } : {}),
  };
}

/** "10.0.17763 = Windows Server 2019 (version 1809); with process isolation it runs ltsc2019 images". */
export function describeHost(v: VersionJson): string {
  const process =
    v.runsWithProcessIsolation.length > 0
      ? `runs ${v.runsWithProcessIsolation.join(', ')} images with process isolation`
      : 'runs no catalogued image with process isolation';
  const hyperv =
    v.runsOnlyWithHyperV.length > 0 ? `; ${v.runsOnlyWithHyperV.join(', ')} only with Hyper-V isolation` : '';
  return `${v.version} = ${v.name}${v.inCatalogue ? '' : ' (not in the catalogue)'}: ${process}${hyperv}`;
}

export function describeImage(v: VersionJson): string {
  return `${v.version} = ${v.name}${v.inCatalogue ? '' : ' (not in the catalogue)'}`;
}

/** Plain text for the terminal. */
export function formatText(explanations: readonly ExplanationJson[]): string {
  const out: string[] = [`Recognised ${explanations.length} error${explanations.length === 1 ? '' : 's'}:`];
  for (const e of explanations) {
    out.push('', `[${e.id}] ${e.title}`);
    out.push(
      `  Seen:     log line ${e.logLine}${e.occurrences > 1 ? ` (and ${e.occurrences - 1} more time${e.occurrences > 2 ? 's' : ''})` : ''}: ${e.lineText}`,
    );
    if (e.host) out.push(`  Host:     ${describeHost(e.host)}`);
    if (e.image) out.push(`  Image:    ${describeImage(e.image)}`);
    if (e.imageName) out.push(`  Pulling:  ${e.imageName}`);
    if (e.step) out.push(`  Step:     ${e.step}`);
    if (e.dockerfile)
      out.push(
        `  Dockerfile: ${e.dockerfile.file ?? 'Dockerfile'}:${e.dockerfile.line}: ${e.dockerfile.text}`,
        `            (${e.dockerfile.reason})`,
      );
    else if (e.dockerfileNote) out.push(`  Dockerfile: ${e.dockerfileNote}`);
    out.push(`  Cause:    ${e.cause}`);
    out.push('  Fix:');
    for (const fix of e.fixes) out.push(`    - ${fix}`);
    out.push('  Sources:');
    for (const source of e.sources) out.push(`    ${source.url}  ${source.title}`);
  }
  return out.join('\n');
}

/** An inline code span that holds any text (a backtick inside needs a longer fence). */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return longest > 0 ? `${fence} ${text} ${fence}` : `${fence}${text}${fence}`;
}

/** Markdown for VS Code (the explanation panel). */
export function formatMarkdown(explanations: readonly ExplanationJson[]): string {
  const out: string[] = [];
  for (const e of explanations) {
    out.push(
      `## ${e.title}`,
      '',
      `${code(e.id)} · seen on log line ${e.logLine}${e.occurrences > 1 ? ` (${e.occurrences} times)` : ''}:`,
      '',
      '```text',
      e.lineText,
      '```',
      '',
    );
    if (e.host) out.push(`- **Host:** ${describeHost(e.host)}`);
    if (e.image) out.push(`- **Image:** ${describeImage(e.image)}`);
    if (e.imageName) out.push(`- **Image being pulled:** ${code(e.imageName)}`);
    if (e.step) out.push(`- **Build step:** ${code(e.step)}`);
    if (e.dockerfile)
      out.push(`- **Dockerfile line ${e.dockerfile.line}:** ${code(e.dockerfile.text)} (${e.dockerfile.reason})`);
    if (e.host || e.image || e.imageName || e.step || e.dockerfile) out.push('');
    out.push('**Cause.** ' + e.cause, '', '**Fix:**', '');
    for (const fix of e.fixes) out.push(`- ${fix}`);
    out.push('', '**Sources:** ' + e.sources.map((s) => `[${s.title}](${s.url})`).join(' · '), '');
  }
  return out.join('\n');
}
