/**
 * What the node client (extension.ts) and the browser client (browserExtension.ts) share: the
 * languages the server analyses and how a start that fails is reported. Imports only `vscode`, so
 * both bundles can hold it.
 */
import * as vscode from 'vscode';

/**
 * The languages the server handles, whatever the document's scheme (file, untitled, vscode-vfs,
 * vscode-remote, ...): Dockerfiles, and compose files and Kubernetes manifests (`dockercompose`,
 * and `yaml`, among which the server keeps compose files by name and manifests by `apiVersion` and
 * `kind`: server/src/service/yaml/route.ts).
 */
export const LANGUAGE_SELECTOR = [{ language: 'dockerfile' }, { language: 'dockercompose' }, { language: 'yaml' }];

/** Says in the output when the server is ready; when it fails to start, says so once, visibly, and fails. */
export function reportStart(output: vscode.OutputChannel, start: Promise<void>): Promise<void> {
  return start.then(
    () => output.appendLine('Language server ready.'),
    (error: unknown) => {
      output.appendLine(`The language server did not start: ${String(error)}`);
      void vscode.window.showErrorMessage(
        'Windows Containers: the language server did not start. See the "Windows Containers" output for details.',
      );
      throw error;
    },
  );
}
