/**
 * Node entry of the language server. `node dist/server.js --stdio` speaks LSP over stdio (for any
 * editor); the VS Code client starts it with `--node-ipc`.
 */
import { AbstractMessageReader, createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { installLibraryPatches } from './patches';
import { startServer } from './transport/startServer';

declare const SERVER_VERSION: string;

const connection = createConnection(ProposedFeatures.all);
// A frame the transport cannot read is logged, not dropped without a word (patches/messageReader.ts).
installLibraryPatches({
  unreadableMessages: {
    readerClass: AbstractMessageReader,
    report: (error) =>
      connection.console.error(
        `a message could not be read and was dropped: ${error instanceof Error ? error.message : String(error)}`,
      ),
  },
});
// Nothing a document contains may end the process: log what escaped a handler and carry on.
process.on('uncaughtException', (error) => connection.console.error(`uncaught: ${error.stack ?? error.message}`));
process.on('unhandledRejection', (reason) => connection.console.error(`unhandled rejection: ${String(reason)}`));
startServer(connection, typeof SERVER_VERSION === 'string' ? SERVER_VERSION : 'dev');
// Test hooks, off unless the test runner sets the variable: let the integration suite crash the
// server to check the client's restart policy (test/integration/suite/serverHealth.test.ts), and
// read the node flags the client started it with (the same file); list the node modules loaded so
// far (test/lsp/server.test.ts: those loaded on first use must not be among them).
if (process.env.WINDOWS_CONTAINERS_TEST_HOOKS === '1') {
  connection.onNotification('windowsContainers/test/crash', () => process.exit(70));
  connection.onRequest('windowsContainers/test/execArgv', () => process.execArgv);
  connection.onRequest('windowsContainers/test/builtinModules', () => loadedBuiltinModules());
}

/** Node's own modules loaded in this process (`process.moduleLoadList`, "NativeModule <id>" entries). */
function loadedBuiltinModules(): string[] {
  const list = (process as unknown as { moduleLoadList?: string[] }).moduleLoadList ?? [];
  return list.filter((entry) => entry.startsWith('NativeModule ')).map((entry) => entry.slice('NativeModule '.length));
}
