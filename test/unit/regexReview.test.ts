/**
 * Regular expressions against catastrophic backtracking (docs/reliability.md has the review):
 * 1. every regex literal in server/src and common, and every pattern of the catalogue data, runs
 *    on adversarial strings built from its own characters and words; one whose time grows
 *    exponentially (short inputs) or quadratically (long inputs) fails the test;
 * 2. the regexes built at run time from code are listed here and checked the same way;
 * 3. every rule runs on adversarial Dockerfiles (Windows stages, long runs of what the rules look
 *    for, spread over continuation lines so the line cap does not shorten them) within a bound.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { normaliseSettings } from '../../common/settings';
import { RULES } from '../../server/src/rules';
import { parseDocument } from '../../server/src/dockerfile/document';
import { REPO_ROOT } from './helpers';

interface Found {
  readonly where: string;
  readonly regex: RegExp;
}

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sources(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The regex literals of our sources, found by the TypeScript parser (not by a regex). */
export function regexLiterals(): Found[] {
  const found: Found[] = [];
  for (const file of [...sources(path.join(REPO_ROOT, 'server', 'src')), ...sources(path.join(REPO_ROOT, 'common'))]) {
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node) => {
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const text = node.getText();
        const slash = text.lastIndexOf('/');
        const where = `${path.relative(REPO_ROOT, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
        found.push({ where, regex: new RegExp(text.slice(1, slash), text.slice(slash + 1)) });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

/** Every `pattern`-like string of the catalogue (catalogue.ts compiles them with `new RegExp`). */
function cataloguePatterns(file = 'base-images.json'): Found[] {
  const data = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'server', 'src', 'data', file), 'utf8')) as unknown;
  const found: Found[] = [];
  const walk = (value: unknown, at: string) => {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${at}[${i}]`));
    else if (value && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        if (typeof v === 'string' && /pattern$/i.test(key))
          found.push({ where: `${file} ${at}.${key}`, regex: new RegExp(v, 'i') });
        // errors.json: `patterns` is a list of regexes.
        else if (Array.isArray(v) && /patterns$/i.test(key))
          v.forEach((p, i) => found.push({ where: `${file} ${at}.${key}[${i}]`, regex: new RegExp(String(p), 'i') }));
        else walk(v, `${at}.${key}`);
      }
    }
  };
  walk(data, '');
  return found;
}

/**
 * The regexes built from code at run time (`new RegExp(...)` with more than a data pattern), as
 * they are built; the test fails when a new one appears in the sources and is not listed here.
 */
const NAME_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const BUILT: Record<string, RegExp[]> = {
  'server/src/catalogue/registryApi.ts': [new RegExp(`^${NAME_COMPONENT}(?:/${NAME_COMPONENT})*$`)],
  'server/src/dockerfile/powershellShell.ts': [/\$ErrorActionPreference\s*=/i, /\$ProgressPreference\s*=/i],
  'server/src/service/switchBaseImage.ts': [/:\$\{?TAG_NAME\}?$/],
  'server/src/rules/env-path-replaced.ts': [/%path%|\$\{path\}|\$path\b/gi],
};

