/**
 * The VS Code client: starts the language server, passes settings, logs to an output channel.
 * Thin by design: no Dockerfile analysis happens here.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { OTHER_UPSTREAM_PROVIDER_NOTIFICATION, UPSTREAM_PROVIDER_EXTENSIONS } from '../../common/protocol';
import { SETTINGS_SECTION } from '../../common/settings';
import { registerDaemonIsolationCommand } from './commands/daemonIsolation';
import { registerSwitchBaseImageCommand } from './commands/switchBaseImage';
import { registerTargetHostStatus, TargetHostStatus } from './statusBar';

/** What `activate` returns; the integration tests wait on `ready`. */
export interface WindowsContainersApi {
  readonly client: LanguageClient;
  readonly ready: Promise<void>;
  /** The status bar item showing the target host (read by the integration tests). */
  readonly targetHost: TargetHostStatus;
}

/** Files the server handles: the `dockerfile` language, plus the names package.json maps to it. */
export const DOCUMENT_SELECTOR = [
  { language: 'dockerfile' },
  { scheme: 'file', pattern: '**/{Dockerfile.*,*.Dockerfile,*.dockerfile,Containerfile}' },
  { scheme: 'untitled', language: 'dockerfile' },
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
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    // `http` carries VS Code's proxy settings, which the server's registry refresh honours.
    synchronize: { configurationSection: [SETTINGS_SECTION, 'http'] },
    initializationOptions: { cacheDir: vscode.Uri.joinPath(context.globalStorageUri, 'tags').fsPath, otherUpstreamProvider: otherUpstreamProvider() },
    outputChannel: output,
    traceOutputChannel: output,
  };
  client = new LanguageClient('windowsContainers', 'Windows Containers', serverOptions, clientOptions);
  output.appendLine(`Starting the Windows Containers language server (${serverModule})`);
  const ready = client.start().then(
    () => output.appendLine('Language server ready.'),
    (error: unknown) => {
      output.appendLine(`The language server did not start: ${String(error)}`);
      void vscode.window.showErrorMessage('Windows Containers: the language server did not start. See the "Windows Containers" output for details.');
      throw error;
    },
  );
  registerSwitchBaseImageCommand(context, client, ready);
  // Microsoft's Docker / Container Tools extension may be installed or removed while VS Code runs.
  context.subscriptions.push(
    vscode.extensions.onDidChange(() => {
      void ready.then(() => client?.sendNotification(OTHER_UPSTREAM_PROVIDER_NOTIFICATION, { active: otherUpstreamProvider() }));
    }),
  );
  return { client, ready, targetHost };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
