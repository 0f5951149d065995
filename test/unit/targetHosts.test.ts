import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { HOSTS } from '../../server/src/catalogue/catalogue';
import { TARGET_HOSTS } from '../../common/settings';
import { resolveTargetHost, TARGET_HOST_INFO } from '../../common/targetHosts';

test('the target hosts agree with the catalogue hosts and the setting enum', () => {
  const fromCatalogue = HOSTS.map((h) => `${(h as { id?: string }).id}:${h.build}:${h.kind}:${h.name}`).sort();
  const shared = TARGET_HOST_INFO.map((h) => `${h.id}:${h.build}:${h.kind}:${h.name}`).sort();
  assert.deepEqual(shared, fromCatalogue);
  assert.deepEqual([...TARGET_HOSTS].filter((id) => id !== 'auto').sort(), TARGET_HOST_INFO.map((h) => h.id).sort());
});

test('auto resolves from this machine only on Windows; default isolation follows the host kind', () => {
  const linux = { platform: 'linux', release: '6.1.0' };
  assert.deepEqual(resolveTargetHost('auto', 'default', linux), { host: undefined, build: undefined, isolation: 'hyperv', source: 'none' });
  const server2022 = resolveTargetHost('auto', 'default', { platform: 'win32', release: '10.0.20348', isServer: true });
  assert.equal(server2022.host?.id, 'ltsc2022');
  assert.equal(server2022.isolation, 'process');
  const win11 = resolveTargetHost('auto', 'default', { platform: 'win32', release: '10.0.26100', isServer: false });
  assert.equal(win11.host?.id, 'win11-24h2', 'builds shared by server and client editions go by product type');
  assert.equal(win11.isolation, 'hyperv');
  const insider = resolveTargetHost('auto', 'process', { platform: 'win32', release: '10.0.27700' });
  assert.deepEqual([insider.host, insider.build, insider.isolation, insider.source], [undefined, 27700, 'process', 'this machine']);
  assert.equal(resolveTargetHost('ltsc2019', 'default', linux).isolation, 'process');
  assert.equal(resolveTargetHost('win10-22h2', 'default', linux).isolation, 'hyperv');
});
