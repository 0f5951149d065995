/**
 * The language client, in a bundle of its own (dist/languageClient.js): vscode-languageclient is
 * most of the client's code (about 400 KB of the 470 KB minified), so extension.ts loads it right
 * after `activate` returns instead of on the activation path (see `npm run bench`).
 */
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';

export type { LanguageClient, LanguageClientOptions };

/**
 * The client for the server at `serverModule` (not started). The server keeps V8's code cache in
 * `codeCacheDir` (server/src/codeCache.ts); the debug launch (`--nolazy`) goes without it.
 */
export function createLanguageClient(serverModule: string, clientOptions: LanguageClientOptions, codeCacheDir: string): LanguageClient {
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, args: ['--code-cache-dir', codeCacheDir] },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  return new LanguageClient('windowsContainers', 'Windows Containers', serverOptions, clientOptions);
}
