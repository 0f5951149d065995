/**
 * LSP wiring only: the parts in this folder, each for one concern, joined to one connection.
 * Platform-neutral: it takes a connection (serverMain.ts over node, browserServer.ts in a worker).
 * - settings.ts: per-document and window-wide settings;
 * - documents.ts: the open documents and their validation;
 * - requests.ts: every request on a document, one call of the service each;
 * - commands.ts: `workspace/executeCommand`;
 * - guard.ts: the wrapper of every handler.
 * What any host of the service needs (which documents are analysed, clamped positions, safe edits)
 * is the service's document policy (service/documentPolicy.ts), not the transport's.
 */
import {
  ClientCapabilities,
  CodeActionKind,
  Connection,
  InitializeResult,
  MarkupKind,
  TextDocumentSyncKind,
} from 'vscode-languageserver';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLiveLifecycleSource, LiveLifecycleSource } from '../network/liveLifecycles';
import { createLiveTagSource, LiveTagSource } from '../network/liveTags';
import { createIdleCollector } from '../runtime/idleCollect';
import { createWindowsDockerfileService, SEMANTIC_TOKEN_LEGEND } from '../service/languageService';
import { withComposeAndKubernetes } from '../service/yaml/routedService';
import {
  formatsDockerfilesOnly,
  ON_TYPE_FORMATTING,
  registerDockerfileFormatting,
  registerDockerfileSemanticTokens,
  tokensDockerfilesOnly,
} from './dockerfileOnly';
import { COMMANDS, registerCommands } from './commands';
import { createOpenDocuments } from './documents';
import { createGuard, describe } from './guard';
import { registerRequests } from './requests';
import { createServerSettings } from './settings';

export { SWITCH_BASE_IMAGE_COMMAND } from './commands';

export const SERVER_NAME = 'windows-containers-langserver';

export function startServer(connection: Connection, version: string): void {
  const log = (message: string) => connection.console.log(message);
  let liveTags: LiveTagSource | undefined;
  let liveLifecycles: LiveLifecycleSource | undefined;
  /** Quiet times give back the memory a burst of work made the heap grow to (idleCollect.ts). */
  const idle = createIdleCollector();
  const touch = () => idle.touch();
  const settings = createServerSettings(connection, log, () => open.validateAll());
  const upstreamFeatures = () => settings.upstreamFeatures();
  const tagsOf = (repository: string) => liveTags?.getTags(repository) ?? [];
  const lifecycleUpdates = () => liveLifecycles?.getUpdates();
  const service = withComposeAndKubernetes(
    createWindowsDockerfileService({
      log,
      liveTags: tagsOf,
      lifecycleUpdates,
      upstreamFeatures,
    }),
    { log, liveTags: tagsOf, upstreamFeatures, lifecycleUpdates },
  );
  const open = createOpenDocuments(connection, service, settings, log, touch);
  const guard = createGuard(log, touch, (params) => open.policy.withinDocument(params));
  /** Formatting and semantic tokens registered after initialisation for Dockerfiles only (transport/dockerfileOnly.ts). */
  let dynamicFormatting = false;
  let dynamicTokens = false;

  connection.onInitialize((params): InitializeResult => {
    const capabilities: ClientCapabilities = params.capabilities;
    const options = params.initializationOptions as { cacheDir?: unknown; otherUpstreamProvider?: unknown } | undefined;
    settings.initialize(capabilities, options);
    const cacheDir = typeof options?.cacheDir === 'string' && options.cacheDir ? options.cacheDir : defaultCacheDir();
    // Both live refreshes: the same switch, proxy settings, cache folder and output channel.
    const window = settings.window;
    const network = {
      cacheDir,
      enabled: () => window.liveRefresh,
      proxy: () => window.proxy,
      strictSSL: () => window.strictSSL,
      noProxy: () => window.noProxy,
      log: (message: string) => connection.console.info(`catalogue: ${message}`),
    };
    liveLifecycles = createLiveLifecycleSource({
      ...network,
      // New lifecycles can change findings: check the open documents again.
      onChange: () => open.validateAll(),
    });
    liveTags = createLiveTagSource({
      ...network,
    });
    const semanticTokens = capabilities.textDocument?.semanticTokens !== undefined;
    dynamicFormatting = formatsDockerfilesOnly(capabilities);
    dynamicTokens = semanticTokens && tokensDockerfilesOnly(capabilities);
    const completionItem = capabilities.textDocument?.completion?.completionItem;
    const folding = capabilities.textDocument?.foldingRange;
    service.setCapabilities({
      completion: {
        completionItem: {
          deprecatedSupport: completionItem?.deprecatedSupport === true,
          documentationFormat: completionItem?.documentationFormat,
          snippetSupport: completionItem?.snippetSupport === true,
          tagSupport: completionItem?.tagSupport,
        },
      },
      hover: { contentFormat: capabilities.textDocument?.hover?.contentFormat ?? [MarkupKind.PlainText] },
      foldingRange: {
        lineFoldingOnly: folding?.lineFoldingOnly === true,
        rangeLimit: typeof folding?.rangeLimit === 'number' ? folding.rangeLimit : Number.MAX_VALUE,
      },
    });
    return {
      serverInfo: { name: SERVER_NAME, version },
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { resolveProvider: true, triggerCharacters: ['=', ' ', '$', '-', ':', '/'] },
        hoverProvider: true,
        signatureHelpProvider: { triggerCharacters: ['-', '[', ',', ' ', '='] },
        definitionProvider: true,
        documentHighlightProvider: true,
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        ...(dynamicFormatting
          ? {}
          : {
              documentFormattingProvider: true,
              documentRangeFormattingProvider: true,
              documentOnTypeFormattingProvider: ON_TYPE_FORMATTING,
            }),
        renameProvider: { prepareProvider: true },
        documentLinkProvider: { resolveProvider: true },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
        executeCommandProvider: { commands: COMMANDS },
        ...(semanticTokens && !dynamicTokens
          ? { semanticTokensProvider: { legend: SEMANTIC_TOKEN_LEGEND, full: true } }
          : {}),
      },
    };
  });

  connection.onInitialized(() => {
    if (dynamicFormatting)
      registerDockerfileFormatting(connection).catch((error: unknown) =>
        log(`could not register formatting: ${describe(error)}`),
      );
    if (dynamicTokens)
      registerDockerfileSemanticTokens(connection, SEMANTIC_TOKEN_LEGEND).catch((error: unknown) =>
        log(`could not register semantic tokens: ${describe(error)}`),
      );
    settings.initialized();
  });

  registerRequests(connection, service, open, settings, guard);
  registerCommands(connection, service, open, guard);

  connection.onShutdown(() => {
    liveTags?.dispose();
    liveLifecycles?.dispose();
    idle.dispose();
  });

  open.documents.listen(connection);
  connection.listen();
}

/** Where tag lists are cached when the client names no folder (other editors): the user's cache folder. */
function defaultCacheDir(): string {
  const base =
    process.env.XDG_CACHE_HOME ||
    (process.platform === 'win32' ? process.env.LOCALAPPDATA : undefined) ||
    path.join(os.homedir(), '.cache');
  return path.join(base || os.tmpdir(), 'windows-containers', 'tags');
}
