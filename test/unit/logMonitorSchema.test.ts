/**
 * The bundled JSON schema of LogMonitorConfig.json (schemas/logmonitor-config.schema.json) on the
 * sample configurations of microsoft/windows-container-tools (test/fixtures-logmonitor/, see its
 * SOURCE.md), and on mistakes LogMonitor rejects or ignores.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { REPO_ROOT } from './helpers';

const SCHEMA = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'schemas', 'logmonitor-config.schema.json'), 'utf8'));
const SAMPLES = path.join(REPO_ROOT, 'test', 'fixtures-logmonitor');
const validate = new Ajv({ allErrors: true, strict: false }).compile(SCHEMA);
const errors = () => JSON.stringify(validate.errors, null, 2);

test('the schema is registered for LogMonitorConfig.json through contributes.jsonValidation', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  const entry = (pkg.contributes.jsonValidation as { fileMatch: string | string[]; url: string }[]).find(
    (v) => v.url === './schemas/logmonitor-config.schema.json',
  );
  assert.ok(entry, 'a jsonValidation entry');
  assert.deepEqual([entry.fileMatch].flat(), ['LogMonitorConfig.json', '**/LogMonitorConfig.json']);
  assert.match(
    fs.readFileSync(path.join(REPO_ROOT, '.vscodeignore'), 'utf8'),
    /^!schemas\/\*\*$/m,
    'the schema ships in the package',
  );
});

const samples = fs
  .readdirSync(SAMPLES)
  .filter((f) => f.endsWith('.json'))
  .sort();

test('there are samples from the docs, the IIS sample and the AKS example', () => {
  assert.ok(samples.length >= 13, samples.join(', '));
});

for (const file of samples) {
  const invalid = file.endsWith('.invalid.json');
  test(`sample ${file} is ${invalid ? 'rejected' : 'valid'}`, () => {
    const config = JSON.parse(fs.readFileSync(path.join(SAMPLES, file), 'utf8'));
    assert.equal(validate(config), !invalid, errors());
  });
}

const base = (source: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  LogConfig: { ...extra, sources: [source] },
});

test('mistakes LogMonitor rejects or ignores are reported', () => {
  const wrong: [string, unknown][] = [
    ['no LogConfig', { sources: [] }],
    ['unknown source type', base({ type: 'Syslog' })],
    ['ETW without providers', base({ type: 'ETW' })],
    ['EventLog without channels', base({ type: 'EventLog', startAtOldestRecord: true })],
    ['File without directory', base({ type: 'File', filter: '*.log' })],
    ['relative directory', base({ type: 'File', directory: 'logs' })],
    ['an unknown level', base({ type: 'EventLog', channels: [{ name: 'system', level: 'Debug' }] })],
    ['a misspelt key', base({ type: 'File', directory: 'C:\\logs', includeSubdirectory: true })],
    ['a boolean as a string', base({ type: 'File', directory: 'C:\\logs', includeSubdirectories: 'true' })],
    ['an unknown log format', base({ type: 'Process' }, { logFormat: 'yaml' })],
    ['a provider without GUID or name', base({ type: 'ETW', providers: [{ level: 'Verbose' }] })],
    ['a malformed GUID', base({ type: 'ETW', providers: [{ providerGuid: 'not-a-guid' }] })],
    ['a negative wait', base({ type: 'File', directory: 'C:\\logs', waitInSeconds: -1 })],
  ];
  for (const [what, config] of wrong) assert.equal(validate(config), false, what);
});

test('what the parser reads case-insensitively is accepted in any case', () => {
  const config = {
    logconfig: {
      LOGFORMAT: 'XML',
      Sources: [
        { type: 'etw', providers: [{ ProviderGuid: '{3A2A4E84-4C21-4981-AE10-3FDA0D9B0F83}', LEVEL: 'verbose' }] },
        { type: 'eventlog', channels: [{ Name: 'system', level: 'information' }] },
        { type: 'FILE', Directory: 'D:\\logs', waitInSeconds: 'INFINITY' },
      ],
    },
  };
  assert.equal(validate(config), true, errors());
});
