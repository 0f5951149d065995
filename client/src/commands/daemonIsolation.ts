/**
 * "Windows Containers: Set Docker Daemon Isolation…" (`windowsContainers.setDaemonIsolation`):
 * sets `exec-opts: ["isolation=..."]` in the Docker engine's daemon.json, after showing the change
 * as a diff and asking. The edit itself is common/daemonConfig*.ts, shared with the CLI
 * (`windows-containers daemon isolation ...`).
 *
 * The file is `windowsContainers.daemon.configPath` (machine scope, read from user/machine
 * settings only, so a workspace cannot redirect the write), else on Windows
 * `%ProgramData%\docker\config\daemon.json`. The command refuses to run in an untrusted workspace.
 *
 * Argument, for tests and other extensions: `{ mode?: 'process' | 'hyperv' | 'default',
 * confirm?: boolean }`. `mode` skips the quick pick; `confirm: true` skips the Docker Desktop
 * question, the diff and the confirmation, and writes at once. The command resolves to a
 * `DaemonIsolationOutcome`. Restarting the engine is only ever offered, never done.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  DAEMON_CONFIG_PATH_SETTING,
  DaemonConfigError,
  defaultDaemonConfigPath,
  DOCKER_DESKTOP_ENGINE_DOCS,
  elevatedCopyCommand,
  findDockerDesktop,
  ISOLATION_DESCRIPTIONS,
  ISOLATION_MODES,
  isDefaultDaemonConfigPath,
  isIsolationMode,
  IsolationMode,
} from '../../../common/daemonConfig';
import { backupStamp, IsolationPlan, planDaemonIsolation, setDaemonIsolation } from '../../../common/daemonConfigFile';
import { SETTINGS_SECTION } from '../../../common/settings';

export const SET_DAEMON_ISOLATION_COMMAND = 'windowsContainers.setDaemonIsolation';
const PREVIEW_SCHEME = 'windows-containers-daemon';
/** The only command ever sent to a terminal here, a constant: never text from a file or document. */
const RESTART_ENGINE = 'Restart-Service docker';

export interface DaemonIsolationArgs {
  readonly mode?: IsolationMode;
  readonly confirm?: boolean;
}

export interface DaemonIsolationOutcome {
  readonly status: 'written' | 'unchanged' | 'cancelled' | 'failed';
  readonly file?: string;
  readonly backup?: string;
  readonly message?: string;
}

