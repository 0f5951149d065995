/**
 * The base-image catalogue inside a real VS Code: tag completion with version details and the
 * end-of-servicing tags marked deprecated, and the image hover with contents and hosts.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { hoverText, openDockerfile, serverReady, WAIT_MS, withTimeout } from './helpers';

suite('Windows base-image catalogue', () => {
  suiteSetup(async () => {
    await serverReady();
  });

  test('tag completion lists Windows versions with details, end-of-servicing last and deprecated', async () => {
    const document = await openDockerfile('catalogue.Dockerfile');
    const line = document.lineAt(2).text;
    const position = new vscode.Position(2, line.length);
    const list = await withTimeout(
      vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        document.uri,
        position,
        ':',
      ),
      WAIT_MS,
      'tag completion',
    );
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.deepEqual(
      labels.slice(0, 5),
      ['ltsc2025', 'ltsc2025-amd64', 'ltsc2025-arm64', 'ltsc2022', 'ltsc2022-amd64'],
      labels.join(', '),
    );
    assert.match(String(list.items.find((i) => i.label === 'ltsc2025-arm64')?.detail), /unconfirmed tag/);
    const ltsc2022 = list.items.find((i) => i.label === 'ltsc2022');
    assert.match(String(ltsc2022?.detail), /^Windows Server 2022 · build 20348 · /);
    const ended = list.items.filter((i) => i.tags?.includes(vscode.CompletionItemTag.Deprecated)).map((i) => i.label);
    assert.deepEqual(ended, ['20H2', '2004', '1909', '1903', '1803', '1709']);
    const sorted = [...list.items].sort((a, b) =>
      String(a.sortText ?? a.label).localeCompare(String(b.sortText ?? b.label)),
    );
    assert.deepEqual(
      sorted.slice(-6).map((i) => i.label),
      ended,
      'deprecated tags sort last',
    );
  });

  test('hover on an image explains it: version, contents, hosts', async () => {
    const document = await openDockerfile('catalogue.Dockerfile');
    const hovers = await withTimeout(
      vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        document.uri,
        new vscode.Position(1, 30),
      ),
      WAIT_MS,
      'image hover',
    );
    const text = hoverText(hovers);
    assert.match(text, /\*\*Nano Server\*\*/);
    assert.match(text, /Windows Server 2019 \(version 1809\) · build 17763/);
    assert.match(text, /ContainerUser/);
    assert.match(text, /- process isolation: Windows Server 2019/);
    assert.match(text, /The container operating system does not match the host operating system/);
  });
});
