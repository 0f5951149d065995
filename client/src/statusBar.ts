/**
 * The target host in the status bar while a Dockerfile is open: `Windows ltsc2022 · process`, from
 * `windowsContainers.targetHost` and `windowsContainers.isolation`, or `Windows host: not set` when
 * there is none (`auto` on a machine that is not Windows). Clicking it changes them.
 */
import * as os from 'node:os';
import * as vscode from 'vscode';
import { ISOLATIONS, Isolation, SETTINGS_SECTION, TARGET_HOSTS, TargetHost } from '../../common/settings';
import { resolveTargetHost, TARGET_HOST_INFO } from '../../common/targetHosts';

export const PICK_TARGET_HOST_COMMAND = 'windowsContainers.pickTargetHost';

export interface TargetHostStatus {
  /** The text shown now (for tests), or undefined while hidden. */
  readonly text: () => string | undefined;
}

function isDockerfile(editor: vscode.TextEditor | undefined): boolean {
  return editor?.document.languageId === 'dockerfile';
}

/** What the status bar says for the current settings of a document. */
export function describeTargetHost(scope: vscode.Uri | undefined): { text: string; tooltip: string } {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
  const targetHost = config.get<TargetHost>('targetHost', 'auto');
  const isolation = config.get<Isolation>('isolation', 'default');
  const resolved = resolveTargetHost(targetHost, isolation, {
    platform: process.platform,
    release: os.release(),
    isServer: os.version().includes('Server'),
  });
  if (resolved.source === 'none') {
    // No host (`auto` on a machine that is not Windows): the engine's default isolation depends on
    // the host, and no host rule runs, so no isolation is claimed.
    const chosen =
      isolation === 'default'
        ? 'the engine default (process on Windows Server, Hyper-V on Windows 10/11)'
        : `${isolation} (windowsContainers.isolation)`;
    return {
      text: '$(server-environment) Windows host: not set',
      tooltip: [
        `Target host: not set. windowsContainers.targetHost is ${targetHost}, which means this machine only when VS Code runs on Windows; set a host to check base images against it.`,
        `Isolation: ${chosen}, applied once a target host is set.`,
        'Click to change.',
      ].join('\n'),
    };
  }
  const hostText = resolved.host ? resolved.host.id : resolved.build ? `build ${resolved.build}` : targetHost;
  const text = `$(server-environment) Windows ${hostText} · ${resolved.isolation}`;
  const tooltip = [
    resolved.source === 'setting'
      ? `Target host: ${resolved.host?.name ?? targetHost} (windowsContainers.targetHost)`
      : `Target host: this machine (${resolved.host?.name ?? `build ${resolved.build}`}), from windowsContainers.targetHost = auto`,
    `Isolation: ${resolved.isolation}${isolation === 'default' ? ' (the engine default for this host)' : ''}`,
    'Click to change.',
  ].join('\n');
  return { text, tooltip };
}

export function registerTargetHostStatus(context: vscode.ExtensionContext): TargetHostStatus {
  const item = vscode.window.createStatusBarItem('windowsContainers.targetHost', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Windows Containers: target host';
  item.command = PICK_TARGET_HOST_COMMAND;
  let visible = false;
  const update = () => {
    const editor = vscode.window.activeTextEditor;
    if (!isDockerfile(editor)) {
      item.hide();
      visible = false;
      return;
    }
    const { text, tooltip } = describeTargetHost(editor?.document.uri);
    item.text = text;
    item.tooltip = tooltip;
    item.show();
    visible = true;
  };
  context.subscriptions.push(
    item,
    vscode.window.onDidChangeActiveTextEditor(update),
    vscode.workspace.onDidOpenTextDocument(update),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(SETTINGS_SECTION)) update();
    }),
    vscode.commands.registerCommand(
      PICK_TARGET_HOST_COMMAND,
      (args?: { targetHost?: TargetHost; isolation?: Isolation }) => pickTargetHost(args),
    ),
  );
  update();
  return { text: () => (visible ? item.text : undefined) };
}

/**
 * Asks for the target host and the isolation and writes them to the workspace settings (user
 * settings when no folder is open). Tests and other extensions may pass both values.
 */
async function pickTargetHost(args?: { targetHost?: TargetHost; isolation?: Isolation }): Promise<void> {
  const targetHost =
    args?.targetHost ??
    (
      await vscode.window.showQuickPick(
        TARGET_HOSTS.map((id) => {
          const info = TARGET_HOST_INFO.find((h) => h.id === id);
          return {
            label: id,
            description: info
              ? `${info.name} · build ${info.build}${info.unverified ? " · not in Microsoft's compatibility matrix" : ''}`
              : "this machine's build when VS Code runs on Windows",
          };
        }),
        { title: 'Windows Containers: target host', placeHolder: 'The Windows host your containers run on' },
      )
    )?.label;
  if (!targetHost || !(TARGET_HOSTS as readonly string[]).includes(targetHost)) return;
  const isolation =
    args?.isolation ??
    (
      await vscode.window.showQuickPick(
        ISOLATIONS.map((id) => ({
          label: id,
          description:
            id === 'default'
              ? 'process on Windows Server, Hyper-V on Windows 10/11'
              : id === 'process'
                ? "the image must match the host's build"
                : 'runs images not newer than the host',
        })),
        { title: 'Windows Containers: isolation', placeHolder: 'How your containers run (docker run --isolation)' },
      )
    )?.label;
  if (!isolation || !(ISOLATIONS as readonly string[]).includes(isolation)) return;
  const target = vscode.workspace.workspaceFolders?.length
    ? vscode.ConfigurationTarget.Workspace
    : vscode.ConfigurationTarget.Global;
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  await config.update('targetHost', targetHost, target);
  await config.update('isolation', isolation, target);
}
