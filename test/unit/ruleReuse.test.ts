/**
 * Running dockerfile-utils and the rules again only where an edit can change their findings
 * (service/ruleReuse.ts) changes no diagnostic: on the golden fixtures, the samples, the integration workspace, the
 * corpus and generated files, after every edit of a series (typing in a line, a new line, a
 * deleted line, an edited FROM, a changed escape directive, edits that join or split stages),
 * the diagnostics with the last check reused are exactly, in the same order, those of a full
 * check of the same text; and a full check gives what dockerfile-utils and the rules give when run
 * by themselves. Targeted cases follow for what crosses stages: a stage built on another, a SHELL
 * that makes a stage Windows, the document's line breaks, a fix that reads the whole file,
 * duplicate stage names, a `# dockerfile-utils: ignore` comment before a FROM.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { DockerfileLanguageServiceFactory } from 'dockerfile-language-service';
import { ValidationCode } from 'dockerfile-utils';
import type { Diagnostic } from 'vscode-languageserver-types';
import { normaliseSettings } from '../../common/settings';
import { RULES } from '../../server/src/rules';
import { computeDiagnostics, toValidatorSettings } from '../../server/src/service/diagnostics';
import { parseDocument } from '../../server/src/dockerfile/document';
import { ArgumentMemo } from '../../server/src/patches/treeQueries';
import { RuleRuns } from '../../server/src/service/ruleReuse';
import { filterUpstreamDiagnostics } from '../../server/src/service/upstreamAgreement';
import { FIXTURE_TODAY, REPO_ROOT } from './helpers';
import { upstreamInputs } from './upstreamInputs';

const settings = normaliseSettings(undefined);
const fail = (message: string) => {
  throw new Error(message);
};
const upstream = DockerfileLanguageServiceFactory.createLanguageService();

/**
 * Checks of one document: `check(text, version, true)` with the last check reused (one RuleRuns for
 * the document), `false` for a full check; `codes` gives each diagnostic as `code@line`.
 */
function checker(uri: string) {
  const runs = new RuleRuns();
  const check = (text: string, version: number, reuse: boolean) =>
    computeDiagnostics(parseDocument({ uri, version, text }), settings, upstream, fail, FIXTURE_TODAY, reuse ? runs : undefined);
  const codes = (text: string, version: number, reuse: boolean) => check(text, version, reuse).map((d) => `${d.code}@${d.range.start.line}`);
  return { runs, check, codes };
}

/** dockerfile-utils (minus what BuildKit disagrees with) and every rule, each run by itself on the whole document. */
/** One diagnostic or finding as a comparable line: what reports it, where, and what it says. */
function described(code: unknown, range: Diagnostic['range'], message: Diagnostic['message']): string {
  return `${String(code)}@${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character} ${String(message)}`;
}

function byThemselves(document: ReturnType<typeof parseDocument>): string[] {
  const found = filterUpstreamDiagnostics(document, upstream.validate(document.parserText, toValidatorSettings(settings))).map((d) => described(d.code, d.range, d.message));
  for (const rule of RULES) {
    for (const f of rule.check({ document, today: FIXTURE_TODAY, settings })) found.push(described(rule.id, f.range, f.message));
  }
  return found;
}

function sorted(diagnostics: readonly Diagnostic[] | readonly string[]): string[] {
  return diagnostics.map((d) => (typeof d === 'string' ? d : described(d.code, d.range, d.message))).sort();
}

/** A small deterministic generator (the same edits on every run). */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

