// Bundles the client (vscode external) and the server (self-contained: `node dist/server.js --stdio`).
// `--production` minifies and drops source maps (for the VSIX); `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { readFileSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'info',
  define: { SERVER_VERSION: JSON.stringify(version) },
  // vscode-languageserver-types ships a UMD build that esbuild cannot follow; use its ESM build.
  mainFields: ['module', 'main'],
};

const builds = [
  { ...common, entryPoints: { client: 'client/src/extension.ts' }, outdir: 'dist', external: ['vscode'] },
  // The language client, loaded by dist/client.js just after activation (client/src/languageClient.ts).
  { ...common, entryPoints: { languageClient: 'client/src/languageClient.ts' }, outdir: 'dist', external: ['vscode'] },
  // dist/server.js starts dist/serverMain.js, the server, from V8's code cache (server/src/codeCache.ts).
  { ...common, entryPoints: { server: 'server/src/main.ts' }, outdir: 'dist' },
  { ...common, entryPoints: { serverMain: 'server/src/server.ts' }, outdir: 'dist' },
  // The `windows-containers` CLI (package.json `bin`): `node dist/cli.js daemon isolation process`.
  { ...common, entryPoints: { cli: 'server/src/cli.ts' }, outdir: 'dist' },
];

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
