/**
 * Parsing once and sharing the parse (patches/upstreamParse.ts, patches/treeQueries.ts) changes no
 * result: on the golden fixtures, the samples, the integration workspace, the corpus and a
 * generated file,
 * - the diagnostics (dockerfile-utils' checks as filtered, and every Windows rule) equal those
 *   computed the way the service did before: dockerfile-utils parsing the text itself, the rules
 *   on a tree without memoized queries;
 * - every other upstream feature given the shared tree answers as upstream does on its own parse;
 * - the memoized tree queries answer what dockerfile-ast's own methods answer, and hand out
 *   objects the caller may modify without changing later answers.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import {
  Dockerfile,
  DockerfileParser,
  From,
  ImageTemplate,
  Instruction,
  JSONInstruction,
  ModifiableInstruction,
} from 'dockerfile-ast';
import * as DockerfileUtils from 'dockerfile-utils';
import { DockerfileLanguageServiceFactory } from 'dockerfile-language-service';
import type { Position } from 'vscode-languageserver-types';
import { normaliseSettings } from '../../common/settings';
import { computeDiagnostics, toValidatorSettings } from '../../server/src/service/diagnostics';
import { parseDocument, ParsedDocument } from '../../server/src/dockerfile/document';
import { flatString, memoizeTreeQueries, patchParserClasses } from '../../server/src/patches/treeQueries';
import { withSharedParse } from '../../server/src/patches/upstreamParse';
import { FIXTURE_TODAY } from './helpers';
import { Input, upstreamInputs } from './upstreamInputs';

const settings = normaliseSettings(undefined);
const upstream = DockerfileLanguageServiceFactory.createLanguageService();
const fail = (message: string) => {
  throw new Error(message);
};

/** Runs `fn` on a document parsed the way the service parsed before: no memoized queries. */
function asBefore<T>(text: string, fn: (document: ParsedDocument) => T): T {
  patchParserClasses(false);
  try {
    return fn(parseDocument({ uri: 'file:///before/Dockerfile', version: 1, text }, { memoizeQueries: false }));
  } finally {
    patchParserClasses(true);
  }
}