/** One edit of `text`: mostly typing in a line, sometimes a line break, a deleted line, or text that starts or ends a stage. */
function edit(text: string, next: () => number): string {
  const lines = text.split('\n');
  const line = Math.floor(next() * lines.length);
  const column = Math.floor(next() * (lines[line].length + 1));
  const insert = (s: string) => {
    lines[line] = lines[line].slice(0, column) + s + lines[line].slice(column);
  };
  const kind = next();
  if (kind < 0.55) insert('abcdef xyz$\\`"'[Math.floor(next() * 15)]);
  else if (kind < 0.65) insert('\n');
  else if (kind < 0.72) lines.splice(line, 1);
  else if (kind < 0.78) insert(' pwsh ');
  else if (kind < 0.83) insert(' --from=0 ');
  else if (kind < 0.88) lines.splice(line, 0, 'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022 AS extra');
  else if (kind < 0.92) lines[line] = lines[line].replace(/\bFROM\b/i, 'RUN');
  else if (kind < 0.95) lines.splice(line, 0, 'SHELL ["powershell", "-Command"]');
  else if (kind < 0.96) lines.splice(line, 0, 'ARG TAG=ltsc2019');
  // Lines that reach across stages: a trailing backslash (whose fix reads the whole file), a
  // line ending in a backtick (which that fix must not break), a lone CR.
  else if (kind < 0.97) lines.splice(line, 0, 'COPY app.zip c:\\');
  else if (kind < 0.98) lines.splice(line, 0, 'RUN echo tick`');
  else if (kind < 0.985) insert('\r');
  // A comment that silences dockerfile-utils on the next line, which may be another stage's FROM.
  else if (kind < 0.99) lines.splice(line, 0, '# dockerfile-utils: ignore');
  else lines[line] = lines[line].slice(0, column);
  return lines.join('\n');
}

test('after each edit of a series, the diagnostics with the last check reused equal a full check', async () => {
  const { inputs, corpus } = await upstreamInputs();
  assert.ok(inputs.length > (corpus ? 200 : 60), `${inputs.length} inputs`);
  const bench = (await import(pathToFileURL(path.join(REPO_ROOT, 'scripts', 'bench-input.mjs')).href)) as { generateWindowsDockerfile(lines: number): string };
  inputs.push({ name: 'generated, 1,000 lines', text: bench.generateWindowsDockerfile(1000) });
  let edits = 0;
  let borrowed = 0;
  const counts = { full: 0, partial: 0, rechecked: 0, reused: 0 };
  for (const [index, input] of inputs.entries()) {
    const runs = new RuleRuns();
    // As DocumentCache parses: one argument memo per document, which RuleRuns' copies of some stages read.
    const memo = new ArgumentMemo();
    const next = random(index + 1);
    let text = input.text;
    const uri = `file:///reuse/${index}/Dockerfile`;
    // Long files get fewer edits (the full check each time is what takes long).
    const count = input.text.length > 20_000 ? 6 : 14;
    for (let version = 1; version <= count; version++) {
      if (version > 1) text = edit(text, next);
      const document = parseDocument({ uri, version, text }, { argumentMemo: memo });
      const reused = computeDiagnostics(document, settings, upstream, fail, FIXTURE_TODAY, runs);
      const fresh = parseDocument({ uri, version, text });
      const full = computeDiagnostics(fresh, settings, upstream, fail, FIXTURE_TODAY);
      assert.deepEqual(reused, full, `${input.name}, version ${version}:\n${text}`);
      // The full check itself is what dockerfile-utils and the rules give by themselves (ordered stage by stage).
      if (version === 1 || version === count) assert.deepEqual(sorted(full), sorted(byThemselves(fresh)), `${input.name}, version ${version}`);
      edits++;
    }
    for (const key of Object.keys(counts) as (keyof typeof counts)[]) counts[key] += runs.counts[key];
    borrowed += memo.counts.borrowed;
  }
  assert.ok(borrowed > 1000, `the copies of stages read ${borrowed} instructions' arguments from the memo`);
  // Most edits reuse the findings of most stages; some check everything again.
  assert.ok(edits > 2000, `${edits} edits`);
  assert.ok(counts.partial > edits / 3 && counts.full > edits / 20 && counts.reused > 1000, JSON.stringify({ edits, ...counts }));
  console.log(JSON.stringify({ edits, ...counts }));
});

