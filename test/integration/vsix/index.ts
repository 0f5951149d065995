/**
 * Runs inside VS Code against the extension installed from the VSIX (no development extension):
 * it is the installed copy, it activates on a Dockerfile, and its language server diagnoses the
 * sample. Prints `VSIX-RESULT {...}` for the runner (runVsix.ts).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';

const ID = 'windows-containers.windows-containers';

function bound<T>(promise: Thenable<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    Promise.resolve(promise),
    new Promise<never>(
      (_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)),
    ),
  ]).finally(() => clearTimeout(timer));
}

export async function run(): Promise<void> {
  const result: Record<string, unknown> = {};
  try {
    const extension = vscode.extensions.getExtension<{ ready: Promise<void> }>(ID);
    if (!extension) throw new Error(`${ID} is not installed`);
    result.extensionPath = extension.extensionPath;
    result.version = extension.packageJSON.version;
    if (extension.extensionPath.startsWith(path.resolve(__dirname, '..', '..', '..', '..'))) {
      throw new Error(`${ID} runs from the repository (${extension.extensionPath}), not from the installed VSIX`);
    }
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) throw new Error('no workspace folder');
    const uri = vscode.Uri.joinPath(folder.uri, 'mistakes.Dockerfile');
    const diagnosed = new Promise<vscode.Diagnostic[]>((resolve) => {
      const check = () => {
        const found = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'windows-containers');
        if (found.length > 0) {
          subscription.dispose();
          resolve(found);
        }
      };
      const subscription = vscode.languages.onDidChangeDiagnostics(check);
      check();
    });
    const started = Date.now();
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const api = await bound(extension.activate(), 15_000, 'activation');
    await bound(api.ready, 15_000, 'the language server');
    const diagnostics = await bound(diagnosed, 15_000, 'diagnostics from the installed extension');
    result.msToDiagnostics = Date.now() - started;
    result.codes = [...new Set(diagnostics.map((d) => (typeof d.code === 'object' ? d.code.value : d.code)))].sort();
    result.ok = true;
  } catch (error) {
    result.ok = false;
    result.error = error instanceof Error ? error.message : String(error);
  }
  console.log(`VSIX-RESULT ${JSON.stringify(result)}`);
  if (!result.ok) throw new Error(String(result.error));
}