function json(compute: () => unknown): string {
  try {
    return JSON.stringify(compute());
  } catch (error) {
    return `throws ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** `count` positions spread over the document: line starts, second characters, middles and ends, in turn. */
function positions(input: Input, count: number): Position[] {
  const lines = input.text.split(/\r\n|\r|\n/);
  const result: Position[] = [];
  for (let i = 0; i < count; i++) {
    const line = Math.floor(((i + 0.5) * lines.length) / count);
    const length = lines[line].length;
    result.push({ line, character: [0, 1, Math.floor(length / 2), length][i % 4] });
  }
  return result;
}

let inputs: Input[] = [];
const loaded = upstreamInputs().then((result) => (inputs = result.inputs));

test('diagnostics are identical to before (dockerfile-utils parsing the text itself, rules on a plain tree)', async () => {
  await loaded;
  const differences: string[] = [];
  for (const { name, text } of inputs) {
    const now = json(() =>
      computeDiagnostics(
        parseDocument({ uri: 'file:///before/Dockerfile', version: 1, text }),
        settings,
        upstream,
        fail,
        FIXTURE_TODAY,
      ),
    );
    const before = asBefore(text, (document) => {
      // dockerfile-utils on the text, parsing it itself (outside any shared parse).
      const own = DockerfileUtils.validate(document.parserText, toValidatorSettings(settings));
      const replay = {
        validate: (content: string) => {
          assert.equal(content, document.parserText);
          return own;
        },
      };
      return json(() => computeDiagnostics(document, settings, replay as never, fail, FIXTURE_TODAY));
    });
    if (now !== before) differences.push(name);
  }
  assert.deepEqual(differences, []);
});

test('document-wide upstream features answer the same on the shared parse', async () => {
  await loaded;
  const features: [string, (text: string) => unknown][] = [
    ['symbols', (text) => upstream.computeSymbols({ uri: 'file:///u' }, text)],
    ['folding', (text) => upstream.computeFoldingRanges(text)],
    ['links', (text) => upstream.computeLinks(text)],
    ['format', (text) => upstream.format(text, { tabSize: 4, insertSpaces: true })],
    [
      'format, multi-line instructions left alone',
      (text) => upstream.format(text, { tabSize: 2, insertSpaces: false, ignoreMultilineInstructions: true }),
    ],
    ['validate', (text) => upstream.validate(text)],
  ];
  const differences: string[] = [];
  for (const input of inputs) {
    const document = parseDocument({ uri: 'file:///shared', version: 1, text: input.text });
    for (const [feature, run] of features) {
      const shared = json(() => withSharedParse(document, () => run(document.parserText)));
      const own = asBefore(input.text, (plain) => json(() => run(plain.parserText)));
      if (shared !== own) differences.push(`${input.name}: ${feature}`);
    }
  }
  assert.deepEqual(differences, []);
});

test('position features answer the same on the shared parse', async () => {
  await loaded;
  const differences: string[] = [];
  for (const input of inputs) {
    const document = parseDocument({ uri: 'file:///shared', version: 1, text: input.text });
    for (const position of positions(input, input.name.startsWith('..') ? 2 : 6)) {
      const features: [string, (text: string) => unknown][] = [
        ['hover', (text) => upstream.computeHover(text, position)],
        ['signature help', (text) => upstream.computeSignatureHelp(text, position)],
        ['definition', (text) => upstream.computeDefinition({ uri: 'file:///u' }, text, position)],
        ['highlight', (text) => upstream.computeHighlightRanges(text, position)],
        ['prepare rename', (text) => upstream.prepareRename(text, position)],
        ['rename', (text) => upstream.computeRename({ uri: 'file:///u' }, text, position, 'RENAMED')],
        ['format on type', (text) => upstream.formatOnType(text, position, '\\', { tabSize: 4, insertSpaces: true })],
        [
          'range format',
          (text) =>
            upstream.formatRange(
              text,
              { start: { line: 0, character: 0 }, end: position },
              { tabSize: 4, insertSpaces: true },
            ),
        ],
        [
          'completion',
          (text) => {
            const items = upstream.computeCompletionItems(text, position);
            // Tag completion asks Docker Hub; what matters here is that it is asked at all.
            return Array.isArray(items) ? items : 'asks the registry';
          },
        ],
      ];
      for (const [feature, run] of features) {
        const shared = json(() => withSharedParse(document, () => run(document.parserText)));
        const own = asBefore(input.text, (plain) => json(() => run(plain.parserText)));
        if (shared !== own) differences.push(`${input.name} ${position.line}:${position.character}: ${feature}`);
      }
    }
  }
  assert.deepEqual(differences, []);
});

/** What an instruction answers about its arguments and flags (the parts patchParserClasses replaces, and what is built on them). */
const ARGUMENT_PARTS: ((instruction: Instruction) => unknown)[] = [
  (instruction) => instruction.getArguments(),
  (instruction) => instruction.getArgumentsRange(),
  (instruction) => (instruction as unknown as { getRawArgumentsContent(): string | null }).getRawArgumentsContent(),
  (instruction) => instruction.getArgumentsContent(),
  (instruction) => instruction.getArgumentsRanges(),
  (instruction) =>
    instruction instanceof ModifiableInstruction
      ? instruction
          .getFlags()
          .map((f) => [f.getName(), f.getRange(), f.getNameRange(), f.getValue(), f.getValueRange()])
      : null,
  (instruction) =>
    instruction instanceof JSONInstruction
      ? [instruction.getOpeningBracket(), instruction.getJSONStrings(), instruction.getClosingBracket()]
      : null,
];

/** ARGUMENT_PARTS as JSON, starting with part `first`: which comes first decides which path computes the flags and the arguments' cache. */
function argumentParts(instruction: Instruction, first: number): string[] {
  return ARGUMENT_PARTS.map((_, i) => json(() => ARGUMENT_PARTS[(first + i) % ARGUMENT_PARTS.length](instruction)));
}

/** Everything the memoized queries answer for a tree, as JSON, in a fixed order. */
function answers(dockerfile: Dockerfile, text: string, modify: boolean): string[] {
  const out: string[] = [json(() => dockerfile.getFROMs().map((f) => f.getRange()))];
  // Which comments the parse gave to the lines before the first FROM and to each stage (organizeComments).
  const templates = dockerfile as unknown as { initialInstructions: ImageTemplate; buildStages: ImageTemplate[] };
  for (const template of [templates.initialInstructions, ...templates.buildStages])
    out.push(json(() => template.getComments().map((c) => c.getRange())));
  const instructions = dockerfile.getInstructions();
  for (let round = 0; round < 2; round++) {
    for (const [index, instruction] of instructions.entries()) {
      out.push(...argumentParts(instruction, index + round));
      out.push(
        json(() => instruction.getArguments()),
        json(() => instruction.getExpandedArguments()),
        json(() => instruction.getVariables()),
      );
      if (instruction instanceof From) {
        // getImageNameRange and getRegistryRange assign to the first argument's range.
        out.push(
          json(() => [
            instruction.getImageNameRange(),
            instruction.getRegistryRange(),
            instruction.getImageName(),
            instruction.getImageTag(),
            instruction.getImageDigest(),
          ]),
        );
      }
      if (modify) {
        // What a caller may do to what it gets: change the arrays, the ranges and their positions.
        instruction.getArguments().shift();
        const start = instruction.getArguments()[0]?.getRange().start;
        if (start) start.line = -1;
        const bounds = instruction.getArgumentsRange();
        if (bounds) bounds.start.character = -1;
        const range = instruction.getVariables()[0]?.getRange();
        if (range) range.end = { line: 0, character: 0 };
      }
    }
  }
  const names = new Set(instructions.flatMap((i) => i.getVariables().map((v) => v.getName())));
  names.add('PATH');
  const lines = text.split(/\r\n|\r|\n/).length;
  // Every line of a small file; about 40 spread over a large one (the plain tree answers in quadratic time).
  for (let line = 0; line < lines; line += Math.max(1, Math.floor(lines / 40))) {
    for (const variable of names) out.push(json(() => dockerfile.resolveVariable(variable, line)));
    for (const character of [0, 4, 10_000])
      out.push(json(() => dockerfile.getContainingImage({ line, character })?.getRange() ?? null));
  }
  out.push(json(() => dockerfile.getContainingImage({ line: lines + 2, character: 0 })?.getRange() ?? null));
  return out;
}

test('memoized tree queries answer what dockerfile-ast answers, and survive callers that modify what they get', async () => {
  await loaded;
  for (const { name, text } of inputs.filter((i) => !i.name.startsWith('..') || i.text.includes('$'))) {
    patchParserClasses(false);
    let expected: string[];
    try {
      expected = answers(DockerfileParser.parse(text), text, false);
    } finally {
      patchParserClasses(true);
    }
    const memo = DockerfileParser.parse(text);
    memoizeTreeQueries(memo);
    const actual = answers(memo, text, true);
    assert.equal(actual.length, expected.length, name);
    for (let i = 0; i < actual.length; i++) assert.equal(actual[i], expected[i], `${name}: answer ${i}`);
  }
});

test('argument queries answer the same whichever of them an instruction is asked first', async () => {
  await loaded;
  const input = inputs.find((i) => i.name === 'heredocs and flags (written here)')!;
  for (let first = 0; first < ARGUMENT_PARTS.length; first++) {
    patchParserClasses(false);
    let expected: string[];
    try {
      expected = DockerfileParser.parse(input.text)
        .getInstructions()
        .flatMap((instruction) => argumentParts(instruction, first));
    } finally {
      patchParserClasses(true);
    }
    const actual = DockerfileParser.parse(input.text)
      .getInstructions()
      .flatMap((instruction) => argumentParts(instruction, first));
    assert.deepEqual(actual, expected, `asked first: part ${first}`);
  }
});

test('flatString gives back the same characters, lone surrogates, escapes and line breaks included', () => {
  let built = '';
  for (const char of 'C:\\tools\\bin "quoted" \t tab\r\nnext \u00e9\u{1F433} ') built = built + char;
  for (const value of [
    '',
    'short',
    built,
    '\ud800 lone high',
    'lone low \udc00',
    '\u0000\u001f\u2028\u2029 controls and separators',
    'x'.repeat(10_000),
  ]) {
    assert.equal(flatString(value), value);
  }
});

/**
 * Runs `lines` in a fresh node process with `v8` and a `gc()` at hand, and `require(name)` for
 * each compiled module of server/src named in `modules` (by its path there); gives back what it writes as JSON.
 */
function inFreshProcess<T>(modules: Record<string, string>, lines: string[]): T {
  const script = [
    ...Object.entries(modules).map(
      ([names, file]) =>
        `const { ${names} } = require(${JSON.stringify(path.join(__dirname, '../../server/src', file))});`,
    ),
    "const v8 = require('node:v8');",
    "v8.setFlagsFromString('--expose-gc');",
    "const gc = require('node:vm').runInNewContext('gc');",
    ...lines,
  ].join('\n');
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as T;
}

test('flatString keeps a string built one character at a time in a fraction of the memory (a fresh process)', () => {
  // What the argument cache relies on: V8 keeps `value = value + char` as one node per character.
  const { built, flat } = inFreshProcess<{ built: number; flat: number }>({ flatString: 'patches/treeQueries.js' }, [
    'const build = (i) => { let s = ""; for (const c of `Write-Host "installed tool ${i} into C:\\\\tools"`) s = s + c; return s; };',
    'const perString = (keep) => { gc(); const before = v8.getHeapStatistics().used_heap_size; const kept = []; for (let i = 0; i < 20000; i++) kept.push(keep(build(i))); gc(); gc(); const bytes = (v8.getHeapStatistics().used_heap_size - before) / kept.length; if (kept.length !== 20000) throw new Error(); return bytes; };',
    'process.stdout.write(JSON.stringify({ built: perString((s) => s), flat: perString(flatString) }));',
  ]);
  assert.ok(flat * 4 < built, `${Math.round(built)} bytes a string as built, ${Math.round(flat)} flat`);
});
