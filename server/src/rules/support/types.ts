/**
 * The shape every rule has: one file per rule under `rules/`, registered once in `rules/index.ts`.
 * A rule's id is its file name, its docs page (`docs/rules/<id>.md`), its setting
 * (`windowsContainers.rules.<id>`) and the `code` of its diagnostics; it is never renamed.
 */
import type { CodeAction, Diagnostic, Range } from 'vscode-languageserver-types';
import type { LifecycleUpdate } from '../../catalogue/products';
import type { Settings } from '../../../../common/settings';
import type { ParsedDocument } from '../../dockerfile/document';
import type { NamedImage } from './baseImages';
import type { YamlFile, YamlKind } from '../../yaml/yamlDocument';
import type { FileAccess, Workloads } from '../../yaml/workloads';

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

/** What an image rule reads besides the images: everything of a RuleContext but the Dockerfile. */
export type ImageRuleContext = Omit<RuleContext, 'document'>;

export interface Rule {
  readonly id: string;
  /** One sentence, shown in the settings UI and on the docs page. */
  readonly description: string;
  readonly defaultSeverity: DefaultSeverity;
  check(context: RuleContext): Finding[];
  /**
   * For a rule about a Windows image by itself (its tag, its lifecycle, the host that runs it): the
   * same check on images named outside a Dockerfile (compose `image:` values, pod containers). The
   * findings' fixes are carried in `data.fixes` (baseImages.ts `fixOffers`).
   */
  checkImages?(images: readonly NamedImage[], context: ImageRuleContext): Finding[];
  /** Quick fixes for one of this rule's diagnostics; edits only, never commands. */
  fix?(context: RuleContext, diagnostic: Diagnostic): CodeAction[];
}

/** What a rule over compose files or Kubernetes manifests reads (server/src/yaml). */
export interface YamlRuleContext extends ImageRuleContext {
  readonly file: YamlFile;
  readonly workloads: Workloads;
  /** Files next to the document (a bind mount's source); tests give a temp dir. */
  readonly files: FileAccess;
}

/**
 * A rule over compose files (`documents: 'compose'`) or Kubernetes manifests (`'kubernetes'`). Same
 * id, docs page, setting and fixtures as a Dockerfile rule; its quick fixes are carried in
 * `data.fixes` (baseImages.ts `fixOffers` shape), so it has no `fix` of its own.
 */
export interface YamlRule {
  readonly id: string;
  readonly description: string;
  readonly defaultSeverity: DefaultSeverity;
  readonly documents: YamlKind;
  /** Whether its findings carry quick fixes (for the rule table and the registry test). */
  readonly fixable: boolean;
  check(context: YamlRuleContext): Finding[];
}
