#!/usr/bin/env node
// `npm run fuzz -- [--seed N] [--seconds S] [--bound MS] [--minimize S] [--corpus DIR] [--out DIR]`:
// fuzzes the bundled language server (dist/server.js, built by `npm run build` first) with mutated
// Dockerfiles from ../shared/corpus and random text; see test/fuzz/fuzzer.ts. The fuzzer is
// TypeScript: it is bundled here with esbuild (a build dependency) into out/fuzz/run.js and run.
// Defaults: seed 1, 60 s, 5000 ms per request, 120 s to minimise findings, findings in out/fuzz/.
// Exits 1 when it finds something, 0 otherwise.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const outfile = path.join(ROOT, 'out', 'fuzz', 'run.js');

await esbuild.build({
  entryPoints: [path.join(ROOT, 'test', 'fuzz', 'run.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  sourcemap: 'inline',
  logLevel: 'warning',
  // Same as esbuild.mjs: vscode-languageserver-types' UMD build cannot be followed.
  mainFields: ['module', 'main'],
});

const run = spawnSync(process.execPath, ['--enable-source-maps', outfile, ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: ROOT,
});
process.exit(run.status ?? 1);
