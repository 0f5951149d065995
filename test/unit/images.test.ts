/** Completion, hover and links of Windows images, for every repository family. */
import { atCursor } from './helpers';
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { CompletionItem, MarkupContent } from 'vscode-languageserver-types';
import { createWindowsDockerfileService } from '../../server/src/service/languageService';
import { windowsBuildHover } from '../../server/src/service/yaml/hovers';
import { daysLeft } from '../../server/src/service/productText';

const TODAY = '2026-11-21';
// Upstream asks Docker Hub for tags of repositories the catalogue does not know; offline, it logs.
const logs: string[] = [];
const service = createWindowsDockerfileService({
  log: (message) => void logs.push(message),
  today: () => TODAY,
  liveTags: (repository) =>
    repository === 'mcr.microsoft.com/windows/servercore' ? ['ltsc2025-KB5099999', 'ltsc2028'] : [],
});
service.setCapabilities({
  completion: { completionItem: { documentationFormat: ['markdown'], tagSupport: { valueSet: [1] } } },
  hover: { contentFormat: ['markdown'] },
});

/** `|` marks the cursor. */
const at = (textWithCursor: string) => atCursor(textWithCursor, 'file:///images/Dockerfile');

async function labels(textWithCursor: string): Promise<string[]> {
  const { snapshot, position } = at(textWithCursor);
  return (await service.completion(snapshot, position)).map((i) => i.label);
}

async function items(textWithCursor: string): Promise<CompletionItem[]> {
  const { snapshot, position } = at(textWithCursor);
  return service.completion(snapshot, position);
}

/** The completion list at `|` starts with `expected` (in order). */
async function assertCompletes(textWithCursor: string, expected: string[]) {
  const actual = await labels(textWithCursor);
  assert.deepEqual(
    actual.slice(0, expected.length),
    expected,
    `completion at ${JSON.stringify(textWithCursor)}: ${actual.join(', ')}`,
  );
}

function hover(textWithCursor: string): string {
  const { snapshot, position } = at(textWithCursor);
  const result = service.hover(snapshot, position);
  assert.ok(result, `no hover at ${JSON.stringify(textWithCursor)}`);
  return (result.contents as MarkupContent).value;
}

test('repositories after FROM, after --platform, in an ARG default a FROM uses, and in COPY --from; never legacy names', async () => {
  for (const text of [
    'FROM |',
    'FROM --platform=windows/amd64 |',
    'ARG BASE=|\nFROM $BASE',
    'FROM a AS b\nCOPY --from=| x y',
    'FROM mcr.microsoft.com/windows/serv|',
  ]) {
    const list = await labels(text);
    for (const name of [
      'mcr.microsoft.com/windows/nanoserver',
      'mcr.microsoft.com/windows/servercore',
      'mcr.microsoft.com/windows/server',
      'mcr.microsoft.com/windows',
    ]) {
      assert.ok(list.includes(name), `${name} at ${JSON.stringify(text)}`);
    }
    assert.ok(!list.some((l) => l.startsWith('microsoft/')), 'legacy names are never offered');
  }
  assert.deepEqual(await labels('ARG OTHER=|\nFROM x'), [], 'an ARG no FROM uses is not an image');
  const base = (await items('FROM |')).find((i) => i.label === 'mcr.microsoft.com/windows/servercore')!;
  assert.equal(
    base.textEdit && 'newText' in base.textEdit ? base.textEdit.newText : '',
    'mcr.microsoft.com/windows/servercore:',
  );
});

test('upstream completions stay: instructions and FROM flags', async () => {
  assert.ok((await labels('FROM x\n|')).some((l) => l.startsWith('WORKDIR')));
  assert.ok((await labels('FROM |')).includes('--platform='));
});

