/**
 * Helpers shared by the integration suites: bounded, event-driven waits and small accessors.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'windows-containers.windows-containers';
export const UPSTREAM = 'dockerfile-utils';
export const OURS = 'windows-containers';
export const WAIT_MS = 15_000;

export interface Api {
  readonly ready: Promise<void>;
}

export function withTimeout<T>(promise: Thenable<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([Promise.resolve(promise), timeout]).finally(() => clearTimeout(timer));
}

/** How many times `codeActionsAt` asks before it gives the last answer. */
const CODE_ACTION_ASKS = 3;

/**
 * The code actions VS Code gives at `range`, asked again (at most CODE_ACTION_ASKS times in all)
 * while none satisfies `wanted`. VS Code cancels a code-action request when the set of code-action
 * providers for the document changes while it runs (getCodeActions in
 * editor/contrib/codeAction/browser/codeAction.ts), and a cancelled request answers with no
 * actions or fails with "Canceled"; the workbench and other extensions register providers as they start, so a first
 * request can come back empty for a reason that is not ours. An answer that stays wrong fails.
 */
export async function codeActionsAt(
  uri: vscode.Uri,
  range: vscode.Range,
  wanted: (actions: readonly vscode.CodeAction[]) => boolean,
  kind?: vscode.CodeActionKind,
): Promise<vscode.CodeAction[]> {
  let actions: vscode.CodeAction[] = [];
  for (let ask = 1; ask <= CODE_ACTION_ASKS; ask++) {
    actions = await withTimeout(
      vscode.commands
        .executeCommand<vscode.CodeAction[] | undefined>(
          'vscode.executeCodeActionProvider',
          uri,
          range,
          ...(kind ? [kind.value] : []),
        )
        .then(
          (answer) => answer ?? [],
          (error: unknown) => {
            // Cancelled: nothing this time. Any other failure fails.
            if (error instanceof Error && (error.name === 'Canceled' || error.message === 'Canceled')) return [];
            throw error;
          },
        ),
      WAIT_MS,
      'code actions',
    );
    if (wanted(actions)) break;
  }
  return actions;
}

/** Polls a condition until it holds; for state VS Code has no event for (extension activation). */
export async function until(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export function describeDiagnostics(diagnostics: readonly vscode.Diagnostic[]): string {
  if (diagnostics.length === 0) return '(none)';
  return diagnostics
    .map(
      (d) =>
        `  ${d.range.start.line + 1}:${d.range.start.character + 1} [${d.source} ${String(typeof d.code === 'object' ? d.code.value : d.code)}] ${d.message}`,
    )
    .join('\n');
}

/**
 * Resolves with the document's diagnostics as soon as they satisfy `predicate`: checks the
 * current ones first, then every `onDidChangeDiagnostics` for this URI, up to `ms`.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  predicate: (diagnostics: readonly vscode.Diagnostic[]) => boolean,
  what: string,
  ms = WAIT_MS,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const key = uri.toString();
    const finish = (diagnostics: vscode.Diagnostic[]) => {
      clearTimeout(timer);
      subscription.dispose();
      resolve(diagnostics);
    };
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(
        new Error(
          `timed out after ${ms} ms waiting for ${what} in ${uri.path}; diagnostics now:\n${describeDiagnostics(vscode.languages.getDiagnostics(uri))}`,
        ),
      );
    }, ms);
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (!event.uris.some((changed) => changed.toString() === key)) return;
      const diagnostics = vscode.languages.getDiagnostics(uri);
      if (predicate(diagnostics)) finish(diagnostics);
    });
    const current = vscode.languages.getDiagnostics(uri);
    if (predicate(current)) finish(current);
  });
}

export function codeOf(diagnostic: vscode.Diagnostic): string | number | undefined {
  return typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
}

export const hasMessage = (text: string) => (d: vscode.Diagnostic) => d.message.includes(text);
export const fromUpstream = (text: string) => (d: vscode.Diagnostic) =>
  d.source === UPSTREAM && d.message.includes(text);

export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the runner opens a workspace folder (a copy of test/integration/workspace)');
  return vscode.Uri.joinPath(folder.uri, name);
}

/** Opens a workspace file in an editor, as language `dockerfile`. */
export async function openDockerfile(name: string): Promise<vscode.TextDocument> {
  let document = await vscode.workspace.openTextDocument(workspaceFile(name));
  if (document.languageId !== 'dockerfile') {
    document = await vscode.languages.setTextDocumentLanguage(document, 'dockerfile');
  }
  await vscode.window.showTextDocument(document);
  assert.equal(document.languageId, 'dockerfile');
  return document;
}

export function extension(): vscode.Extension<Api> {
  const ext = vscode.extensions.getExtension<Api>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is installed in the development host`);
  return ext;
}

/** Activates the extension (a no-op once it is active) and waits for its language server. */
export async function serverReady(): Promise<void> {
  const api = await withTimeout(extension().activate(), WAIT_MS, 'the extension to activate');
  await withTimeout(api.ready, WAIT_MS, 'the language server to start');
}

export function hoverText(hovers: readonly vscode.Hover[]): string {
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n');
}

export function completionLabel(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

/** The instruction an item inserts: upstream labels read `RUN command`, `WORKDIR /the/workdir/path`. */
export function completionKeyword(item: vscode.CompletionItem): string {
  return completionLabel(item).split(/\s/, 1)[0];
}

// ---------------------------------------------------------------------------------------------
// tests
