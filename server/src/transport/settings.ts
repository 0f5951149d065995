/**
 * The server's settings, as the client gives them: per document (`windowsContainers.*`, pulled
 * for each document's scope when the client supports `workspace/configuration`, else pushed with
 * `didChangeConfiguration`), and window-wide (the live refresh switch, VS Code's `http.proxy*`,
 * the upstream switch, and whether another extension shows the upstream features).
 */
import { ClientCapabilities, Connection, DidChangeConfigurationNotification } from 'vscode-languageserver';
import * as os from 'node:os';
import { OTHER_UPSTREAM_PROVIDER_NOTIFICATION } from '../../../common/protocol';
import { normaliseSettings, SETTINGS_SECTION, Settings, UpstreamFeatures } from '../../../common/settings';
import { settingsOnMachine } from '../../../common/targetHosts';
import { describe } from './guard';

/** Window-wide settings (not per document). */
export interface WindowSettings {
  liveRefresh: boolean;
  proxy: string | undefined;
  strictSSL: boolean;
  noProxy: string[] | undefined;
  upstreamFeatures: UpstreamFeatures;
  /** Told by the client: Microsoft's Docker or Container Tools extension is active and shows the same upstream features. */
  otherUpstreamProvider: boolean;
}

export interface ServerSettings {
  readonly window: WindowSettings;
  /** Whether to answer with dockerfile-language-service's own features (`windowsContainers.upstreamFeatures`). */
  upstreamFeatures(): boolean;
  /** The settings of a document (its folder's, with `targetHost: auto` resolved on Windows). */
  forDocument(uri: string): Promise<Settings>;
  /** The document was closed. */
  forget(uri: string): void;
  /** Reads what the client can do and says at `initialize`. */
  initialize(capabilities: ClientCapabilities, options: { otherUpstreamProvider?: unknown } | undefined): void;
  /** After `initialized`: asks to be told of changes, and reads the window settings. */
  initialized(): void;
}

/** `changed`: the settings may have changed what a document's findings are (the server validates every open document again). */
export function createServerSettings(
  connection: Connection,
  log: (message: string) => void,
  changed: () => void,
): ServerSettings {
  const window: WindowSettings = {
    liveRefresh: true,
    proxy: undefined,
    strictSSL: true,
    noProxy: undefined,
    upstreamFeatures: 'auto',
    otherUpstreamProvider: false,
  };
  const cache = new Map<string, Promise<Settings>>();
  let pullConfiguration = false;
  let pushed: Settings = normaliseSettings(undefined);

  /** Reads the window-wide settings: `windowsContainers.catalogue.liveRefresh`, the upstream switch and `http.proxy*`. */
  async function pullWindowSettings(): Promise<void> {
    try {
      const [ours, http] = (await connection.workspace.getConfiguration([
        { section: SETTINGS_SECTION },
        { section: 'http' },
      ])) as [unknown, unknown];
      const before = window.upstreamFeatures;
      const liveBefore = window.liveRefresh;
      applyWindowSettings(window, ours, http);
      // Documents validated before the window settings arrived may show the wrong upstream findings
      // (or, for the live refresh switch, the wrong product lifecycles).
      if (window.upstreamFeatures !== before || window.liveRefresh !== liveBefore) changed();
    } catch (error) {
      log(`could not read the window settings: ${describe(error)}`);
    }
  }

  connection.onDidChangeConfiguration((change) => {
    cache.clear();
    if (pullConfiguration) {
      void pullWindowSettings();
    } else {
      const settings = change.settings as Record<string, unknown> | null | undefined;
      pushed = withThisMachine(normaliseSettings(settings?.[SETTINGS_SECTION]));
      applyWindowSettings(window, settings?.[SETTINGS_SECTION], settings?.http);
    }
    changed();
  });

  /** The client says whether Microsoft's Docker / Container Tools extension is active (it can change while running). */
  connection.onNotification(OTHER_UPSTREAM_PROVIDER_NOTIFICATION, (params: { active?: unknown }) => {
    window.otherUpstreamProvider = params?.active === true;
    changed();
  });

  return {
    window,
    upstreamFeatures: () =>
      window.upstreamFeatures === 'on' || (window.upstreamFeatures === 'auto' && !window.otherUpstreamProvider),
    forDocument(uri) {
      if (!pullConfiguration) return Promise.resolve(pushed);
      const cached = cache.get(uri);
      if (cached) return cached;
      const pulled = connection.workspace.getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION }).then(
        (raw: unknown) => withThisMachine(normaliseSettings(raw)),
        (error: unknown) => {
          log(`could not read settings for ${uri}: ${String(error)}`);
          return normaliseSettings(undefined);
        },
      );
      cache.set(uri, pulled);
      return pulled;
    },
    forget: (uri) => void cache.delete(uri),
    initialize(capabilities, options) {
      window.otherUpstreamProvider = options?.otherUpstreamProvider === true;
      pullConfiguration = capabilities.workspace?.configuration === true;
    },
    initialized() {
      if (!pullConfiguration) return;
      void connection.client.register(DidChangeConfigurationNotification.type, { section: [SETTINGS_SECTION, 'http'] });
      void pullWindowSettings();
    },
  };
}

function applyWindowSettings(window: WindowSettings, ours: unknown, http: unknown): void {
  const settings = normaliseSettings(ours);
  window.liveRefresh = settings.catalogue.liveRefresh;
  window.upstreamFeatures = settings.upstreamFeatures;
  const h = (typeof http === 'object' && http !== null ? http : {}) as {
    proxy?: unknown;
    proxyStrictSSL?: unknown;
    noProxy?: unknown;
  };
  window.proxy = typeof h.proxy === 'string' && h.proxy.trim() ? h.proxy.trim() : undefined;
  window.strictSSL = h.proxyStrictSSL !== false;
  window.noProxy = Array.isArray(h.noProxy) ? h.noProxy.filter((v): v is string => typeof v === 'string') : undefined;
}

/** `targetHost: auto` becomes this machine's host when the server runs on Windows (the service itself never looks at the machine). */
function withThisMachine(settings: Settings): Settings {
  if (settings.targetHost !== 'auto' || process.platform !== 'win32') return settings;
  return settingsOnMachine(settings, {
    platform: process.platform,
    release: os.release(),
    isServer: os.version().includes('Server'),
  });
}
