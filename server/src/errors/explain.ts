/**
 * Explains Docker, HCS and Windows container errors found in a build or run log, from the error
 * catalogue (`data/errors.json`), and finds the Dockerfile line responsible. Pure: text in, data
 * out. The CLI (`windows-containers explain`) and the language server (the VS Code command
 * "Explain Docker Error…") both call these functions, so there is one implementation.
 *
 * Nothing is guessed: a log without a catalogued text gives no explanation, and a responsible line
 * is named only when the log's step lines, the image it names or the error's own text lead to it.
 */
import { DockerfileParser, From, Instruction } from 'dockerfile-ast';
import data from '../data/errors.json';
import {
  getVersionByBuild,
  HOSTS,
  runsProcessIsolated,
  runsWithHyperV,
  WINDOWS_VERSIONS,
} from '../catalogue/catalogue';

export type Concerns = 'base-image' | 'step' | 'instruction' | 'none';

export interface ErrorSource {
  readonly title: string;
  readonly url: string;
  readonly read: string;
}

export interface ErrorEntry {
  readonly id: string;
  readonly title: string;
  readonly patterns: readonly string[];
  readonly concerns: Concerns;
  readonly dockerfilePattern?: string;
  readonly cause: string;
  readonly fixes: readonly string[];
  readonly sources: readonly ErrorSource[];
}

/** A Windows version named in an error message (`10.0.17763`), looked up in the image catalogue. */
export interface WindowsVersionInfo {
  readonly raw: string;
  readonly build: number;
  /** "Windows Server 2019 (version 1809)", "Windows Server 2025 / Windows 11 24H2", or "Windows build 19043". */
  readonly name: string;
  /** Whether the catalogue knows the build. */
  readonly known: boolean;
  /** As a host: the catalogue's Windows versions it runs with process isolation (`ltsc2019`, ...). */
  readonly runsProcess: readonly string[];
  /** As a host: the LTSC versions it runs only with Hyper-V isolation. */
  readonly runsHyperVOnly: readonly string[];
}

/** A build step line of the log (`Step 3/7 : RUN …` of the classic builder, `#8 [build 2/4] RUN …` of BuildKit). */
export interface BuildStep {
  readonly builder: 'classic' | 'buildkit';
  /** BuildKit's stage name (`build`, `stage-1`); absent for a single-stage build and the classic builder. */
  readonly stage?: string;
  readonly index: number;
  readonly total: number;
  /** The instruction as the log shows it. */
  readonly instruction: string;
  /** 0-based line of the step line in the log. */
  readonly logLine: number;
}

export interface ExplainedError {
  readonly entry: ErrorEntry;
  /** The matched text, white space collapsed. */
  readonly matched: string;
  /** 0-based line of the log where it was first seen. */
  readonly logLine: number;
  /** That line, trimmed (at most 400 characters). */
  readonly lineText: string;
  readonly occurrences: number;
  readonly host?: WindowsVersionInfo;
  readonly image?: WindowsVersionInfo;
  /** A Dockerfile instruction the message names (`stopsignal`). */
  readonly instruction?: string;
  /** The build step the error happened in, when the log shows step lines. */
  readonly step?: BuildStep;
  /** The image the log was pulling or starting when the error came (`windows/nanoserver:ltsc2022`), when it says. */
  readonly imageName?: string;
}

/** Beyond this many characters only the end of the log is read (errors come last in a log). */
export const MAX_LOG_LENGTH = 4_000_000;

export const ERROR_ENTRIES: readonly ErrorEntry[] = data.errors as ErrorEntry[];

const compiled = ERROR_ENTRIES.map((entry) => ({
  entry,
  regexes: entry.patterns.map((pattern) => new RegExp(pattern, 'gi')),
}));

