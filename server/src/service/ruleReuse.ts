/**
 * dockerfile-utils' validation and the Windows rules, run again only where an edit can change what
 * they find.
 *
 * Most checks judge a build stage by itself: its instructions, the stages it builds on (`FROM
 * build`) or copies from (`--from=build`), the ARGs before the first FROM, the FROM lines and which
 * stages are Windows. So the findings in a stage are those of the last version when all that is
 * unchanged and at the same lines. After an edit inside one stage (typing in a RUN: the common
 * case), only that stage (and those that depend on it) is checked again, on a copy of the document
 * that keeps the lines before the first FROM and the stages to check with those they depend on;
 * every other line is left empty, so every line keeps its number: the same ranges. Everything else
 * is what the last version found.
 *
 * dockerfile-utils 0.16.3 (`dockerValidator.js`, read for this) checks each instruction by itself,
 * the CMDs, ENTRYPOINTs and HEALTHCHECKs of each stage together, the directives and what comes
 * before the first FROM, and the build stage names of all FROMs together (`UPSTREAM_STAGE_NAMES`,
 * a FROM_LINE_RULES check below). A `# dockerfile-utils: ignore` comment silences the next line:
 * the line before each FROM is part of what must be unchanged.
 *
 * This is a cache, never a different answer: `test/unit/ruleReuse.test.ts` checks, on the corpus,
 * the fixtures and generated files, that after every edit of a series the diagnostics are exactly
 * those of a full check. Checks that compare stages with each other (`FROM_LINE_RULES`) run on the
 * whole document in a full check and keep their last findings in a partial one: they read only what
 * a partial check requires unchanged. Rules that read the whole text (`WHOLE_TEXT_RULES`) always
 * run on the whole document. A change to the settings, the date, the lines before the first
 * FROM, a FROM line (or the line before it) or a stage's operating system (a SHELL can decide it)
 * checks everything again, as does an edit that moves lines (the later stages are then at other lines).
 */
import type { Range } from 'vscode-languageserver-types';
import type { Settings } from '../../../common/settings';
import { findLineEnd } from '../dockerfile/buildkit';
import { parseDocument, ParsedDocument } from '../dockerfile/document';

/**
 * dockerfile-utils' validation, as two checks (diagnostics.ts): what it finds in each stage and
 * before the first FROM (every check but one reads one instruction, or the CMDs, ENTRYPOINTs and
 * HEALTHCHECKs of one stage), and its duplicate build stage names, which compare the FROM lines.
 */
export const UPSTREAM_IN_STAGES = 'dockerfile-utils';
export const UPSTREAM_STAGE_NAMES = 'dockerfile-utils:stage-names';

/**
 * Rules that compare stages with each other (a stage's findings change with another stage), from
 * what the FROM lines, the lines before the first FROM and the stages' operating systems say and
 * nothing else: those are what a partial check requires unchanged, so their findings are the last ones.
 */
export const FROM_LINE_RULES: ReadonlySet<string> = new Set(['windows-mixed-builds', 'windows-from-scratch', UPSTREAM_STAGE_NAMES]);

/**
 * Rules whose findings read the whole text: `trailing-backslash-continuation` offers `# escape=``
 * for the file only when no other line of it changes meaning. Always run on the whole document.
 */
export const WHOLE_TEXT_RULES: ReadonlySet<string> = new Set(['trailing-backslash-continuation']);

/** A check run per document: a Windows rule, or a part of dockerfile-utils' validation (diagnostics.ts). */
export interface Check {
  readonly id: string;
}

/** What a check finds: anything with a range (a rule's finding, an upstream diagnostic). */
export interface Located {
  readonly range: Range;
}

export type CheckRunner<C extends Check, F extends Located> = (check: C, document: ParsedDocument) => F[];

/** A document split at its FROMs: the lines before the first FROM, then one unit per stage. */
interface Units {
  /** First line of each stage (its FROM), then the line count: stage i is `[starts[i], starts[i + 1])`. */
  readonly starts: readonly number[];
  /** Text of the lines before the first FROM. */
  readonly prefix: string;
  /** Text of each stage, its line breaks included. */
  readonly stages: readonly string[];
  /**
   * Every FROM instruction's line and text, the line before it, and every stage's operating
   * system: any change to one checks everything again. (The line before: a `# dockerfile-utils:
   * ignore` comment there silences what dockerfile-utils finds on the FROM, across the units.)
   */
  readonly froms: string;
  /** For each stage: the stages it depends on, itself included (transitively, by index). */
  readonly closure: readonly (readonly number[])[];
}

interface LastRun {
  readonly key: string;
  readonly units: Units;
  /** Per rule (in registry order): its findings per unit, the lines before the first FROM first (index 0), then stage i at i + 1. */
  readonly findings: ReadonlyMap<string, readonly (readonly Located[])[]>;
}

