/**
 * The Windows features of compose files and Kubernetes manifests: diagnostics (the image rules of
 * Dockerfiles on every Windows image they name, and the YAML rules), their quick fixes, and hover,
 * completion and links inside image values (plus hovers on a RuntimeClass `handler`, on the
 * `node.kubernetes.io/windows-build` label and on `windowsOptions`). Nothing else: no formatting,
 * no schema, no symbols, so Red Hat's YAML extension and Microsoft's Docker extension keep those.
 * Pure like service/languageService.ts: text in, LSP types out; files next to a compose file are
 * read through `FileAccess`.
 */
import type {
  CodeAction,
  CodeActionContext,
  CompletionItem,
  Diagnostic,
  DocumentLink,
  Hover,
  Position,
  Range,
} from 'vscode-languageserver-types';
import { DIAGNOSTIC_SOURCE } from '../../../../common/links';
import type { Settings } from '../../../../common/settings';
import { LifecycleUpdate, productOfRepository } from '../../catalogue/products';
import { rangeContains } from '../../dockerfile/imageReferences';
import { RULES, YAML_RULES } from '../../rules';
import type { NamedImage } from '../../rules/support/baseImages';
import type { Finding, ImageRuleContext, Rule, YamlRule } from '../../rules/support/types';
import { installLibraryPatches } from '../../patches';
import { fixActions } from '../codeActions';
import { ruleSeverity, toDiagnostic } from '../diagnostics';
import { completionHost, computeImageCompletions } from '../imageCompletion';
import { imageLink } from '../imageFeatures';
import { describeImage } from '../imageText';
import { RUNTIME_CLASS_HANDLER_HOVER, WINDOWS_OPTIONS_HOVER, windowsBuildHover } from './hovers';
import type { YamlRoute } from './route';
import {
  get,
  isKubernetesDocument,
  isMap,
  isScalar,
  isSeq,
  keyName,
  Node,
  parseYamlFile,
  stringValue,
  YamlFile,
} from '../../yaml/yamlDocument';
import { FileAccess, NODE_FILES, readWorkloads, Workloads, YamlImage } from '../../yaml/workloads';
import { BUILD_LABEL } from '../../yaml/pods';

export interface YamlSnapshot {
  readonly uri: string;
  readonly version: number;
  readonly text: string;
}

export interface YamlServiceOptions {
  readonly log?: (message: string) => void;
  readonly today?: () => string;
  readonly liveTags?: (repository: string) => readonly string[];
  /**
   * Product lifecycles learnt by the live refresh, as for Dockerfiles (languageService.ts); asked for
   * only by a file that names a .NET, .NET Framework or PowerShell image. The bundled data when absent.
   */
  readonly lifecycleUpdates?: () => readonly LifecycleUpdate[] | undefined;
  readonly files?: FileAccess;
  readonly markdown?: () => boolean;
}

export interface YamlService {
  parse(snapshot: YamlSnapshot, route: YamlRoute): YamlFile;
  forget(uri: string): void;
  validate(snapshot: YamlSnapshot, route: YamlRoute, settings: Settings): Diagnostic[];
  codeActions(snapshot: YamlSnapshot, route: YamlRoute, context: CodeActionContext): CodeAction[];
  hover(snapshot: YamlSnapshot, route: YamlRoute, position: Position): Hover | null;
  completion(snapshot: YamlSnapshot, route: YamlRoute, position: Position, settings?: Settings): CompletionItem[];
  links(snapshot: YamlSnapshot, route: YamlRoute): DocumentLink[];
}

