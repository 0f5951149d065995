#!/usr/bin/env node
// Regenerates what derives from the rule registry: the `windowsContainers.rules.<id>` settings in
// package.json and the rule table in README.md (between <!-- rules:start --> and <!-- rules:end -->).
// Run after adding or changing a rule: `npm run compile-tests && node scripts/sync-rules.mjs`.
// `--check` changes nothing and exits 1 when either file is out of date (the unit tests check too).
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = new URL('..', import.meta.url);
const registry = new URL('out/server/src/rules/index.js', root);
if (!existsSync(registry)) {
  console.error('sync-rules: compile first (npm run compile-tests)');
  process.exit(2);
}
// Every rule: the Dockerfile rules and those of compose files and manifests.
const { ALL_RULES: RULES } = require(registry.pathname);
const { ruleDocsUrl } = require(new URL('out/common/links.js', root).pathname);
const check = process.argv.includes('--check');

const pkgPath = new URL('package.json', root);
const pkgText = readFileSync(pkgPath, 'utf8');
const pkg = JSON.parse(pkgText);
const group = pkg.contributes.configuration.find((c) => c.id === 'windowsContainers.rules');
const properties = {};
for (const rule of [...RULES].sort((a, b) => a.id.localeCompare(b.id))) {
  properties[`windowsContainers.rules.${rule.id}`] = {
    type: 'string',
    enum: ['default', 'error', 'warning', 'information', 'hint', 'off'],
    default: 'default',
    scope: 'resource',
    markdownDescription: `${rule.description} Default: \`${rule.defaultSeverity}\`. [Docs](${ruleDocsUrl(rule.id)})`,
  };
}
group.properties = properties;
const newPkg = JSON.stringify(pkg, null, 2) + '\n';

const readmePath = new URL('README.md', root);
const readme = existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : '';
const table = [
  '| Rule | Default | Quick fix | What it finds |',
  '|---|---|---|---|',
  ...[...RULES]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map(
      (r) =>
        `| [\`${r.id}\`](docs/rules/${r.id}.md) | ${r.defaultSeverity} | ${r.fixable ? 'yes' : '—'} | ${r.description.replace(/\|/g, '\\|')} |`,
    ),
].join('\n');
const newReadme = readme.replace(/(<!-- rules:start -->\n)[\s\S]*?(<!-- rules:end -->)/, `$1${table}\n$2`);

const stale = [];
if (newPkg !== pkgText) stale.push('package.json');
if (newReadme !== readme) stale.push('README.md');
if (check) {
  if (stale.length) {
    console.error(`sync-rules: out of date: ${stale.join(', ')} (run node scripts/sync-rules.mjs)`);
    process.exit(1);
  }
  console.log('sync-rules: up to date');
} else {
  if (newPkg !== pkgText) writeFileSync(pkgPath, newPkg);
  if (newReadme !== readme) writeFileSync(readmePath, newReadme);
  console.log(`sync-rules: ${RULES.length} rules; updated ${stale.length ? stale.join(', ') : 'nothing'}`);
}
