/**
 * The client commands inside a real VS Code: Switch Base Image… end to end (the server computes
 * the edit, the client applies it), and the target host in the status bar with its picker.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  codeOf,
  extension,
  openDockerfile,
  OURS,
  serverReady,
  until,
  WAIT_MS,
  waitForDiagnostics,
  withTimeout,
  codeActionsAt,
} from './helpers';

interface ApiWithStatus {
  readonly targetHost: { text(): string | undefined };
}

suite('Windows Containers commands', () => {
  suiteSetup(async () => {
    await serverReady();
  });

  test('Switch Base Image from the command palette applies the switch as one undo step', async () => {
    const document = await openDockerfile('switch.Dockerfile');
    const before = document.getText();
    const changed = new Promise<void>((resolve) => {
      const subscription = vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document === document && event.contentChanges.length > 0) {
          subscription.dispose();
          resolve();
        }
      });
    });
    // As a person does: the palette, filtered to the command, then Enter on each picker (the
    // first entries: ltsc2025, then "Keep each image's family"). Accepting when no picker is open
    // does nothing, so the loop presses Enter until the file changes.
    await vscode.commands.executeCommand('workbench.action.quickOpen', '>Windows Containers: Switch Base Image');
    let done = false;
    void changed.then(() => (done = true));
    await until(
      () => {
        if (!done) void vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
        return done;
      },
      WAIT_MS,
      'the palette and the two pickers to be accepted and the switch to change the file',
    );
    assert.equal(document.lineAt(0).text, 'FROM mcr.microsoft.com/windows/servercore:ltsc2025 AS build');
    assert.equal(document.lineAt(1).text, 'FROM mcr.microsoft.com/windows/nanoserver:ltsc2025');
    // One Undo restores the file as it was.
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), before);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('Switch Base Image with arguments (other extensions) applies at once', async () => {
    const document = await openDockerfile('switch.Dockerfile');
    const applied = await withTimeout(
      vscode.commands.executeCommand<boolean>('windowsContainers.switchBaseImageInteractive', {
        version: 'ltsc2022',
        family: 'servercore',
      }),
      WAIT_MS,
      'the switch command',
    );
    assert.equal(applied, true);
    assert.equal(document.lineAt(0).text, 'FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS build');
    assert.equal(document.lineAt(1).text, 'FROM mcr.microsoft.com/windows/servercore:ltsc2022');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('Switch Base Image applies a change that carries a note (.NET Framework 4.8.1 → 4.8) without any preview', async () => {
    const document = await openDockerfile('framework.Dockerfile');
    const applied = await withTimeout(
      vscode.commands.executeCommand<boolean>('windowsContainers.switchBaseImageInteractive', { version: 'ltsc2019' }),
      WAIT_MS,
      'the switch command',
    );
    assert.equal(applied, true);
    assert.equal(document.lineAt(0).text, 'FROM mcr.microsoft.com/dotnet/framework/sdk:4.8-windowsservercore-ltsc2019');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('a combination that does not exist is refused and changes nothing', async () => {
    const document = await openDockerfile('switch.Dockerfile');
    const before = document.getText();
    const applied = await withTimeout(
      vscode.commands.executeCommand<boolean>('windowsContainers.switchBaseImageInteractive', { version: 'ltsc2030' }),
      WAIT_MS,
      'the switch command',
    );
    assert.equal(applied, false);
    assert.equal(document.getText(), before);
  });

  test('with no target host (auto, on a machine that is not Windows) the status bar says so and claims no isolation', async function () {
    if (process.platform === 'win32') this.skip();
    await openDockerfile('switch.Dockerfile');
    const api = extension().exports as unknown as ApiWithStatus;
    const config = vscode.workspace.getConfiguration('windowsContainers');
    assert.equal(config.get('targetHost'), 'auto');
    await until(() => api.targetHost.text() !== undefined, WAIT_MS, 'the status bar item to show');
    assert.equal(api.targetHost.text(), '$(server-environment) Windows host: not set');
    try {
      // An isolation chosen without a host is not claimed either: nothing uses it until a host is set.
      await config.update('isolation', 'process', vscode.ConfigurationTarget.Workspace);
      await until(
        () => api.targetHost.text() === '$(server-environment) Windows host: not set',
        WAIT_MS,
        `the status bar to stay "Windows host: not set" (now ${api.targetHost.text()})`,
      );
      await config.update('targetHost', 'ltsc2022', vscode.ConfigurationTarget.Workspace);
      await until(
        () => api.targetHost.text() === '$(server-environment) Windows ltsc2022 · process',
        WAIT_MS,
        `the host and isolation once a host is set (now ${api.targetHost.text()})`,
      );
    } finally {
      await config.update('targetHost', undefined, vscode.ConfigurationTarget.Workspace);
      await config.update('isolation', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('the status bar shows the target host and the picker changes it', async () => {
    await openDockerfile('switch.Dockerfile');
    const api = extension().exports as unknown as ApiWithStatus;
    await until(() => api.targetHost.text() !== undefined, WAIT_MS, 'the status bar item to show');
    const config = vscode.workspace.getConfiguration('windowsContainers');
    try {
      await vscode.commands.executeCommand('windowsContainers.pickTargetHost', {
        targetHost: 'ltsc2022',
        isolation: 'process',
      });
      await until(
        () => api.targetHost.text()?.endsWith('Windows ltsc2022 · process') === true,
        WAIT_MS,
        `the status bar to read "Windows ltsc2022 · process" (now ${api.targetHost.text()})`,
      );
      await vscode.commands.executeCommand('windowsContainers.pickTargetHost', {
        targetHost: 'win11-24h2',
        isolation: 'default',
      });
      await until(
        () => api.targetHost.text()?.endsWith('Windows win11-24h2 · hyperv') === true,
        WAIT_MS,
        'the engine default (Hyper-V on Windows 11)',
      );
    } finally {
      await config.update('targetHost', undefined, vscode.ConfigurationTarget.Workspace);
      await config.update('isolation', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test("target host Windows 11 25H2 (not in Microsoft's matrix): ltsc2025 gets its known issue, and the lightbulb moves it to ltsc2022", async () => {
    const document = await openDockerfile('host25h2.Dockerfile');
    const config = vscode.workspace.getConfiguration('windowsContainers');
    const isHost = (d: vscode.Diagnostic) => d.source === OURS && codeOf(d) === 'windows-host-incompatible';
    try {
      await vscode.commands.executeCommand('windowsContainers.pickTargetHost', {
        targetHost: 'win11-25h2',
        isolation: 'default',
      });
      const diagnostic = (await waitForDiagnostics(document.uri, (ds) => ds.some(isHost), 'the 25H2 known issue')).find(
        isHost,
      );
      assert.ok(diagnostic);
      assert.match(
        diagnostic.message,
        /not in Microsoft's compatibility matrix: "hcsshim::PrepareLayer failed in Win32: .*\(0xc0370112\)"/,
      );
      const preferred = (a: vscode.CodeAction) => a.isPreferred === true && a.edit !== undefined;
      const actions = await codeActionsAt(
        document.uri,
        diagnostic.range,
        (as) => as.some(preferred),
        vscode.CodeActionKind.QuickFix,
      );
      const fix = actions.find(preferred);
      assert.ok(fix?.edit, actions.map((a) => a.title).join(' | '));
      assert.match(fix.title, /ltsc2022 .*reported to work on Windows 11 25H2/);
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.equal(document.lineAt(0).text, 'FROM mcr.microsoft.com/windows/servercore:ltsc2022');
      await waitForDiagnostics(document.uri, (ds) => !ds.some(isHost), 'the finding to go');
    } finally {
      await config.update('targetHost', undefined, vscode.ConfigurationTarget.Workspace);
      await config.update('isolation', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });
});
