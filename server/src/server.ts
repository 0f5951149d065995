/**
 * `dist/server.js`: starts the language server bundle (`dist/serverMain.js`, built from server.ts)
 * from V8's code cache when the client names a folder for it with `--code-cache-dir`
 * (codeCache.ts); without one, it is required as usual. A missing, unreadable or rejected cache
 * only means an ordinary start.
 */
import * as path from 'node:path';
import { codeCacheDir, loadWithCodeCache } from './runtime/codeCache';

const main = path.join(__dirname, 'serverMain.js');
const dir = codeCacheDir(process.argv);
if (dir) loadWithCodeCache(main, dir, (message) => process.stderr.write(`${message}\n`));
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the server bundle, at a path known at run time
else require(main);
