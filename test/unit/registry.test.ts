/** Every rule has its docs page, its setting, and fixtures that show it firing and staying quiet. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { ALL_RULES as RULES } from '../../server/src/rules';
import { normaliseSettings } from '../../common/settings';
import { FIXTURES, fixtureService, REPO_ROOT } from './helpers';

test('rule ids are unique kebab-case and match their file names', () => {
  const ids = RULES.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const rule of RULES) {
    assert.match(rule.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    assert.ok(fs.existsSync(path.join(REPO_ROOT, 'server', 'src', 'rules', `${rule.id}.ts`)), `rules/${rule.id}.ts`);
    assert.ok(rule.description.length > 20);
  }
});

for (const rule of RULES) {
  test(`${rule.id}: docs page, fixtures firing and quiet`, () => {
    const docs = path.join(REPO_ROOT, 'docs', 'rules', `${rule.id}.md`);
    assert.ok(fs.existsSync(docs), `missing ${docs}`);
    const page = fs.readFileSync(docs, 'utf8');
    assert.match(page, new RegExp(`^# ${rule.id}\\n`));
    assert.match(page, /## Source/, 'the docs page states the fact with its source');
    const dir = path.join(FIXTURES, rule.id);
    const expected = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.expected'))
      .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
    const fires = (e: string) => e.split('\n').some((line) => line.split(' ')[2] === rule.id);
    assert.ok(expected.some(fires), 'a fixture where the rule fires');
    assert.ok(
      expected.some((e) => !fires(e)),
      'a fixture where the rule stays quiet',
    );
    if (rule.fixable)
      assert.ok(
        fs.readdirSync(dir).some((f) => /\.fixed\.(Dockerfile|ya?ml)$/.test(f)),
        'a .fixed.Dockerfile (.fixed.yaml) for its quick fix',
      );
  });
}

test('a rule carries quick fixes on its diagnostics exactly when it declares itself fixable', () => {
  for (const rule of RULES) {
    const dir = path.join(FIXTURES, rule.id);
    let carried = 0;
    for (const file of fs
      .readdirSync(dir)
      .filter((f) => /\.(Dockerfile|ya?ml)$/.test(f) && !/\.fixed\.[^.]+$/.test(f))) {
      const settingsFile = path.join(dir, file.replace(/\.(Dockerfile|ya?ml)$/, '.settings.json'));
      const settings = normaliseSettings(
        fs.existsSync(settingsFile) ? JSON.parse(fs.readFileSync(settingsFile, 'utf8')) : undefined,
      );
      const { diagnose } = fixtureService(path.join(dir, file));
      for (const diagnostic of diagnose(fs.readFileSync(path.join(dir, file), 'utf8'), settings)) {
        const fixes = (diagnostic.data as { fixes?: unknown[] } | undefined)?.fixes;
        if (diagnostic.code === rule.id && fixes && fixes.length > 0) carried++;
      }
    }
    assert.equal(
      carried > 0,
      rule.fixable,
      `${rule.id}: fixable is ${rule.fixable}, ${carried} diagnostics of its fixtures carry fixes`,
    );
  }
});

test('the base-image catalogue matches its JSON schema', () => {
  const dataDir = path.join(REPO_ROOT, 'server', 'src', 'data');
  const schema = JSON.parse(fs.readFileSync(path.join(dataDir, 'base-images.schema.json'), 'utf8'));
  const data = JSON.parse(fs.readFileSync(path.join(dataDir, 'base-images.json'), 'utf8')) as {
    tagMarkers: { pattern: string }[];
  };
  const validate = new Ajv({ allErrors: true }).compile(schema);
  assert.ok(validate(data), JSON.stringify(validate.errors, null, 2));
  for (const marker of data.tagMarkers) assert.doesNotThrow(() => new RegExp(marker.pattern));
});

test('every source named in the catalogue is defined in its "sources" table', () => {
  const data = JSON.parse(
    fs.readFileSync(path.join(REPO_ROOT, 'server', 'src', 'data', 'base-images.json'), 'utf8'),
  ) as { sources: Record<string, string> };
  const missing: string[] = [];
  const visit = (value: unknown, key: string) => {
    if (Array.isArray(value)) value.forEach((v) => visit(v, key));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, k);
    else if (typeof value === 'string' && /source$/i.test(key) && key !== 'sources') {
      for (const part of value.split(';')) {
        const head = part.trim().split(/[ (]/)[0];
        if (/^[A-Z]+(-[A-Za-z0-9]+)*$/.test(head) && !(head in data.sources)) missing.push(`${key}: ${head}`);
      }
    }
  };
  visit({ ...data, sources: undefined }, '');
  assert.deepEqual(missing, []);
});

test('the product lifecycles match their JSON schema and name only defined sources', () => {
  const dataDir = path.join(REPO_ROOT, 'server', 'src', 'data');
  const schema = JSON.parse(fs.readFileSync(path.join(dataDir, 'products.schema.json'), 'utf8'));
  const data = JSON.parse(fs.readFileSync(path.join(dataDir, 'products.json'), 'utf8')) as {
    sources: Record<string, string>;
    products: { versions: { source: string }[]; floatingTags: { source: string }[] }[];
  };
  const validate = new Ajv({ allErrors: true }).compile(schema);
  assert.ok(validate(data), JSON.stringify(validate.errors, null, 2));
  const named = data.products.flatMap((p) => [...p.versions, ...p.floatingTags].map((e) => e.source));
  const missing = named.flatMap((s) => s.split(';').map((part) => part.trim())).filter((key) => !(key in data.sources));
  assert.deepEqual(missing, []);
});

/**
 * What the features must know about a rule is a property the rule declares (`fixable`,
 * `judgesRunningImages`), never its id: no rule id as a string and no import of a rule file in any
 * code but the rule's own file and the registry (comments may name rules).
 */
test('no rule id appears in code outside its rule', () => {
  const files = (dir: string): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((e) =>
        e.isDirectory() ? files(path.join(dir, e.name)) : /\.(ts|mjs|js)$/.test(e.name) ? [path.join(dir, e.name)] : [],
      );
  const found: string[] = [];
  for (const file of ['server/src', 'client/src', 'common'].flatMap((dir) => files(path.join(REPO_ROOT, dir)))) {
    const relative = path.relative(REPO_ROOT, file).split(path.sep).join('/');
    if (relative === 'server/src/rules/index.ts') continue;
    const code = fs
      .readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');
    for (const rule of RULES) {
      if (relative === `server/src/rules/${rule.id}.ts`) continue;
      if (new RegExp(`['"\`/]${rule.id}['"\`]`).test(code)) found.push(`${relative}: ${rule.id}`);
    }
  }
  assert.deepEqual(found, []);
});
