import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { getVersion, HOSTS } from '../../server/src/catalogue/catalogue';
import { findHost, hostVerdict, KNOWN_ISSUES } from '../../server/src/catalogue/hosts';
import { TARGET_HOSTS } from '../../common/settings';
import { resolveTargetHost, TARGET_HOST_INFO } from '../../common/targetHosts';
import { REPO_ROOT } from './helpers';

test('the target hosts agree with the catalogue hosts and the setting enum', () => {
  const fromCatalogue = HOSTS.map((h) => `${h.id}:${h.build}:${h.kind}:${h.name}:${h.unverified !== undefined}`).sort();
  const shared = TARGET_HOST_INFO.map((h) => `${h.id}:${h.build}:${h.kind}:${h.name}:${h.unverified === true}`).sort();
  assert.deepEqual(shared, fromCatalogue);
  assert.deepEqual([...TARGET_HOSTS].filter((id) => id !== 'auto').sort(), TARGET_HOST_INFO.map((h) => h.id).sort());
  // The setting's enum and its descriptions, as VS Code shows them: one description per host, naming its build.
  const manifest = JSON.parse(fs.readFileSync(`${REPO_ROOT}/package.json`, 'utf8'));
  const setting = manifest.contributes.configuration
    .map((c: { properties: Record<string, unknown> }) => c.properties)
    .find((p: Record<string, unknown>) => p['windowsContainers.targetHost'])['windowsContainers.targetHost'];
  assert.deepEqual(setting.enum, [...TARGET_HOSTS]);
  for (const [index, id] of setting.enum.entries()) {
    const info = TARGET_HOST_INFO.find((h) => h.id === id);
    if (!info) continue;
    assert.match(setting.enumDescriptions[index], new RegExp(`^${info.name} \\(build ${info.build}`));
    assert.equal(
      /not in Microsoft's compatibility matrix/.test(setting.enumDescriptions[index]),
      info.unverified === true,
      id,
    );
  }
});

test('auto resolves from this machine only on Windows; default isolation follows the host kind', () => {
  const linux = { platform: 'linux', release: '6.1.0' };
  assert.deepEqual(resolveTargetHost('auto', 'default', linux), {
    host: undefined,
    build: undefined,
    isolation: 'hyperv',
    source: 'none',
  });
  const server2022 = resolveTargetHost('auto', 'default', { platform: 'win32', release: '10.0.20348', isServer: true });
  assert.equal(server2022.host?.id, 'ltsc2022');
  assert.equal(server2022.isolation, 'process');
  const win11 = resolveTargetHost('auto', 'default', { platform: 'win32', release: '10.0.26100', isServer: false });
  assert.equal(win11.host?.id, 'win11-24h2', 'builds shared by server and client editions go by product type');
  assert.equal(win11.isolation, 'hyperv');
  const insider = resolveTargetHost('auto', 'process', { platform: 'win32', release: '10.0.27700' });
  assert.deepEqual(
    [insider.host, insider.build, insider.isolation, insider.source],
    [undefined, 27700, 'process', 'this machine'],
  );
  assert.equal(resolveTargetHost('ltsc2019', 'default', linux).isolation, 'process');
  assert.equal(resolveTargetHost('win10-22h2', 'default', linux).isolation, 'hyperv');
});

test('every known issue names hosts and Windows versions the catalogue knows, and a source link', () => {
  for (const issue of KNOWN_ISSUES) {
    for (const id of issue.hosts) assert.ok(id === '*' || findHost(id), `${issue.id}: unknown host ${id}`);
    for (const id of [...issue.versions, ...issue.workaroundVersions])
      assert.ok(id === '*' || getVersion(id), `${issue.id}: unknown version ${id}`);
    assert.ok(issue.sources.length > 0 && issue.sources.every((s) => s.url.startsWith('https://')), issue.id);
  }
  // A host outside the matrix: the rule never decides, a known issue does.
  const host25h2 = findHost('win11-25h2')!;
  assert.equal(hostVerdict(host25h2, getVersion('ltsc2025')!, 'hyperv').status, 'fails');
  assert.equal(
    hostVerdict(host25h2, getVersion('ltsc2022')!, 'process').status,
    'unknown',
    "hcsshim's rule would say no; nothing is known",
  );
  assert.equal(hostVerdict(findHost('win11-26h2')!, getVersion('ltsc2025')!, 'process').status, 'unknown');
  assert.equal(hostVerdict(findHost('win11-24h2')!, getVersion('ltsc2022')!, 'process').status, 'runs');
  assert.equal(hostVerdict(findHost('ltsc2019')!, getVersion('ltsc2022')!, 'hyperv').status, 'fails');
});
