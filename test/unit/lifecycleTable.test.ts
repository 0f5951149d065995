/**
 * Dates cannot rot silently: for every lifecycle date in the bundled data (Windows versions, tags
 * with their own end, retired tags, product versions, frozen .NET Framework versions, floating
 * tags), an image that depends on it is diagnosed on a fixed "today", and the rule that owns that
 * date reports it exactly when the date is past. A second pass a year later lists the findings
 * that appear or disappear then.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { normaliseSettings, Settings } from '../../common/settings';
import { HOSTS, listRepositories, runsProcessIsolated, WINDOWS_VERSIONS } from '../../server/src/catalogue/catalogue';
import { listProducts } from '../../server/src/catalogue/products';
import { createWindowsDockerfileService } from '../../server/src/service/languageService';

const TODAY = '2026-12-06';
const YEAR_LATER = '2027-12-06';

function findings(today: string, image: string, settings: Settings = normaliseSettings(undefined)): string[] {
  const service = serviceOn(today);
  const text = `# escape=\`\nFROM ${image}\n`;
  return service
    .validate({ uri: 'file:///table/Dockerfile', version: 1, text }, settings)
    .map((d) => `${d.code} ${d.message}`);
}

const services = new Map<string, ReturnType<typeof createWindowsDockerfileService>>();
function serviceOn(today: string) {
  let service = services.get(today);
  if (!service) {
    service = createWindowsDockerfileService({ log: (m) => assert.fail(m), today: () => today });
    services.set(today, service);
  }
  return service;
}

interface Row {
  /** The image diagnosed. */
  readonly image: string;
  /** The rule that owns the date. */
  readonly rule: string;
  /** The date after which that rule reports it. */
  readonly date: string;
  /** What the message must contain then. */
  readonly says: string;
}

/** One row per date in the data and an image that depends on it. */
function rows(): Row[] {
  const out: Row[] = [];
  const repositories = listRepositories();
  // Windows versions: a listed, certain tag of each base repository.
  for (const version of WINDOWS_VERSIONS) {
    for (const repository of repositories.filter((r) => r.kind === 'base')) {
      const tag = repository.tags.find(
        (t) => t.version === version.id && !t.uncertain && !t.extendedEnd && !/-(amd64|arm64)$/.test(t.tag),
      );
      if (tag)
        out.push({
          image: `${repository.name}:${tag.tag}`,
          rule: 'windows-image-end-of-servicing',
          date: version.extendedEnd,
          says: `ended on ${version.extendedEnd}`,
        });
    }
  }
  // Tags with an end of their own (Nano Server sac2016).
  for (const repository of repositories) {
    for (const tag of repository.tags.filter((t) => t.extendedEnd)) {
      out.push({
        image: `${repository.name}:${tag.tag}`,
        rule: 'windows-image-end-of-servicing',
        date: tag.extendedEnd as string,
        says: `ended on ${tag.extendedEnd}`,
      });
    }
  }
  // Retired tags: the product versions of the .NET Framework repositories on a supported LTSC.
  for (const repository of repositories.filter((r) => r.retiredTags)) {
    for (const retired of repository.retiredTags ?? []) {
      const pattern = new RegExp(retired.pattern, 'i');
      for (const product of ['3.5', '4.8']) {
        for (const ltsc of ['ltsc2025', 'ltsc2022', 'ltsc2019']) {
          const tag = `${product}-windowsservercore-${ltsc}`;
          if (pattern.test(tag))
            out.push({
              image: `${repository.name}:${tag}`,
              rule: 'windows-tag-retired',
              date: retired.since,
              says: `no updates since ${retired.since}`,
            });
        }
      }
    }
  }
  // Product versions: every Windows tag each version publishes, in every repository of the product.
  for (const product of listProducts()) {
    for (const version of product.versions) {
      for (const repository of product.repositories) {
        for (const suffix of version.windows) {
          const image = `${repository}:${version.version}-${suffix}`;
          if (version.endOfSupport)
            out.push({
              image,
              rule: 'product-end-of-support',
              date: version.endOfSupport,
              says: `support ended on ${version.endOfSupport}`,
            });
          if (version.frozen) {
            out.push({
              image,
              rule: 'windows-tag-retired',
              date: version.frozen.since,
              says: `no updates since ${version.frozen.since}`,
            });
          }
        }
      }
    }
  }
  return out;
}

