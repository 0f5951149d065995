/** `windows-containers lint` on real files: text, JSON and SARIF output, and its exit codes. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { lintCli as lint, REPO_ROOT, tempTree } from './helpers';

const MULTITOOL_DIR = path.join(REPO_ROOT, 'node_modules', '@microsoft', 'sarif-multitool-linux');

const BROKEN = 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR C:\n';
const CLEAN = 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR C:\\\\app\n';

test('text output: path:line:col severity rule-id message; exit 1 on errors, 0 without', () => {
  const dir = tempTree({
    'app/Dockerfile': BROKEN,
    'app/node_modules/x/Dockerfile': BROKEN,
    'web/windows.Dockerfile': CLEAN,
    'web/README.md': 'not a Dockerfile',
  });
  try {
    const broken = lint(['.'], dir);
    assert.equal(broken.code, 1, broken.err);
    assert.equal(
      broken.out.trim(),
      'app/Dockerfile:2:9 error workdir-bare-drive ' +
        `WORKDIR C: fails the build on Windows: Docker reports 'No relative path specified in "C:"'. Give the folder, for example C:\\.`,
    );
    assert.match(broken.err, /2 file\(s\) checked: 1 error\(s\), 0 other finding\(s\)/, 'node_modules is skipped');
    const clean = lint(['web'], dir);
    assert.equal(clean.code, 0, clean.err);
    assert.equal(clean.out, '');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('json output lists every finding with its range', () => {
  const result = lint(['--format', 'json', 'samples/mistakes.Dockerfile']);
  const findings = JSON.parse(result.out) as { file: string; line: number; rule: string; severity: string }[];
  assert.ok(
    findings.some(
      (f) =>
        f.rule === 'workdir-bare-drive' &&
        f.line === 4 &&
        f.severity === 'error' &&
        f.file === 'samples/mistakes.Dockerfile',
    ),
  );
  assert.ok(findings.some((f) => f.rule === 'dockerfile-utils/deprecated-maintainer' && f.severity === 'warning'));
  assert.equal(result.code, 1);
});

test('SARIF 2.1.0: valid against the schema and accepted by Microsoft’s SARIF validator', () => {
  const result = lint(['--format=sarif', 'samples']);
  const sarif = JSON.parse(result.out) as {
    runs: {
      tool: { driver: { name: string; rules: { id: string }[] } };
      results: {
        ruleId: string;
        ruleIndex: number;
        locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
      }[];
    }[];
  };
  const schema = JSON.parse(fs.readFileSync(path.join(MULTITOOL_DIR, 'sarif-2.1.0.json'), 'utf8'));
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  const validate = ajv.compile(schema);
  assert.ok(validate(sarif as object), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
  const run = sarif.runs[0];
  assert.equal(run.tool.driver.name, 'windows-containers');
  const ruleIds = run.tool.driver.rules.map((r) => r.id);
  for (const r of run.results) {
    assert.equal(ruleIds[r.ruleIndex], r.ruleId);
    assert.match(r.locations[0].physicalLocation.artifactLocation.uri, /^samples\//);
  }
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wc-sarif-')), 'lint.sarif');
  fs.writeFileSync(file, result.out);
  const multitool = spawnSync(path.join(MULTITOOL_DIR, 'Sarif.Multitool'), ['validate', file], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(multitool.status, 0, multitool.stdout + multitool.stderr);
  assert.doesNotMatch(multitool.stdout, /: error /, multitool.stdout);
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
});

test('usage errors exit 2 with a clear message; a missing path exits 3', () => {
  const unknown = lint(['--format', 'xml']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /unknown format "xml"/);
  const host = lint(['--target-host', 'ltsc2030', 'samples']);
  assert.equal(host.code, 2);
  assert.match(host.err, /unknown target host "ltsc2030"/);
  const missing = lint(['no/such/folder']);
  assert.equal(missing.code, 3);
  assert.match(missing.err, /no\/such\/folder was not checked: cannot read: ENOENT/);
  const help = lint(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.out, /--format text\|json\|sarif/);
});

test('--target-host flags base images that host cannot run', () => {
  const dir = tempTree({ Dockerfile: 'FROM mcr.microsoft.com/windows/servercore:ltsc2025\n' });
  try {
    const result = lint(['--target-host', 'ltsc2022', '--isolation', 'process', '.'], dir);
    assert.match(result.out, /windows-host-incompatible/);
    const fine = lint(['--target-host', 'ltsc2025', '.'], dir);
    assert.doesNotMatch(fine.out, /windows-host-incompatible/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
