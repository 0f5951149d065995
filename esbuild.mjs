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

/**
 * Node modules that third-party code in the server requires at load time for paths a start does
 * not take: vscode-jsonrpc crypto and net (pipe and socket transports), vscode-languageserver's
 * files.js child_process, dockerfile-language-service's registry client https (Docker Hub tags).
 * In the server bundle each such `require` from node_modules gets an object that requires the module
 * on first use. Our own code requires them on first use itself (server/src/runtime/lazyModules.ts); with
 * these, a start loads none of crypto, http, https, tls and child_process (what that saves:
 * docs/performance.md), which test/lsp/server.test.ts checks. (Node itself loads net at start
 * for a stdio pipe or an IPC channel.)
 */
const LAZY_BUILTINS = ['crypto', 'net', 'http', 'https', 'tls', 'child_process'];
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(build) {
    const filter = new RegExp(`^(node:)?(${LAZY_BUILTINS.join('|')})$`);
    build.onResolve({ filter }, (args) => {
      if (args.namespace === 'lazy-builtin' || !/[\\/]node_modules[\\/]/.test(args.importer)) return undefined;
      return { path: args.path.replace(/^node:/, ''), namespace: 'lazy-builtin' };
    });
    build.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      contents: `let loaded;
const load = () => (loaded ??= require('node:${args.path}'));
module.exports = new Proxy({}, {
  get: (_, key) => load()[key],
  has: (_, key) => key in load(),
  ownKeys: () => Reflect.ownKeys(load()),
  getOwnPropertyDescriptor: (_, key) => { const d = Reflect.getOwnPropertyDescriptor(load(), key); return d && { ...d, configurable: true }; },
});`,
      loader: 'js',
    }));
  },
};

const builds = [
  { ...common, entryPoints: { client: 'client/src/extension.ts' }, outdir: 'dist', external: ['vscode'] },
  // The language client, loaded by dist/client.js just after activation (client/src/languageClient.ts).
  { ...common, entryPoints: { languageClient: 'client/src/languageClient.ts' }, outdir: 'dist', external: ['vscode'] },
  // dist/server.js starts dist/serverMain.js, the server, from V8's code cache (server/src/runtime/codeCache.ts).
  // A `bin` of package.json and of the npm package (windows-containers-langserver): the shebang lets it run as a command.
  { ...common, entryPoints: { server: 'server/src/server.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  { ...common, entryPoints: { serverMain: 'server/src/serverMain.ts' }, outdir: 'dist', plugins: [lazyBuiltins] },
  // The `windows-containers` CLI (package.json `bin`): `node dist/cli.js daemon isolation process`.
  { ...common, entryPoints: { cli: 'server/src/cli.ts' }, outdir: 'dist' },
];

/**
 * The browser bundles (package.json `browser`: vscode.dev, github.dev): what needs a machine is
 * replaced by the stand-ins in server/src/web/ (see its README), each typed against the module it
 * replaces; node's `process` and `setImmediate` come from server/src/web/globals.ts.
 */
const WEB_REPLACEMENTS = {
  'server/src/network/liveTags.ts': 'server/src/web/liveTags.ts',
  'server/src/network/liveLifecycles.ts': 'server/src/web/liveLifecycles.ts',
  'server/src/runtime/idleCollect.ts': 'server/src/web/idleCollect.ts',
};
const WEB_BUILTINS = {
  os: 'server/src/web/os.ts',
  path: 'server/src/web/path.ts',
  https: 'server/src/web/https.ts',
  fs: 'server/src/web/fs.ts',
  url: 'server/src/web/url.ts',
};
const webReplacements = {
  name: 'web-replacements',
  setup(build) {
    const root = new URL('.', import.meta.url).pathname;
    build.onResolve({ filter: new RegExp(`^(node:)?(${Object.keys(WEB_BUILTINS).join('|')})$`) }, (args) => ({
      path: root + WEB_BUILTINS[args.path.replace(/^node:/, '')],
    }));
    build.onResolve({ filter: /^\./ }, async (args) => {
      if (args.pluginData?.webReplaced) return undefined;
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        pluginData: { webReplaced: true },
      });
      const relative = resolved.path.startsWith(root) ? resolved.path.slice(root.length) : undefined;
      const replacement = relative && WEB_REPLACEMENTS[relative];
      return replacement ? { path: root + replacement } : resolved;
    });
  },
};
const web = {
  ...common,
  platform: 'browser',
  target: 'es2022',
  mainFields: ['browser', 'module', 'main'],
  outdir: 'dist/web',
  plugins: [webReplacements],
  inject: ['server/src/web/globals.ts'],
};
builds.push(
  // The web extension's client (extension host web worker) and its language server (a worker of its own).
  { ...web, entryPoints: { extension: 'client/src/browserExtension.ts' }, format: 'cjs', external: ['vscode'] },
  { ...web, entryPoints: { server: 'server/src/browserServer.ts' }, format: 'iife' },
);

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
