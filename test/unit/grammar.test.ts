/**
 * The injection grammar, tokenised with vscode-textmate and vscode-oniguruma on top of VS Code's own
 * Dockerfile grammar (test/grammar/docker.tmLanguage.json, from the VS Code repository, MIT), against
 * golden scopes: test/grammar/<case>.Dockerfile -> <case>.scopes. `UPDATE_BASELINES=1` rewrites them.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';
import { REPO_ROOT } from './helpers';

const GRAMMARS = path.join(REPO_ROOT, 'test', 'grammar');
const INJECTION = path.join(REPO_ROOT, 'syntaxes', 'windows-dockerfile.injection.tmLanguage.json');

async function loadRegistry(): Promise<textmate.Registry> {
  const wasm = fs.readFileSync(path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  return new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (s: string[]) => new oniguruma.OnigScanner(s),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) => {
      const file =
        scopeName === 'source.dockerfile'
          ? path.join(GRAMMARS, 'docker.tmLanguage.json')
          : scopeName === 'windows-dockerfile.injection'
            ? INJECTION
            : undefined;
      return file ? textmate.parseRawGrammar(fs.readFileSync(file, 'utf8'), file) : null;
    },
    getInjections: (scopeName) => (scopeName === 'source.dockerfile' ? ['windows-dockerfile.injection'] : undefined),
  });
}

/** One line per token that carries a scope of the injection (or a comment/string scope), `line:start-end text  scopes`. */
function tokenise(grammar: textmate.IGrammar, text: string): string {
  const out: string[] = [];
  let state = textmate.INITIAL;
  text.split('\n').forEach((line, index) => {
    const result = grammar.tokenizeLine(line, state);
    for (const token of result.tokens) {
      const scopes = token.scopes.filter((s) => s !== 'source.dockerfile');
      if (scopes.length === 0) continue;
      out.push(
        `${index + 1}:${token.startIndex}-${token.endIndex} ${JSON.stringify(line.slice(token.startIndex, token.endIndex))} ${scopes.join(' ')}`,
      );
    }
    state = result.ruleStack;
  });
  return out.join('\n') + '\n';
}

test('the injection grammar scopes Windows Dockerfile syntax', async () => {
  const registry = await loadRegistry();
  const grammar = await registry.loadGrammar('source.dockerfile');
  assert.ok(grammar);
  for (const file of fs.readdirSync(GRAMMARS).filter((f) => f.endsWith('.Dockerfile'))) {
    const actual = tokenise(grammar, fs.readFileSync(path.join(GRAMMARS, file), 'utf8'));
    const golden = path.join(GRAMMARS, file.replace(/\.Dockerfile$/, '.scopes'));
    if (process.env.UPDATE_BASELINES === '1') fs.writeFileSync(golden, actual);
    assert.equal(actual, fs.readFileSync(golden, 'utf8'), file);
  }
});

test('package.json injects the grammar into the dockerfile language', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  const grammar = pkg.contributes.grammars.find(
    (g: { scopeName: string }) => g.scopeName === 'windows-dockerfile.injection',
  );
  assert.deepEqual(grammar, {
    scopeName: 'windows-dockerfile.injection',
    path: './syntaxes/windows-dockerfile.injection.tmLanguage.json',
    injectTo: ['source.dockerfile'],
  });
});