test('a check after another date, other settings or a forgotten document is a full check', () => {
  const text = 'FROM mcr.microsoft.com/windows/servercore:ltsc2019\nRUN echo hi\n\nFROM mcr.microsoft.com/windows/nanoserver:1809\nRUN powershell -Command Get-Date\n';
  const runs = new RuleRuns();
  const uri = 'file:///reuse/keys/Dockerfile';
  const check = (version: number, today: string, raw: unknown) =>
    computeDiagnostics(parseDocument({ uri, version, text }), normaliseSettings(raw), undefined, fail, today, runs).map((d) => `${d.code}@${d.range.start.line}`);
  const full = (today: string, raw: unknown) =>
    computeDiagnostics(parseDocument({ uri, version: 1, text }), normaliseSettings(raw), undefined, fail, today).map((d) => `${d.code}@${d.range.start.line}`);
  assert.deepEqual(check(1, '2020-01-01', undefined), full('2020-01-01', undefined));
  // Same text: everything reused, and still the full answer.
  assert.deepEqual(check(2, '2020-01-01', undefined), full('2020-01-01', undefined));
  // Past the end of servicing of ltsc2019's image: a new date is a full check.
  assert.deepEqual(check(3, '2030-01-01', undefined), full('2030-01-01', undefined));
  assert.notDeepEqual(full('2020-01-01', undefined), full('2030-01-01', undefined));
  // A rule switched off, then on again.
  assert.deepEqual(check(4, '2030-01-01', { rules: { 'nanoserver-powershell': 'off' } }), full('2030-01-01', { rules: { 'nanoserver-powershell': 'off' } }));
  assert.deepEqual(check(5, '2030-01-01', undefined), full('2030-01-01', undefined));
  assert.ok(full('2030-01-01', undefined).some((d) => d.startsWith('nanoserver-powershell@')));
  runs.delete(uri);
  assert.deepEqual(check(6, '2030-01-01', undefined), full('2030-01-01', undefined));
});

test('a stage is checked again when a stage it builds on changes, though its own text did not', () => {
  const base = (line: string) =>
    [
      'FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS base',
      line,
      'RUN echo base',
      '',
      'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022 AS other',
      'RUN echo other',
      '',
      'FROM base AS app',
      'RUN powershell -Command Get-Date',
      'RUN powershell -Command Get-Location',
      '',
    ].join('\n');
  const { runs, codes } = checker('file:///reuse/parent/Dockerfile');
  // Only the second line of `base` differs: no line moves.
  const withShell = base('SHELL ["cmd", "/S", "/C"]');
  const withoutShell = base('LABEL shell=cmd');
  assert.deepEqual(codes(withShell, 1, true), codes(withShell, 1, false));
  const expected = codes(withoutShell, 2, false);
  assert.ok(!codes(withShell, 1, false).includes('powershell-run-without-shell@8'), 'a SHELL in the chain: no finding in app');
  assert.ok(expected.includes('powershell-run-without-shell@8'), 'without it, app starts cmd and then PowerShell for each RUN');
  assert.deepEqual(codes(withoutShell, 2, true), expected);
  assert.equal(runs.counts.partial, 1);
  assert.equal(runs.counts.rechecked, 2, 'base and app, not other');
});

test('a SHELL that makes another stage Windows is seen by the rules that compare stages', () => {
  const text = (line: string) => ['FROM scratch AS s', 'COPY a b', '', 'FROM example/tool AS t', line, 'RUN echo t', ''].join('\n');
  const { codes } = checker('file:///reuse/scratch/Dockerfile');
  const linuxOrUnknown = text('LABEL a=b');
  const windows = text('SHELL ["cmd", "/S", "/C"]');
  assert.deepEqual(codes(linuxOrUnknown, 1, true), codes(linuxOrUnknown, 1, false));
  assert.ok(!codes(linuxOrUnknown, 1, false).includes('windows-from-scratch@0'));
  assert.ok(codes(windows, 2, false).includes('windows-from-scratch@0'), 'a Windows build now: FROM scratch fails');
  assert.deepEqual(codes(windows, 2, true), codes(windows, 2, false));
});

