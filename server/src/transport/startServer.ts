/**
 * LSP wiring only: every handler adapts a request to the pure service (`service/`) and back.
 * Platform-neutral: it takes a connection, so a browser entry would be one more small file.
 */
import {
  ClientCapabilities,
  CodeActionKind,
  Connection,
  ErrorCodes,
  LSPErrorCodes,
  DidChangeConfigurationNotification,
  InitializeResult,
  MarkupKind,
  ResponseError,
  TextDocuments,
  TextEdit,
  TextDocumentSyncKind,
  WorkspaceEdit,
} from 'vscode-languageserver';
import * as os from 'node:os';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CommandIds } from 'dockerfile-language-service';
import { OTHER_UPSTREAM_PROVIDER_NOTIFICATION } from '../../../common/protocol';
import { normaliseSettings, SETTINGS_SECTION, Settings, UpstreamFeatures } from '../../../common/settings';
import { settingsOnMachine } from '../../../common/targetHosts';
import { createLiveLifecycleSource, LiveLifecycleSource } from '../network/liveLifecycles';
import { createLiveTagSource, LiveTagSource } from '../network/liveTags';
import { createIdleCollector } from '../runtime/idleCollect';
import { createWindowsDockerfileService, SEMANTIC_TOKEN_LEGEND } from '../service/languageService';
import { documentKind } from '../service/languages';
import { blankedRanges, clampPositions, editIsSafe, MAX_CODE_ACTION_DIAGNOSTICS, MAX_DOCUMENT_LENGTH } from '../dockerfile/limits';
import type { SwitchFamily } from '../service/switchBaseImage';
import { EXPLAIN_ERROR_COMMAND, ExplainArgumentError, explainErrorCommand } from '../errors/explainCommand';
import { withComposeAndKubernetes } from '../yaml/routedService';
import { formatsDockerfilesOnly, ON_TYPE_FORMATTING, registerDockerfileFormatting, registerDockerfileSemanticTokens, tokensDockerfilesOnly } from '../yaml/dockerfileOnly';

export const SWITCH_BASE_IMAGE_COMMAND = 'windowsContainers.switchBaseImage';

export const SERVER_NAME = 'windows-containers-langserver';

/**
 * Upstream commands, offered under our own ids so they never clash with Microsoft's Docker
 * extension, which registers the `docker.command.*` ids of the same library.
 */
const UPSTREAM_COMMANDS: Record<string, string> = Object.fromEntries(
  Object.values(CommandIds).map((id) => [`windowsContainers.upstream.${id.replace(/^docker\.command\./, '')}`, id]),
);

