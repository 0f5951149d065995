/**
 * Hostile registry answers and hostile image text reaching completion and hover: the number of
 * tags is bounded, and user text never becomes markdown (issue 19 items 6 and 13).
 */
import { atCursor } from './helpers';
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { CompletionItem, Hover, MarkupContent } from 'vscode-languageserver-types';
import { MAX_LIVE_TAGS } from '../../server/src/network/liveTags';
import { escapeMarkdown, markdownCode } from '../../server/src/service/markdown';
import { MAX_TAG_COMPLETIONS } from '../../server/src/service/imageCompletion';
import { createWindowsDockerfileService } from '../../server/src/service/languageService';

const TODAY = '2026-11-21';
const SERVERCORE = 'mcr.microsoft.com/windows/servercore';
let live: string[] = [];
const service = createWindowsDockerfileService({
  log: () => undefined,
  today: () => TODAY,
  liveTags: (repository) => (repository === SERVERCORE ? live : []),
  upstreamFeatures: () => false,
});
service.setCapabilities({
  completion: { completionItem: { documentationFormat: ['markdown'], tagSupport: { valueSet: [1] } } },
  hover: { contentFormat: ['markdown'] },
});

/** `|` marks the cursor. */
const at = (textWithCursor: string) => atCursor(textWithCursor, 'file:///hostile/Dockerfile');

test('one tag completion returns at most MAX_TAG_COMPLETIONS items, those starting with what is typed first', async () => {
  // What 2 MB of short tags holds (each completion took 2 s and 86 MB); the live source keeps MAX_LIVE_TAGS.
  live = Array.from({ length: 243_000 }, (_, i) => `t${i.toString(36)}`);
  assert.ok(MAX_LIVE_TAGS <= 10 * MAX_TAG_COMPLETIONS);
  try {
    const all = at(`FROM ${SERVERCORE}:|`);
    const started = performance.now();
    const items = await service.completion(all.snapshot, all.position);
    const ms = performance.now() - started;
    assert.ok(items.length <= MAX_TAG_COMPLETIONS, `${items.length} items`);
    assert.ok(
      items.some((i) => i.label === 'ltsc2022'),
      'the catalogue tags come first',
    );
    assert.ok(ms < 1000, `${Math.round(ms)} ms`);
    const typed = at(`FROM ${SERVERCORE}:tzz|`);
    const labels = (await service.completion(typed.snapshot, typed.position)).map((i) => i.label);
    assert.ok(labels.length <= MAX_TAG_COMPLETIONS);
    const expected = live.slice(0, MAX_LIVE_TAGS).filter((t) => t.startsWith('tzz'));
    assert.ok(expected.length > 0);
    for (const tag of expected) assert.ok(labels.includes(tag), `${tag} (typed prefix) is offered`);
  } finally {
    live = [];
  }
});

// markdown-it (a dependency of @vscode/vsce) renders CommonMark as VS Code's hover does, raw HTML
// included, so what a hostile text turns into is seen, not guessed.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- markdown-it has no types of its own
const MarkdownIt = require('markdown-it') as new (options: object) => { render(text: string): string };
const renderer = new MarkdownIt({ html: true, linkify: false });

/** Links and images in rendered markdown whose target is not the catalogue's MCR page. */
function foreignMarkup(markdown: string): string[] {
  const html = renderer.render(markdown);
  const found = [...html.matchAll(/<(a|img|h\d|script|iframe)\b[^>]*>/g)].map((m) => m[0]);
  return found.filter(
    (tag) =>
      !/^<a href="https:\/\/mcr\.microsoft\.com\/[^"]*">$/.test(tag) &&
      !/^<a href="https:\/\/(mcr\.microsoft\.com|learn\.microsoft\.com|github\.com)[^"]*">$/.test(tag),
  );
}

const HOSTILE = [
  'x`![p](https://evil.example/p.png)`',
  '`` ![p](https://evil.example/p.png) ``',
  'a<img src=https://evil.example/i.png>',
  '[click](https://evil.example/)',
  'ltsc2022\n\n# Heading <script>alert(1)</script>',
  '```\n![p](https://evil.example/fence.png)',
  '\\`[x](https://evil.example/backslash)',
];

