/**
 * Our linear semantic tokens (service/semanticTokens.ts) are dockerfile-language-service's,
 * token for token: on the golden fixtures, the samples, the integration workspace, the corpus and
 * a generated file, `computeSemanticTokens` on the document's shared, memoized parse equals
 * upstream's own `DockerSemanticTokens(...).computeSemanticTokens()` on a parse of its own, with
 * every cache off. There is no deliberate difference. Where upstream throws (its createToken
 * recurses without end on one fixture), ours throws the same, and the LSP handler answers with no
 * tokens, as before.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Comment, DockerfileParser, Instruction } from 'dockerfile-ast';
import { DockerSemanticTokens } from 'dockerfile-language-service/lib/dockerSemanticTokens';
import { parseDocument } from '../../server/src/dockerfile/document';
import { SEMANTIC_TOKEN_LEGEND } from '../../server/src/service/languageService';
import { CHUNK, computeSemanticTokens, withoutEmbeddedComments } from '../../server/src/service/semanticTokens';
import { patchParserClasses } from '../../server/src/patches/treeQueries';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './helpers';
import { upstreamInputs } from './upstreamInputs';

function outcome(compute: () => { data: number[] }): string {
  try {
    return JSON.stringify(compute().data);
  } catch (error) {
    return `throws ${error instanceof Error ? error.name : String(error)}`;
  }
}

/** Upstream as it ships: its own parse, no cached arguments, no memoized queries. */
function upstreamTokens(text: string): string {
  patchParserClasses(false);
  try {
    const parserText = parseDocument(
      { uri: 'file:///upstream', version: 1, text },
      { memoizeQueries: false },
    ).parserText;
    return outcome(() => new DockerSemanticTokens(parserText).computeSemanticTokens());
  } finally {
    patchParserClasses(true);
  }
}

test('semantic tokens equal dockerfile-language-service on fixtures, samples, workspace, corpus and a generated file', async () => {
  const { inputs, corpus } = await upstreamInputs();
  assert.ok(inputs.length > (corpus ? 200 : 60), `${inputs.length} inputs`);
  const differences: string[] = [];
  let throwing = 0;
  for (const { name, text } of inputs) {
    const ours = outcome(() => computeSemanticTokens(parseDocument({ uri: 'file:///ours', version: 1, text })));
    const theirs = upstreamTokens(text);
    if (ours !== theirs) differences.push(`${name}: ours ${ours.slice(0, 80)} upstream ${theirs.slice(0, 80)}`);
    if (theirs.startsWith('throws')) throwing++;
  }
  assert.deepEqual(differences, []);
  assert.ok(throwing <= 2, `upstream throws on ${throwing} inputs`);
});

test('the token types and modifiers are upstream legend, in its order', () => {
  assert.deepEqual(SEMANTIC_TOKEN_LEGEND, {
    tokenTypes: [
      'keyword',
      'comment',
      'parameter',
      'property',
      'namespace',
      'class',
      'macro',
      'string',
      'variable',
      'operator',
    ],
    tokenModifiers: ['declaration', 'definition', 'deprecated'],
  });
});

test('computing tokens leaves the shared tree as it was (upstream splices its comment list; ours must not)', () => {
  const text = 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\n# before\nRUN a \\\n# embedded\n  b\n# after\n';
  const document = parseDocument({ uri: 'file:///tree', version: 1, text });
  const before = document.dockerfile.getComments().map((c) => c.getContent());
  const first = JSON.stringify(computeSemanticTokens(document).data);
  assert.deepEqual(
    document.dockerfile.getComments().map((c) => c.getContent()),
    before,
  );
  assert.equal(JSON.stringify(computeSemanticTokens(document).data), first, 'the same tokens the second time');
});

/** Upstream's way: every comment checked against every multi-line instruction. */
function naiveWithoutEmbedded(comments: readonly Comment[], instructions: readonly Instruction[]): Comment[] {
  return comments.filter(
    (comment) =>
      !instructions.some((i) => {
        const range = i.getRange();
        const line = comment.getRange().start.line;
        return range.start.line !== range.end.line && range.start.line < line && line < range.end.line;
      }),
  );
}

