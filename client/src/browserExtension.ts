/**
 * The web extension (package.json `browser`, built into dist/web/extension.js): vscode.dev,
 * github.dev and VS Code for the web. The same features as the desktop client where no machine is
 * needed: the language server runs in a web worker (dist/web/server.js, server/src/browserServer.ts)
 * with diagnostics, quick fixes, completion, hover, links and semantic tokens; Switch Base Image…
 * Explain Docker Error… and the target-host status bar work as on the desktop. Set Docker Daemon Isolation… edits a file
 * on a machine, so it is not registered here (package.json hides it with `!isWeb`).
 */
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions } from 'vscode-languageclient/browser';
import { SETTINGS_SECTION } from '../../common/settings';
import { registerExplainErrorCommand } from './commands/explainError';
import { registerSwitchBaseImageCommand } from './commands/switchBaseImage';
import { LANGUAGE_SELECTOR, reportStart } from './serverStart';
import { registerTargetHostStatus, TargetHostStatus } from './statusBar';

/** What `activate` returns (the web test waits on `ready`). */
export interface WindowsContainersWebApi {
  readonly client: LanguageClient;
  readonly ready: Promise<void>;
  readonly targetHost: TargetHostStatus;
}

/** The web worker constructor of the extension host (the project compiles without the DOM library). */
declare const Worker: new (
  url: string,
) => Extract<ConstructorParameters<typeof LanguageClient>[2], { postMessage: unknown }>;

let client: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): WindowsContainersWebApi {
  const output = vscode.window.createOutputChannel('Windows Containers', { log: true });
  context.subscriptions.push(output);
  const targetHost = registerTargetHostStatus(context);
  const clientOptions: LanguageClientOptions = {
    documentSelector: LANGUAGE_SELECTOR,
    synchronize: { configurationSection: [SETTINGS_SECTION] },
    outputChannel: output,
    traceOutputChannel: output,
  };
  const serverMain = vscode.Uri.joinPath(context.extensionUri, 'dist', 'web', 'server.js');
  // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- Worker's type comes from the DOM library, which this Node-targeted project does not load
  const worker = new Worker(serverMain.toString(true));
  const started = new LanguageClient('windowsContainers', 'Windows Containers', worker, clientOptions);
  client = started;
  output.appendLine(`Starting the Windows Containers language server in a web worker (${serverMain.toString(true)})`);
  const ready = reportStart(output, started.start());
  // The commands take the node client's type; the browser client has the same API for what they use.
  registerSwitchBaseImageCommand(context, Promise.resolve(started as never), ready);
  registerExplainErrorCommand(context, Promise.resolve(started as never), ready);
  return { client: started, ready, targetHost };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
