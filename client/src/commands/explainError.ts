/**
 * "Windows Containers: Explain Docker Error…": takes the text of an error (the selection, else the
 * clipboard when it holds a recognised error, else an input box), asks the language server to
 * explain it (`windowsContainers.explainError`, the code `windows-containers explain` runs), shows
 * the explanation as Markdown beside the editor, and, when a Dockerfile is open, reveals the line
 * responsible with its quick fixes. A terminal link provider offers the same on error lines of the
 * integrated terminal.
 */
import * as vscode from 'vscode';
// Types only: vscode-languageclient is loaded after activation (see extension.ts).
import type { LanguageClient } from 'vscode-languageclient/node';

export const EXPLAIN_ERROR_UI_COMMAND = 'windowsContainers.explainDockerError';
const SERVER_COMMAND = 'windowsContainers.explainError';
const SCHEME = 'windows-containers-explanation';

/** The server's answer (server/src/errors/explainCommand.ts); lines are 1-based. */
interface ExplainResult {
  readonly errors: readonly {
    readonly id: string;
    readonly title: string;
    readonly dockerfile?: {
      readonly line: number;
      readonly column: number;
      readonly endLine: number;
      readonly endColumn: number;
      readonly text: string;
      readonly reason: string;
    };
  }[];
  readonly markdown: string;
}

/** Arguments for tests, terminal links and other extensions: the text to explain (no selection, clipboard or input box). */
export interface ExplainErrorArgs {
  readonly text?: string;
}

/** What the command did, for the integration tests. */
export interface ExplainErrorOutcome {
  readonly ids: readonly string[];
  /** Where the explanation is shown (a read-only Markdown document). */
  readonly explanation?: vscode.Uri;
  /** The Dockerfile line revealed (0-based), when a Dockerfile was open and the error names one. */
  readonly revealed?: { readonly uri: vscode.Uri; readonly line: number };
  /** Titles of the quick fixes on that line (shown in the quick fix menu when there are any). */
  readonly quickFixes: readonly string[];
}

export interface ExplainErrorRegistration {
  /** The terminal link provider (the integration tests call it directly). */
  readonly terminalLinks: vscode.TerminalLinkProvider<ErrorTerminalLink>;
}

interface ErrorTerminalLink extends vscode.TerminalLink {
  readonly text: string;
}

/** Resolves when a tab that satisfies `accept` is open, or after `ms` (never rejects). */
function tabOpened(accept: (tab: vscode.Tab) => boolean, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      subscription.dispose();
      resolve();
    };
    const timer = setTimeout(done, ms);
    const subscription = vscode.window.tabGroups.onDidChangeTabs((event) => {
      if ([...event.opened, ...event.changed].some(accept)) done();
    });
  });
}

function dockerfileEditor(): vscode.TextEditor | undefined {
  const active = vscode.window.activeTextEditor;
  if (active?.document.languageId === 'dockerfile') return active;
  return vscode.window.visibleTextEditors.find((e) => e.document.languageId === 'dockerfile');
}

