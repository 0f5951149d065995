/** Switching a whole Dockerfile to another Windows version or family, for every image family. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseDocument } from '../../server/src/dockerfile/document';
import { computeSwitchBaseImage, SwitchRequest } from '../../server/src/service/switchBaseImage';
import { applyEdits } from './helpers';

function run(text: string, request: SwitchRequest) {
  return computeSwitchBaseImage(parseDocument({ uri: 'file:///s/Dockerfile', version: 1, text }), request);
}

function switched(text: string, request: SwitchRequest): string {
  const result = run(text, request);
  assert.ok('edits' in result, `not switched: ${JSON.stringify(result)}`);
  return applyEdits(text, result.edits);
}

function refused(text: string, request: SwitchRequest): string {
  const result = run(text, request);
  assert.ok('refused' in result, 'the switch should be refused');
  return result.refused.join('\n');
}

const MULTI = [
  '# escape=`',
  'ARG TAG=ltsc2022',
  'ARG SDK=mcr.microsoft.com/dotnet/sdk:8.0-windowsservercore-ltsc2022',
  'FROM ${SDK} AS build',
  'FROM mcr.microsoft.com/windows/servercore:ltsc2022-amd64 AS tools',
  'FROM mcr.microsoft.com/windows/nanoserver:${TAG}',
  'COPY --from=build C:\\app C:\\app',
  'COPY --from=mcr.microsoft.com/powershell:lts-nanoserver-ltsc2022 C:\\pwsh C:\\pwsh',
  '',
].join('\n');

test('every FROM, ARG default (image or bare tag) and COPY --from image moves to the new version', () => {
  const expected = MULTI.replace('TAG=ltsc2022', 'TAG=1809')
    .replace('8.0-windowsservercore-ltsc2022', '8.0-windowsservercore-ltsc2019')
    .replace('servercore:ltsc2022-amd64', 'servercore:ltsc2019-amd64')
    .replace('powershell:lts-nanoserver-ltsc2022', 'powershell:lts-nanoserver-1809');
  assert.equal(
    switched(MULTI, { version: 'ltsc2019' }),
    expected,
    'Nano Server 2019 is tagged 1809 (ltsc2019 is unconfirmed)',
  );
});

test('a combination that does not exist refuses the whole switch, with the reason', () => {
  assert.match(
    refused(MULTI, { version: 'ltsc2025' }),
    /line 8: PowerShell has no nanoserver variant for Windows Server 2025/,
  );
  const framework = 'FROM mcr.microsoft.com/dotnet/framework/aspnet:4.8.1-windowsservercore-ltsc2022\n';
  assert.match(
    refused(framework, { version: 'ltsc2022', family: 'nanoserver' }),
    /exists only on Windows Server Core: there is no nanoserver variant/,
  );
  assert.match(
    refused('FROM mcr.microsoft.com/windows:1809\n', { version: 'ltsc2025' }),
    /windows image is not published for Windows Server 2025/,
  );
  assert.match(
    refused('FROM mcr.microsoft.com/dotnet/aspnet:10.0-nanoserver-ltsc2022\n', { version: 'ltsc2019' }),
    /\.NET 10\.0 publishes no nanoserver-1809 image/,
  );
  assert.match(
    refused('FROM mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022\n', {
      version: 'ltsc2022',
      family: 'server',
    }),
    /no server variant/,
  );
  assert.match(refused('FROM x\n', { version: 'ltsc2030' }), /Unknown Windows version ltsc2030/);
});

test('base images switch family and version', () => {
  assert.equal(
    switched('FROM mcr.microsoft.com/windows/servercore:ltsc2019\n', { version: 'ltsc2025', family: 'nanoserver' }),
    'FROM mcr.microsoft.com/windows/nanoserver:ltsc2025\n',
  );
  assert.equal(
    switched('FROM mcr.microsoft.com/windows/nanoserver:1809-amd64\n', { version: 'ltsc2022', family: 'server' }),
    'FROM mcr.microsoft.com/windows/server:ltsc2022-amd64\n',
  );
  assert.equal(
    switched('FROM mcr.microsoft.com/windows/servercore:1809-KB4493509\n', { version: 'ltsc2022' }),
    'FROM mcr.microsoft.com/windows/servercore:ltsc2022\n',
    'a KB pin becomes the version tag',
  );
  assert.equal(
    switched('FROM mcr.microsoft.com/windows:20H2\n', { version: 'ltsc2019' }),
    'FROM mcr.microsoft.com/windows:1809\n',
  );
});

test('derived images: IIS, .NET Framework (4.8 on 2019, 4.8.1 from 2022), .NET, PowerShell', () => {
  assert.equal(
    switched('FROM mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2019\n', { version: 'ltsc2025' }),
    'FROM mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2025\n',
  );
  assert.equal(
    switched('FROM mcr.microsoft.com/dotnet/framework/sdk:4.8-windowsservercore-ltsc2019 AS build\n', {
      version: 'ltsc2022',
    }),
    'FROM mcr.microsoft.com/dotnet/framework/sdk:4.8.1-windowsservercore-ltsc2022 AS build\n',
  );
  assert.equal(
    switched('FROM mcr.microsoft.com/dotnet/framework/runtime:4.8.1-windowsservercore-ltsc2022\n', {
      version: 'ltsc2019',
    }),
    'FROM mcr.microsoft.com/dotnet/framework/runtime:4.8-windowsservercore-ltsc2019\n',
  );
  assert.equal(
    switched('FROM mcr.microsoft.com/dotnet/aspnet:9.0.4-nanoserver-1809\n', {
      version: 'ltsc2025',
      family: 'servercore',
    }),
    'FROM mcr.microsoft.com/dotnet/aspnet:9.0.4-windowsservercore-ltsc2025\n',
  );
  assert.equal(
    switched('FROM mcr.microsoft.com/powershell:nanoserver-ltsc2022\n', { version: 'ltsc2019' }),
    'FROM mcr.microsoft.com/powershell:nanoserver-1809\n',
  );
});

test('other images, stage names, digests and variables are left alone', () => {
  const text =
    'FROM golang:1.22 AS go\nFROM mcr.microsoft.com/windows/servercore@sha256:abc\nCOPY --from=go a b\nFROM ${UNKNOWN}\n';
  const result = run(text, { version: 'ltsc2025' });
  assert.deepEqual(result, { edits: [], changed: 0, notes: [] });
});

test('a file without a Windows image says so, naming its images; a file already on the version answers no edit', () => {
  const linux =
    'FROM golang:1.22 AS go\nARG BASE=alpine:3.20\nFROM ${BASE}\nFROM mcr.microsoft.com/dotnet/sdk:8.0-alpine\nCOPY --from=go a b\n';
  const result = run(linux, { version: 'ltsc2025' });
  assert.ok('noWindowsImage' in result, `expected noWindowsImage, got ${JSON.stringify(result)}`);
  assert.match(
    result.noWindowsImage,
    /names no Windows image \(its images: golang:1\.22, mcr\.microsoft\.com\/dotnet\/sdk:8\.0-alpine, alpine:3\.20\)/,
  );
  assert.ok('noWindowsImage' in run('RUN echo no FROM at all\n', { version: 'ltsc2025' }));
  assert.deepEqual(run('FROM mcr.microsoft.com/windows/servercore:ltsc2025\n', { version: 'ltsc2025' }), {
    edits: [],
    changed: 0,
    notes: [],
  });
  assert.deepEqual(
    run('ARG TAG=ltsc2025\nFROM mcr.microsoft.com/windows/nanoserver:${TAG}\n', { version: 'ltsc2025' }),
    { edits: [], changed: 0, notes: [] },
  );
  assert.deepEqual(
    run('FROM mcr.microsoft.com/windows/servercore@sha256:abc\n', { version: 'ltsc2025' }),
    { edits: [], changed: 0, notes: [] },
    'a digest-pinned Windows image is a Windows image',
  );
  // A Linux .NET stage beside a Windows one is left alone; the Windows one switches.
  assert.equal(
    switched('FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\n', {
      version: 'ltsc2025',
    }),
    'FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nFROM mcr.microsoft.com/windows/servercore:ltsc2025\n',
  );
});

test('a .NET Framework version that moves with the Windows version is noted (4.8.1 → 4.8 on ltsc2019)', () => {
  const result = run(
    'FROM mcr.microsoft.com/dotnet/framework/sdk:4.8.1-windowsservercore-ltsc2022\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\n',
    { version: 'ltsc2019' },
  );
  assert.ok('edits' in result);
  assert.deepEqual(result.notes, [
    {
      edit: 0,
      change: '.NET Framework SDK 4.8.1 → 4.8',
      text: 'line 1: .NET Framework SDK 4.8.1 → 4.8, the version published for Windows Server 2019 (version 1809)',
    },
  ]);
  const same = run('FROM mcr.microsoft.com/dotnet/framework/sdk:4.8.1-windowsservercore-ltsc2022\n', {
    version: 'ltsc2025',
  });
  assert.ok('edits' in same);
  assert.deepEqual(same.notes, [], '4.8.1 stays 4.8.1 on ltsc2025');
});
