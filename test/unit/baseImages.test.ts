/** The helpers of the base-image rules: where a reference is written, the tags offered, lifecycle, and host resolution. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { normaliseSettings } from '../../common/settings';
import { Machine, settingsOnMachine } from '../../common/targetHosts';
import { findRepository, resolveTag, WindowsVersion } from '../../server/src/catalogue/catalogue';
import {
  candidateTags,
  referenceEdits,
  versionLifecycle,
  windowsBaseImages,
} from '../../server/src/rules/support/baseImages';
import { windowsHostIncompatible } from '../../server/src/rules/windows-host-incompatible';
import { windowsMixedBuilds } from '../../server/src/rules/windows-mixed-builds';
import { parseDocument } from '../../server/src/dockerfile/document';
import { applyEdits, FIXTURE_TODAY } from './helpers';

const parse = (text: string) => parseDocument({ uri: 'file:///x', version: 1, text });

/** Applies a repository/tag change to the first Windows base image of a document. */
function change(text: string, edit: { repository?: string; tag?: string }): string | undefined {
  const image = windowsBaseImages(parse(text))[0];
  assert.ok(image, 'a Windows base image');
  const edits = referenceEdits(image.site, edit);
  return edits && applyEdits(text, edits);
}

test('referenceSite: tags are replaced where written, inserted where missing, and ARG defaults are followed', () => {
  assert.equal(
    change('FROM mcr.microsoft.com/windows/servercore:1803 AS a', { tag: 'ltsc2025' }),
    'FROM mcr.microsoft.com/windows/servercore:ltsc2025 AS a',
  );
  assert.equal(
    change('FROM mcr.microsoft.com/windows/servercore', { tag: 'ltsc2025' }),
    'FROM mcr.microsoft.com/windows/servercore:ltsc2025',
  );
  assert.equal(
    change('FROM mcr.microsoft.com/windows/servercore@sha256:abc', { tag: 'ltsc2025' }),
    'FROM mcr.microsoft.com/windows/servercore:ltsc2025@sha256:abc',
  );
  assert.equal(
    change('FROM microsoft/nanoserver:sac2016', { repository: 'mcr.microsoft.com/windows/nanoserver' }),
    'FROM mcr.microsoft.com/windows/nanoserver:sac2016',
  );
  assert.equal(
    change('FROM docker.io/microsoft/nanoserver', { repository: 'mcr.microsoft.com/windows/nanoserver', tag: '1809' }),
    'FROM mcr.microsoft.com/windows/nanoserver:1809',
  );
  assert.equal(
    change('ARG B=mcr.microsoft.com/windows/servercore:1709\nFROM $B', { tag: 'ltsc2019' }),
    'ARG B=mcr.microsoft.com/windows/servercore:ltsc2019\nFROM $B',
  );
  assert.equal(
    change('ARG B=mcr.microsoft.com/windows/servercore\nFROM ${B}', { tag: 'ltsc2019' }),
    'ARG B=mcr.microsoft.com/windows/servercore:ltsc2019\nFROM ${B}',
  );
  assert.equal(
    change('ARG T="1803"\nFROM mcr.microsoft.com/windows/servercore:${T}', { tag: 'ltsc2019' }),
    'ARG T="ltsc2019"\nFROM mcr.microsoft.com/windows/servercore:${T}',
  );
  assert.equal(
    change('ARG REPO=mcr.microsoft.com/dotnet/framework/runtime\nFROM $REPO:3.5-windowsservercore-ltsc2019', {
      tag: '4.8-windowsservercore-ltsc2019',
    }),
    'ARG REPO=mcr.microsoft.com/dotnet/framework/runtime\nFROM $REPO:4.8-windowsservercore-ltsc2019',
  );
  // The last global ARG of a name wins; a registry port is not a tag.
  assert.equal(
    change('ARG T=1709\nARG T=1803\nFROM mcr.microsoft.com/windows/servercore:$T', { tag: 'ltsc2022' }),
    'ARG T=1709\nARG T=ltsc2022\nFROM mcr.microsoft.com/windows/servercore:$T',
  );
  assert.equal(
    change('FROM --platform=windows/amd64 localhost:5000/app', { tag: 'v1' }),
    'FROM --platform=windows/amd64 localhost:5000/app:v1',
  );
});

test('referenceSite: parts built from more than one plain ARG are not editable', () => {
  assert.equal(
    change('ARG T=1803\nFROM mcr.microsoft.com/windows/servercore:${T}-amd64', { tag: 'ltsc2022' }),
    undefined,
  );
  assert.equal(
    change('ARG T=1803\nFROM mcr.microsoft.com/windows/servercore:$T', { repository: 'x' }),
    'ARG T=1803\nFROM x:$T',
  );
});

