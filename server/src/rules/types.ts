/**
 * The shape every rule has: one file per rule under `rules/`, registered once in `rules/index.ts`.
 * A rule's id is its file name, its docs page (`docs/rules/<id>.md`), its setting
 * (`windowsContainers.rules.<id>`) and the `code` of its diagnostics; it is never renamed.
 */
import type { CodeAction, Diagnostic, Range } from 'vscode-languageserver-types';
import type { LifecycleUpdate } from '../catalogue/products';
import type { Settings } from '../../../common/settings';
import type { ParsedDocument } from '../service/document';

export type DefaultSeverity = 'error' | 'warning' | 'information' | 'hint' | 'off';

export interface RuleContext {
  readonly document: ParsedDocument;
  /** Today's date, `YYYY-MM-DD`, for lifecycle rules (tests pin it). */
  readonly today: string;
  /** The user's settings for this document (target host, isolation, ...). */
  readonly settings: Settings;
  /**
   * The machine the server runs on, when the server knows it: resolves `targetHost: auto` (see
   * common/targetHosts.ts). Unset in the pure service and the tests, where `auto` stays unresolved.
   */
  readonly machine?: { readonly platform: string; readonly release: string; readonly isServer?: boolean };
  /**
   * Product lifecycles learnt by a live refresh (see catalogue/products.ts); the bundled
   * `data/products.json` when absent.
   */
  readonly lifecycleUpdates?: readonly LifecycleUpdate[];
}

/** What a rule found. `data` is carried on the diagnostic so the fix never re-analyses. */
export interface Finding {
  readonly range: Range;
  readonly message: string;
  readonly data?: Record<string, unknown>;
}

export interface Rule {
  readonly id: string;
  /** One sentence, shown in the settings UI and on the docs page. */
  readonly description: string;
  readonly defaultSeverity: DefaultSeverity;
  check(context: RuleContext): Finding[];
  /** Quick fixes for one of this rule's diagnostics; edits only, never commands. */
  fix?(context: RuleContext, diagnostic: Diagnostic): CodeAction[];
}