function builtInSources(): string[] {
  const files: string[] = [];
  for (const file of [...sources(path.join(REPO_ROOT, 'server', 'src')), ...sources(path.join(REPO_ROOT, 'common'))]) {
    const text = fs.readFileSync(file, 'utf8');
    // `new RegExp(x.pattern ...)` compiles catalogue data, checked above.
    if (/new RegExp\((?![\w.]*[pP]attern\b)/.test(text))
      files.push(path.relative(REPO_ROOT, file).split(path.sep).join('/'));
  }
  return files.sort();
}

/** Adversarial inputs for a regex: runs of its characters and words, with a character that fails the match at the end. */
function adversarial(regex: RegExp, n: number): string[] {
  const source = regex.source;
  const chars = new Set([' ', 'a', '0', '\\', '\n', '/', '"', '-', '.']);
  for (const c of source) if (c.charCodeAt(0) < 128 && c !== '^' && c !== '$') chars.add(c);
  const words = new Set(
    source
      .replace(/\\[sSdDwWbB]/g, ' ')
      .replace(/\\(.)/g, '$1')
      .match(/[A-Za-z0-9:_.[\]()-]{2,}/g) ?? [],
  );
  const out: string[] = [];
  const list = [...chars];
  for (const c of list) out.push(c.repeat(n), c.repeat(n) + '\u0001');
  for (const a of list) for (const b of list) if (a !== b) out.push((a + b).repeat(n / 2) + '\u0001');
  for (const w of words) {
    out.push(w.repeat(Math.ceil(n / w.length)));
    for (const c of [' ', '\\', '/', '-', '_', '.', '('])
      out.push((w + c).repeat(Math.ceil(n / (w.length + 1))) + '\u0001');
  }
  return out;
}

function time(global: RegExp, input: string): number {
  const started = performance.now();
  input.replace(global, '');
  return performance.now() - started;
}

/** The fastest of three runs: one garbage collection or a busy core does not decide alone. */
function fastest(global: RegExp, input: string): number {
  return Math.min(time(global, input), time(global, input), time(global, input));
}

/**
 * Whether a regex backtracks catastrophically on its adversarial inputs (each run as a replace of
 * every match would): more than 50 ms on at most 32 characters (exponential), or 4 times the length
 * costing more than 8 times the time (linear is 4 times, quadratic 16), above 20 ms (quadratic or
 * worse).
 *
 * The short lengths grow by 4 characters at a time and the check stops at the first slow one, so
 * an exponential regex is caught at the length where it first costs 50 ms (at most 16 times that
 * for a regex that doubles per character) and never reaches the long inputs, where it would not
 * finish.
 *
 * The quadratic check is a ratio, so it does not depend on the machine's speed: an input is
 * skipped only when 4,000 characters cost under 1 ms (a quadratic regex costs about 7 ms there on
 * this project's CI machine), and a ratio over 8 is measured again as the fastest of three runs.
 */
function backtracks(regex: RegExp): string | undefined {
  const global = new RegExp(regex.source, regex.flags.includes('g') ? regex.flags : regex.flags + 'g');
  for (let n = 12; n <= 32; n += 4) {
    for (const input of adversarial(regex, n)) {
      const ms = time(global, input);
      if (ms > 50) return `exponential: ${Math.round(ms)} ms on ${JSON.stringify(input)}`;
    }
  }
  const short = adversarial(regex, 4000);
  const long = adversarial(regex, 16000);
  const quadratic = (ms: number, longer: number) => longer > 20 && longer > 8 * ms;
  for (let i = 0; i < short.length; i++) {
    const once = time(global, short[i]);
    if (once < 1) continue;
    if (!quadratic(once, time(global, long[i]))) continue;
    const ms = fastest(global, short[i]);
    const longer = fastest(global, long[i]);
    if (quadratic(ms, longer))
      return `quadratic: ${Math.round(ms)} ms at ${short[i].length} characters, ${Math.round(longer)} ms at ${long[i].length}, on ${JSON.stringify(long[i].slice(0, 40))}`;
  }
  return undefined;
}

test('every regex literal in server/src and common is free of catastrophic backtracking', () => {
  const found = regexLiterals();
  assert.ok(found.length > 100, `found ${found.length} regex literals`);
  const problems = found
    .map((f) => [f.where, f.regex, backtracks(f.regex)] as const)
    .filter(([, , problem]) => problem);
  assert.deepEqual(
    problems.map(([where, regex, problem]) => `${where} ${regex}: ${problem}`),
    [],
  );
});

test('the catalogue patterns are free of catastrophic backtracking', () => {
  const found = [...cataloguePatterns(), ...cataloguePatterns('errors.json')];
  assert.ok(found.length > 5, `found ${found.length} patterns`);
  assert.deepEqual(
    found.map((f) => [f.where, backtracks(f.regex)]).filter(([, problem]) => problem),
    [],
  );
});

test('the regexes built at run time are listed here, and free of catastrophic backtracking', () => {
  assert.deepEqual(
    builtInSources(),
    Object.keys(BUILT).sort(),
    'a new `new RegExp(...)` in the sources: add it to BUILT (and to docs/reliability.md)',
  );
  for (const [file, regexes] of Object.entries(BUILT)) {
    for (const regex of regexes) assert.equal(backtracks(regex), undefined, `${file} ${regex}`);
  }
});

test('the detector itself: it flags the regexes this review fixed', () => {
  assert.match(backtracks(/^[a-z]([a-z0-9_\-.]*)*$/) ?? '', /exponential/, "dockerfile-utils' stage name check");
  assert.match(backtracks(/\\+$/) ?? '', /quadratic/, 'the trailing-backslash trim of env-path-replaced');
  assert.match(backtracks(/<([^>]*)>\s*((?:;\s*[^;,]*)*)/) ?? '', /quadratic/, 'the Link header parser of liveTags');
  assert.equal(backtracks(/<([^<>]*)>\s*((?:;\s*[^;,]*)*)/), undefined, 'its fixed form');
});

const WINDOWS = 'FROM mcr.microsoft.com/windows/servercore:ltsc2022';
const NANO = 'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022';
/** A long run spread over continuation lines of at most about 8,000 characters each. */
const spread = (unit: string, count: number) => {
  const perLine = Math.max(1, Math.floor(8000 / unit.length));
  const lines: string[] = [];
  for (let left = count; left > 0; left -= perLine) lines.push(unit.repeat(Math.min(perLine, left)));
  return lines.join(' \\\n');
};

const ADVERSARIAL_DOCKERFILES: Record<string, string> = {
  'machine environment calls without a )': `${NANO}\nRUN powershell ${spread('[Environment]::SetEnvironmentVariable(', 8000)}\n`,
  'backslash runs in ENV PATH': `${WINDOWS}\nENV PATH="${'\\'.repeat(20000)}x;\${PATH}"\nENV PATH=C:\\${'\\'.repeat(20000)}\n`,
  'percent and dollar runs': `${WINDOWS}\nENV PATH=${'%'.repeat(20000)}\nENV PATH=${spread('%PATH', 5000)}\nENV PATH=${spread('${PATH', 5000)}\n`,
  'quote and bracket runs in exec form': `${WINDOWS}\nSHELL [${'"'.repeat(20000)}\nCMD [${spread('"a\\\\b",', 4000)}]\nENTRYPOINT ["${'\\'.repeat(20000)}"]\n`,
  'drive letters and separators': `${WINDOWS}\nWORKDIR ${'C:'.repeat(10000)}\nVOLUME ${'C:\\'.repeat(10000)}\nWORKDIR ${'\\\\'.repeat(10000)}\n`,
  'linux commands and paths': `${WINDOWS}\nRUN ${spread('/usr/bin/', 4000)}\nRUN ${spread('apt-get ', 4000)}\nRUN ${spread('usr\\\\bin ', 4000)}\n`,
  'PowerShell parameters and chains': `${WINDOWS}\nRUN powershell ${spread('-Command ', 4000)}\nRUN powershell ${spread('a && ', 4000)}\nRUN ${spread('powershell ', 4000)}\n`,
  'registry and Windows paths on Nano Server': `${NANO}\nRUN ${spread('reg add HKLM\\\\', 2000)}\nRUN ${spread('C:\\Windows\\', 2000)}\nRUN ${spread('setx /M ', 2000)}\n`,
  'image names and tags': `FROM ${'mcr.microsoft.com/'.repeat(2000)}windows/servercore:${'ltsc2022-'.repeat(2000)}\nFROM mcr.microsoft.com/windows/servercore:${'10.0.'.repeat(4000)}\nFROM ${'microsoft/'.repeat(4000)}nanoserver\n`,
  'escape directive and trailing escapes': `# escape=\`\n${WINDOWS}\nRUN ${'`'.repeat(20000)}\nCOPY a ${'C:\\'.repeat(5000)}\n`,
  'stage names': `${WINDOWS} AS ${'a-'.repeat(5000)}/\nFROM ${'a-'.repeat(5000)}/ AS b\nCOPY --from=${'a'.repeat(10000)}! a b\n`,
  variables: `${WINDOWS}\nARG ${'A'.repeat(10000)}=\nFROM mcr.microsoft.com/windows/servercore:\${${'A'.repeat(10000)}\nRUN ${spread('${A:-', 2000)}\n`,
};

test('every rule on adversarial Dockerfiles stays within its bound', () => {
  const settings = normaliseSettings(undefined);
  const slow: string[] = [];
  for (const [name, text] of Object.entries(ADVERSARIAL_DOCKERFILES)) {
    const document = parseDocument({ uri: 'file:///adversarial/Dockerfile', version: 1, text });
    for (const rule of RULES) {
      const started = performance.now();
      rule.check({ document, today: '2026-01-01', settings });
      const ms = performance.now() - started;
      if (ms > 2000) slow.push(`${rule.id} on ${name}: ${Math.round(ms)} ms`);
    }
  }
  assert.deepEqual(slow, []);
});
