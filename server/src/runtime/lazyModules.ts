/**
 * Node modules the server needs only when it asks a registry for tags (network/liveTags.ts and
 * proxyAgent.ts), required on first use instead of at start: with what third-party code requires
 * at load time and esbuild.mjs defers the same way, loading them would otherwise be part of every
 * start (docs/performance.md measures it). Imported as namespaces (`import * as`), esbuild's bundle
 * would load each one at start to copy its keys.
 * test/lsp/server.test.ts checks that a started server has loaded none of them.
 */
/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-unsafe-return -- require() on first use, typed by each function's return type */
export const nodeCrypto = (): typeof import('node:crypto') => require('node:crypto');
export const nodeHttp = (): typeof import('node:http') => require('node:http');
export const nodeHttps = (): typeof import('node:https') => require('node:https');
export const nodeNet = (): typeof import('node:net') => require('node:net');
export const nodeTls = (): typeof import('node:tls') => require('node:tls');