/** The last check of each open document, for the next version to start from. */
export class RuleRuns {
  private readonly last = new Map<string, LastRun>();
  /** What the checks so far did: full checks, checks of some stages (on a copy or the whole document), stages whose findings were reused. */
  readonly counts = { full: 0, partial: 0, rechecked: 0, reused: 0 };

  /**
   * The findings of each check, as a full check on `document` finds them: those of a check run on
   * a stage are in the order of the units (the lines before the first FROM, then stage by stage),
   * each unit's in the order the check gave them. `run` checks one rule on one document (the
   * caller's error handling and logging around `rule.check`).
   */
  check<C extends Check, F extends Located>(document: ParsedDocument, rules: readonly C[], settings: Settings, today: string, run: CheckRunner<C, F>): Map<string, F[]> {
    const units = splitUnits(document);
    const key = `${today}\u0000${JSON.stringify(settings)}\u0000${rules.map((r) => r.id).join(',')}`;
    const last = this.last.get(document.uri);
    const result = new Map<string, F[]>();
    const perUnit = new Map<string, F[][]>();

    const stale = units && last ? staleStages(last, units, key) : undefined;
    if (!units || !last || !stale) {
      this.counts.full++;
      // No usable last check: every rule on the whole document.
      for (const rule of rules) {
        const findings = run(rule, document);
        if (!units || FROM_LINE_RULES.has(rule.id) || WHOLE_TEXT_RULES.has(rule.id)) {
          result.set(rule.id, findings);
          if (units) perUnit.set(rule.id, [findings]);
          continue;
        }
        const split = byUnit(findings, document);
        perUnit.set(rule.id, split);
        result.set(rule.id, split.flat());
      }
    } else {
      const recheck = new Set<number>();
      for (const stage of stale) for (const dependent of dependents(units, stage)) recheck.add(dependent);
      this.counts.partial++;
      this.counts.rechecked += recheck.size;
      this.counts.reused += units.stages.length - recheck.size;
      // A few stages: on a copy with only what they depend on; many: on the whole document.
      const subject = recheck.size === 0 ? undefined : recheck.size * 2 <= units.stages.length ? subDocument(document, units, recheck) : document;
      for (const rule of rules) {
        const previous = last.findings.get(rule.id) as readonly (readonly F[])[] | undefined;
        const wholeDocument = WHOLE_TEXT_RULES.has(rule.id) || FROM_LINE_RULES.has(rule.id);
        if (wholeDocument || !previous) {
          const findings = FROM_LINE_RULES.has(rule.id) && previous && subject !== document ? (previous[0] as F[]) : run(rule, document);
          perUnit.set(rule.id, wholeDocument ? [findings] : byUnit(findings, document));
          result.set(rule.id, findings);
          continue;
        }
        const fresh = subject ? byUnit(run(rule, subject), document) : undefined;
        const merged: F[][] = [];
        for (let unit = 0; unit <= units.stages.length; unit++) {
          const rechecked = fresh !== undefined && (subject === document || recheck.has(unit - 1));
          merged.push(rechecked ? fresh[unit] : (previous[unit] as F[]));
        }
        perUnit.set(rule.id, merged);
        result.set(rule.id, merged.flat());
      }
    }
    if (units) this.last.set(document.uri, { key, units, findings: perUnit });
    else this.last.delete(document.uri);
    return result;
  }

  delete(uri: string): void {
    this.last.delete(uri);
  }
}

/**
 * The stages whose text or lines changed since the last check, or `undefined` when everything has
 * to be checked again (other settings or date, other lines before the first FROM, a FROM changed,
 * stages added or removed).
 */
function staleStages(last: LastRun, units: Units, key: string): number[] | undefined {
  const before = last.units;
  if (last.key !== key || before.prefix !== units.prefix || before.froms !== units.froms || before.stages.length !== units.stages.length) return undefined;
  const stale: number[] = [];
  for (let i = 0; i < units.stages.length; i++) {
    if (before.starts[i] !== units.starts[i] || before.stages[i] !== units.stages[i] || !sameList(before.closure[i], units.closure[i])) stale.push(i);
  }
  return stale;
}