test('servercore tags: newest supported first, end-of-servicing last and deprecated, live tags merged', async () => {
  await assertCompletes('FROM mcr.microsoft.com/windows/servercore:|', [
    'ltsc2025',
    'ltsc2025-amd64',
    'ltsc2025-arm64',
    'ltsc2025-KB5099999',
    'ltsc2022',
    'ltsc2022-amd64',
  ]);
  const list = await items('FROM mcr.microsoft.com/windows/servercore:lt|');
  const last = list.filter((i) => i.tags?.includes(1)).map((i) => i.label);
  assert.deepEqual(last, ['20H2', '2004', '1909', '1903', '1803', '1709']);
  assert.deepEqual(
    list.slice(-6).map((i) => i.label),
    last,
    'deprecated tags sort last',
  );
  const ltsc2022 = list.find((i) => i.label === 'ltsc2022')!;
  assert.equal(
    ltsc2022.detail,
    'Windows Server 2022 · build 20348 · extended support until 2031-10-14 (mainstream ended 2026-10-13)',
  );
  assert.match(
    (ltsc2022.documentation as MarkupContent).value,
    /process isolation: Windows Server 2025, Windows 11 24H2, Windows Server, version 23H2/,
  );
  assert.ok(
    list.some((i) => i.label === 'ltsc2028' && i.detail === 'from the registry'),
    'a live tag the data lacks',
  );
  assert.ok(
    list.some((i) => i.label === 'ltsc2025-KB5099999' && /Windows Server 2025/.test(i.detail ?? '')),
    'a live KB-pinned tag is explained',
  );
  const edit = ltsc2022.textEdit as { range: { start: { character: number }; end: { character: number } } };
  assert.deepEqual([edit.range.start.character, edit.range.end.character], [42, 44], 'replaces the typed tag');
});

test('nanoserver tags: 1809 offered, ltsc2019 marked unconfirmed, sac2016 ended', async () => {
  const list = await items('FROM mcr.microsoft.com/windows/nanoserver:|');
  assert.deepEqual(
    list.slice(0, 5).map((i) => i.label),
    ['ltsc2025', 'ltsc2025-amd64', 'ltsc2025-arm64', 'ltsc2022', 'ltsc2022-amd64'],
  );
  assert.match(list.find((i) => i.label === 'ltsc2019')!.detail!, /unconfirmed tag/);
  assert.match(list.find((i) => i.label === 'ltsc2025-arm64')!.detail!, /unconfirmed tag/);
  assert.match(list.find((i) => i.label === '1809')!.detail!, /Windows Server 2019/);
  const sac2016 = list.find((i) => i.label === 'sac2016')!;
  assert.match(sac2016.detail!, /end of servicing 2018-10-09/);
  assert.deepEqual(sac2016.tags, [1]);
});

test('server and windows tags; windows has none for 2025', async () => {
  await assertCompletes('FROM mcr.microsoft.com/windows/server:|', [
    'ltsc2025',
    'ltsc2025-amd64',
    'ltsc2022',
    'ltsc2022-amd64',
  ]);
  const windows = await labels('FROM mcr.microsoft.com/windows:|');
  assert.ok(windows.includes('1809') && !windows.includes('ltsc2025') && !windows.includes('ltsc2022'));
});

test('derived images: IIS, .NET Framework (with retired tags), .NET and PowerShell Windows variants', async () => {
  await assertCompletes('FROM mcr.microsoft.com/windows/servercore/iis:|', [
    'windowsservercore-ltsc2025',
    'windowsservercore-ltsc2022',
    'windowsservercore-ltsc2019',
    'windowsservercore-ltsc2016',
  ]);
  await assertCompletes('FROM mcr.microsoft.com/dotnet/framework/sdk:|', [
    '4.8.1-windowsservercore-ltsc2025',
    '4.8.1-windowsservercore-ltsc2022',
    '4.8-windowsservercore-ltsc2019',
  ]);
  const aspnet = await labels('FROM mcr.microsoft.com/dotnet/aspnet:|');
  assert.ok(aspnet.includes('10.0-nanoserver-ltsc2025') && aspnet.includes('8.0-nanoserver-1809'));
  assert.ok(
    !aspnet.includes('10.0-nanoserver-1809') && !aspnet.includes('10.0-windowsservercore-ltsc2019'),
    '.NET 10 has no 1809/ltsc2019 variants',
  );
  assert.ok(!aspnet.some((l) => !/nanoserver|windowsservercore/.test(l)), 'only Windows variants are offered');
  const ps = await labels('FROM mcr.microsoft.com/powershell:|');
  assert.ok(
    ps.includes('lts-nanoserver-ltsc2022') &&
      ps.includes('nanoserver-1809') &&
      ps.includes('lts-windowsserver-ltsc2022'),
  );
});

test('unknown repositories fall back to upstream completion', async () => {
  assert.deepEqual(await labels('FROM mcr.microsoft.com/unknown/thing:|'), []);
  assert.deepEqual(await labels('FROM ${BASE}:|'), []);
});

