/**
 * Least privilege, checked on the sources and the manifest (docs/reliability.md):
 * - settings that name files outside the workspace are machine-scoped and restricted in
 *   untrusted workspaces, so a workspace cannot redirect a write;
 * - untrusted workspaces get the read-only features only: the one command that writes outside
 *   the workspace needs trust (in the manifest and in its code);
 * - the client runs no shell with a string from a document: every process, terminal, clipboard
 *   and browser use is on the allow-list below, and the terminal only ever gets a constant;
 * - the server reaches the network only from the live tag refresh and the live lifecycle refresh
 *   (catalogue/), which the language server creates without a registry or URL override, so they
 *   talk to MCR and to dotnet/core's releases-index.json over https only.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from './helpers';

interface Setting {
  readonly key: string;
  readonly scope?: string;
  readonly type?: string;
  readonly enum?: unknown[];
  readonly description: string;
}

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  contributes: {
    configuration: {
      properties: Record<
        string,
        { scope?: string; type?: string; enum?: unknown[]; markdownDescription?: string; description?: string }
      >;
    }[];
    commands: { command: string; enablement?: string }[];
  };
  capabilities: { untrustedWorkspaces: { supported: string | boolean; restrictedConfigurations?: string[] } };
};

const settings: Setting[] = manifest.contributes.configuration.flatMap((group) =>
  Object.entries(group.properties).map(([key, p]) => ({
    key,
    scope: p.scope,
    type: p.type,
    enum: p.enum,
    description: p.markdownDescription ?? p.description ?? '',
  })),
);

/** A setting whose value names a file or folder: by its name, or a free string setting whose description says it is a path. */
const namesAFile = (s: Setting) =>
  /(path|file|folder|dir|directory|executable)$/i.test(s.key) ||
  (s.type === 'string' && !s.enum && /\b(a|an|absolute|the) (file )?path\b|\bfile name\b/i.test(s.description));

test('settings that name files are machine-scoped and restricted in untrusted workspaces', () => {
  const fileSettings = settings.filter(namesAFile);
  assert.deepEqual(
    fileSettings.map((s) => s.key),
    ['windowsContainers.daemon.configPath'],
    'the settings that name files (update this list, and their scope, when adding one)',
  );
  for (const s of fileSettings) {
    assert.equal(s.scope, 'machine', `${s.key}: a workspace must not set it`);
    assert.ok(
      manifest.capabilities.untrustedWorkspaces.restrictedConfigurations?.includes(s.key),
      `${s.key} is restricted in untrusted workspaces`,
    );
  }
  // Nothing that reaches the network or the machine may be set by a workspace either.
  const network = settings.find((s) => s.key === 'windowsContainers.catalogue.liveRefresh');
  assert.equal(network?.scope, 'application', "the live refresh switch is the user's, not a workspace's");
});

