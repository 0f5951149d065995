/**
 * The language client, in a bundle of its own (dist/languageClient.js): vscode-languageclient is
 * most of the client's code (about 400 KB of the 470 KB minified), so extension.ts loads it right
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
 * hand over page by page (about 10 to 20 microseconds a page in the virtual machines measured);
 * at 1,000 lines the first edits after opening were about 30 % slower for it (in process). It
 * grows there in one step (growth factor 4, not 2): it starts at 1 MB, and an edit of a 100-line
 * file makes 0.7 MB of garbage, so growing by doubling meant a collection every edit or two for the
 * first edits (in process, the median of the first 20 edits at 100 lines fell from 5.0 to 2.6 ms).
 * And one thread, not node's four, for V8's background work (garbage collection helpers and
 * optimizing compiles): each of those threads keeps a malloc arena of a few MB once it has worked,
 * and on two cores four helpers only compete with the server's own thread. Measured here: at
 * 10,000 lines, at rest, 87 MB down to 77; cold start at 3,000 lines 440 ms down to 350-365 ms.
 */
export function createLanguageClient(serverModule: string, clientOptions: LanguageClientOptions, codeCacheDir: string): LanguageClient {
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, args: ['--code-cache-dir', codeCacheDir], options: { execArgv: [...serverNodeFlags] } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...serverNodeFlags, '--nolazy', '--inspect=6011'] } },
  };
  return new LanguageClient('windowsContainers', 'Windows Containers', serverOptions, clientOptions);
}