test('hostile tags cannot add links, images or HTML to hovers or completion documentation', async () => {
  for (const tag of HOSTILE) {
    for (const repository of [
      SERVERCORE,
      'mcr.microsoft.com/dotnet/framework/runtime',
      'microsoft/windowsservercore',
    ]) {
      const line = `FROM ${repository}:${tag.split('\n')[0]}`;
      const { snapshot, position } = at(`${line.slice(0, 8)}|${line.slice(8)}\n`);
      const hover = service.hover(snapshot, position) as Hover | null;
      if (!hover) continue;
      const value = (hover.contents as MarkupContent).value;
      assert.deepEqual(foreignMarkup(value), [], `hover of ${JSON.stringify(line)}:\n${value}`);
    }
  }
  // Live tags reach completion documentation (the registry's answer is checked, but each tag still goes through the escaping).
  live = ['ltsc2022_x_', 'a__b__', '1.0-*x*'];
  try {
    const typed = at(`FROM ${SERVERCORE}:|`);
    const items = (await service.completion(typed.snapshot, typed.position)) as CompletionItem[];
    for (const item of items) {
      const value = (item.documentation as MarkupContent | undefined)?.value ?? '';
      assert.deepEqual(foreignMarkup(value), [], `documentation of ${item.label}`);
      if (live.includes(item.label))
        assert.ok(
          renderer.render(value).includes(item.label.replace(/\*/g, '*')),
          `${item.label} is shown literally: ${renderer.render(value)}`,
        );
    }
  } finally {
    live = [];
  }
});

test('escapeMarkdown and markdownCode render the text itself, whatever it holds', () => {
  const texts = [...HOSTILE, '`', '``', ' ` ', '\\', '*a*', '<b>', '&amp;', 'a|b', '~~s~~'];
  const decode = (html: string) =>
    html
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
  for (const text of texts) {
    const flat = text.replace(/\n/g, ' ');
    const escaped = renderer.render(escapeMarkdown(text)).trim();
    // A paragraph drops its leading and trailing blanks.
    assert.equal(decode(escaped.replace(/^<p>|<\/p>$/g, '')), flat.trim(), `escapeMarkdown(${JSON.stringify(text)})`);
    const code = renderer.render(`x ${markdownCode(text)} y`).trim();
    const inner = /^<p>x <code>([\s\S]*)<\/code> y<\/p>$/.exec(code)?.[1];
    assert.equal(
      inner === undefined ? undefined : decode(inner),
      flat,
      `markdownCode(${JSON.stringify(text)}) -> ${code}`,
    );
  }
});

test('ARG and ENV values shown by the upstream hover are literal text, not markdown', () => {
  const withUpstream = createWindowsDockerfileService({ log: () => undefined, today: () => TODAY });
  withUpstream.setCapabilities({ hover: { contentFormat: ['markdown'] } });
  const text = `FROM ${SERVERCORE}:ltsc2022\nARG A="![p](https://evil.example/x.png)"\nENV B=<img src=https://evil.example/y.png> C=\`[l](https://evil.example/)\`\nRUN echo $A $B $C\n`;
  const snapshot = { uri: 'file:///hostile/values', version: 1, text };
  const positions = [
    { line: 1, character: 4 },
    { line: 2, character: 4 },
    { line: 2, character: 48 },
    { line: 3, character: 10 },
    { line: 3, character: 13 },
    { line: 3, character: 16 },
  ];
  let shown = 0;
  for (const position of positions) {
    const hover = withUpstream.hover(snapshot, position) as Hover | null;
    if (!hover) continue;
    shown++;
    const value = typeof hover.contents === 'string' ? hover.contents : (hover.contents as MarkupContent).value;
    assert.deepEqual(foreignMarkup(value), [], `hover at ${JSON.stringify(position)}: ${value}`);
  }
  assert.ok(shown >= 3, `${shown} value hovers`);
  // The upstream's own documentation is still markdown.
  const keyword = withUpstream.hover(snapshot, { line: 3, character: 1 }) as Hover;
  assert.equal((keyword.contents as MarkupContent).kind, 'markdown');
});