export function createYamlService(options: YamlServiceOptions = {}): YamlService {
  // It parses the Dockerfiles that compose files build (workloads.ts).
  installLibraryPatches();
  const log = options.log ?? (() => undefined);
  const today = options.today ?? (() => new Date().toISOString().slice(0, 10));
  const files = options.files ?? NODE_FILES;
  const cache = new Map<
    string,
    { version: number; text: string; composeByName: boolean; file: YamlFile; workloads: Workloads }
  >();

  function load(snapshot: YamlSnapshot, route: YamlRoute) {
    const cached = cache.get(snapshot.uri);
    if (
      cached &&
      cached.version === snapshot.version &&
      cached.text === snapshot.text &&
      cached.composeByName === route.composeByName
    )
      return cached;
    const file = parseYamlFile(snapshot, route.composeByName);
    let workloads: Workloads = { services: [], pods: [] };
    try {
      workloads = readWorkloads(file, files);
    } catch (error) {
      // A document deep enough to overflow the stack while walking it: its findings are lost, never the server.
      log(`validation of ${snapshot.uri} failed: reading its compose services or pods: ${describe(error)}`);
    }
    const entry = {
      version: snapshot.version,
      text: snapshot.text,
      composeByName: route.composeByName,
      file,
      workloads,
    };
    cache.set(snapshot.uri, entry);
    return entry;
  }

  function validate(snapshot: YamlSnapshot, route: YamlRoute, settings: Settings): Diagnostic[] {
    const { file, workloads } = load(snapshot, route);
    if (!file.kind || file.skipped) return [];
    const images = windowsImages(workloads);
    const namesProduct = images.some(({ image }) => productOfRepository(image.reference.repository));
    const context: ImageRuleContext = {
      today: today(),
      settings,
      lifecycleUpdates: namesProduct ? options.lifecycleUpdates?.() : undefined,
    };
    const diagnostics: Diagnostic[] = [];
    const publish = (rule: Rule | YamlRule, findings: readonly Finding[]) => {
      const severity = ruleSeverity(rule as Rule, settings);
      if (severity === 'off') return;
      for (const finding of findings) diagnostics.push(toDiagnostic(rule, severity, finding));
    };
    const run = (rule: Rule | YamlRule, check: () => Finding[]) => {
      if (ruleSeverity(rule as Rule, settings) === 'off') return;
      try {
        publish(rule, check());
      } catch (error) {
        log(`rule ${rule.id} failed on ${file.uri}: ${describe(error)}`);
      }
    };
    for (const rule of RULES) {
      const checkImages = rule.checkImages?.bind(rule);
      if (!checkImages) continue;
      if (!rule.judgesRunningImages)
        run(rule, () =>
          checkImages(
            images.filter((i) => !i.built).map((i) => i.image),
            context,
          ),
        );
      // What runs: built images too, each under its compose service's own `isolation` (process or hyperv) over the setting.
      else
        run(rule, () =>
          images.flatMap(({ image, isolation }) =>
            checkImages([image], isolation ? { ...context, settings: { ...settings, isolation } } : context),
          ),
        );
    }
    for (const rule of YAML_RULES) {
      if (rule.documents === file.kind) run(rule, () => rule.check({ ...context, file, workloads, files }));
    }
    return diagnostics;
  }

  return {
    parse: (snapshot, route) => load(snapshot, route).file,
    forget: (uri) => void cache.delete(uri),
    validate,
    codeActions(snapshot, _route, context) {
      const actions: CodeAction[] = [];
      for (const diagnostic of context.diagnostics) {
        if (diagnostic.source === DIAGNOSTIC_SOURCE) actions.push(...fixActions(snapshot.uri, diagnostic));
      }
      return actions;
    },
    hover(snapshot, route, position) {
      const { file, workloads } = load(snapshot, route);
      if (!file.kind || file.skipped) return null;
      const markdown = options.markdown?.() ?? true;
      const image = allImages(workloads).find((i) => rangeContains(i.range, position));
      const text = image ? describeImage(image.reference, today()) : undefined;
      if (image && text)
        return { contents: { kind: markdown ? 'markdown' : 'plaintext', value: text }, range: image.range };
      const special = specialHover(file, position, today());
      return special
        ? { contents: { kind: markdown ? 'markdown' : 'plaintext', value: special.text }, range: special.range }
        : null;
    },
    completion(snapshot, route, position, settings) {
      const { file, workloads } = load(snapshot, route);
      if (!file.kind || file.skipped) return [];
      const image = allImages(workloads).find((i) => rangeContains(i.slot.range, position));
      if (!image || image.slot.text === '') return [];
      const typed = file.offsetAt(position) - file.offsetAt(image.slot.range.start);
      const found = computeImageCompletions(image.slot, typed, {
        today: today(),
        liveTags: options.liveTags ?? (() => []),
        markdown: options.markdown?.() ?? true,
        deprecatedTag: true,
        host: settings && completionHost(settings),
      });
      return found?.items ?? [];
    },
    links(snapshot, route) {
      const { file, workloads } = load(snapshot, route);
      if (!file.kind || file.skipped) return [];
      return allImages(workloads).flatMap((image) => imageLink(image.reference, image.range) ?? []);
    },
  };
}

/** Every image named in the file, for hover, completion and links. */
function allImages(workloads: Workloads): YamlImage[] {
  return [
    ...workloads.services.flatMap((s) => (s.image ? [s.image] : [])),
    ...workloads.pods.flatMap((p) => p.containers.flatMap((c) => (c.image ? [c.image] : []))),
  ];
}

