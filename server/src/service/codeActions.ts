/**
 * Quick fixes as `CodeAction`s that carry their `WorkspaceEdit`: the upstream fixes of
 * dockerfile-language-service (whose own API is a Command to run, then edits to compute) are
 * resolved here, so the client applies an edit and never round-trips a command. The rules' own
 * fixes come with their diagnostics (`data.fixes`, see `fixActions`).
 */
import type { DockerfileLanguageService } from 'dockerfile-language-service';
import {
  CodeAction,
  CodeActionContext,
  CodeActionKind,
  Diagnostic,
  Range,
  TextEdit,
} from 'vscode-languageserver-types';
import { DIAGNOSTIC_SOURCE } from '../../../common/links';
import type { Fix } from '../rules/support/types';
import type { ParsedDocument } from '../dockerfile/document';
import { computeSwitchBaseImage, SWITCH_VERSIONS } from './switchBaseImage';

/** On a FROM line with a Windows image: "Switch the Windows base images to <version>" for each other LTSC version that works. */
function computeSwitchActions(document: ParsedDocument, range: Range): CodeAction[] {
  const stage = document.stages.find((s) => s.from.getRange().start.line === range.start.line);
  const current = stage?.catalogue.tag?.version?.id;
  if (!stage || stage.os !== 'windows' || !stage.catalogue.repository) return [];
  const actions: CodeAction[] = [];
  for (const version of SWITCH_VERSIONS) {
    if (version === current) continue;
    const result = computeSwitchBaseImage(document, { version });
    if (!('edits' in result) || result.edits.length === 0) continue;
    const notes = result.notes.length > 0 ? ` (${[...new Set(result.notes.map((n) => n.change))].join('; ')})` : '';
    actions.push({
      title: `Switch the Windows base images to ${version}${notes}`,
      kind: CodeActionKind.RefactorRewrite,
      edit: { changes: { [document.uri]: result.edits } },
    });
  }
  return actions;
}

export const UPSTREAM_SOURCE = 'dockerfile-utils';

export function computeCodeActions(
  document: ParsedDocument,
  range: Range,
  context: CodeActionContext,
  upstream: DockerfileLanguageService,
): CodeAction[] {
  const wants = (kind: string) =>
    !context.only || context.only.some((only) => only === '' || kind === only || kind.startsWith(only + '.'));
  const actions: CodeAction[] = wants(CodeActionKind.RefactorRewrite) ? computeSwitchActions(document, range) : [];
  if (!wants(CodeActionKind.QuickFix)) return actions;
  addQuickFixes(document, context, upstream, actions);
  return withoutDuplicateEdits(document, actions);
}

function addQuickFixes(
  document: ParsedDocument,
  context: CodeActionContext,
  upstream: DockerfileLanguageService,
  actions: CodeAction[],
): void {
  const upstreamDiagnostics = context.diagnostics.filter((d) => d.source === UPSTREAM_SOURCE);
  for (const diagnostic of upstreamDiagnostics) {
    // dockerfile-language-service carries its own copy of vscode-languageserver-types; the shapes agree.
    const upstreamContext = { diagnostics: [diagnostic] } as Parameters<
      DockerfileLanguageService['computeCodeActions']
    >[2];
    for (const command of upstream.computeCodeActions({ uri: document.uri }, diagnostic.range, upstreamContext)) {
      const edits = upstream.computeCommandEdits(document.parserText, command.command, command.arguments ?? []);
      if (!edits || edits.length === 0) continue;
      actions.push({
        title: command.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        edit: { changes: { [document.uri]: edits } },
      });
    }
  }
  for (const diagnostic of context.diagnostics) {
    if (diagnostic.source === DIAGNOSTIC_SOURCE) actions.push(...fixActions(document.uri, diagnostic));
  }
}

/**
 * The quick fixes a diagnostic of ours carries (a rule's `Finding.fixes`, published as
 * `data.fixes`), as CodeActions on the document `uri`: a Dockerfile, a compose file or a manifest.
 * The one place a rule's fix becomes an action; what the client sends back is checked, not trusted.
 */
