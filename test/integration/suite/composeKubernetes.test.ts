/**
 * Compose files and Kubernetes manifests inside a real VS Code: `compose.yaml` opens as VS Code's
 * own `dockercompose` language, `deployment.yaml` as `yaml`; each gets its Windows finding from the
 * language server and a hover on its image, and the compose finding's quick fix applies.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  OURS,
  codeOf,
  hoverText,
  serverReady,
  waitForDiagnostics,
  withTimeout,
  WAIT_MS,
  workspaceFile,
  codeActionsAt,
} from './helpers';

async function openYaml(name: string, languageId: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(workspaceFile(name));
  await vscode.window.showTextDocument(document);
  assert.equal(document.languageId, languageId, `${name} opens as ${languageId}`);
  return document;
}

async function hoverAt(document: vscode.TextDocument, line: number, text: string): Promise<string> {
  const position = new vscode.Position(line, document.lineAt(line).text.indexOf(text) + 3);
  const hovers = await withTimeout(
    vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position),
    WAIT_MS,
    'the hover',
  );
  return hoverText(hovers);
}

suite('Compose files and Kubernetes manifests', () => {
  suiteSetup(serverReady);
  suiteTeardown(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  test('compose.yaml: an isolation typo is found and fixed; the image has its hover', async () => {
    const document = await openYaml('compose.yaml', 'dockercompose');
    const [finding] = await waitForDiagnostics(
      document.uri,
      (ds) => ds.some((d) => codeOf(d) === 'compose-isolation-invalid'),
      'the compose finding',
    );
    assert.equal(finding.source, OURS);
    assert.equal(finding.range.start.line, 3);
    assert.match(await hoverAt(document, 2, 'mcr.microsoft.com'), /IIS/);
    const isHyperv = (a: vscode.CodeAction) => a.title === 'Use isolation: hyperv';
    const actions = await codeActionsAt(
      document.uri,
      finding.range,
      (as) => as.some(isHyperv),
      vscode.CodeActionKind.QuickFix,
    );
    const fix = actions.find(isHyperv);
    assert.ok(fix?.edit, actions.map((a) => a.title).join(', '));
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(document.lineAt(3).text, '    isolation: hyperv');
    await waitForDiagnostics(document.uri, (ds) => ds.length === 0, 'the finding to go after the fix');
  });

  test('formatting and semantic tokens are registered for Dockerfiles only: none for compose files', async () => {
    const compose = await openYaml('compose.yaml', 'dockercompose');
    const dockerfile = await vscode.workspace.openTextDocument(workspaceFile('format.Dockerfile'));
    const tokens = (uri: vscode.Uri) =>
      withTimeout(
        vscode.commands.executeCommand<vscode.SemanticTokens | undefined>('vscode.provideDocumentSemanticTokens', uri),
        WAIT_MS,
        'semantic tokens',
      );
    assert.ok(((await tokens(dockerfile.uri))?.data.length ?? 0) > 0, 'a Dockerfile has semantic tokens');
    assert.equal(await tokens(compose.uri), undefined, 'no semantic token provider answers for a compose file');
    const edits = await withTimeout(
      vscode.commands.executeCommand<vscode.TextEdit[] | undefined>(
        'vscode.executeFormatDocumentProvider',
        compose.uri,
        { tabSize: 2, insertSpaces: true },
      ),
      WAIT_MS,
      'formatting',
    );
    assert.equal(edits, undefined, 'no formatter for a compose file');
  });

  test('deployment.yaml: a Windows Deployment without an OS selector is found; the image has its hover', async () => {
    const document = await openYaml('deployment.yaml', 'yaml');
    const diagnostics = await waitForDiagnostics(
      document.uri,
      (ds) => ds.some((d) => codeOf(d) === 'kubernetes-windows-node-selector'),
      'the manifest finding',
    );
    assert.deepEqual(
      diagnostics.map((d) => [codeOf(d), d.range.start.line]),
      [['kubernetes-windows-node-selector', 9]],
    );
    assert.match(await hoverAt(document, 9, 'mcr.microsoft.com'), /Windows Server 2022/);
  });

  test('a hover on node.kubernetes.io/windows-build names the build a node selector picks', async () => {
    const document = await vscode.workspace.openTextDocument({
      language: 'yaml',
      content: [
        'apiVersion: v1',
        'kind: Pod',
        'spec:',
        '  nodeSelector:',
        '    kubernetes.io/os: windows',
        "    node.kubernetes.io/windows-build: '10.0.20348'",
        '  containers:',
        '  - name: app',
        '    image: mcr.microsoft.com/windows/nanoserver:ltsc2022',
        '',
      ].join('\n'),
    });
    await vscode.window.showTextDocument(document);
    const hover = await hoverAt(document, 5, 'windows-build');
    assert.match(hover, /\*\*`10\.0\.20348`\*\* \(this selector\) \| Windows Server 2022/);
    assert.match(hover, /Azure Kubernetes Service/);
  });
});