test('hover: base image with version, dates, contents, hosts and Docker’s errors', () => {
  const text = hover('FROM mcr.microsoft.com/windows/servercore:ltsc2022|');
  assert.match(text, /\*\*Windows Server Core\*\*/);
  assert.match(text, /Windows Server 2022 · build 20348/);
  assert.match(text, /\| Windows PowerShell 5\.1 \| yes \| yes \| yes \| yes \| ContainerAdministrator \|/);
  assert.match(
    text,
    /- process isolation: Windows Server 2025, Windows 11 24H2, Windows Server, version 23H2, Windows 11 23H2, Windows 11 22H2, Windows 11 21H2, Windows Server 2022\n/,
  );
  assert.match(text, /- Hyper-V isolation only: none/);
  assert.match(text, /- cannot run it: Windows 10 22H2, Windows Server 2019, Windows Server 2016/);
  assert.match(text, /no matching manifest for windows\/amd64/);
  assert.match(text, /The container operating system does not match the host operating system/);
  assert.match(text, /\(https:\/\/mcr\.microsoft\.com\/artifact\/mar\/windows\/servercore\)/);
});

test('hover: every family', () => {
  assert.match(
    hover('FROM mcr.microsoft.com/windows/nanoserver:1809|'),
    /\| none \| no \| no \| no \| no \| ContainerUser \|/,
  );
  assert.match(hover('FROM mcr.microsoft.com/windows/nanoserver:ltsc2025|'), /Features on Demand/);
  assert.match(hover('FROM mcr.microsoft.com/windows/nanoserver:ltsc2019|'), /not confirmed by Microsoft/);
  assert.match(hover('FROM mcr.microsoft.com/windows/server:ltsc2025|'), /GPU support/);
  assert.match(hover('FROM mcr.microsoft.com/windows:20H2|'), /end of servicing 2022-08-09/);
  assert.match(hover('FROM mcr.microsoft.com/windows/servercore/insider:10.0.26100.1|'), /Insider/);
  assert.match(hover('FROM mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2019|'), /ServiceMonitor/);
  assert.match(
    hover('FROM mcr.microsoft.com/dotnet/framework/runtime:4.8-windowsservercore-ltsc2022|'),
    /no longer published since 2025-10-14; use 4\.8\.1-windowsservercore-ltsc2022/,
  );
  assert.match(
    hover('FROM mcr.microsoft.com/dotnet/framework/sdk:3.5-windowsservercore-ltsc2019|'),
    /\.NET Framework 3\.5 images/,
  );
  assert.match(
    hover('FROM mcr.microsoft.com/dotnet/framework/aspnet:4.8.1-20251014-windowsservercore-ltsc2022|'),
    /Windows Server 2022/,
  );
  assert.match(
    hover('FROM mcr.microsoft.com/dotnet/aspnet:8.0.11-nanoserver-ltsc2022|'),
    /Nano Server · Windows Server 2022[\s\S]*\| none \| no/,
  );
  assert.match(hover('FROM mcr.microsoft.com/powershell:lts-nanoserver-ltsc2022|'), /pwsh/);
  assert.match(hover('FROM mcr.microsoft.com/windows/servercore:ltsc2016|'), /same revision/);
  assert.match(hover('FROM mcr.microsoft.com/windows/servercore|'), /no `latest` tag since April 16, 2019/);
  assert.match(hover('FROM mcr.microsoft.com/windows/servercore:1809-KB4493509|'), /build 17763/);
  assert.match(hover('FROM mcr.microsoft.com/windows/servercore:10.0.17763.437|'), /build 17763/);
});

test('hover: legacy Docker Hub names, ARG defaults and COPY --from images', () => {
  assert.match(
    hover('FROM microsoft/windowsservercore|'),
    /retired name[\s\S]*Use `mcr\.microsoft\.com\/windows\/servercore`/,
  );
  assert.match(hover('FROM microsoft/nanoserver:1709|'), /mcr\.microsoft\.com\/windows\/nanoserver/);
  assert.match(hover('FROM microsoft/aspnet:4.7.2|'), /mcr\.microsoft\.com\/dotnet\/framework\/aspnet/);
  assert.match(hover('FROM microsoft/dotnet:2.1-sdk|'), /mcr\.microsoft\.com\/dotnet\/sdk/);
  assert.match(hover('ARG BASE=mcr.microsoft.com/windows/server:ltsc2022|\nFROM $BASE'), /Windows Server 2022/);
  assert.match(hover('ARG TAG=ltsc2025\nFROM mcr.microsoft.com/windows/nanoserver:${TAG}|'), /Windows Server 2025/);
  assert.match(
    hover('FROM x\nCOPY --from=mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022| a b'),
    /IIS/,
  );
  const { snapshot, position } = at('FROM x AS build\nCOPY --from=build| a b');
  assert.equal(service.hover(snapshot, position), null, 'a stage name is not an image');
});