test('fixes checked on a copy write the line breaks of the document (CRLF, first line a FROM)', () => {
  const text = (typed: string) =>
    [
      'FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS first',
      'RUN echo first',
      '',
      'FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS second',
      `RUN powershell -Command Get-Date${typed}`,
      'RUN powershell -Command Get-Location',
      '',
    ].join('\r\n');
  const { runs, check } = checker('file:///reuse/crlf/Dockerfile');
  assert.deepEqual(check(text(''), 1, true), check(text(''), 1, false));
  const full = check(text(' -Format o'), 2, false);
  assert.ok(JSON.stringify(full).includes('\\r\\n'), 'the SHELL fix inserts a CRLF line');
  assert.deepEqual(check(text(' -Format o'), 2, true), full);
  assert.equal(runs.counts.partial, 1, 'checked on a copy');
});

test('a finding whose fix reads the whole file is checked again after an edit in another stage', () => {
  // The trailing-backslash fix offers `# escape=`` for the file only when that changes nothing else:
  // a PowerShell line ending in a backtick, in another stage, makes the switch change it.
  const text = (runLine: string) =>
    [
      'FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS build',
      'COPY app.zip c:\\',
      'RUN echo build',
      '',
      'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022 AS run',
      runLine,
      '',
    ].join('\n');
  const { check } = checker('file:///reuse/escape/Dockerfile');
  const before = text('RUN echo plain');
  const after = text('RUN echo tick`');
  assert.deepEqual(check(before, 1, true), check(before, 1, false));
  const message = (diagnostics: ReturnType<typeof check>) => diagnostics.find((d) => d.code === 'trailing-backslash-continuation')?.message.toString() ?? '';
  assert.ok(message(check(before, 1, false)).includes('# escape=`'), 'the switch is offered');
  assert.ok(!message(check(after, 2, false)).includes('# escape=`'), 'not once a line ends in a backtick');
  assert.deepEqual(check(after, 2, true), check(after, 2, false));
});

test('dockerfile-utils: duplicate stage names, found across stages, stay when one of the stages is checked again by itself', () => {
  const text = (typed: string) =>
    [
      'FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS build',
      `RUN echo one${typed}`,
      '',
      'FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS build',
      'RUN echo two',
      '',
      'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022 AS app',
      'RUN echo three',
      'CMD ["a.exe"]',
      'CMD ["b.exe"]',
      '',
    ].join('\n');
  const { runs, codes } = checker('file:///reuse/names/Dockerfile');
  const before = codes(text(''), 1, false);
  assert.deepEqual(codes(text(''), 1, true), before);
  const names = ValidationCode.DUPLICATE_BUILD_STAGE_NAME;
  assert.ok(before.includes(`${names}@0`) && before.includes(`${names}@3`), `both FROMs named build are reported (${before.join(', ')})`);
  assert.ok(before.includes(`${ValidationCode.MULTIPLE_INSTRUCTIONS}@8`), 'and the first of the two CMDs of app');
  const after = codes(text('!'), 2, false);
  assert.deepEqual(codes(text('!'), 2, true), after);
  assert.deepEqual(after, before);
  assert.equal(runs.counts.partial, 1, 'only the first build stage checked again');
  assert.equal(runs.counts.rechecked, 1);
});

test('dockerfile-utils: a `# dockerfile-utils: ignore` comment ending a stage is seen on the next FROM', () => {
  const text = (comment: string) =>
    ['FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS build', 'RUN echo one', comment, 'from mcr.microsoft.com/windows/nanoserver:ltsc2022', 'RUN echo two', ''].join('\n');
  const { codes } = checker('file:///reuse/ignore/Dockerfile');
  const ignored = text('# dockerfile-utils: ignore');
  const seen = text('# some other comment');
  assert.deepEqual(codes(ignored, 1, true), codes(ignored, 1, false));
  assert.ok(!codes(ignored, 1, false).some((c) => c.endsWith('@3')), 'the lowercase from is not reported under the comment');
  assert.ok(codes(seen, 2, false).some((c) => c.endsWith('@3')), 'it is without it');
  assert.deepEqual(codes(seen, 2, true), codes(seen, 2, false));
  assert.deepEqual(codes(ignored, 3, true), codes(ignored, 3, false));
});
