/**
 * The VS Code client: starts the language server, passes settings, logs to an output channel.
 * Thin by design: no Dockerfile analysis happens here. Activation registers the commands and the
 * status bar item; the language client (vscode-languageclient, most of the client's code, its own
 * bundle dist/languageClient.js) is loaded and started right after `activate` returns, so loading
 * it is not on the activation path.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CloseAction, ErrorAction, ErrorHandler } from 'vscode-languageclient/node';
import type { LanguageClient, LanguageClientOptions } from './languageClient';
import { OTHER_UPSTREAM_PROVIDER_NOTIFICATION, UPSTREAM_PROVIDER_EXTENSIONS } from '../../common/protocol';
import { SETTINGS_SECTION } from '../../common/settings';
import { registerDaemonIsolationCommand } from './commands/daemonIsolation';
import { ExplainErrorRegistration, registerExplainErrorCommand } from './commands/explainError';
import { registerSwitchBaseImageCommand } from './commands/switchBaseImage';
import { ServerHealth } from './serverHealth';
import { LANGUAGE_SELECTOR, reportStart } from './serverStart';
import { registerTargetHostStatus, TargetHostStatus } from './statusBar';

/** What `activate` returns; the integration tests wait on `ready`. */
export interface WindowsContainersApi {
  /** The language client, once loaded (just after activation; `ready` resolves once it has started). */
  readonly client: LanguageClient | undefined;
  readonly ready: Promise<void>;
  /** The status bar item showing the target host (read by the integration tests). */
  readonly targetHost: TargetHostStatus;
  /** The restart policy after crashes, with the notifications it asked for (read by the integration tests). */
  readonly serverHealth: ServerHealth;
  /** "Explain Docker Error…" and its terminal links (the integration tests call the link provider). */
  readonly explainError: ExplainErrorRegistration;
}

/**
 * Files the server handles: its languages (serverStart.ts), plus the Dockerfile names package.json
 * maps to the `dockerfile` language.
 */
export const DOCUMENT_SELECTOR = [
  ...LANGUAGE_SELECTOR,
  { scheme: 'file', pattern: '**/{Dockerfile.*,*.Dockerfile,*.dockerfile,Containerfile}' },
];

let client: LanguageClient | undefined;

/** Whether an extension that runs the same upstream engine is installed and enabled (see windowsContainers.upstreamFeatures). */
function otherUpstreamProvider(): boolean {
  return UPSTREAM_PROVIDER_EXTENSIONS.some((id) => vscode.extensions.getExtension(id) !== undefined);
}

export function activate(context: vscode.ExtensionContext): WindowsContainersApi {
  const output = vscode.window.createOutputChannel('Windows Containers', { log: true });
  context.subscriptions.push(output);
  registerDaemonIsolationCommand(context);
  const targetHost = registerTargetHostStatus(context);
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverHealth = new ServerHealth({
    now: Date.now,
    setTimer: (run, ms) => {
      const timer = setTimeout(run, ms);
      return () => clearTimeout(timer);
    },
    log: (message) => output.warn(message),
    notify: (notice) => void showHealthNotice(notice.kind, notice.message, output, serverHealth),
  });
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    // `http` carries VS Code's proxy settings, which the server's registry refresh honours.
    synchronize: { configurationSection: [SETTINGS_SECTION, 'http'] },
    initializationOptions: {
      cacheDir: vscode.Uri.joinPath(context.globalStorageUri, 'tags').fsPath,
      otherUpstreamProvider: otherUpstreamProvider(),
    },
    outputChannel: output,
    traceOutputChannel: output,
    errorHandler: crashHandler(serverHealth),
  };
  // After `activate` returns (a macrotask later): load the language client's bundle and start it.
  const loaded = new Promise<void>((resolve) => setImmediate(resolve)).then((): LanguageClient => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a separate bundle (dist/languageClient.js) loaded after activation
    const { createLanguageClient } = require(
      path.join(__dirname, 'languageClient.js'),
    ) as typeof import('./languageClient');
    client = createLanguageClient(
      serverModule,
      clientOptions,
      vscode.Uri.joinPath(context.globalStorageUri, 'code-cache').fsPath,
    );
    output.appendLine(`Starting the Windows Containers language server (${serverModule})`);
    return client;
  });
  const ready = reportStart(
    output,
    loaded.then((started) => started.start()),
  );
  registerSwitchBaseImageCommand(context, loaded, ready);
  const explainError = registerExplainErrorCommand(context, loaded, ready);
  // Microsoft's Docker / Container Tools extension may be installed or removed while VS Code runs.
  context.subscriptions.push(
    vscode.extensions.onDidChange(() => {
      void ready.then(() =>
        client?.sendNotification(OTHER_UPSTREAM_PROVIDER_NOTIFICATION, { active: otherUpstreamProvider() }),
      );
    }),
  );
  return {
    get client() {
      return client;
    },
    ready,
    targetHost,
    serverHealth,
    explainError,
  };
}

// vscode-languageclient's ErrorAction and CloseAction values: its enums, imported as types only so
// the library stays off the activation path (test/unit/serverHealth.test.ts checks the values).
const CONTINUE = 1 as ErrorAction.Continue;
const SHUTDOWN = 2 as ErrorAction.Shutdown;
const DO_NOT_RESTART = 1 as CloseAction.DoNotRestart;
const RESTART = 2 as CloseAction.Restart;

/**
 * The client's error handler: the ServerHealth policy decides; every result is `handled`, so the
 * client logs its message to the output channel and shows no notification of its own.
 */
function crashHandler(health: ServerHealth): ErrorHandler {
  return {
    error: (_error, _message, count) => ({
      action: health.error(count) === 'continue' ? CONTINUE : SHUTDOWN,
      handled: true,
    }),
    closed: async () => {
      const decision = health.closed();
      if (decision.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.delayMs));
      return { action: decision.restart ? RESTART : DO_NOT_RESTART, message: decision.message, handled: true };
    },
  };
}

/** The one notification of a crash storm (see serverHealth.ts). */
async function showHealthNotice(
  kind: 'restarted' | 'stopped',
  message: string,
  output: vscode.LogOutputChannel,
  health: ServerHealth,
): Promise<void> {
  const showOutput = 'Show Output';
  if (kind === 'restarted') {
    if ((await vscode.window.showWarningMessage(message, showOutput)) === showOutput) output.show(true);
    return;
  }
  const restart = 'Restart Server';
  const choice = await vscode.window.showErrorMessage(
    `${message} Dockerfile features are off until it runs again.`,
    restart,
    showOutput,
  );
  if (choice === showOutput) output.show(true);
  if (choice === restart && client) {
    health.reset();
    await client.start().catch((error: unknown) => output.error(`The language server did not start: ${String(error)}`));
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
