/**
 * "Windows Containers: Switch Base Image…": picks a family and a Windows version, asks the
 * language server for the edit (`windowsContainers.switchBaseImage`, so other editors get the same
 * logic), and applies it at once as one edit (one Undo takes it back), then says what changed.
 *
 * Not through VS Code's refactor preview: an extension opens it only by marking the changes
 * `needsConfirmation`, and the preview starts such changes unchecked (VS Code's
 * BulkFileOperations: `checked.updateChecked(edit, !edit.metadata?.needsConfirmation)`), so Apply
 * applied nothing unless each box was ticked first; `workspace.applyEdit` has no way to ask for the
 * preview with the changes checked.
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

/** Arguments for tests and other extensions: skip the pickers. */
export interface SwitchBaseImageArgs {
  readonly version?: string;
  readonly family?: 'servercore' | 'nanoserver' | 'server';
}

export function registerSwitchBaseImageCommand(
  context: vscode.ExtensionContext,
  loaded: Promise<LanguageClient>,
  ready: Promise<void>,
): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(SWITCH_BASE_IMAGE_UI_COMMAND, async (args?: SwitchBaseImageArgs) => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || editor.document.languageId !== 'dockerfile') {
        void vscode.window.showWarningMessage('Windows Containers: open a Dockerfile to switch its base images.');
        return false;
      }
      const version =
        args?.version ??
        (await vscode.window.showQuickPick(VERSIONS, { title: 'Switch base images to which Windows version?' }))?.label;
      if (!version) return false;
      let family = args?.family;
      if (!args?.version) {
        const picked = await vscode.window.showQuickPick([...FAMILIES], {
          title: `Switch to ${version}: which image family?`,
        });
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
      const edit: vscode.WorkspaceEdit | undefined = await client.protocol2CodeConverter.asWorkspaceEdit(
        result as WorkspaceEdit | null,
      );
      if (!edit || edit.size === 0 || edit.entries().every(([, edits]) => edits.length === 0)) {
        void vscode.window.showInformationMessage(
          `Windows Containers: nothing to change; the images are already on ${version}.`,
        );
        return false;
      }
      const count = edit.entries().reduce((n, [, edits]) => n + edits.length, 0);
      // One workspace edit is one undo step in the editor.
      const applied = await vscode.workspace.applyEdit(edit);
      if (!applied) {
        void vscode.window.showErrorMessage(
          'Windows Containers: VS Code did not apply the switch (the file changed meanwhile?); run it again.',
        );
        return false;
      }
      // Changes a person would not expect (`.NET Framework SDK 4.8.1 → 4.8`) come as change annotations.
      const notes = Object.values(
        (result as { changeAnnotations?: Record<string, { label?: unknown }> }).changeAnnotations ?? {},
      )
        .map((a) => a.label)
        .filter((label): label is string => typeof label === 'string');
      const what = `${count} image reference${count === 1 ? '' : 's'} to ${version}${family ? ` (${family})` : ''}`;
      void vscode.window.showInformationMessage(
        `Windows Containers: switched ${what}${notes.length > 0 ? `. Note: ${notes.join('; ')}` : ''}. Undo (Ctrl+Z) takes it back.`,
      );
      return true;
    }),
  );
}
