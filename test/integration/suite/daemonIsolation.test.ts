/**
 * "Windows Containers: Set Docker Daemon Isolation…" inside a real VS Code: the setting points
 * the command at a temporary daemon.json, the command's argument `{ mode, confirm: true }` answers
 * the quick pick and the confirmation, and the test reads the file back.
 *
 * The suite runs in Restricted Mode (the runners refuse the trust prompt, so the language features
 * are tested there). This file first checks that the command refuses to write there, then has the
 * workspace trusted the way a user does: it opens the Workspace Trust editor and prints
 * TRUST_MARKER; runServer.ts (which sets INTEGRATION_GRANTS_TRUST) clicks "Trust" in the page.
 * Under a runner that does not, the tests that need trust are skipped (pending).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

const COMMAND = 'windowsContainers.setDaemonIsolation';
const SETTING = 'daemon.configPath';
const WAIT_MS = 15_000;
const TRUST_MARKER = 'INTEGRATION-GRANT-TRUST';

interface Outcome {
  status: 'written' | 'unchanged' | 'cancelled' | 'failed';
  file?: string;
  backup?: string;
  message?: string;
}

function withTimeout<T>(promise: Thenable<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([Promise.resolve(promise), timeout]).finally(() => clearTimeout(timer));
}

function run(args: unknown): Promise<Outcome> {
  return withTimeout(
    vscode.commands.executeCommand<Outcome>(COMMAND, args),
    WAIT_MS,
    `${COMMAND} ${JSON.stringify(args)}`,
  );
}

suite('Set Docker Daemon Isolation', () => {
  const config = () => vscode.workspace.getConfiguration('windowsContainers');
  let dir: string;

  setup(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wc-daemon-it-'));
  });

  teardown(async () => {
    await config().update(SETTING, undefined, vscode.ConfigurationTarget.Global);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the command is contributed, enabled only in a trusted workspace, and registered', async () => {
    const ext = vscode.extensions.getExtension('windows-containers.windows-containers');
    assert.ok(ext);
    const contributed = (ext.packageJSON.contributes.commands as { command: string; enablement?: string }[]).find(
      (c) => c.command === COMMAND,
    );
    assert.equal(contributed?.enablement, 'isWorkspaceTrusted && !isWeb');
    await withTimeout(ext.activate(), WAIT_MS, 'the extension to activate');
    assert.ok((await vscode.commands.getCommands(true)).includes(COMMAND), `${COMMAND} is registered`);
  });

  test('in Restricted Mode the command refuses and writes nothing', async function () {
    if (vscode.workspace.isTrusted) this.skip();
    const file = path.join(dir, 'daemon.json');
    fs.writeFileSync(file, '{"exec-opts": ["isolation=hyperv"]}');
    await config().update(SETTING, file, vscode.ConfigurationTarget.Global);
    const outcome = await run({ mode: 'process', confirm: true });
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.message ?? '', /needs a trusted workspace/);
    assert.deepEqual(fs.readdirSync(dir), ['daemon.json']);
    assert.equal(fs.readFileSync(file, 'utf8'), '{"exec-opts": ["isolation=hyperv"]}');
  });

  test('the workspace is trusted as a user does it (Workspace Trust editor, "Trust")', async function () {
    if (!vscode.workspace.isTrusted) {
      if (!process.env.INTEGRATION_GRANTS_TRUST) this.skip();
      const granted = new Promise<void>((resolve) => vscode.workspace.onDidGrantWorkspaceTrust(() => resolve()));
      await vscode.commands.executeCommand('workbench.trust.manage');
      console.log(TRUST_MARKER);
      await withTimeout(granted, 30_000, 'the runner to click "Trust"');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
    assert.equal(vscode.workspace.isTrusted, true);
  });

  test('writes isolation=process into the configured daemon.json, keeping everything else, with a backup', async function () {
    if (!vscode.workspace.isTrusted) this.skip();
    const file = path.join(dir, 'daemon.json');
    const before =
      '{\r\n  "debug": true,\r\n  "exec-opts": [\r\n    "native.cgroupdriver=cgroupfs",\r\n    "isolation=hyperv"\r\n  ]\r\n}\r\n';
    fs.writeFileSync(file, before);
    await config().update(SETTING, file, vscode.ConfigurationTarget.Global);
    assert.equal(config().inspect<string>(SETTING)?.globalValue, file, 'the setting took (Global target)');

    const written = await run({ mode: 'process', confirm: true });
    assert.equal(written.status, 'written', written.message);
    assert.equal(written.file, file);
    assert.equal(
      fs.readFileSync(file, 'utf8'),
      before.replace('isolation=hyperv', 'isolation=process'),
      'only the entry changed, CRLF kept',
    );
    assert.ok(written.backup && fs.existsSync(written.backup), `a backup beside the file: ${written.backup}`);
    assert.match(path.basename(written.backup), /^daemon\.json\.\d{8}-\d{6}\.bak$/);
    assert.equal(fs.readFileSync(written.backup, 'utf8'), before);

    const again = await run({ mode: 'process', confirm: true });
    assert.equal(again.status, 'unchanged');
    assert.equal(fs.readdirSync(dir).filter((n) => n.endsWith('.bak')).length, 1, 'no second backup');

    const removed = await run({ mode: 'default', confirm: true });
    assert.equal(removed.status, 'written', removed.message);
    assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8'))['exec-opts'], ['native.cgroupdriver=cgroupfs']);
  });

  test('without confirm: true the change is shown as a diff and nothing is written until confirmed', async function () {
    if (!vscode.workspace.isTrusted) this.skip();
    const file = path.join(dir, 'daemon.json');
    const before = '{\n  "debug": true\n}\n';
    fs.writeFileSync(file, before);
    await config().update(SETTING, file, vscode.ConfigurationTarget.Global);
    const diffs: vscode.Uri[] = [];
    const listener = vscode.window.tabGroups.onDidChangeTabs((event) => {
      for (const tab of event.opened) {
        if (tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.scheme === 'windows-containers-daemon')
          diffs.push(tab.input.modified);
      }
    });
    try {
      // The test workbench refuses modal dialogs, so the confirmation is never given.
      const outcome = await run({ mode: 'process' });
      assert.notEqual(outcome.status, 'written', outcome.message);
    } finally {
      listener.dispose();
    }
    assert.equal(diffs.length, 1, 'a diff editor of the current file and the proposed one was opened');
    const proposed = await vscode.workspace.openTextDocument(diffs[0]);
    assert.equal(proposed.getText(), '{\n  "debug": true,\n  "exec-opts": [\n    "isolation=process"\n  ]\n}\n');
    assert.equal(fs.readFileSync(file, 'utf8'), before);
    assert.deepEqual(fs.readdirSync(dir), ['daemon.json']);
  });

  test('creates a missing file; refuses invalid JSON and an unknown mode without writing', async function () {
    if (!vscode.workspace.isTrusted) this.skip();
    const file = path.join(dir, 'config', 'daemon.json');
    await config().update(SETTING, file, vscode.ConfigurationTarget.Global);
    const created = await run({ mode: 'hyperv', confirm: true });
    assert.equal(created.status, 'written', created.message);
    assert.equal(created.backup, undefined);
    assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), { 'exec-opts': ['isolation=hyperv'] });

    const broken = '{\n  "debug": true,\n}\n';
    fs.writeFileSync(file, broken);
    const invalid = await run({ mode: 'process', confirm: true });
    assert.equal(invalid.status, 'failed');
    assert.match(invalid.message ?? '', /line 2, column 16: trailing comma/);
    assert.equal(fs.readFileSync(file, 'utf8'), broken);

    const unknown = await run({ mode: 'container', confirm: true });
    assert.equal(unknown.status, 'failed');
    assert.match(unknown.message ?? '', /unknown isolation mode "container"/);
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['daemon.json']);
  });

  test('without the setting there is no default file off Windows: the command says which setting to set', async function () {
    if (process.platform === 'win32' || !vscode.workspace.isTrusted) this.skip();
    const outcome = await run({ mode: 'process', confirm: true });
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.message ?? '', /windowsContainers\.daemon\.configPath/);
  });
});