test('untrusted workspaces get the read-only features; the command that writes outside the workspace needs trust', () => {
  assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
  const writing = manifest.contributes.commands.filter((c) => c.command === 'windowsContainers.setDaemonIsolation');
  assert.equal(writing.length, 1);
  assert.equal(writing[0].enablement, 'isWorkspaceTrusted && !isWeb');
  const source = fs.readFileSync(path.join(REPO_ROOT, 'client', 'src', 'commands', 'daemonIsolation.ts'), 'utf8');
  assert.match(
    source,
    /if \(!vscode\.workspace\.isTrusted\)/,
    'the command checks trust itself too (it can be run from code)',
  );
  // The others edit the open document through the editor (a WorkspaceEdit the user sees), set this extension's own
  // settings, or only read (Explain Docker Error shows a read-only explanation and moves the cursor).
  assert.deepEqual(manifest.contributes.commands.map((c) => c.command).sort(), [
    'windowsContainers.explainDockerError',
    'windowsContainers.pickTargetHost',
    'windowsContainers.setDaemonIsolation',
    'windowsContainers.switchBaseImageInteractive',
  ]);
});

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** What can run a program, open a shell or a browser, or hand text to one. */
const POWERFUL =
  /\b(child_process|spawn|spawnSync|execFile|execSync|exec\(|fork\(|createTerminal|sendText|ShellExecution|ProcessExecution|tasks\.executeTask|openExternal|clipboard\.writeText|new Function|eval\()/g;

/**
 * Every such use in the client, and why it is safe. A new one fails the test until it is reviewed
 * and listed (with docs/reliability.md).
 */
const CLIENT_ALLOW_LIST: Record<string, string[]> = {
  'client/src/commands/daemonIsolation.ts': [
    // "Restart the engine" opens a PowerShell terminal and types the constant RESTART_ENGINE.
    'createTerminal',
    'sendText',
    // Opens Microsoft's Docker Desktop documentation (a constant URL).
    'openExternal',
    // Copies the elevated PowerShell command (for a permission failure): built by elevatedCopyCommand
    // from the daemon.json path (a machine setting) and a temporary file name, quoted, for the user to paste.
    'clipboard.writeText',
  ],
};

test('the client runs no program and opens no shell except the reviewed uses, and the terminal gets a constant', () => {
  const found: Record<string, string[]> = {};
  for (const file of sourceFiles(path.join(REPO_ROOT, 'client', 'src'))) {
    const text = fs.readFileSync(file, 'utf8').replace(/^\s*(\/\/|\*).*$/gm, '');
    const uses = [...text.matchAll(POWERFUL)].map((m) => m[1].replace(/\($/, ''));
    if (uses.length > 0) found[path.relative(REPO_ROOT, file).split(path.sep).join('/')] = [...new Set(uses)].sort();
  }
  assert.deepEqual(
    found,
    Object.fromEntries(Object.entries(CLIENT_ALLOW_LIST).map(([f, uses]) => [f, [...uses].sort()])),
  );
  const daemon = fs.readFileSync(path.join(REPO_ROOT, 'client', 'src', 'commands', 'daemonIsolation.ts'), 'utf8');
  assert.deepEqual(
    [...daemon.matchAll(/sendText\(([^)]*)\)/g)].map((m) => m[1]),
    ['RESTART_ENGINE'],
  );
  assert.match(daemon, /const RESTART_ENGINE = 'Restart-Service docker';/);
  assert.match(daemon, /openExternal\(vscode\.Uri\.parse\(DOCKER_DESKTOP_ENGINE_DOCS\)\)/);
});

test('the server and common code run no program; only the live tag and lifecycle refreshes reach the network', () => {
  // server/src/runtime/lazyModules.ts requires the network modules on first use for the files that call its accessors.
  const network =
    /\bfrom 'node:(http|https|net|tls|dgram|dns)'|require\('(node:)?(http|https|net|tls)'\)|\bfetch\(|\bnode(Http|Https|Net|Tls)\(/;
  const programs = /\bfrom 'node:child_process'|require\('(node:)?child_process'\)/;
  const reaching: string[] = [];
  for (const file of [
    ...sourceFiles(path.join(REPO_ROOT, 'server', 'src')),
    ...sourceFiles(path.join(REPO_ROOT, 'common')),
  ]) {
    const text = fs.readFileSync(file, 'utf8');
    const name = path.relative(REPO_ROOT, file).split(path.sep).join('/');
    assert.doesNotMatch(text, programs, `${name} starts no process`);
    if (network.test(text)) reaching.push(name);
  }
  // The lifecycle refresh (liveLifecycles.ts) makes its request through liveTags.ts's getPage; the
  // browser build swaps liveTags.ts for web/liveTags.ts, the same refresh with fetch.
  assert.deepEqual(reaching.sort(), [
    'server/src/network/liveTags.ts',
    'server/src/network/proxyAgent.ts',
    'server/src/runtime/lazyModules.ts',
    'server/src/web/liveTags.ts',
  ]);
  // The language server makes its live tag source without `baseUrl`: the registry is MCR, over https.
  const start = fs.readFileSync(path.join(REPO_ROOT, 'server', 'src', 'transport', 'startServer.ts'), 'utf8');
  const call = /createLiveTagSource\(\{([\s\S]*?)\n\s*\}\);/.exec(start)?.[1] ?? '';
  assert.ok(call.length > 0, 'startServer.ts creates the live tag source');
  assert.doesNotMatch(call, /baseUrl/, 'no registry override reaches the server from a client or a setting');
  for (const source of [
    ['network', 'liveTags.ts'],
    ['web', 'liveTags.ts'],
  ]) {
    const live = fs.readFileSync(path.join(REPO_ROOT, 'server', 'src', ...source), 'utf8');
    assert.match(live, /options\.baseUrl \?\? `https:\/\/\$\{MCR_REGISTRY\}`/, source.join('/'));
  }
  const api = fs.readFileSync(path.join(REPO_ROOT, 'server', 'src', 'catalogue', 'registryApi.ts'), 'utf8');
  assert.match(api, /export const MCR_REGISTRY = 'mcr\.microsoft\.com';/);
  // The same for the lifecycle source: no `url` from a client or a setting; https to dotnet's own host.
  const lifecycles = /createLiveLifecycleSource\(\{([\s\S]*?)\n\s*\}\);/.exec(start)?.[1] ?? '';
  assert.ok(lifecycles.length > 0, 'startServer.ts creates the live lifecycle source');
  assert.doesNotMatch(lifecycles, /\burl\b/);
  const lifecycleSource = fs.readFileSync(
    path.join(REPO_ROOT, 'server', 'src', 'network', 'liveLifecycles.ts'),
    'utf8',
  );
  assert.match(lifecycleSource, /new URL\(options\.url \?\? RELEASES_INDEX_URL\)/);
  assert.match(
    lifecycleSource,
    /export const RELEASES_INDEX_URL = 'https:\/\/builds\.dotnet\.microsoft\.com\/dotnet\/release-metadata\/releases-index\.json';/,
  );
});
