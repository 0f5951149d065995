/** The product lifecycles (data/products.json) and their pure API. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { floatingTag, listProducts, productOfRepository, productStatus, productTag, supportedVersionsFor } from '../../server/src/catalogue/products';

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
  assert.equal(productTag(product, '', 'nanoserver-ltsc2022').version, undefined, 'a tag without a version names no product version');
});

test('lifecycle states on a given day, and a live update over the bundled data', () => {
  const product = dotnet();
  const v8 = product.versions.find((v) => v.version === '8.0');
  assert.ok(v8);
  assert.equal(productStatus(v8, '2026-11-10'), 'supported', 'the end date is the last day of support');
  assert.equal(productStatus(v8, '2026-11-11'), 'ended');
  assert.deepEqual(supportedVersionsFor(product, 'nanoserver-1809', '2026-12-06'), [], 'no supported .NET image on 1809');
  assert.deepEqual(supportedVersionsFor(product, 'nanoserver-ltsc2022', '2026-12-06').map((v) => v.version), ['10.0']);
  const updates = [{ product: 'dotnet', version: '10.0', endOfSupport: '2026-12-01' }, { product: 'dotnet', version: '10.0', endOfSupport: 'soon' }];
  const merged = listProducts(updates.slice(0, 1));
  const v10 = merged.find((p) => p.id === 'dotnet')?.versions.find((v) => v.version === '10.0');
  assert.equal(v10?.endOfSupport, '2026-12-01');
  assert.equal(listProducts(updates.slice(1)).find((p) => p.id === 'dotnet')?.versions.find((v) => v.version === '10.0')?.endOfSupport, '2028-11-14', 'a malformed date is ignored');
  assert.equal(dotnet().versions.find((v) => v.version === '10.0')?.endOfSupport, '2028-11-14', 'the bundled data is unchanged');
});

test('floating .NET Framework tags know their Windows versions', () => {
  const product = productOfRepository('mcr.microsoft.com/dotnet/framework/sdk');
  assert.ok(product);
  assert.deepEqual(floatingTag(product, '4.8')?.windows, ['ltsc2019', 'ltsc2016']);
  assert.deepEqual(floatingTag(product, 'latest')?.windows, ['ltsc2019', 'ltsc2016']);
  assert.deepEqual(floatingTag(product, '4.8.1')?.windows, ['ltsc2025', 'ltsc2022']);
});
