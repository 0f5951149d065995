/**
 * `windows-containers explain` as a script runs it: `node dist/cli.js explain ...` with a log on
 * standard input or in the arguments (build first with `npm run build`).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from './helpers';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures-errors');

function explain(args: string[], input?: string) {
  assert.ok(fs.existsSync(CLI), `${CLI} is missing: run npm run build`);
  const result = spawnSync(process.execPath, [CLI, 'explain', ...args], {
    encoding: 'utf8',
    timeout: 30_000,
    input: input ?? '',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function withDockerfile(text: string, run: (file: string) => void): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wc-explain-'));
  try {
    const file = path.join(dir, 'Dockerfile');
    fs.writeFileSync(file, text);
    run(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('explain: a build log on stdin with --dockerfile names the error, its cause, fix, source and the FROM line; exit 0', () => {
  const log = fs.readFileSync(path.join(FIXTURES, 'for-win-2501.log'), 'utf8');
  withDockerfile(
    'FROM microsoft/aspnet\nRUN powershell -NoProfile -Command Remove-Item -Recurse C:\\inetpub\\wwwroot\\*\nWORKDIR /inetpub/wwwroot\nCOPY . .\n',
    (file) => {
      const run = explain(['--dockerfile', file], log);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /^Recognised 1 error:/);
      assert.match(run.stdout, /\[compute-system-exited\]/);
      assert.match(run.stdout, /Step:\s+Step 2\/4 RUN powershell/);
      assert.match(run.stdout, /Dockerfile: .*Dockerfile:1: FROM microsoft\/aspnet/);
      assert.match(run.stdout, /Cause: /);
      assert.match(run.stdout, /- Install the host's latest cumulative update/);
      assert.match(run.stdout, /https:\/\/github\.com\/microsoft\/Windows-Containers\/issues\/591/);
    },
  );
});

test('explain: --dockerfile says when no line of it is responsible', () => {
  withDockerfile('FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCOPY config/ C:/config/\n', (file) => {
    const run = explain([
      '--dockerfile',
      file,
      'invalid mount config for type "bind": source path must be a directory',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Dockerfile: no line: the error is about how the container is run, not the Dockerfile/);
  });
});

test('explain: text in the arguments, the host version named; --format json', () => {
  const run = explain([
    '--format',
    'json',
    'no matching manifest for windows/amd64 10.0.17763 in the manifest list entries',
  ]);
  assert.equal(run.code, 0, run.stderr);
  const out = JSON.parse(run.stdout) as {
    recognised: boolean;
    errors: {
      id: string;
      host: { name: string; runsWithProcessIsolation: string[] };
      sources: { url: string }[];
      logLine: number;
    }[];
  };
  assert.equal(out.recognised, true);
  assert.deepEqual(
    out.errors.map((e) => e.id),
    ['no-matching-manifest'],
  );
  assert.equal(out.errors[0].host.name, 'Windows Server 2019 (version 1809)');
  assert.deepEqual(out.errors[0].host.runsWithProcessIsolation, ['ltsc2019']);
  assert.equal(out.errors[0].logLine, 1);
  assert.ok(out.errors[0].sources.every((s) => s.url.startsWith('https://')));
});

test('explain: a log with two errors and a repeated one lists each once', () => {
  const log = fs.readFileSync(path.join(FIXTURES, 'windows-containers-155.log'), 'utf8');
  const run = explain(['-'], log + log);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^Recognised 2 errors:/);
  assert.equal(run.stdout.match(/\[no-matching-manifest\]/g)?.length, 1);
  assert.match(run.stdout, /and 1 more time\)/);
});

test('explain: a clean build log says nothing was recognised; exit 1', () => {
  const log = fs.readFileSync(path.join(FIXTURES, 'vcpkg-35422-clean-steps.log'), 'utf8');
  const run = explain([], log);
  assert.equal(run.code, 1);
  assert.match(run.stdout, /^Nothing recognised/);
  const json = explain(['--format=json'], log);
  assert.equal(json.code, 1);
  assert.deepEqual(JSON.parse(json.stdout), { recognised: false, errors: [] });
});

test('explain: usage errors exit 2 with a message', () => {
  const format = explain(['--format', 'xml', 'text']);
  assert.equal(format.code, 2);
  assert.match(format.stderr, /unknown format "xml"/);
  const option = explain(['--bogus']);
  assert.equal(option.code, 2);
  assert.match(option.stderr, /unknown option --bogus/);
  const missing = explain(['--dockerfile', path.join(os.tmpdir(), 'no-such-dir-wc', 'Dockerfile'), 'x']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read .*ENOENT/);
  const help = explain(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Exit codes: 0 something was recognised, 1 nothing was, 2 usage error/);
});

test('the top-level help lists explain', () => {
  const result = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
  assert.equal(result.status, 0);
  assert.match(result.stdout, /explain\s+explain Docker and Windows container errors/);
});
