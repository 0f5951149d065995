/**
 * The language service the server runs: the Dockerfile service, with compose files and
 * Kubernetes manifests (route.ts decides which) answered by the YAML service instead. A YAML
 * document gets diagnostics, quick fixes, hover, completion and links from us and nothing else
 * (no formatting, symbols, folding or semantic tokens: the YAML extension owns those).
 */
import type { SemanticTokens, SignatureHelp } from 'vscode-languageserver-types';
import type { Settings } from '../../../../common/settings';
import type { ServiceOptions, WindowsDockerfileService } from '../languageService';
import type { TextDocumentSnapshot } from '../../dockerfile/document';
import { yamlRoute } from './route';
import { createYamlService, YamlService } from './yamlService';

/**
 * `upstreamFeatures` is the Dockerfile service's switch (off when Microsoft's Docker / Container
 * Tools extension is active and `windowsContainers.upstreamFeatures` is `auto`): that extension's
 * compose language service links compose `image:` values itself, so ours are left out then. Its
 * hovers are on keys and its completions on keys and other values, never inside image values,
 * and Red Hat's YAML extension answers from schemas: our hovers and completions duplicate neither.
 */
export function withComposeAndKubernetes(
  dockerfile: WindowsDockerfileService,
  options: Pick<ServiceOptions, 'log' | 'liveTags' | 'today' | 'upstreamFeatures' | 'lifecycleUpdates'> = {},
): WindowsDockerfileService {
  let markdown = false;
  const yaml: YamlService = createYamlService({ ...options, markdown: () => markdown });
  /** Templated files are not analysed: said once per document in the log. */
  const noted = new Set<string>();
  const routed = <T>(
    snapshot: TextDocumentSnapshot,
    ours: (route: NonNullable<ReturnType<typeof yamlRoute>>) => T,
    theirs: () => T,
  ): T => {
    const route = yamlRoute(snapshot.languageId, snapshot.uri);
    return route ? ours(route) : theirs();
  };
  const validate = (snapshot: TextDocumentSnapshot, settings: Settings) =>
    routed(
      snapshot,
      (route) => {
        const file = yaml.parse(snapshot, route);
        if (file.skipped && !noted.has(snapshot.uri)) {
          noted.add(snapshot.uri);
          options.log?.(`${snapshot.uri} is not analysed: ${file.skipped}`);
        }
        return yaml.validate(snapshot, route, settings);
      },
      () => dockerfile.validate(snapshot, settings),
    );
  return {
    ...dockerfile,
    setCapabilities(capabilities) {
      markdown = capabilities.hover?.contentFormat?.includes('markdown') === true;
      dockerfile.setCapabilities(capabilities);
    },
    forget(uri) {
      yaml.forget(uri);
      noted.delete(uri);
      dockerfile.forget(uri);
    },
    validate,
    codeActions: (snapshot, range, context, settings) =>
      routed(
        snapshot,
        (route) => yaml.codeActions(snapshot, route, context),
        () => dockerfile.codeActions(snapshot, range, context, settings),
      ),
    completion: (snapshot, position, settings) =>
      routed(
        snapshot,
        async (route) => yaml.completion(snapshot, route, position, settings),
        () => dockerfile.completion(snapshot, position, settings),
      ),
    hover: (snapshot, position) =>
      routed(
        snapshot,
        (route) => yaml.hover(snapshot, route, position),
        () => dockerfile.hover(snapshot, position),
      ),
    links: (snapshot) =>
      routed(
        snapshot,
        (route) => (route.composeByName && options.upstreamFeatures?.() === false ? [] : yaml.links(snapshot, route)),
        () => dockerfile.links(snapshot),
      ),
    signatureHelp: (snapshot, position) =>
      routed<SignatureHelp>(
        snapshot,
        () => ({ signatures: [] }),
        () => dockerfile.signatureHelp(snapshot, position),
      ),
    definition: (snapshot, position) =>
      routed(
        snapshot,
        () => null,
        () => dockerfile.definition(snapshot, position),
      ),
    highlights: (snapshot, position) =>
      routed(
        snapshot,
        () => [],
        () => dockerfile.highlights(snapshot, position),
      ),
    symbols: (snapshot) =>
      routed(
        snapshot,
        () => [],
        () => dockerfile.symbols(snapshot),
      ),
    foldingRanges: (snapshot) =>
      routed(
        snapshot,
        () => [],
        () => dockerfile.foldingRanges(snapshot),
      ),
    format: (snapshot, formatting, settings) =>
      routed(
        snapshot,
        () => [],
        () => dockerfile.format(snapshot, formatting, settings),
      ),
    formatRange: (snapshot, range, formatting, settings) =>
      routed(
        snapshot,
        () => [],
        () => dockerfile.formatRange(snapshot, range, formatting, settings),
      ),
    formatOnType: (snapshot, position, ch, formatting, settings) =>
      routed(
        snapshot,
        () => [],
        () => dockerfile.formatOnType(snapshot, position, ch, formatting, settings),
      ),
    prepareRename: (snapshot, position) =>
      routed(
        snapshot,
        () => null,
        () => dockerfile.prepareRename(snapshot, position),
      ),
    rename: (snapshot, position, newName) =>
      routed(
        snapshot,
        () => [],
        () => dockerfile.rename(snapshot, position, newName),
      ),
    semanticTokens: (snapshot) =>
      routed<SemanticTokens>(
        snapshot,
        () => ({ data: [] }),
        () => dockerfile.semanticTokens(snapshot),
      ),
    switchBaseImage: (snapshot, request) =>
      routed(
        snapshot,
        () => ({ refused: ['this is not a Dockerfile'] }),
        () => dockerfile.switchBaseImage(snapshot, request),
      ),
    upstreamCommandEdits: (snapshot, command, args) =>
      routed(
        snapshot,
        () => [],
        () => dockerfile.upstreamCommandEdits(snapshot, command, args),
      ),
  };
}
