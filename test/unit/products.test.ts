/** The product lifecycles (data/products.json) and their pure API. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { normaliseSettings } from '../../common/settings';
import { findRepository, resolveTag } from '../../server/src/catalogue/catalogue';
import {
  floatingTag,
  LifecycleUpdate,
  listProducts,
  productOfRepository,
  productStatus,
  productTag,
  supportedVersionsFor,
} from '../../server/src/catalogue/products';
import { productEndOfSupport } from '../../server/src/rules/product-end-of-support';
import { parseDocument } from '../../server/src/dockerfile/document';
import { snapshot } from './helpers';
import { createWindowsDockerfileService } from '../../server/src/service/languageService';
import { withComposeAndKubernetes } from '../../server/src/service/yaml/routedService';

const dotnet = () => {
  const product = productOfRepository('mcr.microsoft.com/dotnet/aspnet');
  assert.ok(product);
  return product;
};

test('a .NET tag names its product version, and whether that version publishes the Windows suffix', () => {
  const product = dotnet();
  assert.equal(productTag(product, '8.0', 'nanoserver-1809').version?.version, '8.0');
  assert.equal(productTag(product, '8.0.30', 'nanoserver-1809').published, true);
  assert.equal(productTag(product, '10.0', 'nanoserver-1809').published, false, '.NET 10 has no 1809 images');
  assert.equal(productTag(product, '11.0-preview', 'nanoserver-ltsc2022').published, false, '.NET 11 is ltsc2025-only');
  assert.equal(productTag(product, '11.0.0-preview.7', 'nanoserver-ltsc2025').version?.version, '11.0-preview');
  // .NET 11 GA is expected but unconfirmed: never judged "not published".
  assert.equal(productTag(product, '11.0', 'nanoserver-ltsc2022').published, undefined);
});

test('PowerShell: `lts` on Nano Server is 7.2; a 7.4 Nano Server tag was never published', () => {
  const product = productOfRepository('mcr.microsoft.com/powershell');
  assert.ok(product);
  assert.equal(productTag(product, 'lts', 'nanoserver-ltsc2022').version?.version, '7.2');
  assert.equal(productTag(product, 'lts-7.2', 'nanoserver-1809').version?.version, '7.2');
  assert.equal(productTag(product, '7.4.6', 'nanoserver-ltsc2022').published, false);
  assert.equal(
    productTag(product, '', 'nanoserver-ltsc2022').version,
    undefined,
    'a tag without a version names no product version',
  );
});

test('lifecycle states on a given day, and a live update over the bundled data', () => {
  const product = dotnet();
  const v8 = product.versions.find((v) => v.version === '8.0');
  assert.ok(v8);
  assert.equal(productStatus(v8, '2026-11-10'), 'supported', 'the end date is the last day of support');
  assert.equal(productStatus(v8, '2026-11-11'), 'ended');
  assert.deepEqual(
    supportedVersionsFor(product, 'nanoserver-1809', '2026-12-06'),
    [],
    'no supported .NET image on 1809',
  );
  assert.deepEqual(
    supportedVersionsFor(product, 'nanoserver-ltsc2022', '2026-12-06').map((v) => v.version),
    ['10.0'],
  );
  const updates = [
    { product: 'dotnet', version: '10.0', endOfSupport: '2026-12-01' },
    { product: 'dotnet', version: '10.0', endOfSupport: 'soon' },
  ];
  const merged = listProducts(updates.slice(0, 1));
  const v10 = merged.find((p) => p.id === 'dotnet')?.versions.find((v) => v.version === '10.0');
  assert.equal(v10?.endOfSupport, '2026-12-01');
  assert.equal(
    listProducts(updates.slice(1))
      .find((p) => p.id === 'dotnet')
      ?.versions.find((v) => v.version === '10.0')?.endOfSupport,
    '2028-11-14',
    'a malformed date is ignored',
  );
  assert.equal(
    dotnet().versions.find((v) => v.version === '10.0')?.endOfSupport,
    '2028-11-14',
    'the bundled data is unchanged',
  );
});

test('floating .NET Framework tags know their Windows versions', () => {
  const product = productOfRepository('mcr.microsoft.com/dotnet/framework/sdk');
  assert.ok(product);
  assert.deepEqual(floatingTag(product, '4.8')?.windows, ['ltsc2019', 'ltsc2016']);
  assert.deepEqual(floatingTag(product, 'latest')?.windows, ['ltsc2019', 'ltsc2016']);
  assert.deepEqual(floatingTag(product, '4.8.1')?.windows, ['ltsc2025', 'ltsc2022']);
});

test('product-end-of-support reads a live lifecycle update over the bundled data (RuleContext.lifecycleUpdates)', () => {
  const document = parseDocument(snapshot('FROM mcr.microsoft.com/dotnet/aspnet:10.0-nanoserver-ltsc2022\n'));
  const run = (lifecycleUpdates?: LifecycleUpdate[]) =>
    productEndOfSupport.check({
      document,
      today: '2026-12-06',
      settings: normaliseSettings(undefined),
      lifecycleUpdates,
    });
  assert.deepEqual(run(), [], '.NET 10 is supported until 2028-11-14 in the bundled data');
  const found = run([{ product: 'dotnet', version: '10.0', endOfSupport: '2026-12-01' }]);
  assert.equal(found.length, 1);
  assert.match(found[0].message, /is \.NET 10\.0, whose support ended on 2026-12-01/);
});

test('a tag with a version marker gets its Windows version; quoted and braced FROM words resolve', () => {
  const fx = findRepository('mcr.microsoft.com/dotnet/framework/runtime');
  assert.ok(fx);
  assert.equal(resolveTag(fx, '4.8-windowsservercore-1903')?.version?.id, '1903');
  const retired = resolveTag(fx, '3.5-windowsservercore-1803');
  assert.equal(retired?.retired?.since, '2019-11-12', 'the earlier of the retirement and the end of servicing');
  const ps = findRepository('mcr.microsoft.com/powershell');
  assert.ok(ps);
  assert.equal(resolveTag(ps, 'nanoserver-1803')?.family, 'nanoserver');
  assert.equal(resolveTag(ps, 'nanoserver-20H2')?.version?.id, '20H2');
  assert.equal(resolveTag(fx, '4.8-10.0.14393.2068')?.version?.id, 'ltsc2016', 'a full build inside the tag');
  const windows = findRepository('mcr.microsoft.com/windows');
  assert.ok(windows);
  assert.equal(
    resolveTag(windows, 'ltsc2022'),
    undefined,
    'a base repository lists all its tags: the windows image was never published for 2022',
  );
  const text =
    'ARG TAG=1803\nARG T\nFROM mcr.microsoft.com/windows/servercore:"${TAG}" AS a\nFROM mcr.microsoft.com/windows/nanoserver:${T:-ltsc2022} AS b\nFROM "mcr.microsoft.com/windows/servercore:${TAG}"\n';
  const stages = parseDocument(snapshot(text)).stages;
  assert.deepEqual(
    stages.map((s) => s.catalogue.tag?.version?.id),
    ['1803', 'ltsc2022', '1803'],
  );
});

test('compose files and manifests read the live lifecycles too, and ask for them only when they name a product image', () => {
  let asked = 0;
  let updates: LifecycleUpdate[] | undefined;
  const service = withComposeAndKubernetes(createWindowsDockerfileService({ today: () => '2026-12-06' }), {
    today: () => '2026-12-06',
    lifecycleUpdates: () => {
      asked++;
      return updates;
    },
  });
  const settings = normaliseSettings(undefined);
  const compose = (image: string) =>
    service
      .validate(
        {
          uri: 'file:///app/compose.yaml',
          version: 1,
          languageId: 'dockercompose',
          text: `services:\n  web:\n    image: ${image}\n`,
        },
        settings,
      )
      .filter((d) => d.code === 'product-end-of-support');
  const aspnet = 'mcr.microsoft.com/dotnet/aspnet:10.0-nanoserver-ltsc2022';
  assert.deepEqual(compose(aspnet), [], '.NET 10 is supported until 2028-11-14 in the bundled data');
  updates = [{ product: 'dotnet', version: '10.0', endOfSupport: '2026-12-01' }];
  const found = compose(aspnet);
  assert.equal(found.length, 1);
  assert.match(String(found[0].message), /is \.NET 10\.0, whose support ended on 2026-12-01/);
  const before = asked;
  compose('mcr.microsoft.com/windows/servercore:ltsc2022');
  assert.equal(asked, before, 'a file without a product image does not ask for (nor start) the refresh');
});
