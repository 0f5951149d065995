/**
 * Quick fixes as `CodeAction`s that carry their `WorkspaceEdit`: the upstream fixes of
 * dockerfile-language-service (whose own API is a Command to run, then edits to compute) are
 * resolved here, so the client applies an edit and never round-trips a command.
 */
import type { DockerfileLanguageService } from 'dockerfile-language-service';
import type { LifecycleUpdate } from '../catalogue/products';
import { CodeAction, CodeActionContext, CodeActionKind, Range } from 'vscode-languageserver-types';
import { DIAGNOSTIC_SOURCE } from '../../../common/links';
import type { Settings } from '../../../common/settings';
import { findRule } from '../rules';
import type { ParsedDocument } from './document';
import type { Logger } from './diagnostics';
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
    if ('refused' in result || result.edits.length === 0) continue;
    actions.push({
      title: `Switch the Windows base images to ${version}`,
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
  log: Logger,
  today: string,
  settings: Settings,
  lifecycleUpdates?: readonly LifecycleUpdate[],
): CodeAction[] {
  const wants = (kind: string) => !context.only || context.only.some((only) => only === '' || kind === only || kind.startsWith(only + '.'));
  const actions: CodeAction[] = wants(CodeActionKind.RefactorRewrite) ? computeSwitchActions(document, range) : [];
  if (!wants(CodeActionKind.QuickFix)) return actions;
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
      actions.push(...rule.fix({ document, today, settings, lifecycleUpdates }, diagnostic));
    } catch (error) {
      log(`fix of ${rule.id} failed on ${document.uri}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
  return actions;
}
