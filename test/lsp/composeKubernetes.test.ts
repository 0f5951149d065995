/** Compose files (`dockercompose`, and `yaml` by name) and Kubernetes manifests (`yaml`) over real LSP. */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, CompletionItem, Diagnostic, Hover, TextEdit } from 'vscode-languageserver-protocol';
import { startClient, TestClient, withTimeout } from './lspClient';

const request = <T>(client: TestClient, method: string, params: unknown) =>
  withTimeout(client.connection.sendRequest(method, params) as Promise<T>, 5000, method);
const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => String(d.code)).sort();

const COMPOSE = `services:
  web:
    image: mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022
    isolation: hyper-v
    volumes:
      - \\\\.\\pipe\\docker_engine:\\\\.\\pipe\\docker_engine
  db:
    image: postgres:16
`;

const MANIFEST = `apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata:
  name: hyperv
handler: runhcs-wcow-hypervisor
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: iis
spec:
  template:
    spec:
      containers:
      - name: iis
        image: mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx
spec:
  template:
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
`;

describe('compose files and Kubernetes manifests over LSP', () => {
  let client: TestClient;
  let dir: string;
  before(async () => {
    client = await startClient();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wc-yaml-'));
  });
  after(async () => {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a dockercompose document gets the compose findings, a fix, hover, tag completion and links; no formatting', async () => {
    const uri = pathToFileURL(path.join(dir, 'compose.yaml')).href;
    client.open(uri, COMPOSE, 1, 'dockercompose');
    const diagnostics = await client.diagnostics(uri);
    assert.deepEqual(codes(diagnostics), ['compose-isolation-invalid', 'compose-npipe-short-syntax']);
    const isolation = diagnostics.find((d) => d.code === 'compose-isolation-invalid')!;
    const actions = await request<CodeAction[]>(client, 'textDocument/codeAction', {
      textDocument: { uri },
      range: isolation.range,
      context: { diagnostics: [isolation] },
    });
    assert.deepEqual(
      actions.map((a) => [a.title, (a.edit?.changes?.[uri] as TextEdit[])[0].newText]),
      [['Use isolation: hyperv', 'hyperv']],
    );
    const hover = await request<Hover>(client, 'textDocument/hover', {
      textDocument: { uri },
      position: { line: 2, character: 20 },
    });
    assert.match(JSON.stringify(hover.contents), /IIS/);
    const tagPosition = { line: 2, character: '    image: mcr.microsoft.com/windows/servercore/iis:'.length };
    const completion = await request<CompletionItem[] | { items: CompletionItem[] }>(
      client,
      'textDocument/completion',
      { textDocument: { uri }, position: tagPosition },
    );
    const labels = (Array.isArray(completion) ? completion : completion.items).map((i) => i.label);
    assert.ok(labels.includes('windowsservercore-ltsc2025'), labels.join(', '));
    const links = await request<{ target?: string }[]>(client, 'textDocument/documentLink', { textDocument: { uri } });
    assert.deepEqual(links.map((l) => l.target).filter((t) => t?.includes('mcr.microsoft.com')).length, 1);
    const formatting = await request<TextEdit[]>(client, 'textDocument/formatting', {
      textDocument: { uri },
      options: { tabSize: 2, insertSpaces: true },
    });
    assert.deepEqual(formatting, []);
    const symbols = await request<unknown[]>(client, 'textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(symbols, []);
  });

  test('a yaml document named docker-compose.*.yml is a compose file', async () => {
    const uri = pathToFileURL(path.join(dir, 'docker-compose.prod.yml')).href;
    client.open(
      uri,
      'services:\n  app:\n    image: mcr.microsoft.com/windows/nanoserver:ltsc2022\n    platform: linux/amd64\n',
      1,
      'yaml',
    );
    assert.deepEqual(codes(await client.diagnostics(uri)), ['compose-platform-mismatch']);
  });

  test('a yaml manifest: findings on its Windows pod only, hovers on the image and the RuntimeClass handler', async () => {
    const uri = pathToFileURL(path.join(dir, 'app.yaml')).href;
    client.open(uri, MANIFEST, 1, 'yaml');
    const diagnostics = await client.diagnostics(uri);
    assert.deepEqual(codes(diagnostics), ['kubernetes-windows-node-selector']);
    assert.equal(diagnostics[0].range.start.line, 15);
    const action = (
      await request<CodeAction[]>(client, 'textDocument/codeAction', {
        textDocument: { uri },
        range: diagnostics[0].range,
        context: { diagnostics },
      })
    )[0];
    assert.equal(action.title, 'Add the node selector kubernetes.io/os: windows');
    assert.equal(action.isPreferred, true);
    const handler = await request<Hover>(client, 'textDocument/hover', {
      textDocument: { uri },
      position: { line: 4, character: 12 },
    });
    assert.match(JSON.stringify(handler.contents), /Hyper-V isolation/);
    const image = await request<Hover>(client, 'textDocument/hover', {
      textDocument: { uri },
      position: { line: 15, character: 20 },
    });
    assert.match(JSON.stringify(image.contents), /IIS/);
    const nginx = await request<Hover | null>(client, 'textDocument/hover', {
      textDocument: { uri },
      position: { line: 26, character: 18 },
    });
    assert.equal(nginx, null, 'no hover on an image the catalogue does not know');
  });

  test('a hover on windowsOptions explains HostProcess and where isolation is chosen', async () => {
    const uri = pathToFileURL(path.join(dir, 'hostprocess.yaml')).href;
    const text =
      'apiVersion: v1\nkind: Pod\nspec:\n  hostNetwork: true\n  securityContext:\n    windowsOptions:\n      hostProcess: true\n      runAsUserName: "NT AUTHORITY\\\\SYSTEM"\n  containers:\n  - name: a\n    image: mcr.microsoft.com/windows/nanoserver:ltsc2022\n';
    client.open(uri, text, 1, 'yaml');
    await client.diagnostics(uri);
    const hover = await request<Hover>(client, 'textDocument/hover', {
      textDocument: { uri },
      position: { line: 5, character: 8 },
    });
    assert.match(JSON.stringify(hover.contents), /hostProcess: true/);
    assert.match(JSON.stringify(hover.contents), /RuntimeClass names a Hyper-V handler/);
    const elsewhere = await request<Hover | null>(client, 'textDocument/hover', {
      textDocument: { uri },
      position: { line: 3, character: 4 },
    });
    assert.equal(elsewhere, null, 'no hover on other keys: the YAML extension has those');
  });

  test('a hover on node.kubernetes.io/windows-build names the node builds, the selected one and AKS retirements', async () => {
    const uri = pathToFileURL(path.join(dir, 'build-selector.yaml')).href;
    const text = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'spec:',
      '  template:',
      '    spec:',
      '      nodeSelector:',
      '        kubernetes.io/os: windows',
      "        node.kubernetes.io/windows-build: '10.0.17763'",
      '      affinity:',
      '        nodeAffinity:',
      '          requiredDuringSchedulingIgnoredDuringExecution:',
      '            nodeSelectorTerms:',
      '            - matchExpressions:',
      '              - key: node.kubernetes.io/windows-build',
      '                operator: In',
      "                values: ['10.0.19041']",
      '      containers:',
      '      - name: web',
      '        image: mcr.microsoft.com/windows/servercore:ltsc2019',
      '',
    ].join('\n');
    client.open(uri, text, 1, 'yaml');
    await client.diagnostics(uri);
    const hoverAt = (line: number, character: number) =>
      request<Hover | null>(client, 'textDocument/hover', { textDocument: { uri }, position: { line, character } });
    const selector = await hoverAt(7, 20);
    assert.ok(selector);
    const text7 = JSON.stringify(selector.contents);
    assert.match(text7, /\*\*`10\.0\.17763`\*\* \(this selector\) \| Windows Server 2019 \| `ltsc2019`/);
    // The server reads the real date; the tense follows it (test/unit/images.test.ts pins the dates).
    const today = new Date().toISOString().slice(0, 10);
    assert.match(text7, new RegExp(`node pools ${today >= '2026-03-01' ? 'retired' : 'retire'} on 2026-03-01`));
    assert.match(text7, new RegExp(`node pools ${today >= '2027-03-15' ? 'retired' : 'retire'} on 2027-03-15`));
    assert.deepEqual(selector.range, { start: { line: 7, character: 8 }, end: { line: 7, character: 54 } });
    const expression = await hoverAt(13, 25);
    assert.ok(expression);
    assert.match(
      JSON.stringify(expression.contents),
      /`10\.0\.19041` is Windows Server, version 2004, out of servicing since 2021-12-14/,
    );
    assert.equal(await hoverAt(6, 10), null, 'no hover on kubernetes.io/os: the YAML extension has it');
  });

  test('other YAML gets nothing: a workflow, a templated chart, a manifest of Linux pods', async () => {
    const workflow = pathToFileURL(path.join(dir, 'ci.yml')).href;
    client.open(
      workflow,
      'on: push\njobs:\n  build:\n    runs-on: windows-latest\n    container:\n      image: mcr.microsoft.com/windows/servercore\n',
      1,
      'yaml',
    );
    assert.deepEqual(await client.diagnostics(workflow), []);
    assert.equal(
      await request<Hover | null>(client, 'textDocument/hover', {
        textDocument: { uri: workflow },
        position: { line: 5, character: 20 },
      }),
      null,
    );
    const chart = pathToFileURL(path.join(dir, 'deployment.yaml')).href;
    client.open(
      chart,
      'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - image: {{ .Values.image }}\n        name: x\n      - image: mcr.microsoft.com/windows/servercore\n',
      1,
      'yaml',
    );
    assert.deepEqual(await client.diagnostics(chart), []);
    await withTimeout(
      (async () => {
        while (!client.logs.some((l) => l.includes('deployment.yaml is not analysed: a template')))
          await new Promise((resolve) => setImmediate(resolve));
      })(),
      5000,
      'the note on the templated file',
    );
  });

  test('a multi-document file with a broken document: the others still get findings', async () => {
    const uri = pathToFileURL(path.join(dir, 'broken.yaml')).href;
    const broken = 'apiVersion: v1\nkind: Pod\nspec: [unclosed\n---\n' + MANIFEST.split('---\n')[1];
    client.open(uri, broken, 1, 'yaml');
    assert.deepEqual(codes(await client.diagnostics(uri)), ['kubernetes-windows-node-selector']);
  });
});