export function registerExplainErrorCommand(
  context: vscode.ExtensionContext,
  loaded: Promise<LanguageClient>,
  ready: Promise<void>,
): ExplainErrorRegistration {
  const explanations = new Map<string, string>();
  let counter = 0;
  const changed = new vscode.EventEmitter<vscode.Uri>();
  context.subscriptions.push(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, {
      onDidChange: changed.event,
      provideTextDocumentContent: (uri) => explanations.get(uri.toString()) ?? '',
    }),
  );

  async function explain(text: string, dockerfile: vscode.TextEditor | undefined): Promise<ExplainResult> {
    const client = await loaded;
    await ready;
    return client.sendRequest<ExplainResult>('workspace/executeCommand', {
      command: SERVER_COMMAND,
      arguments: [{ text, ...(dockerfile ? { uri: dockerfile.document.uri.toString() } : {}) }],
    });
  }

  async function show(markdown: string): Promise<vscode.Uri> {
    // One document per explanation, so an earlier one stays readable in its tab.
    const uri = vscode.Uri.from({ scheme: SCHEME, path: `/Explanation ${++counter}.md` });
    explanations.set(uri.toString(), markdown);
    try {
      // The preview's tab appears after the command returns: wait for it (bounded), so the Dockerfile revealed next keeps the focus.
      const name = uri.path.slice(1);
      const opened = tabOpened((tab) => tab.label.includes(name), 3000);
      await vscode.commands.executeCommand('markdown.showPreviewToSide', uri, {
        sideBySide: true,
        preserveFocus: true,
        locked: true,
      });
      await opened;
    } catch {
      // Without the built-in Markdown extension, the Markdown text itself.
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true });
    }
    return uri;
  }

  async function reveal(
    editor: vscode.TextEditor,
    line: { line: number; column: number; endLine: number },
  ): Promise<{ uri: vscode.Uri; line: number; quickFixes: string[] }> {
    const row = line.line - 1;
    const lastRow = Math.max(row, line.endLine - 1);
    const uri = editor.document.uri;
    // The findings on the instruction's lines (a continuation line can hold the one that matters).
    const onLine = vscode.languages
      .getDiagnostics(uri)
      .filter((d) => d.range.start.line <= lastRow && d.range.end.line >= row);
    // Asked before the cursor moves: moving it makes VS Code ask for the light bulb's actions, and the server answers only the newest request.
    const quickFixes: string[] = [];
    for (const diagnostic of onLine) {
      const actions =
        (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
          'vscode.executeCodeActionProvider',
          uri,
          diagnostic.range,
          vscode.CodeActionKind.QuickFix.value,
        )) ?? [];
      for (const action of actions) if (!quickFixes.includes(action.title)) quickFixes.push(action.title);
    }
    const shown = await vscode.window.showTextDocument(editor.document, {
      viewColumn: editor.viewColumn,
      preserveFocus: false,
    });
    // The cursor goes to the first finding on the line, where the quick fix menu offers its fixes; else to the instruction.
    const first = onLine[0]?.range.start;
    const position = first
      ? first.line >= row
        ? first
        : new vscode.Position(row, 0)
      : new vscode.Position(row, line.column - 1);
    shown.selection = new vscode.Selection(position, position);
    shown.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    if (quickFixes.length > 0) await vscode.commands.executeCommand('editor.action.quickFix');
    return { uri, line: row, quickFixes };
  }

  const command = vscode.commands.registerCommand(
    EXPLAIN_ERROR_UI_COMMAND,
    async (args?: ExplainErrorArgs): Promise<ExplainErrorOutcome | undefined> => {
      const dockerfile = dockerfileEditor();
      let text = args?.text;
      let result: ExplainResult | undefined;
      try {
        if (text === undefined) {
          const active = vscode.window.activeTextEditor;
          if (active && !active.selection.isEmpty) text = active.document.getText(active.selection);
        }
        // In the browser, reading the clipboard needs a permission prompt (and shows an error without it): skip it there.
        if (text === undefined && vscode.env.uiKind === vscode.UIKind.Desktop) {
          // The browser may refuse to read the clipboard, or wait for a permission (VS Code for the Web): then the input box.
          let timer: NodeJS.Timeout | undefined;
          const clipboard = await Promise.race([
            Promise.resolve(vscode.env.clipboard.readText()).then(
              (value) => value,
              () => '',
            ),
            new Promise<string>((resolve) => (timer = setTimeout(() => resolve(''), 2000))),
          ]).finally(() => clearTimeout(timer));
          if (clipboard.trim().length > 0) {
            const fromClipboard = await explain(clipboard, dockerfile);
            if (fromClipboard.errors.length > 0) [text, result] = [clipboard, fromClipboard];
          }
        }
        if (text === undefined) {
          text = await vscode.window.showInputBox({
            title: 'Explain Docker Error',
            prompt: 'Paste a Docker, HCS or Windows container error (or a whole build log)',
            placeHolder: 'e.g. no matching manifest for windows/amd64 10.0.17763 in the manifest list entries',
            ignoreFocusOut: true,
          });
          if (!text) return undefined;
        }
        result ??= await explain(text, dockerfile);
      } catch (error) {
        void vscode.window.showErrorMessage(
          `Windows Containers: ${error instanceof Error ? error.message : String(error)}`,
        );
        return undefined;
      }
      if (result.errors.length === 0) {
        void vscode.window.showInformationMessage(
          'Windows Containers: nothing recognised. The text has no Docker or Windows container error this extension knows.',
        );
        return { ids: [], quickFixes: [] };
      }
      const explanation = await show(result.markdown);
      const responsible = result.errors.find((e) => e.dockerfile)?.dockerfile;
      const revealed = dockerfile && responsible ? await reveal(dockerfile, responsible) : undefined;
      return {
        ids: result.errors.map((e) => e.id),
        explanation,
        ...(revealed ? { revealed: { uri: revealed.uri, line: revealed.line } } : {}),
        quickFixes: revealed?.quickFixes ?? [],
      };
    },
  );

  const terminalLinks: vscode.TerminalLinkProvider<ErrorTerminalLink> = {
    async provideTerminalLinks(linkContext) {
      const line = linkContext.line;
      const start = line.search(/\S/);
      if (start < 0) return [];
      let result: ExplainResult;
      try {
        result = await explain(line, undefined);
      } catch {
        return [];
      }
      if (result.errors.length === 0) return [];
      return [
        {
          startIndex: start,
          length: line.trimEnd().length - start,
          tooltip: `Explain: ${result.errors.map((e) => e.title).join('; ')}`,
          text: line,
        },
      ];
    },
    handleTerminalLink(link) {
      void vscode.commands.executeCommand(EXPLAIN_ERROR_UI_COMMAND, { text: link.text } satisfies ExplainErrorArgs);
    },
  };
  context.subscriptions.push(command, vscode.window.registerTerminalLinkProvider(terminalLinks));
  return { terminalLinks };
}