test('links: every Microsoft image reference opens its MCR page; variables get no link', () => {
  const { snapshot } = at(
    'ARG B=mcr.microsoft.com/windows/servercore:ltsc2022|\nFROM $B\nFROM microsoft/nanoserver\nFROM mcr.microsoft.com/dotnet/sdk:8.0-nanoserver-ltsc2022 AS s\nCOPY --from=mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022 a b\nFROM alpine',
  );
  const links = service.links(snapshot).map((l) => `${l.range.start.line}:${l.target ?? l.data}`);
  assert.deepEqual(links.sort(), [
    '0:https://mcr.microsoft.com/artifact/mar/windows/servercore',
    '2:https://mcr.microsoft.com/artifact/mar/windows/nanoserver',
    '3:https://mcr.microsoft.com/artifact/mar/dotnet/sdk',
    '4:https://mcr.microsoft.com/artifact/mar/windows/servercore/iis',
    '5:_/alpine/',
  ]);
});

test('.NET tags: supported product versions first, out-of-support ones marked and after them, never-published ones absent', async () => {
  const list = await items('FROM mcr.microsoft.com/dotnet/aspnet:|');
  const labelsOf = list.map((i) => i.label);
  assert.ok(!labelsOf.includes('11.0-preview-nanoserver-ltsc2022'), '.NET 11 publishes only ltsc2025 images');
  assert.ok(labelsOf.includes('11.0-preview-nanoserver-ltsc2025'));
  const index = (label: string) => labelsOf.indexOf(label);
  assert.ok(
    index('10.0-nanoserver-ltsc2022') < index('9.0-nanoserver-ltsc2025'),
    'supported .NET 10 before .NET 9 (ended) even on an older Windows',
  );
  assert.ok(index('10.0-windowsservercore-ltsc2022') < index('8.0-nanoserver-ltsc2025'));
  const v8 = list.find((i) => i.label === '8.0-nanoserver-ltsc2022')!;
  assert.match(v8.detail!, /\.NET 8\.0 out of support since 2026-11-10/);
  assert.deepEqual(v8.tags, [1], 'struck through');
  const v6 = list.find((i) => i.label === '6.0-nanoserver-ltsc2022')!;
  assert.match(v6.detail!, /\.NET 6\.0 out of support since 2024-11-12/);
  assert.deepEqual(v6.tags, [1], 'struck through');
  assert.ok(index('8.0-nanoserver-ltsc2022') < index('6.0-nanoserver-ltsc2022'), 'newer versions first');
  assert.ok(!labelsOf.includes('2.1-nanoserver-ltsc2022'), '.NET Core 2.1 ended before ltsc2022 images existed');
  const v10 = list.find((i) => i.label === '10.0-nanoserver-ltsc2022')!;
  assert.match(v10.detail!, /\.NET 10\.0 supported until 2028-11-14/);
  assert.equal(v10.tags, undefined);
  assert.match(
    list.find((i) => i.label === '11.0-nanoserver-ltsc2025')!.detail!,
    /\(unconfirmed\)/,
    '.NET 11 GA tags are expected, not seen',
  );
});