function sameList(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The stages whose closure includes `stage` (itself included). */
function dependents(units: Units, stage: number): number[] {
  const result: number[] = [];
  for (let i = stage; i < units.closure.length; i++) if (units.closure[i].includes(stage)) result.push(i);
  return result;
}

const FROM_REFERENCE = /from=["']?([^\s,"']+)/gi;
/** The most stages one stage may depend on (itself included) for its findings to be reused. */
const MAX_CLOSURE = 32;

function splitUnits(document: ParsedDocument): Units | undefined {
  const { stages, lineOffsets, text } = document;
  if (stages.length === 0) return undefined;
  const lineCount = lineOffsets.length;
  const starts = stages.map((stage) => stage.from.getRange().start.line);
  starts.push(lineCount);
  for (let i = 1; i < starts.length; i++) if (!(starts[i] > starts[i - 1])) return undefined;
  const offset = (line: number) => (line >= lineCount ? text.length : lineOffsets[line]);
  const stageTexts = stages.map((_, i) => text.slice(offset(starts[i]), offset(starts[i + 1])));
  const froms = stages
    .map((stage, i) => `${starts[i]}:${stage.os}:${text.slice(offset(Math.max(starts[i] - 1, 0)), offset(starts[i]))}\u0001${text.slice(offset(starts[i]), offset(stage.from.getRange().end.line + 1))}`)
    .join('\u0000');
  // The stage each name stands for so far: a later stage of the same name hides an earlier one.
  const byName = new Map<string, number>();
  const closure: number[][] = [];
  for (let i = 0; i < stages.length; i++) {
    const direct = new Set<number>();
    // The stage it builds on, found as findStages finds it (stages.ts).
    const parent = stages[i].image ? undefined : byName.get(stages[i].from.getExpandedArguments()[0]?.getValue().toLowerCase() ?? '');
    if (parent !== undefined) direct.add(parent);
    // The stages it copies or mounts from (any `from=`, wherever it is: more than needed is only slower).
    const references: string[] = [];
    for (const match of stageTexts[i].matchAll(FROM_REFERENCE)) references.push(match[1].toLowerCase());
    for (const reference of references) {
      // Unknown until the build: any earlier stage may be the one.
      if (reference.includes('$')) return undefined;
      const named = byName.get(reference);
      if (named !== undefined) direct.add(named);
      else if (/^\d+$/.test(reference) && Number(reference) < i) direct.add(Number(reference));
    }
    const all = new Set<number>([i]);
    for (const j of direct) for (const k of closure[j]) all.add(k);
    // Long chains of stages: reusing would cost more than it saves (and memory per stage).
    if (all.size > MAX_CLOSURE) return undefined;
    closure.push([...all].sort((a, b) => a - b));
    const name = stages[i].name;
    if (name) byName.set(name, i);
  }
  return { starts, prefix: text.slice(0, offset(starts[0])), stages: stageTexts, froms, closure };
}

/**
 * The findings of a unit where a check found nothing: one shared empty array, never added to (most
 * rules find nothing in most stages, and a run keeps a list per rule and stage: at 10,000 lines
 * about 17,000 of them, 0.9 MB as separate empty arrays).
 */
const NONE: never[] = Object.freeze([]) as unknown as never[];

/** Findings per unit (lines before the first FROM, then each stage), by the stage each starts in (the document's own `stageAt`); order kept within a unit. */
function byUnit<F extends Located>(findings: readonly F[], document: ParsedDocument): F[][] {
  const result: F[][] = new Array<F[]>(document.stages.length + 1).fill(NONE);
  for (const finding of findings) {
    const unit = (document.stageAt(finding.range.start.line)?.index ?? -1) + 1;
    if (result[unit] === NONE) result[unit] = [finding];
    else result[unit].push(finding);
  }
  return result;
}

/** The document with only the lines before the first FROM and the stages to check (with those they depend on); other lines empty. */
function subDocument(document: ParsedDocument, units: Units, recheck: ReadonlySet<number>): ParsedDocument {
  const keep = new Set<number>();
  for (const stage of recheck) for (const j of units.closure[stage]) keep.add(j);
  const { text, lineOffsets } = document;
  const lineCount = lineOffsets.length;
  const parts: string[] = [units.prefix];
  for (let i = 0; i < units.stages.length; i++) {
    if (keep.has(i)) {
      parts.push(units.stages[i]);
      continue;
    }
    // A stage nothing checked here depends on: its lines emptied, each with its own line break (fixes
    // copy the file's). No rule reads a stage's number or resolves `--from`, so none stands in for it.
    let previous = parts[parts.length - 1];
    for (let line = units.starts[i]; line < units.starts[i + 1]; line++) {
      const start = lineOffsets[line];
      const lineBreak = text.slice(findLineEnd(text, start), line + 1 < lineCount ? lineOffsets[line + 1] : text.length);
      // A lone CR, then an emptied line's LF, would read as one CRLF: the line keeps a blank instead.
      if (previous.endsWith('\r') && lineBreak.startsWith('\n')) parts.push(' ');
      parts.push(lineBreak);
      previous = lineBreak;
    }
  }
  // The kept instructions are the document's own: their arguments are read from its memo.
  return parseDocument({ uri: document.uri, version: document.version, text: parts.join('') }, { argumentMemo: document.argumentMemo?.borrowed() });
}