const CLASSIC_STEP = /^\s*Step (\d+)\/(\d+) ?: (\S.*)$/;
/** `#8 [build 2/4] RUN …`, `ERROR [2/4] RUN …`, ` > [stage-1 3/3] COPY …:` (BuildKit's plain progress and error summary). */
const BUILDKIT_STEP = /^\s*(?:#(\d+) )?(?:ERROR:? |> )?\[(?:([\w.-]+) )?(\d+)\/(\d+)\] (\S.*?):?\s*$/;
const BUILDKIT_OUTPUT = /^\s*#(\d+) /;
const PULLING = /^\s*(\S+): Pulling from (\S+)\s*$/;

/** Describes a `10.0.NNNNN` version through the image catalogue (versions and hosts). */
export function describeWindowsVersion(raw: string): WindowsVersionInfo {
  const build = Number(raw.split('.')[2]);
  const version = getVersionByBuild(build);
  const names = version ? [version.displayName] : [];
  for (const host of HOSTS) {
    if (host.build === build && host.kind === 'client' && !names.includes(host.name)) names.push(host.name);
  }
  const ltsc = WINDOWS_VERSIONS.filter((v) => v.channel === 'LTSC');
  return {
    raw,
    build,
    name: names.length > 0 ? names.join(' / ') : `Windows build ${build}`,
    known: names.length > 0,
    runsProcess: WINDOWS_VERSIONS.filter((v) => runsProcessIsolated(build, v.build)).map((v) => v.id),
    runsHyperVOnly: ltsc
      .filter((v) => !runsProcessIsolated(build, v.build) && runsWithHyperV(build, v.build))
      .map((v) => v.id),
  };
}

interface Collapsed {
  readonly text: string;
  /** Start offset in `text` of each original line. */
  readonly lineStarts: number[];
  /** The first original line read (when the log was longer than MAX_LOG_LENGTH). */
  readonly firstLine: number;
  readonly lines: string[];
}

/** The log with each run of white space collapsed to one space, so wrapped messages match. */
function collapse(log: string): Collapsed {
  let firstLine = 0;
  let text = log;
  if (text.length > MAX_LOG_LENGTH) {
    const cut = text.length - MAX_LOG_LENGTH;
    firstLine = (text.slice(0, cut).match(/\n/g) ?? []).length;
    text = text.slice(cut);
  }
  const lines = text.split(/\r?\n|\r/);
  const lineStarts: number[] = [];
  let out = '';
  for (const line of lines) {
    const part = line.trim().replace(/\s+/g, ' ');
    lineStarts.push(out.length);
    if (part.length > 0) out += part + ' ';
  }
  return { text: out, lineStarts, firstLine, lines };
}

function clip(text: string, max: number): string {
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

function lineAt(lineStarts: readonly number[], offset: number): number {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (lineStarts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

function stepAt(line: string, logLine: number): BuildStep | undefined {
  const classic = CLASSIC_STEP.exec(line);
  if (classic)
    return {
      builder: 'classic',
      index: Number(classic[1]),
      total: Number(classic[2]),
      instruction: classic[3].trim(),
      logLine,
    };
  const buildkit = BUILDKIT_STEP.exec(line);
  if (buildkit) {
    return {
      builder: 'buildkit',
      stage: buildkit[2],
      index: Number(buildkit[3]),
      total: Number(buildkit[4]),
      instruction: buildkit[5].trim(),
      logLine,
    };
  }
  return undefined;
}

/** The build step a log line belongs to: BuildKit's `#N` output lines belong to the step `#N`; otherwise the last step line before it. */
function findStep(lines: readonly string[], at: number, firstLine: number): BuildStep | undefined {
  const id = BUILDKIT_OUTPUT.exec(lines[at])?.[1];
  if (id !== undefined) {
    for (let i = at; i >= 0; i--) {
      const match = BUILDKIT_STEP.exec(lines[i]);
      if (match && match[1] === id) return stepAt(lines[i], i + firstLine);
    }
  }
  for (let i = at; i >= 0; i--) {
    const step = stepAt(lines[i], i + firstLine);
    if (step) return step;
  }
  return undefined;
}

/** The image the log was pulling just before the error (after the step line, when there is one). */
function findImageName(
  lines: readonly string[],
  at: number,
  stepLine: number | undefined,
  step: BuildStep | undefined,
): string | undefined {
  for (let i = at; i >= 0 && (stepLine === undefined || i >= stepLine); i--) {
    const pulling = PULLING.exec(lines[i]);
    if (pulling) return `${pulling[2]}:${pulling[1]}`;
  }
  if (step && /^FROM\s/i.test(step.instruction))
    return step.instruction.split(/\s+/).find((word, i) => i > 0 && !word.startsWith('--'));
  return undefined;
}

/**
 * Every catalogued error in the log, each once (the same error with other versions counts as
 * another), in the order first seen. An empty list means nothing was recognised.
 */
export function explainLog(log: string): ExplainedError[] {
  const collapsed = collapse(log);
  const found = new Map<string, { error: ExplainedError; offset: number; spans: [number, number][] }>();
  for (const { entry, regexes } of compiled) {
    // One explanation per entry and versions; a bare code inside the full message is the same occurrence.
    for (const regex of regexes) {
      regex.lastIndex = 0;
      for (let match = regex.exec(collapsed.text); match; match = regex.exec(collapsed.text)) {
        if (match[0].length === 0) regex.lastIndex++;
        const groups = match.groups ?? {};
        const key = [entry.id, groups.host ?? '', groups.image ?? '', (groups.instruction ?? '').toLowerCase()].join(
          '|',
        );
        const start = match.index;
        const end = start + match[0].length;
        const existing = found.get(key);
        if (existing) {
          if (!existing.spans.some(([s, e]) => start < e && end > s)) {
            existing.spans.push([start, end]);
            existing.error = { ...existing.error, occurrences: existing.spans.length };
          }
          continue;
        }
        const at = lineAt(collapsed.lineStarts, start);
        const step = findStep(collapsed.lines, at, collapsed.firstLine);
        const imageName = findImageName(
          collapsed.lines,
          at,
          step ? step.logLine - collapsed.firstLine : undefined,
          step,
        );
        const error: ExplainedError = {
          entry,
          matched: match[0].trim(),
          logLine: at + collapsed.firstLine,
          lineText: clip(collapsed.lines[at].trim(), 400),
          occurrences: 1,
          ...(groups.host ? { host: describeWindowsVersion(groups.host) } : {}),
          ...(groups.image ? { image: describeWindowsVersion(groups.image) } : {}),
          ...(groups.instruction ? { instruction: groups.instruction.toLowerCase() } : {}),
          ...(step ? { step } : {}),
          ...(imageName ? { imageName } : {}),
        };
        found.set(key, { error, offset: start, spans: [[start, end]] });
      }
    }
  }
  return [...found.values()].sort((a, b) => a.offset - b.offset).map((f) => f.error);
}

/** A step as the builder prints it: `Step 2/4` (classic builder), `[build 3/3]` (BuildKit). */
export function formatStep(step: BuildStep): string {
  return step.builder === 'classic'
    ? `Step ${step.index}/${step.total}`
    : `[${step.stage ? step.stage + ' ' : ''}${step.index}/${step.total}]`;
}

/** The Dockerfile line responsible for an error, and why it is that one. */
export interface ResponsibleLine {
  /** 0-based line of the instruction's keyword. */
  readonly line: number;
  readonly startCharacter: number;
  readonly endLine: number;
  readonly endCharacter: number;
  readonly keyword: string;
  /** The instruction's first line, for messages. */
  readonly text: string;
  readonly reason: string;
}

function normalise(text: string): string {
  return text.replace(/\s+/g, ' ').trim().toLowerCase();
}

function toResponsible(instruction: Instruction, reason: string, source: string): ResponsibleLine {
  const range = instruction.getRange();
  const firstLine = source.split(/\r?\n|\r/)[range.start.line] ?? '';
  return {
    line: range.start.line,
    startCharacter: range.start.character,
    endLine: range.end.line,
    endCharacter: range.end.character,
    keyword: instruction.getKeyword(),
    text: firstLine.trim(),
    reason,
  };
}

/** The instruction of a step line: by its position, checked against the log's text; by the text when the position disagrees. */
function instructionOfStep(
  instructions: readonly Instruction[],
  froms: readonly From[],
  step: BuildStep,
): Instruction | undefined {
  let candidates: readonly Instruction[] = instructions;
  if (step.builder === 'buildkit') {
    let stageIndex: number | undefined;
    if (step.stage === undefined) stageIndex = froms.length === 1 ? 0 : undefined;
    else {
      const named = froms.findIndex((f) => f.getBuildStage()?.toLowerCase() === step.stage?.toLowerCase());
      const numbered = /^stage-(\d+)$/.exec(step.stage);
      stageIndex = named >= 0 ? named : numbered ? Number(numbered[1]) : undefined;
    }
    if (stageIndex !== undefined && froms[stageIndex]) {
      const start = instructions.indexOf(froms[stageIndex]);
      const next = froms[stageIndex + 1] ? instructions.indexOf(froms[stageIndex + 1]) : instructions.length;
      candidates = instructions.slice(start, next);
    } else if (step.stage === undefined) {
      candidates = [];
    }
  }
  const keyword = step.instruction.split(/\s/)[0].toUpperCase();
  const wanted = normalise(step.instruction);
  const byText = (i: Instruction) => {
    const have = normalise(i.toString());
    return i.getKeyword() === keyword && (have === wanted || have.startsWith(wanted) || wanted.startsWith(have));
  };
  const atPosition = candidates[step.index - 1];
  if (atPosition && atPosition.getKeyword() === keyword && (candidates !== instructions || step.builder === 'classic'))
    return atPosition;
  return candidates.find(byText) ?? instructions.find(byText);
}

/** The stage FROM that names a real image: follows `FROM <stage>` to the stage it builds on. */
function baseFrom(froms: readonly From[], from: From): From {
  let current = from;
  for (let hops = 0; hops < froms.length; hops++) {
    const name = current.getImageName()?.toLowerCase();
    const parent = name
      ? froms.find(
          (f) =>
            f !== current &&
            f.getBuildStage()?.toLowerCase() === name &&
            f.getRange().start.line < current.getRange().start.line,
        )
      : undefined;
    if (!parent) return current;
    current = parent;
  }
  return current;
}

function stageFromOf(froms: readonly From[], instruction: Instruction): From | undefined {
  const line = instruction.getRange().start.line;
  let found: From | undefined;
  for (const from of froms) if (from.getRange().start.line <= line) found = from;
  return found;
}

/** Repository path without registry and tag: `mcr.microsoft.com/windows/nanoserver:ltsc2022` → `windows/nanoserver`. */
function repositoryPath(image: string): { path: string; tag?: string } {
  const withoutDigest = image.split('@')[0];
  const colon = withoutDigest.lastIndexOf(':');
  const tagged = colon > withoutDigest.lastIndexOf('/');
  const name = (tagged ? withoutDigest.slice(0, colon) : withoutDigest).toLowerCase();
  const parts = name.split('/');
  if (parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost')) parts.shift();
  if (parts[0] === 'library') parts.shift();
  return { path: parts.join('/'), tag: tagged ? withoutDigest.slice(colon + 1).toLowerCase() : undefined };
}

function fromForImage(froms: readonly From[], image: string): From | undefined {
  const wanted = repositoryPath(image);
  const matches = froms.filter((f) => {
    const value = f.getExpandedArguments()[0]?.getValue();
    return value !== undefined && repositoryPath(value).path === wanted.path;
  });
  return matches.find((f) => repositoryPath(f.getExpandedArguments()[0].getValue()).tag === wanted.tag) ?? matches[0];
}

/**
 * The Dockerfile line responsible for an error: the failing step for a step error; the FROM of
 * the failing step's stage (or of the image the log names, or of the final stage for `docker run`
 * errors) for an error about the base image; the instruction the message names. Undefined when
 * the error is not about the Dockerfile or nothing leads to a line.
 */
export function responsibleLine(dockerfile: string, error: ExplainedError): ResponsibleLine | undefined {
  const { concerns } = error.entry;
  if (concerns === 'none') return undefined;
  const parsed = DockerfileParser.parse(dockerfile);
  const instructions = parsed.getInstructions();
  const froms = parsed.getFROMs();
  if (instructions.length === 0) return undefined;
  const stepInstruction = error.step ? instructionOfStep(instructions, froms, error.step) : undefined;
  const stepLabel = error.step ? formatStep(error.step) : '';

  if (concerns === 'instruction') {
    const keyword = error.instruction?.toUpperCase();
    if (stepInstruction && (!keyword || stepInstruction.getKeyword() === keyword))
      return toResponsible(stepInstruction, `the failing build step (${stepLabel})`, dockerfile);
    const named = keyword ? instructions.find((i) => i.getKeyword() === keyword) : undefined;
    return named ? toResponsible(named, `the ${keyword} instruction the message names`, dockerfile) : undefined;
  }

  if (concerns === 'step') {
    if (stepInstruction) return toResponsible(stepInstruction, `the failing build step (${stepLabel})`, dockerfile);
    if (!error.entry.dockerfilePattern) return undefined;
    const needle = new RegExp(error.entry.dockerfilePattern, 'i');
    const match = instructions.find((i) => i.getKeyword() !== 'FROM' && needle.test(i.toString()));
    return match
      ? toResponsible(
          match,
          'the instruction that does what the message reports (the log names no build step)',
          dockerfile,
        )
      : undefined;
  }

  // concerns === 'base-image'
  if (stepInstruction) {
    const from = stepInstruction instanceof From ? stepInstruction : stageFromOf(froms, stepInstruction);
    if (from) {
      const base = baseFrom(froms, from);
      return toResponsible(base, `the base image of the failing build step (${stepLabel})`, dockerfile);
    }
  }
  if (error.imageName) {
    const from = fromForImage(froms, error.imageName);
    if (from) return toResponsible(from, `the FROM of ${error.imageName}, the image the log was pulling`, dockerfile);
  }
  if (froms.length === 0) return undefined;
  if (error.step) return undefined;
  const last = baseFrom(froms, froms[froms.length - 1]);
  return toResponsible(
    last,
    froms.length === 1
      ? 'the base image (the only FROM)'
      : "the final stage's base image (the image docker run starts)",
    dockerfile,
  );
}