test('embedded comments: the sweep keeps exactly the comments upstream keeps', () => {
  const cases = [
    '# a\nRUN x \\\n# b\n  y \\\n# c\n  z\n# d\n',
    'RUN a \\\n# one\n\n# two\n  b\nRUN c\n# three\nRUN d \\\n  e\n# four\n',
    '# escape=`\nRUN a `\n# x\n  b `\n  c\n# y\nCOPY a `\n  b\n',
    'RUN <<EOF\n# not a comment\nEOF\n# comment\n',
    'FROM a\n',
    '# only\n# comments\n',
  ];
  for (const text of cases) {
    const dockerfile = DockerfileParser.parse(text);
    const expected = naiveWithoutEmbedded(dockerfile.getComments(), dockerfile.getInstructions());
    assert.deepEqual(
      withoutEmbeddedComments(dockerfile.getComments(), dockerfile.getInstructions()),
      expected,
      JSON.stringify(text),
    );
  }
});

test('semantic tokens equal upstream where instructions hold many variables (each token sees only the variables near it)', () => {
  const cases = [
    'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nENV A=1\nRUN a \\\n' +
      '  $A ${A} "q $A" \'$A\' ${A:-x} ${A:+y}z \\\n'.repeat(80) +
      '  c\n',
    'FROM a\nARG B=2\nLABEL x="$B" y=\'$B\' z=${B}${B} \\\n' + '  k$B="${B}v" \\\n'.repeat(50) + '  end=1\n',
    '# escape=`\nFROM a\nENV P=C:\\p\nRUN echo %P% $P `\n' + '  ${P}\\${P}$P-$P `\n'.repeat(100) + '  done\n',
    'FROM a\nRUN echo "${A:-"$B"}" ${A:?${C}} $ ${ } ${A\n',
    'FROM a\nHEALTHCHECK --interval=${I} CMD curl $H${H} \\\n  $H\nONBUILD RUN echo $X ${X:-y}\n',
  ];
  for (const text of cases) {
    const ours = outcome(() => computeSemanticTokens(parseDocument({ uri: 'file:///ours', version: 1, text })));
    assert.equal(ours, upstreamTokens(text), JSON.stringify(text.slice(0, 60)));
  }
});

test('a long ONBUILD trigger reads its variables once, not once per token (the fuzzer found 0.8 s on 21 KB)', () => {
  // The trigger is made anew by getTriggerInstruction, so the parsed tree's memoized getVariables
  // (patches/treeQueries.ts) does not cover it; upstream asks it for its variables per token.
  const text = 'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nONBUILD COPY ' + 'a '.repeat(2000) + '$X b\n';
  const original = Instruction.prototype.getVariables;
  let calls = 0;
  Instruction.prototype.getVariables = function (this: Instruction) {
    calls++;
    return original.call(this);
  };
  let ours: string;
  try {
    ours = outcome(() => computeSemanticTokens(parseDocument({ uri: 'file:///onbuild', version: 1, text })));
  } finally {
    Instruction.prototype.getVariables = original;
  }
  assert.ok(calls < 10, `getVariables of the class was called ${calls} times for about 2,000 tokens`);
  assert.equal(ours, upstreamTokens(text));
});

test('semantic tokens equal upstream on a file whose numbers fill several chunks (they are joined in order)', async () => {
  const bench = (await import(pathToFileURL(path.join(REPO_ROOT, 'scripts', 'bench-input.mjs')).href)) as {
    generateWindowsDockerfile(lines: number): string;
  };
  const text = bench.generateWindowsDockerfile(1000);
  const ours = computeSemanticTokens(parseDocument({ uri: 'file:///ours', version: 1, text })).data;
  assert.ok(ours.length > 2 * CHUNK, `${ours.length} numbers`);
  assert.equal(JSON.stringify(ours), upstreamTokens(text));
});
