/**
 * The shape every rule has: one file per rule under `rules/`, registered once in `rules/index.ts`.
 * A rule's id is its file name, its docs page (`docs/rules/<id>.md`), its setting
 * (`windowsContainers.rules.<id>`) and the `code` of its diagnostics; it is never renamed.
 */
import type { Range, TextEdit } from 'vscode-languageserver-types';
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
  /**
   * The user's settings for this document (target host, isolation, ...). `targetHost: auto` is
   * already resolved to the machine's host where the server knows it (common/targetHosts.ts
   * `settingsOnMachine`); where it is still `auto`, a rule judges against no host.
   */
  readonly settings: Settings;
  /**
   * Product lifecycles learnt by a live refresh (see catalogue/products.ts); the bundled
   * `data/products.json` when absent.
   */
  readonly lifecycleUpdates?: readonly LifecycleUpdate[];
}

/**
 * A quick fix, computed when the rule checks: its title, the edits of the document it makes, and
 * whether it is the fix to apply without asking (`preferred`, as the action's `isPreferred`:
 * true, false, or absent for no opinion). Carried to the client in the diagnostic's
 * `data.fixes` and turned into a CodeAction by one builder (service/codeActions.ts `fixActions`),
 * so a quick fix never analyses the document again.
 */
export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  readonly preferred?: boolean;
}

/** What a rule found, with the quick fixes it offers for it (none: absent or empty). */
export interface Finding {
  readonly range: Range;
  readonly message: string;
  readonly fixes?: readonly Fix[];
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
   * same check on images named outside a Dockerfile (compose `image:` values, pod containers).
   */
  checkImages?(images: readonly NamedImage[], context: ImageRuleContext): Finding[];
  /**
   * For an image rule that judges the host an image runs on rather than the reference as written:
   * in compose files `checkImages` is also given the image of a service that builds from a
   * Dockerfile (its final stage's image), and each service's image under that service's own
   * `isolation` when it sets one.
   */
  readonly judgesRunningImages?: boolean;
  /** Whether its findings carry quick fixes (for the rule table and the registry test). */
  readonly fixable: boolean;
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
 * id, docs page, setting and fixtures as a Dockerfile rule, and the same `Finding` with its `fixes`.
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
