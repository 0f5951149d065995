/**
 * The language client, in a bundle of its own (dist/languageClient.js): vscode-languageclient is
 * most of the client's code, so extension.ts loads it right
 * after `activate` returns instead of on the activation path (see `npm run bench`).
 */
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import serverNodeFlags from '../../common/serverNodeFlags.json';

export type { LanguageClient, LanguageClientOptions };

/**
 * The client for the server at `serverModule` (not started). The server keeps V8's code cache in
 * `codeCacheDir` (server/src/runtime/codeCache.ts); the debug launch (`--nolazy`) goes without it.
 *
 * Node runs the server with common/serverNodeFlags.json (`npm run bench` starts it with the same):
 * a young generation of at most 4 MB per semi-space, against V8's 16 MB. Each edit's parse is
 * short-lived garbage, and a young generation grown to 16 MB is fresh memory that the system must
 * hand over page by page, which made the first edits after opening slower. It grows there in one
 * step (growth factor 4, not 2) from the 1 MB it starts at: an edit of a small file makes about as
 * much garbage as that, so growing by doubling meant a collection every edit or two for the first
 * edits. And one thread, not node's four, for V8's background work (garbage collection helpers and
 * optimizing compiles): each of those threads keeps a malloc arena once it has worked, and on two
 * cores four helpers only compete with the server's own thread. docs/performance.md ("A small young
 * generation") has what each flag bought, measured.
 */
export function createLanguageClient(
  serverModule: string,
  clientOptions: LanguageClientOptions,
  codeCacheDir: string,
): LanguageClient {
  const serverOptions: ServerOptions = {
    run: {
      module: serverModule,
      transport: TransportKind.ipc,
      args: ['--code-cache-dir', codeCacheDir],
      options: { execArgv: [...serverNodeFlags] },
    },
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      options: { execArgv: [...serverNodeFlags, '--nolazy', '--inspect=6011'] },
    },
  };
  return new LanguageClient('windowsContainers', 'Windows Containers', serverOptions, clientOptions);
}
