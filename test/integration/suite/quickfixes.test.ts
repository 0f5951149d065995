/**
 * More Windows quick fixes applied end to end inside the real VS Code: each diagnostic appears,
 * its preferred fix applies through VS Code's code-action API, the text changes and the
 * diagnostic goes.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, openDockerfile, OURS, serverReady, WAIT_MS, waitForDiagnostics, withTimeout } from './helpers';

async function applyPreferredFix(file: string, ruleId: string): Promise<vscode.TextDocument> {
  const document = await openDockerfile(file);
  const isRule = (d: vscode.Diagnostic) => d.source === OURS && codeOf(d) === ruleId;
  const diagnostic = (await waitForDiagnostics(document.uri, (ds) => ds.some(isRule), `the ${ruleId} diagnostic`)).find(isRule);
  assert.ok(diagnostic);
  const actions = await withTimeout(
    vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', document.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value),
    WAIT_MS,
    'code actions',
  );
  const fix = (actions ?? []).find((a): a is vscode.CodeAction => 'edit' in a && a.edit !== undefined && a.isPreferred === true);
  assert.ok(fix?.edit, `a preferred quick fix; got: ${(actions ?? []).map((a) => a.title).join(' | ')}`);
  assert.ok(await vscode.workspace.applyEdit(fix.edit));
  await waitForDiagnostics(document.uri, (ds) => !ds.some(isRule), `the ${ruleId} diagnostic to go`);
  return document;
}

suite('Windows quick fixes', () => {
  suiteSetup(async () => {
    await serverReady();
  });

  test('windows-image-untagged: the newest LTSC tag is added', async () => {
    const document = await applyPreferredFix('untagged.Dockerfile', 'windows-image-untagged');
    assert.equal(document.lineAt(0).text, 'FROM mcr.microsoft.com/windows/servercore:ltsc2025');
  });

  test('exec-form-unescaped-backslash: the backslashes are escaped', async () => {
    const document = await applyPreferredFix('execform.Dockerfile', 'exec-form-unescaped-backslash');
    assert.equal(document.lineAt(1).text, 'CMD ["C:\\\\tools\\\\app.exe"]');
  });

  test('windows-legacy-repository: the Docker Hub name becomes its MCR name', async () => {
    const document = await applyPreferredFix('legacy.Dockerfile', 'windows-legacy-repository');
    assert.equal(document.lineAt(0).text, 'FROM mcr.microsoft.com/windows/nanoserver:1809');
  });

  test('product-end-of-support: .NET 8 (ended 2026-11-10) moves to .NET 10 on the same Windows variant', async () => {
    const document = await applyPreferredFix('product.Dockerfile', 'product-end-of-support');
    assert.equal(document.lineAt(0).text, 'FROM mcr.microsoft.com/dotnet/aspnet:10.0-nanoserver-ltsc2022');
  });
});
