/** CI outputs beside SARIF: `lint --format gitlab` (GitLab Code Quality), checked against the documented format. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import { lintCli as lint, REPO_ROOT } from './helpers';

interface Issue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: string;
  location: { path: string; lines: { begin: number } };
}

test('--format gitlab: a Code Quality report GitLab reads, one issue per finding, stable fingerprints', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wc-gitlab-'));
  try {
    fs.mkdirSync(path.join(dir, 'app'));
    // Two identical findings in one file (two WORKDIR C:) and a warning (MAINTAINER).
    const text = 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nMAINTAINER someone\nWORKDIR C:\nWORKDIR C:\n';
    fs.writeFileSync(path.join(dir, 'app', 'Dockerfile'), text);
    const result = lint(['--format', 'gitlab', '.'], dir);
    assert.equal(result.code, 1, result.err);
    const issues = JSON.parse(result.out) as Issue[];
    const schema = JSON.parse(
      fs.readFileSync(path.join(REPO_ROOT, 'test', 'fixtures-ci', 'gitlab-code-quality.schema.json'), 'utf8'),
    );
    const validate = new Ajv({ allErrors: true }).compile(schema);
    assert.ok(validate(issues), JSON.stringify(validate.errors, null, 2));

    const bare = issues.filter((i) => i.check_name === 'workdir-bare-drive');
    assert.deepEqual(
      bare.map((i) => [i.location.path, i.location.lines.begin, i.severity]),
      [
        ['app/Dockerfile', 3, 'major'],
        ['app/Dockerfile', 4, 'major'],
      ],
    );
    assert.ok(issues.some((i) => i.check_name === 'dockerfile-utils/deprecated-maintainer' && i.severity === 'minor'));
    assert.equal(new Set(issues.map((i) => i.fingerprint)).size, issues.length, 'fingerprints are unique');

    // A line added above the findings moves them but keeps their fingerprints: GitLab does not report them as new.
    fs.writeFileSync(path.join(dir, 'app', 'Dockerfile'), `# escape=\\\n${text}`);
    const moved = JSON.parse(lint(['--format', 'gitlab', '.'], dir).out) as Issue[];
    assert.deepEqual(moved.map((i) => i.fingerprint).sort(), issues.map((i) => i.fingerprint).sort());
    assert.deepEqual(
      moved.filter((i) => i.check_name === 'workdir-bare-drive').map((i) => i.location.lines.begin),
      [4, 5],
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('--format gitlab with nothing found prints an empty report and exits 0', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wc-gitlab-'));
  try {
    fs.writeFileSync(
      path.join(dir, 'Dockerfile'),
      'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR C:\\\\app\n',
    );
    const result = lint(['--format', 'gitlab', '.'], dir);
    assert.equal(result.code, 0, result.err);
    assert.deepEqual(JSON.parse(result.out), []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
