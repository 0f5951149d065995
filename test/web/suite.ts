/**
 * The web extension's test, run inside the browser's web worker extension host (test/web/runWeb.ts
 * loads the extension from its `browser` entry with `extensionDevelopmentKind=web`). It imports
 * nothing but `vscode`: the worker's module loader provides only that. Every wait is bounded.
 */
import * as vscode from 'vscode';

const EXTENSION_ID = 'windows-containers.windows-containers';
const WAIT_MS = 60_000;
/** How many times the quick fixes are asked for before the last answer is judged. */
const CODE_ACTION_ASKS = 3;

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

function bounded<T>(promise: Thenable<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    Promise.resolve(promise).finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${WAIT_MS / 1000} s waiting for ${what}`)), WAIT_MS);
    }),
  ]);
}

/** A request VS Code cancelled answers nothing; any other failure fails. */
function nothingIfCancelled(error: unknown): never[] {
  if (error instanceof Error && (error.name === 'Canceled' || error.message === 'Canceled')) return [];
  throw error;
}

/** Resolves with the diagnostics of `uri` once one of `source` is there (now or after a change). */
function diagnosticsOf(uri: vscode.Uri, source: string): Promise<vscode.Diagnostic[]> {
  const ours = () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === source);
  return bounded(
    new Promise<vscode.Diagnostic[]>((resolve) => {
      if (ours().length > 0) return resolve(ours());
      const listener = vscode.languages.onDidChangeDiagnostics((event) => {
        if (event.uris.some((u) => u.toString() === uri.toString()) && ours().length > 0) {
          listener.dispose();
          resolve(ours());
        }
      });
    }),
    `windows-containers diagnostics on ${uri.toString()}`,
  );
}

export async function run(): Promise<void> {
  const scope = globalThis as { importScripts?: unknown; process?: unknown };
  check(
    typeof scope.importScripts === 'function' && scope.process === undefined,
    'the tests do not run in a web worker extension host',
  );
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  check(extension, `${EXTENSION_ID} is not loaded`);
  const api = (await bounded(extension.activate(), 'activation')) as { ready: Promise<void> };
  await bounded(api.ready, 'the language server in its web worker');
  console.log('web: the language server runs in a web worker');

  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  check(folder, 'no workspace folder');
  const mistakes = vscode.Uri.joinPath(folder, 'mistakes.Dockerfile');
  const document = await vscode.workspace.openTextDocument(mistakes);
  await vscode.window.showTextDocument(document);
  const diagnostics = await diagnosticsOf(mistakes, 'windows-containers');
  const bareDrive = diagnostics.find(
    (d) => d.code === 'workdir-bare-drive' || (typeof d.code === 'object' && d.code.value === 'workdir-bare-drive'),
  );
  check(
    bareDrive,
    `no workdir-bare-drive finding on mistakes.Dockerfile: ${diagnostics.map((d) => String(typeof d.code === 'object' ? d.code.value : d.code)).join(', ')}`,
  );
  console.log(
    `web: ${diagnostics.length} Windows findings on mistakes.Dockerfile, workdir-bare-drive on line ${bareDrive.range.start.line + 1}`,
  );

  // Asked again while the answer has no edit: VS Code cancels a code-action request (it answers
  // with no actions, or fails with "Canceled") when the document's code-action providers change while it runs, as they do
  // while the workbench starts (getCodeActions in editor/contrib/codeAction/browser/codeAction.ts).
  // The integration suites' codeActionsAt does the same; this file can import only `vscode`.
  let actions: vscode.CodeAction[] = [];
  let asks = 0;
  while (asks < CODE_ACTION_ASKS && !actions.some((a) => a.edit !== undefined)) {
    asks++;
    actions = await bounded(
      vscode.commands
        .executeCommand<vscode.CodeAction[] | undefined>(
          'vscode.executeCodeActionProvider',
          mistakes,
          bareDrive.range,
          vscode.CodeActionKind.QuickFix.value,
        )
        .then((answer) => answer ?? [], nothingIfCancelled),
      'quick fixes',
    );
  }
  check(
    actions.some((a) => a.edit !== undefined),
    `no quick fix with an edit for workdir-bare-drive after ${asks} requests: ${actions.map((a) => a.title).join(', ') || '(none)'}`,
  );
  if (asks > 1) console.log(`web: the quick fixes came at request ${asks}`);

  const untitled = await vscode.workspace.openTextDocument({
    language: 'dockerfile',
    content: 'FROM mcr.microsoft.com/windows/servercore:',
  });
  const completion = await bounded(
    vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      untitled.uri,
      new vscode.Position(0, untitled.lineAt(0).text.length),
      ':',
    ),
    'tag completion',
  );
  const labels = completion.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
  check(
    labels.includes('ltsc2025') && labels.includes('ltsc2022'),
    `tag completion lacks ltsc2025/ltsc2022: ${labels.slice(0, 10).join(', ')}`,
  );
  console.log(`web: tag completion offers ${labels.length} servercore tags, ${labels.slice(0, 3).join(', ')} first`);

  const hovers = await bounded(
    vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      mistakes,
      new vscode.Position(1, 'FROM mcr.microsoft.com/windows/serv'.length),
    ),
    'hover',
  );
  const hoverText = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
  check(
    /Server Core/.test(hoverText),
    `the hover on the servercore image does not describe it: ${hoverText.slice(0, 200)}`,
  );

  const commands = await vscode.commands.getCommands(true);
  check(
    commands.includes('windowsContainers.switchBaseImageInteractive'),
    'Switch Base Image… is not registered in the browser',
  );
  check(
    commands.includes('windowsContainers.explainDockerError'),
    'Explain Docker Error… is not registered in the browser',
  );
  const explained = await bounded(
    vscode.commands.executeCommand<{ ids: readonly string[] }>('windowsContainers.explainDockerError', {
      text: 'failure in a Windows system call: The operating system of the container does not match the operating system of the host. (0xc0370101)',
    }),
    'Explain Docker Error…',
  );
  check(
    explained?.ids.includes('os-mismatch'),
    `Explain Docker Error… did not recognise the 0xc0370101 error: ${JSON.stringify(explained)}`,
  );
  await vscode.window.showTextDocument(mistakes);
  check(
    !commands.includes('windowsContainers.setDaemonIsolation'),
    'Set Docker Daemon Isolation… needs a machine and must not be registered in the browser',
  );
  console.log('web: quick fix, completion, hover and commands as expected');

  // Compose files and Kubernetes manifests are served in the browser as on the desktop.
  for (const [name, rule] of [
    ['compose.yaml', 'compose-isolation-invalid'],
    ['deployment.yaml', 'kubernetes-windows-node-selector'],
  ] as const) {
    const uri = vscode.Uri.joinPath(folder, name);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const found = await diagnosticsOf(uri, 'windows-containers');
    const codes = found.map((d) => String(typeof d.code === 'object' ? d.code.value : d.code));
    check(codes.includes(rule), `no ${rule} finding on ${name}: ${codes.join(', ')}`);
  }
  await vscode.window.showTextDocument(mistakes);
  console.log('web: compose.yaml and deployment.yaml have their Windows findings');
  await showcase(folder, mistakes);
}

/**
 * When the runner takes a picture (`--screenshot`, it then creates `.showcase-wanted` in the
 * workspace), the Dockerfile with its diagnostics stays on screen until the runner creates
 * `.showcase-done` (bounded).
 */
async function showcase(folder: vscode.Uri, document: vscode.Uri): Promise<void> {
  const exists = (name: string) =>
    vscode.workspace.fs.stat(vscode.Uri.joinPath(folder, name)).then(
      () => true,
      () => false,
    );
  if (!(await exists('.showcase-wanted'))) return;
  await vscode.window.showTextDocument(document, { preview: false });
  console.log('web: showcase ready');
  const deadline = Date.now() + WAIT_MS;
  while (!(await exists('.showcase-done'))) {
    check(Date.now() < deadline, 'the runner did not take its screenshot in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
