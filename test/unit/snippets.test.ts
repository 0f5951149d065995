/**
 * The snippets insert correct Windows Dockerfiles: every image:tag they use is in the catalogue and
 * supported, and the text they insert (placeholders at their defaults) draws no warning or error.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { normaliseSettings } from '../../common/settings';
import { findRepository, resolveTag, tagStatus } from '../../server/src/catalogue/catalogue';
import { diagnose, FIXTURE_TODAY, REPO_ROOT, fixtureService, formatDiagnostic } from './helpers';
import { parseDocument } from '../../server/src/dockerfile/document';

interface Snippet {
  prefix: string | string[];
  description: string;
  body: string[];
}

const snippets: Record<string, Snippet> = JSON.parse(
  fs.readFileSync(path.join(REPO_ROOT, 'snippets', 'windows-dockerfile.code-snippets'), 'utf8'),
);

/** Expands a snippet the way VS Code would with every placeholder left at its default (first choice). */
export function expandSnippet(body: string[]): string {
  const values = new Map<string, string>();
  const text = body.join('\n');
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && (text[i + 1] === '\\' || text[i + 1] === '$' || text[i + 1] === '}')) {
      out += text[++i];
      continue;
    }
    if (c !== '$') {
      out += c;
      continue;
    }
    const match = /^\$(?:(\d+)|\{(\d+)(?:\|([^|]*)\||:([^}]*))?\})/.exec(text.slice(i));
    assert.ok(match, `a literal $ must be escaped as \\$ (at ${JSON.stringify(text.slice(i, i + 20))})`);
    const index = match[1] ?? match[2];
    const choice = match[3]?.split(',')[0];
    const fallback = (choice ?? match[4])?.replace(/\\\\/g, '\\');
    if (fallback !== undefined && !values.has(index)) values.set(index, fallback);
    out += values.get(index) ?? '';
    i += match[0].length - 1;
  }
  return out;
}

const CONTEXT =
  '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2025\nSHELL ["powershell", "-Command", "$ErrorActionPreference = \'Stop\'; $ProgressPreference = \'SilentlyContinue\';"]\n';

for (const [name, snippet] of Object.entries(snippets)) {
  test(`snippet: ${name}`, () => {
    assert.ok(snippet.description.length > 30, 'a description users can read');
    assert.ok(
      (Array.isArray(snippet.prefix) ? snippet.prefix : [snippet.prefix]).every((p) => /^[\w#-][\w# -]*$/.test(p)),
    );
    const expanded = expandSnippet(snippet.body);
    // Fragments (no FROM) are inserted into a Windows stage (with the backtick escape) that runs PowerShell.
    const text = /^\s*FROM /m.test(expanded)
      ? expanded
      : expanded.startsWith('# escape')
        ? expanded + CONTEXT.replace('# escape=`\n', '')
        : CONTEXT + expanded;
    const document = parseDocument({ uri: 'file:///snippet/Dockerfile', version: 1, text });
    for (const stage of document.stages) {
      assert.equal(stage.os, 'windows', `${stage.from.getImage()} is a Windows image`);
      const image = stage.image;
      if (!image) continue;
      const repository = findRepository(image.repository);
      assert.ok(repository, `${image.repository} is in the catalogue`);
      const tag = resolveTag(repository, image.tag ?? '');
      assert.ok(tag && !tag.uncertain, `${image.repository}:${image.tag} is a known tag`);
      assert.notEqual(tagStatus(tag, FIXTURE_TODAY), 'ended', `${image.repository}:${image.tag} is supported`);
    }
    const problems = diagnose(text, normaliseSettings(undefined)).filter((d) => (d.severity ?? 1) <= 2);
    assert.deepEqual(problems.map(formatDiagnostic), [], `the inserted text:\n${text}`);
  });
}

test('snippet expansion follows VS Code’s escapes', () => {
  assert.equal(expandSnippet(['a \\$b ${1:C:\\\\x} ${1} ${2|p,q|} $0']), 'a $b C:\\x C:\\x p ');
});

/** The Kubernetes and compose snippets insert manifests and services that draw no warning or error, with known, supported images. */
for (const [file, wrap] of [
  ['windows-kubernetes.code-snippets', (text: string) => ({ name: 'manifest.yaml', text })],
  [
    'windows-compose.code-snippets',
    (text: string) => ({ name: 'compose.yaml', text: `services:\n${text.replace(/^/gm, '  ')}` }),
  ],
] as const) {
  const yamlSnippets: Record<string, Snippet> = JSON.parse(
    fs.readFileSync(path.join(REPO_ROOT, 'snippets', file), 'utf8'),
  );
  for (const [name, snippet] of Object.entries(yamlSnippets)) {
    test(`snippet: ${name}`, () => {
      assert.ok(snippet.description.length > 30, 'a description users can read');
      const { name: fileName, text } = wrap(expandSnippet(snippet.body));
      const { diagnose: diagnoseYaml } = fixtureService(path.join(REPO_ROOT, 'snippet-check', fileName));
      for (const match of text.matchAll(/image: (\S+)/g)) {
        const [repositoryName, tagName] = match[1].split(/:(?=[^/]*$)/);
        const repository = findRepository(repositoryName);
        assert.ok(repository, `${repositoryName} is in the catalogue`);
        const tag = resolveTag(repository, tagName ?? '');
        assert.ok(
          tag && !tag.uncertain && tagStatus(tag, FIXTURE_TODAY) !== 'ended',
          `${match[1]} is a known, supported tag`,
        );
      }
      const problems = diagnoseYaml(text, normaliseSettings(undefined)).filter((d) => (d.severity ?? 1) <= 2);
      assert.deepEqual(problems.map(formatDiagnostic), [], `the inserted text:\n${text}`);
    });
  }
}
