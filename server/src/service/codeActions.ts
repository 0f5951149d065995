/**
 * Quick fixes as `CodeAction`s that carry their `WorkspaceEdit`: the upstream fixes of
 * dockerfile-language-service (whose own API is a Command to run, then edits to compute) are
 * resolved here, so the client applies an edit and never round-trips a command.
 */
import type { DockerfileLanguageService } from 'dockerfile-language-service';
import { CodeAction, CodeActionContext, CodeActionKind, Range } from 'vscode-languageserver-types';
import { DIAGNOSTIC_SOURCE } from '../../../common/links';
import { findRule } from '../rules';
import type { ParsedDocument } from './document';
import type { Logger } from './diagnostics';

export const UPSTREAM_SOURCE = 'dockerfile-utils';

export function computeCodeActions(
  document: ParsedDocument,
  _range: Range,
  context: CodeActionContext,
  upstream: DockerfileLanguageService,
  log: Logger,
  today: string,
): CodeAction[] {
  // Every action here is a quick fix: answer nothing when the client asks only for other kinds.
  if (context.only && !context.only.some((kind) => kind === '' || kind === CodeActionKind.QuickFix)) {
    return [];
  }
  const actions: CodeAction[] = [];
  const upstreamDiagnostics = context.diagnostics.filter((d) => d.source === UPSTREAM_SOURCE);
  for (const diagnostic of upstreamDiagnostics) {
    // dockerfile-language-service carries its own copy of vscode-languageserver-types; the shapes agree.
    const upstreamContext = { diagnostics: [diagnostic] } as Parameters<DockerfileLanguageService['computeCodeActions']>[2];
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
    if (diagnostic.source !== DIAGNOSTIC_SOURCE || typeof diagnostic.code !== 'string') continue;
    const rule = findRule(diagnostic.code);
    if (!rule?.fix) continue;
    try {
      actions.push(...rule.fix({ document, today }, diagnostic));
    } catch (error) {
      log(`fix of ${rule.id} failed on ${document.uri}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
  return actions;
}