export function fixActions(uri: string, diagnostic: Diagnostic): CodeAction[] {
  const fixes = (diagnostic.data as { fixes?: unknown } | undefined)?.fixes;
  if (!Array.isArray(fixes)) return [];
  const actions: CodeAction[] = [];
  for (const fix of fixes as Partial<Fix>[]) {
    if (typeof fix?.title !== 'string' || !Array.isArray(fix.edits)) continue;
    const edits: readonly TextEdit[] = fix.edits;
    actions.push({
      title: fix.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      ...(typeof fix.preferred === 'boolean' ? { isPreferred: fix.preferred } : {}),
      edit: { changes: { [uri]: [...edits] } },
    });
  }
  return actions;
}

/**
 * One action per outcome: actions whose edits give the same text (two rules proposing the same tag,
 * a quick fix and the switch refactor changing the one FROM) are offered once. The quick fix is
 * kept over the refactor, a preferred action over one that is not, else the first; it lists the
 * diagnostics of all of them and is preferred when any was.
 */
export function withoutDuplicateEdits(document: ParsedDocument, actions: readonly CodeAction[]): CodeAction[] {
  const byOutcome = new Map<string, CodeAction[]>();
  for (const action of actions) {
    const key = outcomeKey(document, action);
    const same = byOutcome.get(key);
    if (same) same.push(action);
    else byOutcome.set(key, [action]);
  }
  const rank = (a: CodeAction) => (a.kind === CodeActionKind.QuickFix ? 0 : 2) + (a.isPreferred ? 0 : 1);
  const kept = new Map<CodeAction, CodeAction>();
  for (const same of byOutcome.values()) {
    const best = same.reduce((b, a) => (rank(a) < rank(b) ? a : b));
    const diagnostics = [...new Set(same.flatMap((a) => a.diagnostics ?? []))];
    kept.set(
      best,
      same.length === 1
        ? best
        : {
            ...best,
            ...(diagnostics.length > 0 ? { diagnostics } : {}),
            ...(same.some((a) => a.isPreferred) ? { isPreferred: true } : {}),
          },
    );
  }
  // Each kept action where it was.
  return actions.flatMap((a) => kept.get(a) ?? []);
}

/** What an action leaves: the change its edits make to this document (other documents: their edits), or its command. */
function outcomeKey(document: ParsedDocument, action: CodeAction): string {
  const changes = action.edit?.changes;
  if (!changes || action.edit?.documentChanges || action.command)
    return `other ${JSON.stringify([action.edit, action.command, action.title])}`;
  return Object.entries(changes)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([uri, edits]) => `${uri}\n${uri === document.uri ? change(document, edits) : JSON.stringify(edits)}`)
    .join('\n');
}

/**
 * The change non-overlapping edits make, in one canonical form whatever the edits' ranges: the
 * longest common prefix and suffix of the text before and after (as a whole-text comparison finds
 * them) stay, so it is `<first offset that differs> <end of the replaced part> <new text>`. Read in
 * the edits' span only (a whole-file request carries many actions on a large file): the text outside
 * it is the same before and after, and a pure insertion or deletion slides right over equal
 * characters as far as the whole-text comparison would.
 */
function change(document: ParsedDocument, edits: readonly TextEdit[]): string {
  const text = document.text;
  const located = edits
    .map((e) => ({ start: document.offsetAt(e.range.start), end: document.offsetAt(e.range.end), text: e.newText }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  if (located.length === 0) return '';
  let from = located[0].start;
  let to = from;
  let replacement = '';
  for (const e of located) {
    replacement += text.slice(to, e.start) + e.text;
    to = Math.max(to, e.end);
  }
  let head = 0;
  while (from < to && head < replacement.length && text.charCodeAt(from) === replacement.charCodeAt(head)) {
    from++;
    head++;
  }
  replacement = replacement.slice(head);
  let tail = 0;
  while (
    to > from &&
    tail < replacement.length &&
    text.charCodeAt(to - 1) === replacement.charCodeAt(replacement.length - 1 - tail)
  ) {
    to--;
    tail++;
  }
  replacement = replacement.slice(0, replacement.length - tail);
  if (from === to) {
    while (replacement.length > 0 && from < text.length && text.charCodeAt(from) === replacement.charCodeAt(0)) {
      replacement = replacement.slice(1) + text[from];
      from++;
    }
    to = from;
  } else if (replacement === '') {
    while (to < text.length && text.charCodeAt(from) === text.charCodeAt(to)) {
      from++;
      to++;
    }
  }
  return `${from} ${to} ${replacement}`;
}
