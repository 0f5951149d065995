/**
 * "Windows Containers: Switch Base Image…": picks a family and a Windows version, asks the
 * language server for the edit (`windowsContainers.switchBaseImage`, so other editors get the same
 * logic), and applies it through VS Code's refactor preview.
 */
import * as vscode from 'vscode';
// Types only: vscode-languageclient is loaded after activation (see extension.ts).
import type { LanguageClient, WorkspaceEdit } from 'vscode-languageclient/node';

export const SWITCH_BASE_IMAGE_UI_COMMAND = 'windowsContainers.switchBaseImageInteractive';
const SERVER_COMMAND = 'windowsContainers.switchBaseImage';

const VERSIONS = [
  { label: 'ltsc2025', description: 'Windows Server 2025 · build 26100' },
  { label: 'ltsc2022', description: 'Windows Server 2022 · build 20348' },
  { label: 'ltsc2019', description: 'Windows Server 2019 · build 17763 (Nano Server: 1809)' },
];
const FAMILIES = [
  { label: 'Keep each image’s family', family: undefined, description: 'only the Windows version changes' },
  { label: 'servercore', family: 'servercore', description: 'Windows Server Core: .NET Framework, PowerShell, MSI' },
  { label: 'nanoserver', family: 'nanoserver', description: 'Nano Server: smallest; no PowerShell, MSI or WoW64' },
  { label: 'server', family: 'server', description: 'Windows Server: full API, GPU' },
] as const;

/** Arguments for tests and other extensions: skip the pickers (and the preview with `preview: false`). */
export interface SwitchBaseImageArgs {
  readonly version?: string;
  readonly family?: 'servercore' | 'nanoserver' | 'server';
  readonly preview?: boolean;
}

export function registerSwitchBaseImageCommand(context: vscode.ExtensionContext, loaded: Promise<LanguageClient>, ready: Promise<void>): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(SWITCH_BASE_IMAGE_UI_COMMAND, async (args?: SwitchBaseImageArgs) => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || editor.document.languageId !== 'dockerfile') {
        void vscode.window.showWarningMessage('Windows Containers: open a Dockerfile to switch its base images.');
        return false;
      }
      const version = args?.version ?? (await vscode.window.showQuickPick(VERSIONS, { title: 'Switch base images to which Windows version?' }))?.label;
      if (!version) return false;
      let family = args?.family;
      if (!args?.version) {
        const picked = await vscode.window.showQuickPick([...FAMILIES], { title: `Switch to ${version}: which image family?` });
        if (!picked) return false;
        family = picked.family;
      }
      const client = await loaded;
      await ready;
      let result;
      try {
        result = await client.sendRequest('workspace/executeCommand', {
          command: SERVER_COMMAND,
          arguments: [{ uri: editor.document.uri.toString(), version, ...(family ? { family } : {}) }],
        });
      } catch (error) {
        void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
        return false;
      }
      const edit: vscode.WorkspaceEdit | undefined = await client.protocol2CodeConverter.asWorkspaceEdit(result as WorkspaceEdit | null);
      if (!edit || edit.size === 0) {
        void vscode.window.showInformationMessage(`Windows Containers: nothing to change; the images are already on ${version}.`);
        return false;
      }
      if (args?.preview === false) return vscode.workspace.applyEdit(edit);
      // Marking every change as needing confirmation opens VS Code's refactor preview.
      const previewed = new vscode.WorkspaceEdit();
      const metadata: vscode.WorkspaceEditEntryMetadata = { needsConfirmation: true, label: `Switch base images to ${version}${family ? ` (${family})` : ''}` };
      for (const [uri, edits] of edit.entries()) for (const e of edits) previewed.replace(uri, e.range, e.newText, metadata);
      return vscode.workspace.applyEdit(previewed);
    }),
  );
}
