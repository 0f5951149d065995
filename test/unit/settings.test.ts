import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { normaliseSettings, UPSTREAM_CHECKS } from '../../common/settings';
import { toValidatorSettings } from '../../server/src/service/diagnostics';
import { ALL_RULES as RULES } from '../../server/src/rules';
import { diagnose, REPO_ROOT } from './helpers';

test('normaliseSettings fills every default and never throws on odd input', () => {
  for (const raw of [undefined, null, 42, 'x', [], { diagnostics: 'x', rules: [1], formatter: null }]) {
    const settings = normaliseSettings(raw);
    assert.equal(Object.keys(settings.diagnostics).length, 9);
    assert.ok(Object.values(settings.diagnostics).every((s) => s === 'warning'));
    assert.equal(settings.formatter.ignoreMultilineInstructions, false);
    assert.equal(settings.targetHost, 'auto');
    assert.equal(settings.isolation, 'default');
  }
  const custom = normaliseSettings({
    diagnostics: { instructionCasing: 'ignore', deprecatedMaintainer: 'bogus' },
    rules: { 'workdir-bare-drive': 'off', x: 'nonsense' },
  });
  assert.equal(custom.diagnostics.instructionCasing, 'ignore');
  assert.equal(custom.diagnostics.deprecatedMaintainer, 'warning');
  assert.equal(custom.rules['workdir-bare-drive'], 'off');
  assert.equal(custom.rules.x, 'default');
});

test('all nine ValidatorSettings are passed, whatever the user set', () => {
  const validator = toValidatorSettings(normaliseSettings({ diagnostics: { instructionCasing: 'error' } }));
  assert.deepEqual(Object.keys(validator).sort(), [...UPSTREAM_CHECKS].sort());
  assert.equal(validator.instructionCasing, 2);
  assert.ok(Object.values(validator).every((v) => typeof v === 'number'));
});

test('settings change what is reported', () => {
  const text = 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nrun dir\nWORKDIR C:\n';
  assert.equal(diagnose(text).length, 2);
  const quiet = normaliseSettings({
    diagnostics: { instructionCasing: 'ignore' },
    rules: { 'workdir-bare-drive': 'off' },
  });
  assert.deepEqual(diagnose(text, quiet), []);
  const loud = normaliseSettings({
    diagnostics: { instructionCasing: 'error' },
    rules: { 'workdir-bare-drive': 'hint' },
  });
  assert.deepEqual(
    diagnose(text, loud)
      .map((d) => d.severity)
      .sort(),
    [1, 4],
  );
});

test('package.json declares exactly the settings the code reads', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  const declared = Object.assign({}, ...pkg.contributes.configuration.map((c: { properties: object }) => c.properties));
  const expected = [
    ...UPSTREAM_CHECKS.map((c) => `windowsContainers.diagnostics.${c}`),
    ...RULES.map((r) => `windowsContainers.rules.${r.id}`),
    'windowsContainers.formatter.ignoreMultilineInstructions',
    'windowsContainers.trace.server',
    'windowsContainers.targetHost',
    'windowsContainers.isolation',
    'windowsContainers.daemon.configPath',
    'windowsContainers.catalogue.liveRefresh',
    'windowsContainers.upstreamFeatures',
  ].sort();
  assert.deepEqual(Object.keys(declared).sort(), expected);
  for (const [key, value] of Object.entries(declared) as [
    string,
    { markdownDescription?: string; description?: string; scope?: string },
  ][]) {
    assert.ok((value.markdownDescription ?? value.description ?? '').length > 20, `${key} needs a description`);
    assert.ok(value.scope, `${key} needs an explicit scope`);
  }
  for (const rule of RULES) {
    const setting = declared[`windowsContainers.rules.${rule.id}`];
    assert.deepEqual(setting.enum, ['default', 'error', 'warning', 'information', 'hint', 'off']);
    assert.ok(setting.markdownDescription.startsWith(rule.description), `${rule.id}: run node scripts/sync-rules.mjs`);
  }
});
