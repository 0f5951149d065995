/**
 * More Windows quick fixes applied end to end inside the real VS Code: each diagnostic appears,
 * its preferred fix applies through VS Code's code-action API, the text changes and the
 * diagnostic goes.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeActionsAt, codeOf, openDockerfile, OURS, serverReady, waitForDiagnostics } from './helpers';

async function applyPreferredFix(file: string, ruleId: string): Promise<vscode.TextDocument> {
  const document = await openDockerfile(file);
  const isRule = (d: vscode.Diagnostic) => d.source === OURS && codeOf(d) === ruleId;
  const diagnostic = (await waitForDiagnostics(document.uri, (ds) => ds.some(isRule), `the ${ruleId} diagnostic`)).find(
    isRule,
  );
  assert.ok(diagnostic);
  const preferred = (a: vscode.CodeAction) => a.edit !== undefined && a.isPreferred === true;
  const actions = await codeActionsAt(
    document.uri,
    diagnostic.range,
    (as) => as.some(preferred),
    vscode.CodeActionKind.QuickFix,
  );
  const fix = actions.find(preferred);
  assert.ok(fix?.edit, `a preferred quick fix; got: ${actions.map((a) => a.title).join(' | ')}`);
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

  test('nanoserver-powershell: the lightbulb on a RUN powershell line offers the .NET SDK image with pwsh', async () => {
    const document = await openDockerfile('nanoserver-run.Dockerfile');
    const isRule = (d: vscode.Diagnostic) => d.source === OURS && codeOf(d) === 'nanoserver-powershell';
    await waitForDiagnostics(document.uri, (ds) => ds.some(isRule), 'the nanoserver-powershell diagnostic');
    // The cursor on the RUN line, inside `powershell`, as a person puts it before Ctrl+.
    const editor = await vscode.window.showTextDocument(document);
    const cursor = new vscode.Position(1, 8);
    editor.selection = new vscode.Selection(cursor, cursor);
    const isPwshFix = (a: vscode.CodeAction) =>
      a.title === 'Build on mcr.microsoft.com/dotnet/sdk:10.0-nanoserver-ltsc2022 (it has pwsh) and use pwsh';
    const actions = await codeActionsAt(document.uri, new vscode.Range(cursor, cursor), (as) => as.some(isPwshFix));
    const titles = actions.map((a) => a.title);
    const fix = actions.find(isPwshFix);
    assert.ok(fix?.edit, `the pwsh fix at the cursor; got: ${titles.join(' | ') || '(none)'}`);
    assert.equal(fix.isPreferred, true);
    assert.ok(
      !titles.some((t) => t.includes('mcr.microsoft.com/powershell')),
      `no end-of-life PowerShell image: ${titles.join(' | ')}`,
    );
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(document.lineAt(0).text, 'FROM mcr.microsoft.com/dotnet/sdk:10.0-nanoserver-ltsc2022');
    assert.equal(document.lineAt(1).text, 'RUN pwsh -Command New-Item -ItemType Directory C:\\app');
    await waitForDiagnostics(document.uri, (ds) => !ds.some(isRule), 'the nanoserver-powershell diagnostic to go');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('product-end-of-support: .NET 8 (ended 2026-11-10) moves to .NET 10 on the same Windows variant', async () => {
    const document = await applyPreferredFix('product.Dockerfile', 'product-end-of-support');
    assert.equal(document.lineAt(0).text, 'FROM mcr.microsoft.com/dotnet/aspnet:10.0-nanoserver-ltsc2022');
  });
});
