/**
 * "Windows Containers: Explain Docker Error…" inside a real VS Code: the explanation beside the
 * editor, the responsible Dockerfile line revealed with its quick fixes, the selection as input,
 * and the terminal link provider.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, extension, openDockerfile, serverReady, waitForDiagnostics, withTimeout, WAIT_MS } from './helpers';

interface Outcome {
  readonly ids: readonly string[];
  readonly explanation?: vscode.Uri;
  readonly revealed?: { readonly uri: vscode.Uri; readonly line: number };
  readonly quickFixes: readonly string[];
}

interface ApiWithExplain {
  readonly explainError: {
    readonly terminalLinks: vscode.TerminalLinkProvider<vscode.TerminalLink & { text: string }>;
  };
}

const BUILD_LOG = [
  'Sending build context to Docker daemon  2.048kB',
  'Step 1/3 : FROM mcr.microsoft.com/windows/servercore:ltsc2022',
  ' ---> 0d9d5a4f7f5c',
  'Step 2/3 : RUN powershell -Command Invoke-WebRequest -UseBasicParsing -Uri https://dotnetbinaries.blob.core.windows.net/servicemonitor/2.0.1.10/ServiceMonitor.exe -OutFile C:\\ServiceMonitor.exe',
  ' ---> Running in 5b2c1e0f3a11',
  'Invoke-WebRequest : <?xml version="1.0" encoding="utf-8"?><Error><Code>PublicAccessNotPermitted</Code><Message>Public access is not permitted on this storage account.</Message></Error>',
].join('\n');

async function closeQuickFixMenu(): Promise<void> {
  try {
    await vscode.commands.executeCommand('hideCodeActionWidget');
  } catch {
    // Older VS Code: the menu closes when the next editor opens.
  }
}

suite('Explain Docker Error', () => {
  suiteSetup(async () => {
    await serverReady();
  });

  teardown(async () => {
    await closeQuickFixMenu();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('explains a build log, shows it beside the Dockerfile and reveals the failing RUN with its quick fix', async () => {
    const document = await openDockerfile('explain.Dockerfile');
    await waitForDiagnostics(
      document.uri,
      (ds) => ds.some((d) => codeOf(d) === 'servicemonitor-url-retired'),
      'the servicemonitor-url-retired diagnostic',
    );
    const outcome = await withTimeout(
      vscode.commands.executeCommand<Outcome>('windowsContainers.explainDockerError', { text: BUILD_LOG }),
      WAIT_MS,
      'the explain command',
    );
    assert.deepEqual(outcome.ids, ['servicemonitor-url-retired']);
    assert.ok(outcome.explanation, 'an explanation document');
    const explanation = await vscode.workspace.openTextDocument(outcome.explanation);
    assert.match(explanation.getText(), /^## ServiceMonitor\.exe is downloaded from its retired address/);
    assert.match(explanation.getText(), /https:\/\/github\.com\/microsoft\/iis-docker\/issues\/211/);
    assert.equal(outcome.revealed?.uri.toString(), document.uri.toString());
    assert.equal(outcome.revealed?.line, 1, 'the RUN of Step 2/3');
    // The quick fix menu has the keyboard focus now; the Dockerfile is the active tab, its cursor on the RUN.
    const activeTab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    assert.ok(
      activeTab instanceof vscode.TabInputText && activeTab.uri.toString() === document.uri.toString(),
      `the Dockerfile is the active tab (it is ${vscode.window.tabGroups.activeTabGroup.activeTab?.label})`,
    );
    const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === document.uri.toString());
    assert.equal(editor?.selection.active.line, 1);
    assert.ok(
      outcome.quickFixes.includes('Download ServiceMonitor.exe 2.0.1.10 from its GitHub release'),
      `quick fixes: ${outcome.quickFixes.join(', ')}`,
    );
    assert.equal(
      editor?.selection.active.character,
      document.lineAt(1).text.indexOf('https://dotnetbinaries'),
      'the cursor on the finding, where the quick fix menu opens',
    );
  });

  test('takes the selection when no text is given; says when nothing is recognised', async () => {
    const log = await vscode.workspace.openTextDocument({
      language: 'plaintext',
      content:
        'ltsc2022: Pulling from windows/nanoserver\nno matching manifest for windows/amd64 10.0.19043 in the manifest list entries\n',
    });
    const editor = await vscode.window.showTextDocument(log);
    editor.selection = new vscode.Selection(0, 0, 2, 0);
    const outcome = await withTimeout(
      vscode.commands.executeCommand<Outcome>('windowsContainers.explainDockerError'),
      WAIT_MS,
      'the explain command',
    );
    assert.deepEqual(outcome.ids, ['no-matching-manifest']);
    assert.equal(outcome.revealed, undefined, 'no Dockerfile open');
    const explanation = await vscode.workspace.openTextDocument(outcome.explanation!);
    assert.match(explanation.getText(), /\*\*Host:\*\* 10\.0\.19043 = Windows build 19043 \(not in the catalogue\)/);

    const nothing = await withTimeout(
      vscode.commands.executeCommand<Outcome>('windowsContainers.explainDockerError', {
        text: 'Successfully built 1f2e3d4c5b6a',
      }),
      WAIT_MS,
      'the explain command',
    );
    assert.deepEqual(nothing, { ids: [], quickFixes: [] });
  });

  test('the terminal link provider links error lines and leaves other lines alone', async () => {
    const provider = (extension().exports as unknown as ApiWithExplain).explainError.terminalLinks;
    const terminal = vscode.window.createTerminal({ name: 'explain-links' });
    try {
      const token = new vscode.CancellationTokenSource().token;
      const line =
        'docker: Error response from daemon: hcsshim::CreateComputeSystem 38b1: The container operating system does not match the host operating system.';
      const links = (await provider.provideTerminalLinks({ line, terminal }, token)) ?? [];
      assert.equal(links.length, 1);
      assert.equal(links[0].startIndex, 0);
      assert.equal(links[0].length, line.length);
      assert.match(links[0].tooltip ?? '', /^Explain: The container's Windows version does not match the host's/);
      assert.deepEqual(
        (await provider.provideTerminalLinks({ line: 'Step 3/5 : RUN echo hello', terminal }, token)) ?? [],
        [],
      );
    } finally {
      terminal.dispose();
    }
  });
});