test('hover: product lifecycle, never-published tags, floating tags and the date the facts were checked', () => {
  const v8 = hover('FROM mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022|');
  assert.match(v8, /\.NET 8\.0 \(LTS\): released 2023-11-14, \*\*out of support since 2026-11-10\*\*/);
  assert.match(v8, /Catalogue facts checked 2026-12-06\./);
  const never = hover('FROM mcr.microsoft.com/dotnet/sdk:10.0-nanoserver-1809|');
  assert.match(never, /⚠️ Not published: \.NET 10\.0 publishes no nanoserver-1809 image/);
  const fx = hover('FROM mcr.microsoft.com/dotnet/framework/sdk:4.8|');
  assert.match(
    fx,
    /Multi-platform tag: Windows variants only for Windows Server 2019 \(version 1809\), Windows Server 2016 \(version 1607\) since 2025-10-14/,
  );
  const frozen = hover('FROM mcr.microsoft.com/dotnet/framework/runtime:4.7.2-windowsservercore-ltsc2019|');
  assert.match(frozen, /Frozen: no new images since 2025-10-14 \(last update 2025-09-09\); use 4\.8\./);
  const old = hover('FROM mcr.microsoft.com/dotnet/framework/runtime:3.5-windowsservercore-1803|');
  assert.match(old, /no longer published since 2019-11-12/, 'the earlier of the retirement and the end of servicing');
  // The .NET versions that ended before 8.0 (dotnet/core release-notes/6.0/releases.json).
  const v6 = hover('FROM mcr.microsoft.com/dotnet/aspnet:6.0-nanoserver-ltsc2022|');
  assert.match(v6, /\.NET 6\.0 \(LTS\): released 2021-11-08, \*\*out of support since 2024-11-12\*\*/);
  const v31 = hover('FROM mcr.microsoft.com/dotnet/sdk:3.1-windowsservercore-ltsc2019|');
  assert.match(v31, /⚠️ Not published: \.NET 3\.1 publishes no windowsservercore-ltsc2019 image/);
  const ps = hover('FROM mcr.microsoft.com/powershell:lts-nanoserver-ltsc2022|');
  assert.match(ps, /PowerShell 7\.2 \(LTS\): released 2021-11-08, \*\*out of support since 2024-11-08\*\*/);
  // PowerShell's dates from PowerShell-Support-Lifecycle.md; 7.6's Windows images are not confirmed.
  const ps75 = hover('FROM mcr.microsoft.com/powershell:7.5-windowsservercore-ltsc2022|');
  assert.match(ps75, /PowerShell 7\.5 \(STS\): released 2025-01-23, \*\*out of support since 2026-11-10\*\*/);
  assert.doesNotMatch(ps75, /Unconfirmed/);
  const ps76 = hover('FROM mcr.microsoft.com/powershell:7.6-windowsservercore-ltsc2022|');
  assert.match(ps76, /PowerShell 7\.6 \(LTS\): released 2026-03-18, supported until 2028-11-14/);
  assert.match(ps76, /⚠️ Unconfirmed: Its Windows images are not confirmed/);
});

test('the windows-build hover of manifests: builds, the images each runs, AKS retirements in the tense of the date', () => {
  const before = windowsBuildHover('2027-03-14', '10.0.20348');
  assert.match(
    before,
    /\| \*\*`10\.0\.20348`\*\* \(this selector\) \| Windows Server 2022 \| `ltsc2022` \| node pools retire on 2027-03-15/,
  );
  assert.match(before, /\| `10\.0\.26100` \| Windows Server 2025 \| `ltsc2025`, `ltsc2022` \|/);
  assert.match(before, /node pools retired on 2026-03-01/);
  assert.match(
    windowsBuildHover('2027-03-15'),
    /node pools retired on 2027-03-15/,
    'the retirement day itself is past',
  );
  assert.match(
    windowsBuildHover('2026-12-06', '10.0.99999'),
    /`10\.0\.99999` is not the build of a Windows version the catalogue knows/,
  );
  assert.doesNotMatch(windowsBuildHover('2026-12-06'), /this selector|is not the build/);
  assert.doesNotMatch(
    windowsBuildHover('2026-12-06'),
    /Windows 11|unverified/,
    'servers only, and only those in the matrix',
  );
});

test('an end of support within 90 days counts the days left, in hovers and tag details', () => {
  assert.equal(daysLeft('2027-01-12', '2026-12-06'), ', 37 days left');
  assert.equal(daysLeft('2027-01-12', '2027-01-11'), ', 1 day left');
  assert.equal(daysLeft('2027-01-12', '2027-01-12'), ', last day');
  assert.equal(daysLeft('2027-01-12', '2027-01-13'), '', 'ended: the end is said another way');
  assert.equal(daysLeft('2027-01-12', '2026-10-13'), '', 'more than 90 days ahead');
  assert.equal(daysLeft(null, '2026-12-06'), '');
  assert.match(
    hover('FROM mcr.microsoft.com/windows/servercore:ltsc2016|'),
    new RegExp(`extended support until 2027-01-12${daysLeft('2027-01-12', TODAY)} \\(mainstream ended 2022-01-11\\)`),
  );
});
