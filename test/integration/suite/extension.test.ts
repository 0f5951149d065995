/**
 * The extension inside a real VS Code: activation, diagnostics from the language server, a quick
 * fix, completion, hover, formatting and a settings change. Every wait is bound by a timeout and
 * driven by an event (or a short poll with a deadline), never a fixed sleep.
 *
 * The documents live in the workspace folder the runner opens (a temporary copy of
 * test/integration/workspace), so tests may edit them without touching the repository.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import {
  OURS,
  WAIT_MS,
  withTimeout,
  until,
  describeDiagnostics,
  waitForDiagnostics,
  codeOf,
  hasMessage,
  fromUpstream,
  openDockerfile,
  extension,
  serverReady,
  hoverText,
  completionLabel,
  completionKeyword,
  codeActionsAt,
} from './helpers';

/** Printed when the showcase is on screen (see suiteTeardown and runServer.ts --screenshot). */
const SHOWCASE_MARKER = 'INTEGRATION-SHOWCASE-READY';

const MESSAGES = {
  casing: 'Instructions should be written in uppercase letters',
  maintainer: 'MAINTAINER has been deprecated',
  workdirRelative: 'WORKDIR paths should be absolute',
  copyDestination: 'When using COPY with more than one source file',
};

suite('Windows Containers extension', () => {
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // `runServer.js --screenshot` sets INTEGRATION_SHOWCASE to a file name: show a Dockerfile with
    // its diagnostics and the Problems panel, tell the runner, and wait (bounded) until it has
    // taken the picture and created that file. After the suite the extension host stops and the
    // diagnostics go, so the picture has to be taken here.
    const done = process.env.INTEGRATION_SHOWCASE;
    if (done) {
      await serverReady();
      const document = await openDockerfile('showcase.Dockerfile');
      await waitForDiagnostics(document.uri, (ds) => ds.some((d) => d.source === OURS), 'the showcase diagnostics');
      await vscode.commands.executeCommand('workbench.actions.view.problems');
      await vscode.window.showTextDocument(document);
      console.log(SHOWCASE_MARKER);
      await until(() => fs.existsSync(done), 30_000, 'the runner to take the screenshot').catch((error: unknown) =>
        console.warn(String(error)),
      );
    }
  });

  test('opening a Dockerfile activates the extension and starts the language server', async () => {
    const ext = extension();
    assert.equal(
      ext.isActive,
      false,
      'the extension activates on onLanguage:dockerfile (and dockercompose, yaml) only, and no such document is open yet',
    );
    const document = await openDockerfile('Dockerfile');
    assert.equal(document.languageId, 'dockerfile');
    await until(() => ext.isActive, WAIT_MS, 'the extension to activate after opening a Dockerfile');
    assert.ok(ext.exports, 'activate() returns the API');
    assert.ok(ext.exports.ready instanceof Promise, 'the API has a `ready` promise');
    await withTimeout(ext.exports.ready, WAIT_MS, 'exports.ready');
  });

  test('upstream diagnostics appear (dockerfile-utils)', async () => {
    await serverReady();
    const document = await openDockerfile('upstream.Dockerfile');
    const diagnostics = await waitForDiagnostics(
      document.uri,
      (ds) => ds.some(fromUpstream(MESSAGES.casing)) && ds.some(fromUpstream(MESSAGES.maintainer)),
      'the casing and MAINTAINER warnings of dockerfile-utils',
    );
    const casing = diagnostics.find(fromUpstream(MESSAGES.casing));
    assert.ok(casing);
    assert.equal(casing.range.start.line, 1);
    assert.equal(typeof codeOf(casing), 'number', 'upstream diagnostics keep their numeric codes');
    assert.equal(casing.severity, vscode.DiagnosticSeverity.Warning);
  });

  test('Windows false positives of dockerfile-utils stay absent', async () => {
    await serverReady();
    const document = await openDockerfile('windows.Dockerfile');
    // The MAINTAINER warning is expected: once it is there, the whole set for this version is.
    const diagnostics = await waitForDiagnostics(
      document.uri,
      (ds) => ds.some(fromUpstream(MESSAGES.maintainer)),
      'the MAINTAINER warning',
    );
    const listing = describeDiagnostics(diagnostics);
    assert.equal(
      diagnostics.filter(hasMessage(MESSAGES.workdirRelative)).length,
      0,
      `WORKDIR \\app is absolute on Windows:\n${listing}`,
    );
    assert.equal(
      diagnostics.filter(hasMessage(MESSAGES.copyDestination)).length,
      0,
      `the COPY destinations are directories:\n${listing}`,
    );
    assert.equal(
      diagnostics.filter((d) => d.range.start.line >= 2 && d.source === OURS).length,
      0,
      `no Windows rule fires on valid lines:\n${listing}`,
    );
  });

  test('a RUN line ending in an escaped backslash ends there, as in BuildKit', async () => {
    await serverReady();
    const document = await openDockerfile('windows.Dockerfile');
    const symbols = await withTimeout(
      vscode.commands.executeCommand<(vscode.SymbolInformation | vscode.DocumentSymbol)[]>(
        'vscode.executeDocumentSymbolProvider',
        document.uri,
      ),
      WAIT_MS,
      'document symbols',
    );
    assert.ok(symbols, 'the language server answers documentSymbol');
    const lines = symbols.map((s) => `${s.name}@${('location' in s ? s.location.range : s.range).start.line}`);
    assert.ok(lines.includes('RUN@3'), `RUN on line 4: ${lines.join(', ')}`);
    assert.ok(lines.includes('COPY@4'), `the COPY after the RUN is an instruction of its own: ${lines.join(', ')}`);
    assert.ok(lines.includes('COPY@5'), `the second COPY is an instruction of its own: ${lines.join(', ')}`);
  });

  test('the workdir-bare-drive quick fix applies and its diagnostic goes', async () => {
    await serverReady();
    const document = await openDockerfile('quickfix.Dockerfile');
    const isBareDrive = (d: vscode.Diagnostic) => d.source === OURS && codeOf(d) === 'workdir-bare-drive';
    const diagnostics = await waitForDiagnostics(
      document.uri,
      (ds) => ds.some(isBareDrive),
      'the workdir-bare-drive error',
    );
    const diagnostic = diagnostics.find(isBareDrive);
    assert.ok(diagnostic);
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(diagnostic.range.start.line, 1);

    const actions = await codeActionsAt(document.uri, diagnostic.range, (as) => as.some((a) => a.edit !== undefined));
    const fixes = actions.filter((a) => a.edit !== undefined);
    const fix = fixes.find((a) => a.isPreferred) ?? fixes[0];
    assert.ok(fix, `a quick fix with an edit; got: ${actions.map((a) => a.title).join(' | ') || '(none)'}`);
    assert.ok(fix.edit);
    assert.ok(await vscode.workspace.applyEdit(fix.edit), 'the edit applies');
    assert.equal(
      document.lineAt(1).text,
      'WORKDIR C:\\\\',
      'under the default escape the fix writes C:\\\\ (one backslash to BuildKit)',
    );

    const after = await waitForDiagnostics(
      document.uri,
      (ds) => !ds.some(isBareDrive),
      'the workdir-bare-drive error to go',
    );
    assert.equal(
      after.filter(hasMessage(MESSAGES.workdirRelative)).length,
      0,
      `C:\\\\ is absolute:\n${describeDiagnostics(after)}`,
    );
  });

  test('completion offers instructions on an empty line', async () => {
    await serverReady();
    const document = await openDockerfile('completion.Dockerfile');
    assert.equal(document.lineAt(1).text, '');
    const list = await withTimeout(
      vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        document.uri,
        new vscode.Position(1, 0),
      ),
      WAIT_MS,
      'completion items',
    );
    const items = list?.items ?? [];
    const keywords = new Set(items.map(completionKeyword));
    for (const keyword of ['RUN', 'WORKDIR', 'COPY', 'ENTRYPOINT', 'SHELL']) {
      assert.ok(
        keywords.has(keyword),
        `${keyword} is offered; got: ${items.map(completionLabel).slice(0, 40).join(', ')}`,
      );
    }
    const run = items.find((item) => completionKeyword(item) === 'RUN');
    assert.ok(run);
    assert.equal(run.kind, vscode.CompletionItemKind.Keyword, 'instructions are offered as keywords');
  });

  test('hover on FROM shows its documentation', async () => {
    await serverReady();
    const document = await openDockerfile('hover.Dockerfile');
    const hovers = await withTimeout(
      vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        document.uri,
        new vscode.Position(0, 1),
      ),
      WAIT_MS,
      'hovers',
    );
    const text = hoverText(hovers ?? []);
    assert.match(text, /base\s*image/i, `the FROM hover mentions the base image; got: ${JSON.stringify(text)}`);
    assert.ok(
      (hovers ?? []).some((h) => h.contents.some((c) => c instanceof vscode.MarkdownString)),
      'the hover is markdown',
    );
  });

  test('formatting removes the indentation of an instruction', async () => {
    await serverReady();
    const document = await openDockerfile('format.Dockerfile');
    assert.equal(document.lineAt(1).text, '   RUN dir');
    const edits = await withTimeout(
      vscode.commands.executeCommand<vscode.TextEdit[]>('vscode.executeFormatDocumentProvider', document.uri, {
        tabSize: 4,
        insertSpaces: true,
      }),
      WAIT_MS,
      'formatting edits',
    );
    assert.ok(edits && edits.length > 0, 'the formatter returns edits');
    const edit = new vscode.WorkspaceEdit();
    edit.set(document.uri, edits);
    assert.ok(await vscode.workspace.applyEdit(edit), 'the formatting edits apply');
    assert.equal(document.lineAt(1).text, 'RUN dir');
    assert.equal(
      document.lineAt(0).text,
      'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022',
      'the FROM line is untouched',
    );
  });

  test('changing a setting re-validates open documents', async () => {
    await serverReady();
    const document = await openDockerfile('settings.Dockerfile');
    const isCasing = fromUpstream(MESSAGES.casing);
    const isWorkdir = fromUpstream(MESSAGES.workdirRelative);
    await waitForDiagnostics(
      document.uri,
      (ds) => ds.some(isCasing) && ds.some(isWorkdir),
      'the casing and WORKDIR warnings',
    );

    const key = 'diagnostics.instructionCasing';
    const config = () => vscode.workspace.getConfiguration('windowsContainers', document.uri);
    try {
      await config().update(key, 'ignore', vscode.ConfigurationTarget.Global);
      // The WORKDIR warning stays: the file was validated again, with the casing check off.
      await waitForDiagnostics(
        document.uri,
        (ds) => !ds.some(isCasing) && ds.some(isWorkdir),
        'the casing warning to go after instructionCasing=ignore',
      );
      assert.equal(document.isDirty, false, 'the file was not edited');
    } finally {
      await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    }
    await waitForDiagnostics(document.uri, (ds) => ds.some(isCasing), 'the casing warning to return after the reset');
  });
});
