/**
 * Quick fixes computed when the rule checks (so they never re-analyse), carried on the
 * diagnostic's `data` and turned into CodeActions when the client asks.
 */
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-types';
import type { RuleContext } from './types';

export interface CarriedFix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  readonly preferred?: boolean;
}

/** The `data` of a finding that carries its fixes. */
export function fixData(fixes: readonly CarriedFix[]): Record<string, unknown> | undefined {
  return fixes.length > 0 ? { fixes } : undefined;
}

/** The CodeActions of the fixes a diagnostic carries. */
export function carriedFixes({ document }: RuleContext, diagnostic: Diagnostic): CodeAction[] {
  const fixes = (diagnostic.data as { fixes?: unknown } | undefined)?.fixes;
  if (!Array.isArray(fixes)) return [];
  return fixes
    .filter((f): f is CarriedFix => typeof f?.title === 'string' && Array.isArray(f.edits))
    .map((f) => ({
      title: f.title,
      kind: 'quickfix',
      diagnostics: [diagnostic],
      ...(f.preferred ? { isPreferred: true } : {}),
      edit: { changes: { [document.uri]: [...f.edits] } },
    }));
}
