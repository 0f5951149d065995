/**
 * The library patches are installed by one call, and do what their notes say
 * (server/src/patches/README.md): each upstream bug's minimal input (test/fixtures-fuzz/) runs in a
 * fresh node process, once without `installLibraryPatches()` (the bug is there: upstream as it
 * ships) and once with it (the bug is gone). A fresh process, because the patches are process-wide.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { REPO_ROOT } from './helpers';

const PATCHES = path.join(__dirname, '../../server/src/patches/index.js');
const FUZZ = path.join(REPO_ROOT, 'test/fixtures-fuzz');

/** Runs `lines` in a fresh node process (after the install call when `installed`), with `fixture(name)` reading a fuzz fixture; its last stdout line, as JSON. */
function run(installed: boolean, lines: string[], timeout = 60_000) {
  const script = [
    "const fs = require('node:fs');",
    `const fixture = (name) => fs.readFileSync(require('node:path').join(${JSON.stringify(FUZZ)}, name + '.Dockerfile'), 'utf8');`,
    "const outcome = (f) => { try { return { value: f() }; } catch (error) { return { error: error.name + ': ' + error.message }; } };",
    "const { DockerfileParser } = require('dockerfile-ast');",
    `const { installLibraryPatches } = require(${JSON.stringify(PATCHES)});`,
    installed ? 'installLibraryPatches();' : '',
    ...lines,
  ].join('\n');
  return spawnSync(process.execPath, ['-e', script], { cwd: REPO_ROOT, encoding: 'utf8', timeout });
}

function answer(installed: boolean, lines: string[]): unknown {
  const child = run(installed, lines);
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout.trim().split('\n').pop()!);
}

test('dockerfile-ast: a variable before the first FROM overflows the stack without the patches, resolves to "unknown" with them', () => {
  const lines = [
    "const indented = DockerfileParser.parse(fixture('indented-variable-before-from'));",
    "const bom = DockerfileParser.parse(fixture('bom-then-variable'));",
    "console.log(JSON.stringify([outcome(() => indented.resolveVariable('HOME', 0)), outcome(() => bom.getAvailableVariables(0))]));",
  ];
  assert.deepEqual(answer(false, lines), [
    { error: 'RangeError: Maximum call stack size exceeded' },
    { error: 'RangeError: Maximum call stack size exceeded' },
  ]);
  assert.deepEqual(answer(true, lines), [{}, { value: [] }]);
});

test('dockerfile-language-service: semantic tokens overflow the stack after an escaped line break, a comment and an empty line without the patches', () => {
  const lines = [
    "const { DockerSemanticTokens } = require('dockerfile-language-service/lib/dockerSemanticTokens');",
    "const tokens = outcome(() => new DockerSemanticTokens(fixture('escaped-newline-comment-blank-line')).computeSemanticTokens().data.length);",
    'console.log(JSON.stringify(tokens));',
  ];
  assert.deepEqual(answer(false, lines), { error: 'RangeError: Maximum call stack size exceeded' });
  const patched = answer(true, lines) as { value: number };
  assert.ok(patched.value > 0, JSON.stringify(patched));
});

test('dockerfile-ast: getHeredocs throws a TypeError on three shapes without the patches, answers with them', () => {
  const lines = [
    'const heredocs = (name) => outcome(() => DockerfileParser.parse(fixture(name)).getInstructions().map((i) => i.getHeredocs().length));',
    "console.log(JSON.stringify(['escaped-hash-after-continuation', 'heredoc-dash-dash', 'heredoc-dash-dash-lt'].map(heredocs)));",
  ];
  const broken = answer(false, lines) as { error?: string }[];
  for (const result of broken) assert.match(result.error ?? '', /^TypeError/);
  // No `<<` argument: no heredocs. `RUN <<--`, `--`, `<<`: the heredocs its arguments name, without content.
  assert.deepEqual(answer(true, lines), [{ value: [0] }, { value: [0] }, { value: [0, 1] }]);
});

test('dockerfile-ast: ONBUILD triggers nest one level per word without the patches, three at most with them', () => {
  const lines = [
    "const depth = (words) => { let instruction = DockerfileParser.parse('ONBUILD '.repeat(words) + 'RUN x').getInstructions()[0]; let d = 0; while (instruction && instruction.getKeyword() === 'ONBUILD') { instruction = instruction.getTriggerInstruction(); d++; } return d; };",
    'console.log(JSON.stringify([depth(5), depth(50)]));',
  ];
  assert.deepEqual(answer(false, lines), [5, 50]);
  // The outer ONBUILD, its trigger, and that one's first word alone (a chained ONBUILD, which Docker refuses anyway).
  assert.deepEqual(answer(true, lines), [3, 3]);
});

test('dockerfile-utils: a stage name that does not match backtracks for minutes without the patches, is reported at once with them', () => {
  const lines = [
    "const { validate } = require('dockerfile-utils');",
    "process.stdout.write('validating\\n');",
    'const started = Date.now();',
    "const messages = validate(fixture('stage-name-backtracking')).map((d) => d.message);",
    'console.log(JSON.stringify({ ms: Date.now() - started, messages }));',
  ];
  // Upstream's expression takes about 200 s on this name: the process is still validating when it is stopped.
  const upstream = run(false, lines, 4000);
  assert.match(upstream.stdout, /^validating\n$/, upstream.stderr);
  assert.equal(upstream.signal, 'SIGTERM');
  const patched = answer(true, lines) as { ms: number; messages: string[] };
  assert.ok(patched.ms < 2000, `${patched.ms} ms`);
  assert.ok(
    patched.messages.some((message) =>
      message.startsWith('invalid name for build stage: "my-build-stage-for-nano-server-ltsc2022/"'),
    ),
    JSON.stringify(patched.messages),
  );
});

test('installLibraryPatches is idempotent: a second call changes nothing', () => {
  const lines = [
    "const { Validator } = require('dockerfile-utils/lib/dockerValidator');",
    "const { DockerSemanticTokens } = require('dockerfile-language-service/lib/dockerSemanticTokens');",
    "const { Instruction, Onbuild } = require('dockerfile-ast');",
    "const dockerfile = Object.getPrototypeOf(DockerfileParser.parse(''));",
    'const methods = () => [dockerfile.getContainingImage, dockerfile.resolveVariable, dockerfile.getAvailableVariables, Validator.prototype.checkArguments, DockerSemanticTokens.prototype.createToken, Onbuild.prototype.getTriggerInstruction, Instruction.prototype.getHeredocs, Instruction.prototype.getRawArguments];',
    'const before = methods();',
    'installLibraryPatches();',
    'const once = methods();',
    'installLibraryPatches();',
    'const twice = methods();',
    'console.log(JSON.stringify({ changed: once.map((m, i) => m !== before[i]), again: twice.map((m, i) => m !== once[i]) }));',
  ];
  const { changed, again } = answer(false, lines) as { changed: boolean[]; again: boolean[] };
  assert.ok(changed.every(Boolean), `the first call installs every patch: ${JSON.stringify(changed)}`);
  assert.ok(
    again.every((c) => !c),
    `the second call changes nothing: ${JSON.stringify(again)}`,
  );
});
