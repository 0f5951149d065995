/** `windows-containers lint` on compose files and Kubernetes manifests: found in folders or named, same outputs and exit codes. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { lintCli as lint, tempTree } from './helpers';

const COMPOSE =
  'services:\n  web:\n    image: mcr.microsoft.com/windows/servercore:ltsc2019\n    isolation: process\n  worker:\n    image: mcr.microsoft.com/windows/nanoserver:ltsc2019\n    isolation: proces\n';
const MANIFEST =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: w\nspec:\n  containers:\n  - name: app\n    image: mcr.microsoft.com/windows/servercore:ltsc2022\n';
const WORKFLOW =
  'on: push\njobs:\n  build:\n    runs-on: windows-2022\n    container:\n      image: mcr.microsoft.com/windows/servercore\n    steps:\n      - run: echo ${{ github.sha }}\n';

test('a folder: compose files and manifests are found and checked; other YAML gets nothing', () => {
  const dir = tempTree({
    'compose.yaml': COMPOSE,
    'k8s/pod.yaml': MANIFEST,
    '.github/workflows/ci.yml': WORKFLOW,
    'config.yml': 'image: mcr.microsoft.com/windows/servercore\n',
  });
  try {
    const result = lint(['.'], dir);
    assert.equal(result.code, 1, result.err);
    assert.deepEqual(
      result.out
        .trim()
        .split('\n')
        .map((line) => line.split(' ').slice(0, 3).join(' ')),
      [
        'compose.yaml:7:16 error compose-isolation-invalid',
        'k8s/pod.yaml:8:12 warning kubernetes-windows-node-selector',
      ],
    );
    assert.match(result.err, /4 file\(s\) checked: 1 error\(s\), 1 other finding\(s\)/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('--target-host applies to a compose service with isolation: process', () => {
  const dir = tempTree({ 'docker-compose.yml': COMPOSE });
  try {
    const json = (args: string[]) =>
      (
        JSON.parse(lint([...args, '--format', 'json', 'docker-compose.yml'], dir).out) as {
          rule: string;
          line: number;
        }[]
      ).map((f) => `${f.line} ${f.rule}`);
    assert.deepEqual(json([]), ['7 compose-isolation-invalid']);
    assert.deepEqual(json(['--target-host', 'ltsc2022']), [
      '3 windows-host-incompatible',
      '6 windows-host-incompatible',
      '7 compose-isolation-invalid',
    ]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a parse error is reported with its position, the sound documents are checked, and the exit code is not 2', () => {
  const dir = tempTree({ 'app.yaml': `apiVersion: v1\nkind: Pod\nspec: [unclosed\n---\n${MANIFEST}` });
  try {
    const result = lint(['--format', 'sarif', 'app.yaml'], dir);
    assert.equal(result.code, 0, result.err);
    assert.match(result.err, /^app\.yaml:\d+:\d+ YAML: /m);
    const sarif = JSON.parse(result.out) as {
      runs: {
        tool: { driver: { rules: { id: string; shortDescription: { text: string } }[] } };
        results: { ruleId: string }[];
      }[];
    };
    assert.deepEqual(
      sarif.runs[0].results.map((r) => r.ruleId),
      ['kubernetes-windows-node-selector'],
    );
    assert.match(sarif.runs[0].tool.driver.rules[0].shortDescription.text, /kubernetes\.io\/os: windows/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