test('candidateTags: newest first, one per version, supported and confirmed only', () => {
  const tags = (
    repository: string,
    current: string | undefined,
    accept: (v: WindowsVersion) => boolean = () => true,
  ) => {
    const repo = findRepository(repository)!;
    return candidateTags(repo, current ? resolveTag(repo, current) : undefined, FIXTURE_TODAY, accept).map(
      (c) => c.tag,
    );
  };
  assert.deepEqual(tags('mcr.microsoft.com/windows/servercore', undefined), [
    'ltsc2025',
    'ltsc2022',
    'ltsc2019',
    'ltsc2016',
  ]);
  // Nano Server 2019 is `1809` (`ltsc2019` is unconfirmed); `sac2016` has ended.
  assert.deepEqual(tags('mcr.microsoft.com/windows/nanoserver', undefined), ['ltsc2025', 'ltsc2022', '1809']);
  assert.deepEqual(tags('mcr.microsoft.com/windows/nanoserver', '1903-amd64'), [
    'ltsc2025-amd64',
    'ltsc2022-amd64',
    '1809-amd64',
  ]);
  assert.deepEqual(tags('mcr.microsoft.com/windows', '1909'), ['1809']);
  // .NET keeps its product version and image family; .NET 10 has no 1809 variant.
  assert.deepEqual(tags('mcr.microsoft.com/dotnet/sdk', '8.0.30-nanoserver-1809'), [
    '8.0.30-nanoserver-ltsc2025',
    '8.0.30-nanoserver-ltsc2022',
    '8.0.30-nanoserver-1809',
  ]);
  assert.deepEqual(tags('mcr.microsoft.com/dotnet/aspnet', '10.0-windowsservercore-ltsc2025'), [
    '10.0-windowsservercore-ltsc2025',
    '10.0-windowsservercore-ltsc2022',
  ]);
  assert.deepEqual(tags('mcr.microsoft.com/powershell', 'lts-nanoserver-ltsc2022'), [
    'lts-nanoserver-ltsc2022',
    'lts-nanoserver-1809',
  ]);
  // .NET Framework: retired tags (4.8 on ltsc2022) are never offered.
  assert.deepEqual(
    tags('mcr.microsoft.com/dotnet/framework/runtime', undefined, (v) => v.id === 'ltsc2022'),
    ['4.8.1-windowsservercore-ltsc2022'],
  );
});

test('versionLifecycle: a full-build tag takes the end of its repository’s tags of that version', () => {
  const life = (repository: string, tag: string) =>
    versionLifecycle(resolveTag(findRepository(repository)!, tag)!, FIXTURE_TODAY);
  assert.deepEqual(life('mcr.microsoft.com/windows/nanoserver', '10.0.14393.2068'), {
    status: 'ended',
    end: '2018-10-09',
  });
  assert.deepEqual(life('mcr.microsoft.com/windows/servercore', '10.0.14393.2007'), {
    status: 'extended',
    end: '2027-01-12',
  });
  assert.deepEqual(life('mcr.microsoft.com/windows/servercore', '1809-KB4493509'), {
    status: 'extended',
    end: '2029-01-09',
  });
  assert.deepEqual(life('mcr.microsoft.com/windows/servercore', '20H2'), { status: 'ended', end: '2022-08-09' });
});

test('windows-host-incompatible resolves targetHost auto from the machine the server runs on', () => {
  const document = parse(
    'FROM mcr.microsoft.com/windows/servercore:ltsc2025\nFROM mcr.microsoft.com/windows/servercore:ltsc2019',
  );
  const auto = normaliseSettings({ targetHost: 'auto' });
  // What the server does with every document's settings (transport/startServer.ts withThisMachine).
  const run = (machine?: Machine) =>
    windowsHostIncompatible
      .check({ document, today: FIXTURE_TODAY, settings: machine ? settingsOnMachine(auto, machine) : auto })
      .map((f) => f.range.start.line);
  assert.deepEqual(run(), [], 'auto without a machine judges nothing');
  assert.deepEqual(run({ platform: 'linux', release: '6.8.0' }), []);
  // A Windows Server 2022 machine: ltsc2025 is newer, ltsc2019 needs Hyper-V (process isolation is the server default).
  assert.deepEqual(run({ platform: 'win32', release: '10.0.20348', isServer: true }), [0, 1]);
  // Windows 11 22H2 defaults to Hyper-V isolation: only the newer image fails.
  assert.deepEqual(run({ platform: 'win32', release: '10.0.22621' }), [0]);
});

test('windows-mixed-builds leaves a set target host to windows-host-incompatible, and Hyper-V builds alone', () => {
  const document = parse(
    'FROM mcr.microsoft.com/windows/servercore:ltsc2019 AS build\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022',
  );
  const count = (raw: unknown) =>
    windowsMixedBuilds.check({ document, today: FIXTURE_TODAY, settings: normaliseSettings(raw) }).length;
  assert.equal(count(undefined), 1);
  assert.equal(count({ isolation: 'process' }), 1);
  assert.equal(count({ isolation: 'hyperv' }), 0);
  assert.equal(count({ targetHost: 'ltsc2022' }), 0);
});