/** The Windows images the image rules check, with a compose service's own isolation; an image a service builds counts for the host check only. */
function windowsImages(
  workloads: Workloads,
): { image: NamedImage; isolation?: 'process' | 'hyperv'; built?: boolean }[] {
  const result: { image: NamedImage; isolation?: 'process' | 'hyperv'; built?: boolean }[] = [];
  for (const service of workloads.services) {
    const isolation = stringValue(service.isolation)?.toLowerCase();
    const own = isolation === 'process' || isolation === 'hyperv' ? isolation : undefined;
    const build = service.build;
    if (service.image?.windows && !build) result.push({ image: service.image, isolation: own });
    // Built from a Dockerfile: its final stage's image, reported on `build:` (no tag to edit here; the Dockerfile has its own findings).
    else if (build?.os === 'windows' && build.reference) {
      result.push({
        image: {
          stage: { catalogue: build.catalogue },
          reference: build.reference,
          range: build.range,
          site: { tagWritten: false },
        },
        isolation: own,
        built: true,
      });
    }
  }
  for (const pod of workloads.pods)
    for (const container of pod.containers) if (container.image?.windows) result.push({ image: container.image });
  return result;
}

/** Hovers on a RuntimeClass's `handler` and on a `windowsOptions` key. */
function specialHover(file: YamlFile, position: Position, today: string): { text: string; range: Range } | undefined {
  const offset = file.offsetAt(position);
  for (const document of file.documents) {
    if (!document.range || offset < document.range[0] || offset > document.range[2] || !isKubernetesDocument(document))
      continue;
    if (stringValue(get(document, document.contents, 'kind')) === 'RuntimeClass' && isMap(document.contents)) {
      for (const pair of document.contents.items) {
        if (keyName(pair.key) !== 'handler') continue;
        const range = rangeAround(file, pair.key as Node, pair.value as Node | null, offset);
        if (range) return { text: RUNTIME_CLASS_HANDLER_HOVER, range };
      }
    }
    const found = findKey(file, document.contents, 'windowsOptions', offset);
    if (found) return { text: WINDOWS_OPTIONS_HOVER, range: found };
    const label = findBuildLabel(file, document, offset);
    if (label) return { text: windowsBuildHover(today, label.value), range: label.range };
  }
  return undefined;
}

/** Nesting levels searched for a hovered key (pod specs are a few levels deep; deeper is never Kubernetes). */
const MAX_HOVER_DEPTH = 32;

/** A key–value pair of a YAML map, as the walk below hands it over. */
interface Pair {
  readonly key: Node | null;
  readonly value: Node | null;
}

/**
 * The first answer `match` gives for a pair of a map that contains `offset`, searching down from
 * `node` (maps and sequences; at most MAX_HOVER_DEPTH levels): the one walk behind the hovers on
 * keys below.
 */
function findPair<T>(
  node: Node | null | undefined,
  offset: number,
  match: (pair: Pair, map: Node) => T | undefined,
  depth = 0,
): T | undefined {
  if (!node || depth > MAX_HOVER_DEPTH || !node.range || offset < node.range[0] || offset > node.range[2])
    return undefined;
  if (isMap(node)) {
    for (const item of node.items) {
      const pair = item as unknown as Pair;
      const found = match(pair, node) ?? findPair(pair.value, offset, match, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  const items =
    'items' in node && Array.isArray((node as { items?: unknown }).items) ? (node as { items: Node[] }).items : [];
  for (const child of items) {
    const found = findPair(child, offset, match, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The range of a key named `key` under the cursor. */
function findKey(file: YamlFile, node: Node | null | undefined, key: string, offset: number): Range | undefined {
  return findPair(node, offset, ({ key: k }) =>
    keyName(k) === key && isScalar(k) && k.range && offset >= k.range[0] && offset <= k.range[1]
      ? file.rangeOf(k)
      : undefined,
  );
}

/**
 * The `node.kubernetes.io/windows-build` label under the cursor: a node selector's key (with the
 * build it selects) or the `key:` of a node-affinity match expression (with its only value, when
 * it has one).
 */
function findBuildLabel(
  file: YamlFile,
  document: YamlFile['documents'][number],
  offset: number,
): { range: Range; value?: string } | undefined {
  return findPair(document.contents, offset, ({ key, value }, map) => {
    if (!key) return undefined;
    if (keyName(key) === BUILD_LABEL) {
      const range = rangeAround(file, key, value, offset);
      return range ? { range, value: stringValue(value) } : undefined;
    }
    if (keyName(key) !== 'key' || stringValue(value) !== BUILD_LABEL) return undefined;
    const range = rangeAround(file, key, value, offset);
    const values = get(document, map, 'values');
    return range
      ? { range, value: isSeq(values) && values.items.length === 1 ? stringValue(values.items[0]) : undefined }
      : undefined;
  });
}

function rangeAround(file: YamlFile, key: Node, value: Node | null, offset: number): Range | undefined {
  const start = key.range?.[0];
  const end = value?.range?.[1] ?? key.range?.[1];
  if (start === undefined || end === undefined || offset < start || offset > end) return undefined;
  return { start: file.positionAt(start), end: file.positionAt(end) };
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