export function startServer(connection: Connection, version: string): void {
  const log = (message: string) => connection.console.log(message);
  let liveTags: LiveTagSource | undefined;
  let liveLifecycles: LiveLifecycleSource | undefined;
  /** Window-wide settings (not per document): the live refresh switch, VS Code's proxy settings, the upstream switch. */
  const global = {
    liveRefresh: true,
    proxy: undefined as string | undefined,
    strictSSL: true,
    noProxy: undefined as string[] | undefined,
    upstreamFeatures: 'auto' as UpstreamFeatures,
    /** Told by the client: Microsoft's Docker or Container Tools extension is active and shows the same upstream features. */
    otherUpstreamProvider: false,
  };
  const upstreamFeatures = () => global.upstreamFeatures === 'on' || (global.upstreamFeatures === 'auto' && !global.otherUpstreamProvider);
  const lifecycleUpdates = () => liveLifecycles?.getUpdates();
  const service = withComposeAndKubernetes(
    createWindowsDockerfileService({ log, liveTags: (repository) => liveTags?.getTags(repository) ?? [], lifecycleUpdates, upstreamFeatures }),
    { log, liveTags: (repository) => liveTags?.getTags(repository) ?? [], upstreamFeatures },
  );
  const documents = new TextDocuments(TextDocument);
  /** Quiet times give back the memory a burst of work made the heap grow to (idleCollect.ts). */
  const idle = createIdleCollector();
  const settingsCache = new Map<string, Promise<Settings>>();
  let pullConfiguration = false;
  let pushedSettings: Settings = normaliseSettings(undefined);
  let semanticTokens = false;
  /** Formatting registered after initialisation for Dockerfiles only (yaml/dockerfileOnly.ts). */
  let dynamicFormatting = false;
  let dynamicTokens = false;

  const snapshot = (document: TextDocument) => ({ uri: document.uri, version: document.version, text: document.getText(), languageId: document.languageId });
  /** Documents above MAX_DOCUMENT_LENGTH are not analysed (dockerfile/limits.ts): every request gets the empty answer. */
  const oversized = new Set<string>();
  /** Documents of a language the server does not analyse (service/languages.ts) get the empty answer too. */
  const otherLanguage = new Set<string>();
  function analysable(document: TextDocument): boolean {
    if (!documentKind(document.languageId)) {
      if (!otherLanguage.has(document.uri)) {
        otherLanguage.add(document.uri);
        log(`${document.uri} is not analysed: its language is ${JSON.stringify(document.languageId)}, not one this server supports`);
      }
      return false;
    }
    const length = document.getText().length;
    if (length <= MAX_DOCUMENT_LENGTH) {
      oversized.delete(document.uri);
      return true;
    }
    if (!oversized.has(document.uri)) {
      oversized.add(document.uri);
      log(`${document.uri} is not analysed: ${length} characters, more than the limit of ${MAX_DOCUMENT_LENGTH}`);
    }
    return false;
  }
  const openSnapshot = (uri: string) => {
    const document = documents.get(uri);
    return document && analysable(document) ? snapshot(document) : undefined;
  };
  /**
   * The edits that may be applied to the real text: none inside the parts of over-long lines that
   * the analysis blanked (dockerfile/limits.ts), whose real characters it never saw.
   */
  function safeEdits<E extends TextEdit>(uri: string, edits: E[]): E[] {
    const document = documents.get(uri);
    if (!document || edits.length === 0) return edits;
    const ranges = blankedRanges(document.getText());
    return ranges.length === 0 ? edits : edits.filter((edit) => editIsSafe(ranges, (p) => document.offsetAt(p), edit));
  }
  const allSafe = (uri: string, edits: TextEdit[]) => safeEdits(uri, edits).length === edits.length;
  /** `allSafe` for many edit lists of one document: its blanked ranges computed once. */
  function allSafeIn(uri: string): (edits: TextEdit[]) => boolean {
    const document = documents.get(uri);
    const ranges = document ? blankedRanges(document.getText()) : [];
    return (edits) => ranges.length === 0 || edits.every((edit) => editIsSafe(ranges, (p) => document!.offsetAt(p), edit));
  }

  function settingsFor(uri: string): Promise<Settings> {
    if (!pullConfiguration) return Promise.resolve(pushedSettings);
    const cached = settingsCache.get(uri);
    if (cached) return cached;
    const pulled = connection.workspace
        .getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION })
        .then((raw: unknown) => withThisMachine(normaliseSettings(raw)), (error: unknown) => {
          log(`could not read settings for ${uri}: ${String(error)}`);
          return normaliseSettings(undefined);
        });
    settingsCache.set(uri, pulled);
    return pulled;
  }

  async function validate(document: TextDocument): Promise<void> {
    // The version this call is for: TextDocuments updates the document object in place, so
    // `document.version` itself would always read the latest.
    const version = document.version;
    idle.touch();
    try {
      const settings = await settingsFor(document.uri);
      // Two turns of the event loop first (no delay): changes already received are applied before
      // this version is analysed, so a burst of keystrokes is validated at its last version only.
      await new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));
      const current = documents.get(document.uri);
      // A newer version is on its way to its own validation; publishing this one would flicker.
      if (!current || current.version !== version) return;
      if (!analysable(current)) {
        await connection.sendDiagnostics({ uri: current.uri, version: current.version, diagnostics: [] });
        return;
      }
      const diagnostics = service.validate(snapshot(current), settings);
      await connection.sendDiagnostics({ uri: current.uri, version: current.version, diagnostics });
    } catch (error) {
      log(`validation of ${document.uri} failed: ${describe(error)}`);
    } finally {
      idle.touch();
    }
  }

  /**
   * The one place where a request's positions are made valid: every position and range in
   * `params` (of the document it names, by `textDocument.uri` or a command's first argument) is
   * clamped to that document before any handler or library sees it (dockerfile/limits.ts).
   */
  function withinDocument<P>(params: P): P {
    const request = params as { textDocument?: { uri?: unknown }; arguments?: unknown[] } | undefined;
    const first = Array.isArray(request?.arguments) ? request.arguments[0] : undefined;
    const uri = request?.textDocument?.uri ?? (typeof first === 'string' ? first : (first as { uri?: unknown } | undefined)?.uri);
    const document = typeof uri === 'string' ? documents.get(uri) : undefined;
    return document ? clampPositions(params, document) : params;
  }

  /** Runs a handler on clamped params; a throw is logged and answered with the empty result, never passed to the client. */
  function guard<P, R>(name: string, fallback: R, handler: (params: P) => R | Promise<R>): (params: P) => Promise<R> {
    return async (params: P) => {
      idle.touch();
      try {
        return await handler(withinDocument(params));
      } catch (error) {
        if (error instanceof ResponseError) throw error;
        log(`${name} failed: ${describe(error)}`);
        return fallback;
      } finally {
        idle.touch();
      }
    };
  }

  connection.onInitialize((params): InitializeResult => {
    const capabilities: ClientCapabilities = params.capabilities;
    const options = params.initializationOptions as { cacheDir?: unknown; otherUpstreamProvider?: unknown } | undefined;
    global.otherUpstreamProvider = options?.otherUpstreamProvider === true;
    const cacheDir = typeof options?.cacheDir === 'string' && options.cacheDir ? options.cacheDir : defaultCacheDir();
    // Both live refreshes: the same switch, proxy settings, cache folder and output channel.
    const network = {
      cacheDir,
      enabled: () => global.liveRefresh,
      proxy: () => global.proxy,
      strictSSL: () => global.strictSSL,
      noProxy: () => global.noProxy,
      log: (message: string) => connection.console.info(`catalogue: ${message}`),
    };
    liveLifecycles = createLiveLifecycleSource({
      ...network,
      // New lifecycles can change findings: check the open documents again.
      onChange: () => documents.all().forEach((document) => void validate(document)),
    });
    liveTags = createLiveTagSource({
      ...network,
    });
    pullConfiguration = capabilities.workspace?.configuration === true;
    semanticTokens = capabilities.textDocument?.semanticTokens !== undefined;
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
        ...(dynamicFormatting ? {} : { documentFormattingProvider: true, documentRangeFormattingProvider: true, documentOnTypeFormattingProvider: ON_TYPE_FORMATTING }),
        renameProvider: { prepareProvider: true },
        documentLinkProvider: { resolveProvider: true },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
        executeCommandProvider: { commands: [SWITCH_BASE_IMAGE_COMMAND, EXPLAIN_ERROR_COMMAND, ...Object.keys(UPSTREAM_COMMANDS)] },
        ...(semanticTokens && !dynamicTokens ? { semanticTokensProvider: { legend: SEMANTIC_TOKEN_LEGEND, full: true } } : {}),
      },
    };
  });

  connection.onInitialized(() => {
    if (dynamicFormatting) registerDockerfileFormatting(connection).catch((error: unknown) => log(`could not register formatting: ${describe(error)}`));
    if (dynamicTokens) registerDockerfileSemanticTokens(connection, SEMANTIC_TOKEN_LEGEND).catch((error: unknown) => log(`could not register semantic tokens: ${describe(error)}`));
    if (pullConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: [SETTINGS_SECTION, 'http'] });
      void pullGlobalSettings();
    }
  });

  /** Reads the window-wide settings: `windowsContainers.catalogue.liveRefresh` and `http.proxy*`. */
  async function pullGlobalSettings(): Promise<void> {
    try {
      const [ours, http] = (await connection.workspace.getConfiguration([{ section: SETTINGS_SECTION }, { section: 'http' }])) as [unknown, unknown];
      const before = global.upstreamFeatures;
      const liveBefore = global.liveRefresh;
      applyGlobalSettings(ours, http);
      // Documents validated before the window settings arrived may show the wrong upstream findings
      // (or, for the live refresh switch, the wrong product lifecycles).
      if (global.upstreamFeatures !== before || global.liveRefresh !== liveBefore) for (const document of documents.all()) void validate(document);
    } catch (error) {
      log(`could not read the window settings: ${describe(error)}`);
    }
  }

  function applyGlobalSettings(ours: unknown, http: unknown): void {
    const settings = normaliseSettings(ours);
    global.liveRefresh = settings.catalogue.liveRefresh;
    global.upstreamFeatures = settings.upstreamFeatures;
    const h = (typeof http === 'object' && http !== null ? http : {}) as { proxy?: unknown; proxyStrictSSL?: unknown; noProxy?: unknown };
    global.proxy = typeof h.proxy === 'string' && h.proxy.trim() ? h.proxy.trim() : undefined;
    global.strictSSL = h.proxyStrictSSL !== false;
    global.noProxy = Array.isArray(h.noProxy) ? h.noProxy.filter((v): v is string => typeof v === 'string') : undefined;
  }

  connection.onDidChangeConfiguration((change) => {
    settingsCache.clear();
    if (pullConfiguration) {
      void pullGlobalSettings();
    } else {
      const pushed = change.settings as Record<string, unknown> | null | undefined;
      pushedSettings = withThisMachine(normaliseSettings(pushed?.[SETTINGS_SECTION]));
      applyGlobalSettings(pushed?.[SETTINGS_SECTION], pushed?.http);
    }
    for (const document of documents.all()) void validate(document);
  });

  documents.onDidChangeContent((event) => void validate(event.document));
  documents.onDidClose((event) => {
    settingsCache.delete(event.document.uri);
    otherLanguage.delete(event.document.uri);
    service.forget(event.document.uri);
    void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  });

  connection.onCompletion(
    guard('completion', [], async (params) => {
      const doc = openSnapshot(params.textDocument.uri);
      return doc ? service.completion(doc, params.position, await settingsFor(doc.uri)) : [];
    }),
  );
  connection.onCompletionResolve((item) => guard('completionResolve', item, () => service.resolveCompletion(item))(item));
  connection.onHover(
    guard('hover', null, (params) => {
      const doc = openSnapshot(params.textDocument.uri);
      return doc ? service.hover(doc, params.position) : null;
    }),
  );
  connection.onSignatureHelp(
    guard('signatureHelp', null, (params) => {
      const doc = openSnapshot(params.textDocument.uri);
      return doc ? service.signatureHelp(doc, params.position) : null;
    }),
  );
  connection.onDefinition(
    guard('definition', null, (params) => {
      const doc = openSnapshot(params.textDocument.uri);
      return doc ? service.definition(doc, params.position) : null;
    }),
  );
  connection.onDocumentHighlight(
    guard('documentHighlight', [], (params) => {
      const doc = openSnapshot(params.textDocument.uri);
      return doc ? service.highlights(doc, params.position) : [];
    }),
  );
  connection.onDocumentSymbol(
    guard('documentSymbol', [], (params) => {
      const doc = openSnapshot(params.textDocument.uri);
      return doc ? service.symbols(doc) : [];
    }),
  );
  connection.onFoldingRanges(
    guard('foldingRange', [], (params) => {
      const doc = openSnapshot(params.textDocument.uri);
      return doc ? service.foldingRanges(doc) : [];
    }),
  );
  connection.onDocumentFormatting(
    guard('formatting', [], async (params) => {
      const doc = openSnapshot(params.textDocument.uri);
      return doc ? safeEdits(doc.uri, service.format(doc, params.options, await settingsFor(doc.uri))) : [];
    }),
  );
  connection.onDocumentRangeFormatting(
    guard('rangeFormatting', [], async (params) => {
      const doc = openSnapshot(params.textDocument.uri);
      return doc ? safeEdits(doc.uri, service.formatRange(doc, params.range, params.options, await settingsFor(doc.uri))) : [];
    }),
  );
  connection.onDocumentOnTypeFormatting(
    guard('onTypeFormatting', [], async (params) => {
      const doc = openSnapshot(params.textDocument.uri);
      return doc ? safeEdits(doc.uri, service.formatOnType(doc, params.position, params.ch, params.options, await settingsFor(doc.uri))) : [];
    }),
  );
  connection.onPrepareRename(
    guard('prepareRename', null, (params) => {
      const doc = openSnapshot(params.textDocument.uri);
      return doc ? service.prepareRename(doc, params.position) : null;
    }),
  );
  connection.onRenameRequest(
    guard('rename', null, (params): WorkspaceEdit | null => {
      const doc = openSnapshot(params.textDocument.uri);
      const edits = doc ? service.rename(doc, params.position, params.newName) : [];
      // Nothing to rename (or a rename refused): null, which VS Code reports as no result.
      return doc && edits.length > 0 && allSafe(doc.uri, edits) ? { changes: { [doc.uri]: edits } } : null;
    }),
  );
  connection.onDocumentLinks(
    guard('documentLinks', [], (params) => {
      const doc = openSnapshot(params.textDocument.uri);
      return doc ? service.links(doc) : [];
    }),
  );
  connection.onDocumentLinkResolve((link) => guard('documentLinkResolve', link, () => service.resolveLink(link))(link));
  connection.onCodeAction(
    guard('codeAction', [], async (params) => {
      const doc = openSnapshot(params.textDocument.uri);
      const context = { ...params.context, diagnostics: params.context.diagnostics.slice(0, MAX_CODE_ACTION_DIAGNOSTICS) };
      const actions = doc ? service.codeActions(doc, params.range, context, await settingsFor(doc.uri)) : [];
      const safe = doc ? allSafeIn(doc.uri) : () => true;
      return actions.filter((action) => Object.entries(action.edit?.changes ?? {}).every(([uri, edits]) => uri === doc?.uri ? safe(edits) : allSafe(uri, edits)));
    }),
  );
  connection.languages.semanticTokens.on(
    guard('semanticTokens', { data: [] }, (params) => {
      const doc = openSnapshot(params.textDocument.uri);
      return doc ? service.semanticTokens(doc) : { data: [] };
    }),
  );
  connection.onExecuteCommand(
    guard('executeCommand', null, async (params) => {
      if (params.command === SWITCH_BASE_IMAGE_COMMAND) return switchBaseImage(params.arguments?.[0]);
      if (params.command === EXPLAIN_ERROR_COMMAND) {
        try {
          return explainErrorCommand(params.arguments?.[0], (uri) => openSnapshot(uri)?.text);
        } catch (error) {
          if (error instanceof ExplainArgumentError) throw new ResponseError(ErrorCodes.InvalidParams, error.message);
          throw error;
        }
      }
      const upstreamId = UPSTREAM_COMMANDS[params.command];
      if (!upstreamId) throw new ResponseError(-32602, `Unknown command ${params.command}`);
      const args = params.arguments ?? [];
      const uri = typeof args[0] === 'string' ? args[0] : undefined;
      const doc = uri ? openSnapshot(uri) : undefined;
      if (!doc) throw new ResponseError(-32602, `${params.command} needs the URI of an open document as its first argument`);
      const edits = service.upstreamCommandEdits(doc, upstreamId, args);
      if (edits.length > 0 && allSafe(doc.uri, edits)) await connection.workspace.applyEdit({ label: params.command, edit: { changes: { [doc.uri]: edits } } });
      return null;
    }),
  );

  /** `windowsContainers.switchBaseImage` with `[{ uri, version, family? }]`: the WorkspaceEdit (the client applies it). */
  function switchBaseImage(argument: unknown): WorkspaceEdit {
    const request = argument as { uri?: unknown; version?: unknown; family?: unknown } | undefined;
    if (typeof request?.uri !== 'string' || typeof request.version !== 'string' || (request.family !== undefined && typeof request.family !== 'string')) {
      throw new ResponseError(ErrorCodes.InvalidParams, `${SWITCH_BASE_IMAGE_COMMAND} takes [{ "uri": string, "version": "ltsc2025" | "ltsc2022" | "ltsc2019", "family"?: "servercore" | "nanoserver" | "server" }]`);
    }
    const doc = openSnapshot(request.uri);
    if (!doc) throw new ResponseError(ErrorCodes.InvalidParams, `${request.uri} is not an open Dockerfile`);
    const result = service.switchBaseImage(doc, { version: request.version, family: request.family as SwitchFamily | undefined });
    if ('refused' in result) throw new ResponseError(LSPErrorCodes.RequestFailed, `Cannot switch to ${request.version}${request.family ? ' ' + request.family : ''}: ${result.refused.join(' ')}`);
    if ('noWindowsImage' in result) throw new ResponseError(LSPErrorCodes.RequestFailed, `Nothing to switch to ${request.version}: ${result.noWindowsImage}`);
    if (!allSafe(doc.uri, result.edits)) throw new ResponseError(LSPErrorCodes.RequestFailed, `Cannot switch ${request.uri}: a line it would change is too long to analyse`);
    if (result.notes.length === 0) return { changes: { [doc.uri]: result.edits } };
    // A change a person would not expect (`.NET Framework SDK 4.8.1 → 4.8`) carries its note as the
    // label of a change annotation, which clients show with the edit.
    const annotated = result.edits.map((edit, index) => {
      const note = result.notes.find((n) => n.edit === index);
      return note ? { ...edit, annotationId: `note${index}` } : edit;
    });
    const changeAnnotations = Object.fromEntries(result.notes.map((n) => [`note${n.edit}`, { label: n.text, needsConfirmation: false }]));
    return { documentChanges: [{ textDocument: { uri: doc.uri, version: doc.version }, edits: annotated }], changeAnnotations };
  }

  /** The client says whether Microsoft's Docker / Container Tools extension is active (it can change while running). */
  connection.onNotification(OTHER_UPSTREAM_PROVIDER_NOTIFICATION, (params: { active?: unknown }) => {
    global.otherUpstreamProvider = params?.active === true;
    for (const document of documents.all()) void validate(document);
  });

  connection.onShutdown(() => {
    liveTags?.dispose();
    liveLifecycles?.dispose();
    idle.dispose();
  });

  documents.listen(connection);
  connection.listen();
}

/** `targetHost: auto` becomes this machine's host when the server runs on Windows (the service itself never looks at the machine). */
function withThisMachine(settings: Settings): Settings {
  if (settings.targetHost !== 'auto' || process.platform !== 'win32') return settings;
  return settingsOnMachine(settings, { platform: process.platform, release: os.release(), isServer: os.version().includes('Server') });
}

/** Where tag lists are cached when the client names no folder (other editors): the user's cache folder. */
function defaultCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || (process.platform === 'win32' ? process.env.LOCALAPPDATA : undefined) || path.join(os.homedir(), '.cache');
  return path.join(base || os.tmpdir(), 'windows-containers', 'tags');
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
