/**
 * The client commands inside a real VS Code: Switch Base Image… end to end (the server computes
 * the edit, the client applies it), and the target host in the status bar with its picker.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extension, openDockerfile, serverReady, until, WAIT_MS, withTimeout } from './helpers';

interface ApiWithStatus {
  readonly targetHost: { text(): string | undefined };
}

suite('Windows Containers commands', () => {
  suiteSetup(async () => {
    await serverReady();
  });

  test('Switch Base Image moves every stage to the chosen version', async () => {
    const document = await openDockerfile('switch.Dockerfile');
    const applied = await withTimeout(
      vscode.commands.executeCommand<boolean>('windowsContainers.switchBaseImageInteractive', { version: 'ltsc2025', preview: false }),
      WAIT_MS,
      'the switch command',
    );
    assert.equal(applied, true);
    assert.equal(document.lineAt(0).text, 'FROM mcr.microsoft.com/windows/servercore:ltsc2025 AS build');
    assert.equal(document.lineAt(1).text, 'FROM mcr.microsoft.com/windows/nanoserver:ltsc2025');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('a combination that does not exist is refused and changes nothing', async () => {
    const document = await openDockerfile('switch.Dockerfile');
    const before = document.getText();
    const applied = await withTimeout(
      vscode.commands.executeCommand<boolean>('windowsContainers.switchBaseImageInteractive', { version: 'ltsc2030', preview: false }),
      WAIT_MS,
      'the switch command',
    );
    assert.equal(applied, false);
    assert.equal(document.getText(), before);
  });

  test('the status bar shows the target host and the picker changes it', async () => {
    await openDockerfile('switch.Dockerfile');
    const api = extension().exports as unknown as ApiWithStatus;
    await until(() => api.targetHost.text() !== undefined, WAIT_MS, 'the status bar item to show');
    const config = vscode.workspace.getConfiguration('windowsContainers');
    try {
      await vscode.commands.executeCommand('windowsContainers.pickTargetHost', { targetHost: 'ltsc2022', isolation: 'process' });
      await until(() => api.targetHost.text()?.endsWith('Windows ltsc2022 · process') === true, WAIT_MS, `the status bar to read "Windows ltsc2022 · process" (now ${api.targetHost.text()})`);
      await vscode.commands.executeCommand('windowsContainers.pickTargetHost', { targetHost: 'win11-24h2', isolation: 'default' });
      await until(() => api.targetHost.text()?.endsWith('Windows win11-24h2 · hyperv') === true, WAIT_MS, 'the engine default (Hyper-V on Windows 11)');
    } finally {
      await config.update('targetHost', undefined, vscode.ConfigurationTarget.Workspace);
      await config.update('isolation', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