test('every date in the data that is past on the fixed today is reported by its rule, and no date in the future is', () => {
  const table = rows();
  assert.ok(table.length > 100, `a table over the whole catalogue (${table.length} rows)`);
  const wrong: string[] = [];
  for (const row of table) {
    const reported = findings(TODAY, row.image).filter((f) => f.startsWith(`${row.rule} `));
    const past = TODAY > row.date;
    if (past && !reported.some((f) => f.includes(row.says)))
      wrong.push(`${row.image}: ${row.rule} should report "${row.says}" on ${TODAY}; got ${JSON.stringify(reported)}`);
    if (!past && reported.length > 0)
      wrong.push(`${row.image}: ${row.rule} reports before ${row.date}: ${reported.join(' | ')}`);
  }
  assert.deepEqual(wrong, []);
});

test('floating tags: a target host with no variant of the tag gets windows-host-incompatible, every other host none', () => {
  const wrong: string[] = [];
  let checked = 0;
  for (const product of listProducts()) {
    for (const floating of product.floatingTags) {
      for (const host of HOSTS.filter((h) => h.kind === 'server')) {
        const id = (host as { id?: string }).id;
        if (!id) continue;
        const runs = floating.windows.some((v) =>
          WINDOWS_VERSIONS.some((w) => w.id === v && runsProcessIsolated(host.build, w.build)),
        );
        for (const repository of product.repositories) {
          checked++;
          const reported = findings(
            TODAY,
            `${repository}:${floating.tag}`,
            normaliseSettings({ targetHost: id, isolation: 'process' }),
          ).filter((f) => f.startsWith('windows-host-incompatible '));
          if (runs !== (reported.length === 0))
            wrong.push(
              `${repository}:${floating.tag} on ${id}: ${runs ? 'runs' : 'cannot run'}, reported ${JSON.stringify(reported)}`,
            );
        }
      }
    }
  }
  assert.ok(checked > 0);
  assert.deepEqual(wrong, []);
});

test('a year later (2027-12-06): Windows Server 2016 has ended; the findings that appear and disappear are these', () => {
  // Every row's image, every listed tag, and every product version on every Windows tag it publishes.
  const listed = listRepositories().flatMap((r) => r.tags.map((t) => `${r.name}:${t.tag}`));
  const images = [...new Set([...rows().map((r) => r.image), ...listed])];
  const appear: string[] = [];
  const disappear: string[] = [];
  for (const image of images) {
    const now = new Set(findings(TODAY, image).map((f) => f.split(' ')[0]));
    const later = new Set(findings(YEAR_LATER, image).map((f) => f.split(' ')[0]));
    for (const rule of later) if (!now.has(rule)) appear.push(`${image} ${rule}`);
    for (const rule of now) if (!later.has(rule)) disappear.push(`${image} ${rule}`);
  }
  const fx = ['runtime', 'sdk', 'aspnet', 'wcf'].map((k) => `mcr.microsoft.com/dotnet/framework/${k}`);
  assert.deepEqual(
    appear.sort(),
    [
      // Server Core 2016 ends on 2027-01-12 (Microsoft Lifecycle page): every image on it.
      ...fx.flatMap((r) =>
        ['4.6.2', '4.7', '4.7.1', '4.7.2', '4.8'].map(
          (v) => `${r}:${v}-windowsservercore-ltsc2016 windows-image-end-of-servicing`,
        ),
      ),
      'mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2016 windows-image-end-of-servicing',
      'mcr.microsoft.com/windows/servercore:ltsc2016 windows-image-end-of-servicing',
    ].sort(),
  );
  // The frozen 2016 tags were windows-tag-retired's; once Windows Server 2016 has ended, the end of servicing reports them.
  assert.deepEqual(
    disappear.sort(),
    fx
      .flatMap((r) =>
        ['4.6.2', '4.7', '4.7.1', '4.7.2'].map((v) => `${r}:${v}-windowsservercore-ltsc2016 windows-tag-retired`),
      )
      .sort(),
  );
});