/** The two sides of the preview diff, served from memory. */
class PreviewDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private count = 0;

  create(side: 'current' | 'proposed', text: string, id = ++this.count): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${id}/${side}/daemon.json` });
    this.texts.set(uri.toString(), text.replace(/^\uFEFF/, ''));
    this.changed.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  dispose(): void {
    this.changed.dispose();
    this.texts.clear();
  }
}

export function registerDaemonIsolationCommand(context: vscode.ExtensionContext): void {
  const previews = new PreviewDocuments();
  context.subscriptions.push(
    previews,
    vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, previews),
    vscode.commands.registerCommand(SET_DAEMON_ISOLATION_COMMAND, (args?: unknown) =>
      run(args, previews, context.extensionPath),
    ),
  );
}

const describe = (mode: IsolationMode) =>
  mode === 'default' ? 'the engine default (no isolation entry)' : `isolation=${mode}`;

function failed(
  message: string,
  file?: string,
  ...actions: { title: string; run: () => unknown }[]
): DaemonIsolationOutcome {
  void vscode.window
    .showErrorMessage(`Windows Containers: ${message}`, ...actions.map((a) => a.title))
    .then((choice) => actions.find((a) => a.title === choice)?.run());
  return { status: 'failed', file, message };
}

function openFile(file: string, position?: { line: number; column: number }) {
  return {
    title: 'Open daemon.json',
    run: async () => {
      const at = position ? new vscode.Position(position.line - 1, position.column - 1) : undefined;
      await vscode.window.showTextDocument(vscode.Uri.file(file), at ? { selection: new vscode.Range(at, at) } : {});
    },
  };
}

function readArgs(args: unknown): DaemonIsolationArgs {
  // Invoked from the palette there is no argument; from elsewhere it may be anything.
  if (typeof args !== 'object' || args === null || args instanceof vscode.Uri) return {};
  const { mode, confirm } = args as Record<string, unknown>;
  if (mode !== undefined && !isIsolationMode(mode))
    throw new Error(`unknown isolation mode ${JSON.stringify(mode)}: use ${ISOLATION_MODES.join(', ')}`);
  return { mode, confirm: confirm === true };
}

/** The configured path (user or machine settings only) or the Windows default; undefined when neither. */
function configuredPath(): string | undefined {
  const inspected = vscode.workspace.getConfiguration(SETTINGS_SECTION).inspect<string>(DAEMON_CONFIG_PATH_SETTING);
  const value = typeof inspected?.globalValue === 'string' ? inspected.globalValue.trim() : '';
  return value || defaultDaemonConfigPath();
}

async function run(
  rawArgs: unknown,
  previews: PreviewDocuments,
  extensionPath: string,
): Promise<DaemonIsolationOutcome> {
  let args: DaemonIsolationArgs;
  try {
    args = readArgs(rawArgs);
  } catch (error) {
    return failed((error as Error).message);
  }
  if (!vscode.workspace.isTrusted) {
    return failed(
      'Set Docker Daemon Isolation needs a trusted workspace: it writes the Docker engine configuration, outside the workspace.',
    );
  }
  const file = configuredPath();
  const openSetting = {
    title: 'Open Setting',
    run: () =>
      vscode.commands.executeCommand(
        'workbench.action.openSettings',
        `${SETTINGS_SECTION}.${DAEMON_CONFIG_PATH_SETTING}`,
      ),
  };
  if (!file) {
    return failed(
      `there is no default daemon.json on ${process.platform}: set "${SETTINGS_SECTION}.${DAEMON_CONFIG_PATH_SETTING}" to the file to edit.`,
      undefined,
      openSetting,
    );
  }
  if (!path.isAbsolute(file))
    return failed(
      `"${SETTINGS_SECTION}.${DAEMON_CONFIG_PATH_SETTING}" must be an absolute path: ${file}`,
      undefined,
      openSetting,
    );

  try {
    const current = (await planDaemonIsolation(file, 'default')).previous;
    if (!args.confirm && !(await acceptDockerDesktop(file))) return { status: 'cancelled', file };
    const mode = args.mode ?? (await pickMode(file, current));
    if (!mode) return { status: 'cancelled', file };

    const plan = await planDaemonIsolation(file, mode);
    if (!plan.changed) {
      const message = `${file} already has ${describe(mode)}.`;
      void vscode.window.showInformationMessage(`Windows Containers: ${message}`);
      return { status: 'unchanged', file, message };
    }
    if (!args.confirm && !(await confirmWrite(plan, previews))) return { status: 'cancelled', file };

    let result;
    try {
      result = await setDaemonIsolation(file, mode, { expected: plan.original });
    } catch (error) {
      if (error instanceof DaemonConfigError && error.code === 'permission-denied')
        return permissionDenied(plan, error, extensionPath);
      throw error;
    }
    const backup = result.backup ? ` Backup: ${path.basename(result.backup)}.` : '';
    const message = `${result.exists ? 'Set' : 'Created the file with'} ${describe(mode)} in ${file}.${backup} Restart the Docker engine to apply it.`;
    const actions =
      process.platform === 'win32'
        ? [{ title: 'Restart Docker Engine', run: restartEngine }, openFile(file)]
        : [openFile(file)];
    void vscode.window
      .showInformationMessage(`Windows Containers: ${message}`, ...actions.map((a) => a.title))
      .then((choice) => actions.find((a) => a.title === choice)?.run());
    return { status: 'written', file, backup: result.backup, message };
  } catch (error) {
    if (error instanceof DaemonConfigError) {
      const message =
        error.code === 'invalid-json' || error.code === 'unsupported'
          ? `${error.message}. Nothing was changed.`
          : error.message;
      return failed(message, file, ...(fs.existsSync(file) ? [openFile(file, error.position)] : []));
    }
    return failed(error instanceof Error ? error.message : String(error), file);
  }
}

/** On Windows with Docker Desktop installed, the default file is Desktop's to regenerate: say so. */
async function acceptDockerDesktop(file: string): Promise<boolean> {
  const desktop = isDefaultDaemonConfigPath(file) ? findDockerDesktop() : undefined;
  if (!desktop) return true;
  const docs = 'Open Docker Desktop Docs';
  const proceed = 'Proceed Anyway';
  const choice = await vscode.window.showWarningMessage(
    'Docker Desktop manages this daemon.json',
    {
      modal: true,
      detail:
        `Docker Desktop is installed (${desktop}). It regenerates ${file} from its own settings, so an edit here would not last. ` +
        'Set "exec-opts" in Docker Desktop instead: Settings > Docker Engine, then Apply & Restart.',
    },
    docs,
    proceed,
  );
  if (choice === docs) void vscode.env.openExternal(vscode.Uri.parse(DOCKER_DESKTOP_ENGINE_DOCS));
  return choice === proceed;
}

async function pickMode(file: string, current: readonly string[]): Promise<IsolationMode | undefined> {
  const isCurrent = (mode: IsolationMode) =>
    mode === 'default' ? current.length === 0 : current.length === 1 && current[0].toLowerCase() === mode;
  const items = ISOLATION_MODES.map((mode) => ({
    label: mode === 'default' ? 'engine default' : mode,
    description: isCurrent(mode) ? '(current)' : undefined,
    detail: ISOLATION_DESCRIPTIONS[mode],
    mode,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Set Docker Daemon Isolation',
    placeHolder: `Default isolation in ${file}`,
  });
  return picked?.mode;
}

/** Shows the change as a diff, then asks (modal). */
async function confirmWrite(plan: IsolationPlan, previews: PreviewDocuments): Promise<boolean> {
  const before = previews.create('current', plan.original);
  const after = previews.create('proposed', plan.proposed);
  await vscode.commands.executeCommand('vscode.diff', before, after, `daemon.json: current ↔ ${describe(plan.mode)}`, {
    preview: true,
  });
  const write = 'Write daemon.json';
  const choice = await vscode.window.showWarningMessage(
    `Write ${describe(plan.mode)} to ${plan.file}?`,
    {
      modal: true,
      detail: plan.exists
        ? 'Every other setting stays as it is. A backup (daemon.json.<date-time>.bak) is written beside the file first.'
        : 'The file does not exist yet: it is created with this content.',
    },
    write,
  );
  const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs);
  const diff = tabs.filter(
    (tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === after.toString(),
  );
  await vscode.window.tabGroups.close(diff).then(undefined, () => undefined);
  return choice === write;
}

/** ProgramData needs an elevated process: explain, and offer a command for an elevated PowerShell. */
function permissionDenied(
  plan: IsolationPlan,
  error: DaemonConfigError,
  extensionPath: string,
): DaemonIsolationOutcome {
  if (process.platform !== 'win32') {
    const cli = `sudo node "${path.join(extensionPath, 'dist', 'cli.js')}" daemon isolation ${plan.mode} --config "${plan.file}"`;
    return failed(
      `${error.message}. Nothing was changed. Run the CLI as a user who can write the file, e.g.: ${cli}`,
      plan.file,
      openFile(plan.file),
    );
  }
  const copy = {
    title: 'Copy Elevated PowerShell Command',
    run: async () => {
      // The new content goes to a file of our own; the elevated process only copies it into place.
      const stamp = backupStamp(new Date());
      const prepared = path.join(os.tmpdir(), `windows-containers-daemon-${stamp}.json`);
      fs.writeFileSync(prepared, plan.proposed, 'utf8');
      await vscode.env.clipboard.writeText(elevatedCopyCommand(prepared, plan.file, `${plan.file}.${stamp}.bak`));
      void vscode.window.showInformationMessage(
        'Copied. Paste it into PowerShell: it asks for administrator rights, keeps a backup and writes daemon.json.',
      );
    },
  };
  return failed(
    `${error.message}. Nothing was changed: the Docker engine's configuration folder can only be written by an elevated (administrator) process. ` +
      'Run VS Code as administrator, or copy a command for an elevated PowerShell.',
    plan.file,
    copy,
    openFile(plan.file),
  );
}

function restartEngine(): void {
  const terminal = vscode.window.createTerminal({ name: 'Restart Docker engine', shellPath: 'powershell.exe' });
  terminal.show();
  terminal.sendText(RESTART_ENGINE);
}
