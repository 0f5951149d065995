/**
 * `windows-containers lint` against hostile trees (issue 19 items 3, 7, 8, 9, 12; issue 18 item 5):
 * memory flat in the number of files, control characters escaped, unreadable paths reported while
 * everything else is printed, failed checks visible, SARIF URIs escaped, folder discovery as documented.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { RULES } from '../../server/src/rules';
import { lintCommand } from '../../server/src/cli/lint';
import { lintCli, REPO_ROOT } from './helpers';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const MULTITOOL_DIR = path.join(REPO_ROOT, 'node_modules', '@microsoft', 'sarif-multitool-linux');
const BROKEN = 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR C:\n';

function lint(args: string[], cwd: string, nodeArgs: string[] = []) {
  return lintCli(args, cwd, { nodeArgs, timeoutMs: 120_000, maxBuffer: 64 * 1024 * 1024 });
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'wc-lint-hard-'));
}

function write(dir: string, name: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
  fs.writeFileSync(path.join(dir, name), text);
}

test('lint memory is flat in the number of files: 1,500 files are checked with a 48 MB heap', () => {
  const dir = tempDir();
  try {
    const count = 1500;
    for (let i = 0; i < count; i++)
      write(dir, `d${Math.floor(i / 100)}/${i}.Dockerfile`, `${BROKEN}# file ${i}\n${'RUN echo step\n'.repeat(20)}`);
    // Keeping every checked document took about 60 KB of heap per file: these 1,500 ran out of a
    // 48 MB heap. Released once checked, only the findings stay (20,000 files fit in it too).
    const result = lint(['--format', 'json', '.'], dir, ['--max-old-space-size=48']);
    assert.doesNotMatch(result.err, /heap out of memory/);
    assert.equal(result.code, 1, result.err.slice(-500));
    const findings = JSON.parse(result.out) as { rule: string }[];
    assert.equal(findings.filter((f) => f.rule === 'workdir-bare-drive').length, count);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('text output escapes control characters: a folder name cannot forge a line or a GitHub annotation', () => {
  const dir = tempDir();
  try {
    const hostile = 'x\n::error file=a,line=1::forged\u001b[31m\u202e';
    write(dir, `${hostile}/Dockerfile`, BROKEN);
    write(dir, '::warning::forged/Dockerfile', BROKEN);
    const result = lint(['.'], dir);
    assert.equal(result.code, 1, result.err);
    const lines = result.out.split('\n').filter((l) => l !== '');
    assert.equal(lines.length, 2, result.out);
    for (const line of [...lines, ...result.err.split('\n')]) {
      assert.doesNotMatch(line, /^::/, 'no line starts a workflow command');
      // eslint-disable-next-line no-control-regex -- the check is for raw control characters
      assert.doesNotMatch(line, /[\u0000-\u0008\u000b-\u001f\u007f\u202e]/, 'no raw control character');
    }
    assert.ok(
      lines.some((l) =>
        l.startsWith('x\\n::error file=a,line=1::forged\\x1b[31m\\u202e/Dockerfile:2:9 error workdir-bare-drive '),
      ),
      result.out,
    );
    assert.ok(
      lines.some((l) => l.startsWith('./::warning::forged/Dockerfile:2:9 error ')),
      result.out,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('unreadable paths are reported (text, JSON, SARIF notifications), everything else is still printed, exit 3', () => {
  const dir = tempDir();
  try {
    write(dir, 'good/Dockerfile', BROKEN);
    fs.symlinkSync('loop', path.join(dir, 'loop'));
    const long = 'n'.repeat(300);
    const unreadable = process.getuid?.() !== 0 ? 'locked' : undefined;
    if (unreadable) {
      write(dir, `${unreadable}/Dockerfile`, BROKEN);
      fs.chmodSync(path.join(dir, unreadable), 0o000);
    }
    const args = ['good', 'missing', 'loop', long, ...(unreadable ? [unreadable] : [])];
    try {
      const text = lint(args, dir);
      assert.equal(text.code, 3, text.err);
      assert.match(
        text.out,
        /^good\/Dockerfile:2:9 error workdir-bare-drive /m,
        'the readable file is still checked and printed',
      );
      assert.match(text.err, /missing was not checked: cannot read: ENOENT/);
      assert.match(text.err, /loop was not checked: cannot read: ELOOP/);
      assert.match(text.err, /n{300} was not checked: cannot read: ENAMETOOLONG/);
      if (unreadable) assert.match(text.err, /locked was not checked: cannot read the folder: EACCES/);
      assert.match(text.err, /1 file\(s\) checked: 1 error\(s\), 0 other finding\(s\); \d path\(s\) not checked/);

      const json = lint(['--format', 'json', ...args], dir);
      assert.equal(json.code, 3);
      const findings = JSON.parse(json.out) as { file: string; rule: string; severity: string; message: string }[];
      assert.ok(findings.some((f) => f.file === 'good/Dockerfile' && f.rule === 'workdir-bare-drive'));
      assert.ok(
        findings.some(
          (f) =>
            f.file === 'missing' &&
            f.rule === 'windows-containers/not-checked' &&
            f.severity === 'error' &&
            /ENOENT/.test(f.message),
        ),
      );

      const sarifRun = lint(['--format', 'sarif', ...args], dir);
      assert.equal(sarifRun.code, 3);
      const sarif = JSON.parse(sarifRun.out) as {
        runs: {
          invocations: {
            executionSuccessful: boolean;
            toolExecutionNotifications: { level: string; message: { text: string } }[];
          }[];
          results: unknown[];
        }[];
      };
      const schema = JSON.parse(fs.readFileSync(path.join(MULTITOOL_DIR, 'sarif-2.1.0.json'), 'utf8'));
      const validate = new Ajv2020({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
      assert.ok(validate(sarif as object), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
      const invocation = sarif.runs[0].invocations[0];
      assert.equal(invocation.executionSuccessful, false);
      assert.ok(
        invocation.toolExecutionNotifications.some(
          (n) => n.level === 'error' && /missing was not checked: cannot read: ENOENT/.test(n.message.text),
        ),
      );
      assert.equal(sarif.runs[0].results.length, 1, 'the readable file’s finding is uploaded');
    } finally {
      if (unreadable) fs.chmodSync(path.join(dir, unreadable), 0o755);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a file over the size limit is reported as not checked (warning), exit 3', () => {
  const dir = tempDir();
  try {
    write(dir, 'big/Dockerfile', BROKEN + '#'.repeat(600 * 1024) + '\n');
    write(dir, 'small/Dockerfile', BROKEN);
    const result = lint(['--format', 'sarif', '.'], dir);
    assert.equal(result.code, 3);
    const sarif = JSON.parse(result.out) as {
      runs: {
        invocations: {
          executionSuccessful: boolean;
          toolExecutionNotifications: { level: string; message: { text: string } }[];
        }[];
        results: unknown[];
      }[];
    };
    assert.deepEqual(
      sarif.runs[0].invocations[0].toolExecutionNotifications.map((n) => [n.level, n.message.text]),
      [['warning', 'big/Dockerfile was not checked: larger than 524288 characters']],
    );
    assert.equal(sarif.runs[0].invocations[0].executionSuccessful, true, 'a deliberate skip is not a failed run');
    assert.equal(sarif.runs[0].results.length, 1);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a check that fails is visible: message, not-checked entry, exit 3; the other findings stand', async () => {
  const dir = tempDir();
  const rule = RULES.find((r) => r.id === 'workdir-bare-drive')!;
  const other = RULES.find((r) => r.id !== 'workdir-bare-drive' && r.defaultSeverity !== 'off')!;
  const check = other.check;
  (other as { check: typeof check }).check = () => {
    throw new Error('rule exploded');
  };
  const cwd = process.cwd();
  try {
    write(dir, 'Dockerfile', BROKEN);
    process.chdir(dir);
    const out: string[] = [];
    const err: string[] = [];
    const code = await lintCommand.run(['.'], {
      out: (t) => void out.push(t),
      err: (t) => void err.push(t),
      env: {},
      platform: process.platform,
    });
    assert.equal(code, 3);
    assert.match(out.join('\n'), new RegExp(`^Dockerfile:2:9 error ${rule.id} `));
    assert.match(
      err.join('\n'),
      new RegExp(
        `Dockerfile was not checked: the check failed, findings may be missing: rule ${other.id} failed on file:///.*: Error: rule exploded`,
      ),
    );
  } finally {
    (other as { check: typeof check }).check = check;
    process.chdir(cwd);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('heredoc edge shapes (RUN <<--, --, <<; repeated delimiters) are checked without a failure', () => {
  const dir = tempDir();
  try {
    const FROM = 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\n';
    write(dir, 'a/Dockerfile', `${FROM}RUN <<--\n--\n<<\n`);
    write(dir, 'b/Dockerfile', `${FROM}RUN <<A <<A\nA\nA\nA\nWORKDIR C:\n`);
    write(dir, 'c/Dockerfile', `${FROM}COPY <<-- x\n--\n-\n<<\n`);
    write(dir, 'd/Dockerfile', `${FROM}RUN <<\n<<\nWORKDIR C:\n`);
    const result = lint(['.'], dir);
    assert.doesNotMatch(result.err, /not checked|failed/, result.err);
    assert.equal(result.code, 1, result.err);
    assert.match(result.out, /^b\/Dockerfile:\d+:\d+ error workdir-bare-drive /m);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('SARIF file URIs escape #, ?, % and spaces (built with the URL API)', () => {
  const dir = tempDir();
  try {
    write(dir, 'a#b?c%d e/Dockerfile', BROKEN);
    const result = lint(['--format', 'sarif', '.'], dir);
    const sarif = JSON.parse(result.out) as {
      runs: {
        results: { locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }[] }[];
      }[];
    };
    const location = sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation;
    assert.deepEqual(location, { uri: 'a%23b%3Fc%25d%20e/Dockerfile', uriBaseId: '%SRCROOT%' });
    assert.equal(decodeURIComponent(new URL(location.uri, 'file:///root/').pathname), '/root/a#b?c%d e/Dockerfile');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('folder discovery matches the README: Dockerfile, *.Dockerfile, Dockerfile.*, Containerfile, not other kinds of files', () => {
  const dir = tempDir();
  try {
    const checked = [
      'Dockerfile',
      'web.Dockerfile',
      'Dockerfile.windows',
      'Dockerfile.ltsc2022',
      'Containerfile',
      'windows-Dockerfile',
      'Dockerfile_1809',
      'app.dockerfile',
    ];
    const ignored = [
      'Dockerfile.dockerignore',
      'Dockerfile.md',
      'anything-dockerfile-1.json',
      'Dockerfile.yml',
      'Dockerfile.yaml',
      'Dockerfile.txt',
      'README.md',
      'Dockerfile.ps1',
      'Dockerfile.bak',
    ];
    for (const name of [...checked, ...ignored]) write(dir, `f/${name}`, BROKEN);
    const result = lint(['--format', 'json', '.'], dir);
    const files = new Set((JSON.parse(result.out) as { file: string }[]).map((f) => f.file));
    assert.deepEqual([...files].sort(), checked.map((n) => `f/${n}`).sort());
    // A file named on the command line is checked whatever its name.
    const named = lint(['--format', 'json', 'f/Dockerfile.md'], dir);
    assert.ok((JSON.parse(named.out) as { file: string }[]).some((f) => f.file === 'f/Dockerfile.md'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('every CLI message escapes control characters from its arguments (unknown command, daemon paths)', () => {
  const unknown = spawnSync(process.execPath, [CLI, 'x\n::error::forged\u001b[2J'], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown command "x\\n::error::forged\\x1b\[2J"/);
  const dir = tempDir();
  try {
    const config = path.join(dir, 'a\n::error::x', 'daemon.json');
    fs.mkdirSync(path.dirname(config));
    fs.writeFileSync(config, '{"exec-opts": [');
    const daemon = spawnSync(process.execPath, [CLI, 'daemon', 'isolation', 'process', '--config', config], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    assert.equal(daemon.status, 1);
    assert.match(daemon.stderr, /a\\n::error::x/);
    for (const line of daemon.stderr.split('\n')) assert.doesNotMatch(line, /^::/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
