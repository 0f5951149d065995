#!/usr/bin/env node
// Builds the npm package `windows-containers` (the CLI and the language server for CI and other
// editors) from the same dist/ as the VSIX: build/npm/ holds npm/package.json completed with the
// extension's version, licence and repository, npm/README.md, LICENSE and the three bundles; then
// `npm pack` writes build/windows-containers-<version>.tgz and this script prints its path.
//
//   node scripts/pack-npm.mjs [--build]
//
// --build first makes the production bundles (`node esbuild.mjs --production`, what `npm run package`
// ships); without it the dist/ already there is packed, and a missing bundle is an error.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const out = join(root, 'build', 'npm');

if (process.argv.includes('--build'))
  execFileSync(process.execPath, [join(root, 'esbuild.mjs'), '--production'], { cwd: root, stdio: 'inherit' });

const extension = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const template = JSON.parse(readFileSync(join(root, 'npm', 'package.json'), 'utf8'));
delete template['//'];
const manifest = {
  name: template.name,
  version: extension.version,
  description: template.description,
  keywords: template.keywords,
  license: extension.license,
  repository: extension.repository,
  homepage: `${String(extension.repository.url).replace(/\.git$/, '')}#readme`,
  bin: template.bin,
  files: template.files,
  engines: template.engines,
};

const missing = manifest.files.filter((file) => !existsSync(join(root, file)));
if (missing.length > 0) {
  console.error(`pack-npm: ${missing.join(', ')} missing: run with --build (or npm run package) first`);
  process.exit(1);
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const file of manifest.files) {
  mkdirSync(dirname(join(out, file)), { recursive: true });
  copyFileSync(join(root, file), join(out, file));
}
for (const bin of Object.values(manifest.bin)) chmodSync(join(out, bin), 0o755);
copyFileSync(join(root, 'npm', 'README.md'), join(out, 'README.md'));
copyFileSync(join(root, 'LICENSE'), join(out, 'LICENSE'));
writeFileSync(join(out, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

const packed = JSON.parse(
  execFileSync('npm', ['pack', '--json', '--pack-destination', join(root, 'build')], { cwd: out, encoding: 'utf8' }),
);
const tarball = join(root, 'build', packed[0].filename);
console.log(tarball);
