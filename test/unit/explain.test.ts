/**
 * The error catalogue (server/src/data/errors.json) on the error texts its sources quote
 * (test/fixtures-errors/), the Windows versions read from them, and the Dockerfile line named
 * responsible.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { describeWindowsVersion, ERROR_ENTRIES, explainLog, responsibleLine } from '../../server/src/errors/explain';
import { REPO_ROOT } from './helpers';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures-errors');

interface Case {
  readonly file: string;
  readonly source: string;
  readonly expect: readonly { id: string; host?: string; image?: string; instruction?: string }[];
}

const cases = (JSON.parse(fs.readFileSync(path.join(FIXTURES, 'cases.json'), 'utf8')) as { cases: Case[] }).cases;
const read = (file: string) => fs.readFileSync(path.join(FIXTURES, file), 'utf8');

test('the error catalogue matches its JSON schema, and every pattern compiles', () => {
  const dataDir = path.join(REPO_ROOT, 'server', 'src', 'data');
  const schema = JSON.parse(fs.readFileSync(path.join(dataDir, 'errors.schema.json'), 'utf8'));
  const data = JSON.parse(fs.readFileSync(path.join(dataDir, 'errors.json'), 'utf8'));
  const validate = new Ajv({ allErrors: true }).compile(schema);
  assert.ok(validate(data), JSON.stringify(validate.errors, null, 2));
  const ids = ERROR_ENTRIES.map((e) => e.id);
  assert.equal(new Set(ids).size, ids.length, 'unique ids');
  for (const entry of ERROR_ENTRIES) {
    for (const pattern of entry.patterns)
      assert.doesNotThrow(() => new RegExp(pattern, 'gi'), `${entry.id}: ${pattern}`);
    if (entry.dockerfilePattern)
      assert.equal(entry.concerns, 'step', `${entry.id}: dockerfilePattern is for step errors`);
  }
});

test('every catalogue entry has a fixture quoted from one of its sources', () => {
  const fixtures = fs
    .readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.log'))
    .sort();
  assert.deepEqual(cases.map((c) => c.file).sort(), fixtures, 'cases.json lists every fixture');
  for (const entry of ERROR_ENTRIES) {
    const own = cases.filter((c) => c.expect.some((e) => e.id === entry.id));
    assert.ok(own.length > 0, `${entry.id} has a fixture`);
    const urls = entry.sources.map((s) => s.url);
    assert.ok(
      own.some((c) => urls.some((url) => c.source.startsWith(url) || url.startsWith(c.source.split(' ')[0]))),
      `${entry.id}: one of its fixtures comes from one of its sources (${own.map((c) => c.source).join(', ')})`,
    );
  }
});

for (const c of cases) {
  test(`fixture ${c.file}: ${c.expect.length > 0 ? c.expect.map((e) => e.id).join(', ') : 'nothing recognised'}`, () => {
    const explained = explainLog(read(c.file));
    assert.deepEqual(
      explained.map((e) => e.entry.id),
      c.expect.map((e) => e.id),
    );
    c.expect.forEach((expected, i) => {
      if (expected.host) assert.equal(explained[i].host?.name, expected.host, 'host version');
      if (expected.image) assert.equal(explained[i].image?.name, expected.image, 'image version');
      if (expected.instruction) assert.equal(explained[i].instruction, expected.instruction);
    });
  });
}

test('Windows versions in messages are looked up in the image catalogue', () => {
  const ws2019 = describeWindowsVersion('10.0.17763');
  assert.equal(ws2019.name, 'Windows Server 2019 (version 1809)');
  assert.deepEqual(ws2019.runsProcess, ['ltsc2019']);
  assert.ok(ws2019.runsHyperVOnly.includes('ltsc2016'));
  assert.ok(!ws2019.runsHyperVOnly.includes('ltsc2022'), 'never an image newer than the host');
  const ws2025 = describeWindowsVersion('10.0.26100');
  assert.equal(ws2025.name, 'Windows Server 2025 / Windows 11 24H2');
  assert.deepEqual(ws2025.runsProcess, ['ltsc2025', 'ltsc2022']);
  const unknown = describeWindowsVersion('10.0.19043');
  assert.equal(unknown.known, false);
  assert.deepEqual(unknown.runsProcess, [], 'a build below 20348 runs only its own build');
});

test('an error that repeats is reported once, with its count', () => {
  const line =
    'container 1 encountered an error during Start: failure in a Windows system call: The compute system exited unexpectedly. (0xc0370106)';
  const explained = explainLog([line, 'retrying', line.replace('container 1', 'container 2')].join('\n'));
  assert.equal(explained.length, 1);
  assert.equal(explained[0].occurrences, 2);
  assert.equal(explained[0].logLine, 0);
});

test('logs without a catalogued error give nothing, never a guess', () => {
  const buildkitClean = [
    '#0 building with "default" instance using windows driver',
    '#1 [internal] load build definition from Dockerfile',
    '#1 transferring dockerfile: 312B done',
    '#2 [internal] load metadata for mcr.microsoft.com/windows/servercore:ltsc2022',
    '#3 [1/3] FROM mcr.microsoft.com/windows/servercore:ltsc2022@sha256:0d9d',
    '#4 [2/3] RUN powershell -Command Write-Host hello',
    '#4 1.234 hello',
    '#4 DONE 3.1s',
    '#5 exporting to image',
    '#5 writing image sha256:1234 done',
  ].join('\n');
  assert.deepEqual(explainLog(buildkitClean), []);
  assert.deepEqual(explainLog(''), []);
  assert.deepEqual(
    explainLog('npm ERR! code ELIFECYCLE\nnpm ERR! errno 1\nThe command returned a non-zero code: 1'),
    [],
  );
  assert.deepEqual(explainLog('The operating system is Windows 10.0.17763 and the host is fine'), []);
  assert.deepEqual(explainLog('x'.repeat(100_000)), []);
});

const ASPNET_DOCKERFILE = `FROM microsoft/aspnet
RUN powershell -NoProfile -Command Remove-Item -Recurse C:\\inetpub\\wwwroot\\*
WORKDIR /inetpub/wwwroot
COPY . .
`;

test('--dockerfile: an error during a classic builder step names the FROM of that step’s stage', () => {
  const [error] = explainLog(read('for-win-2501.log'));
  assert.equal(error.step?.index, 2);
  const line = responsibleLine(ASPNET_DOCKERFILE, error);
  assert.equal(line?.line, 0);
  assert.equal(line?.keyword, 'FROM');
  assert.match(line?.reason ?? '', /base image of the failing build step \(Step 2\/4\)/);
});

test('--dockerfile: a pull refused at the FROM step names that FROM among several', () => {
  const dockerfile = `ARG TAG=windows-latest
FROM mcr.microsoft.com/windows/servercore:ltsc2019 AS tools
RUN echo tools
FROM friwidev/jcefdocker:windows-latest
COPY --from=tools C:/tools C:/tools
CMD ["cmd"]
`;
  const [error] = explainLog(read('jcefbuild-15.log'));
  assert.equal(error.imageName, 'friwidev/jcefdocker:windows-latest');
  const line = responsibleLine(dockerfile, error);
  assert.equal(line?.line, 3);
  assert.equal(line?.text, 'FROM friwidev/jcefdocker:windows-latest');
});

test('--dockerfile: a pull error without steps finds the FROM of the image being pulled', () => {
  const dockerfile =
    'FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS build\nRUN echo\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nCOPY --from=build a b\n';
  const [error] = explainLog(read('windows-containers-155.log'));
  assert.equal(error.entry.id, 'no-matching-manifest');
  assert.equal(error.imageName, 'windows/nanoserver:ltsc2022');
  assert.equal(responsibleLine(dockerfile, error)?.line, 2);
});

test('--dockerfile: BuildKit output lines belong to their #N step, in the named stage', () => {
  const dockerfile = `# escape=\`
FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS tools
RUN echo tools
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022 AS build
WORKDIR C:\\app
RUN powershell -Command Write-Host hi
FROM build
CMD ["cmd"]
`;
  const log = [
    '#5 [build 1/3] FROM mcr.microsoft.com/windows/nanoserver:ltsc2022',
    '#6 [tools 2/2] RUN echo tools',
    '#7 [build 3/3] RUN powershell -Command Write-Host hi',
    '#6 0.411 tools',
    "#7 0.512 'powershell' is not recognized as an internal or external command,",
    '#7 0.513 operable program or batch file.',
    '#7 ERROR: process "cmd /S /C powershell -Command Write-Host hi" did not complete successfully: exit code: 1',
  ].join('\n');
  const [error] = explainLog(log);
  assert.equal(error.entry.id, 'powershell-not-found');
  assert.deepEqual([error.step?.stage, error.step?.index, error.step?.total], ['build', 3, 3]);
  const line = responsibleLine(dockerfile, error);
  assert.equal(line?.line, 5);
  assert.equal(line?.keyword, 'RUN');
  assert.match(line?.reason ?? '', /\[build 3\/3\]/);
});

test('--dockerfile: a run error without steps names the final stage’s base image, through stage references', () => {
  const dockerfile =
    'FROM mcr.microsoft.com/dotnet/framework/sdk:4.8 AS build\nRUN echo\nFROM mcr.microsoft.com/dotnet/framework/aspnet:4.8 AS base\nFROM base\nCOPY --from=build a b\n';
  const [error] = explainLog(read('dotnet-framework-docker-1265.log'));
  const line = responsibleLine(dockerfile, error);
  assert.equal(line?.line, 2);
  assert.match(line?.reason ?? '', /final stage/);
});

test('--dockerfile: the instruction a message names, the step of a download, nothing for a docker run option', () => {
  const stop = explainLog(read('buildkit-stopsignal.log'))[0];
  assert.equal(
    responsibleLine('FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nSTOPSIGNAL SIGTERM\n', stop)?.line,
    1,
  );
  const monitor = explainLog(read('iis-servicemonitor-96.log'))[0];
  const dockerfile =
    'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nRUN Invoke-WebRequest -UseBasicParsing -Uri "https://dotnetbinaries.blob.core.windows.net/servicemonitor/2.0.1.10/ServiceMonitor.exe" -OutFile "C:\\ServiceMonitor.exe"\n';
  assert.equal(responsibleLine(dockerfile, monitor)?.line, 2);
  const mount = explainLog(read('moby-37120.log'))[0];
  assert.equal(responsibleLine(dockerfile, mount), undefined);
});

test('--dockerfile: a step the Dockerfile does not have names no line', () => {
  const [error] = explainLog(read('for-win-2501.log'));
  assert.equal(responsibleLine('FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCOPY a b\n', error), undefined);
});
