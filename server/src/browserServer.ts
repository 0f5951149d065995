/**
 * Browser entry of the language server (`dist/web/server.js`, a web worker that the web
 * extension starts: client/src/browserExtension.ts): the same `startServer` as the node entry,
 * over the worker's messages. What needs a machine is replaced in the build (server/src/web/README.md).
 */
import { BrowserMessageReader, BrowserMessageWriter, createConnection } from 'vscode-languageserver/browser';
import { installLibraryPatches } from './patches';
import { startServer } from './transport/startServer';

declare const SERVER_VERSION: string;
/** The worker's global scope (the project compiles without the DOM library). */
declare const self: ConstructorParameters<typeof BrowserMessageReader>[0];

installLibraryPatches();
const connection = createConnection(new BrowserMessageReader(self), new BrowserMessageWriter(self));
startServer(connection, typeof SERVER_VERSION === 'string' ? SERVER_VERSION : 'dev');
