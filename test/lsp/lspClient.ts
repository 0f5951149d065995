/**
 * A minimal LSP client for the tests: starts `node dist/server.js --stdio` and talks the protocol
 * to it over real pipes. Every wait is bounded.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  createProtocolConnection,
  Diagnostic,
  InitializeResult,
  ProtocolConnection,
  PublishDiagnosticsParams,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';

/** The repository: the nearest folder above this file with the extension's package.json (out/test/lsp/ when compiled, out/fuzz/ when bundled). */
export const REPO_ROOT = findRepoRoot(__dirname);
export const SERVER = path.join(REPO_ROOT, 'dist', 'server.js');

export interface TestClient {
  readonly connection: ProtocolConnection;
  readonly process: ChildProcess;
  readonly initializeResult: InitializeResult;
  /** What the client answers to workspace/configuration for the `windowsContainers` section. */
  settings: unknown;
  readonly configurationRequests: string[];
  /** The registrations the server asked for with client/registerCapability. */
  readonly registrations: { method: string; registerOptions?: unknown }[];
  readonly logs: string[];
  /** The last 64 KB the server wrote to stderr (read continuously, so the pipe never fills). */
  readonly stderr: () => string;
  readonly appliedEdits: unknown[];
  /** Resolves with the next diagnostics published for `uri` that satisfy `accept`. */
  diagnostics(uri: string, accept?: (d: Diagnostic[]) => boolean, timeoutMs?: number): Promise<Diagnostic[]>;
  /** Resolves with the diagnostics published for `version` (or a later one) of `uri`. */
  diagnosticsForVersion(uri: string, version: number, timeoutMs?: number): Promise<Diagnostic[]>;
  /** Opens a document as `languageId` (default `dockerfile`). */
  open(uri: string, text: string, version?: number, languageId?: string): void;
  stop(): Promise<void>;
}

export interface ClientOptions {
  pullConfiguration?: boolean;
  settings?: unknown;
  initializationOptions?: unknown;
  /** More arguments for the server after `--stdio`. */
  args?: string[];
  /** More environment variables for the server process. */
  env?: Record<string, string>;
  /** More `textDocument` client capabilities (merged over the defaults). */
  textDocumentCapabilities?: Record<string, unknown>;
}

export async function startClient(options: ClientOptions = {}): Promise<TestClient> {
  const child = spawn(process.execPath, [SERVER, '--stdio', ...(options.args ?? [])], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  const connection = createProtocolConnection(
    new StreamMessageReader(child.stdout!),
    new StreamMessageWriter(child.stdin!),
  );
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => void (stderr = (stderr + chunk).slice(-65536)));
  const latest = new Map<string, Diagnostic[]>();
  const latestVersion = new Map<string, number>();
  const waiters: { uri: string; accept: (d: Diagnostic[]) => boolean; resolve: (d: Diagnostic[]) => void }[] = [];
  const client = {
    connection,
    process: child,
    settings: options.settings,
    configurationRequests: [] as string[],
    registrations: [] as { method: string; registerOptions?: unknown }[],
    logs: [] as string[],
    appliedEdits: [] as unknown[],
    stderr: () => stderr,
  } as TestClient & { initializeResult: InitializeResult };

  connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
    latest.set(params.uri, params.diagnostics);
    if (typeof params.version === 'number') latestVersion.set(params.uri, params.version);
    for (const waiter of [...waiters]) {
      if (waiter.uri === params.uri && waiter.accept(params.diagnostics)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(params.diagnostics);
      }
    }
  });
  connection.onNotification(
    'window/logMessage',
    (params: { message: string }) => void client.logs.push(params.message),
  );
  connection.onRequest('workspace/configuration', (params: { items: { scopeUri?: string; section?: string }[] }) =>
    params.items.map((item) => {
      client.configurationRequests.push(`${item.section}@${item.scopeUri}`);
      return client.settings ?? null;
    }),
  );
  connection.onRequest(
    'client/registerCapability',
    (params: { registrations?: { method: string; registerOptions?: unknown }[] }) => {
      client.registrations.push(...(params?.registrations ?? []));
      return null;
    },
  );
  connection.onRequest('workspace/applyEdit', (params: unknown) => {
    client.appliedEdits.push(params);
    return { applied: true };
  });
  connection.listen();

  client.diagnostics = (uri, accept = () => true, timeoutMs = 5000) => {
    const current = latest.get(uri);
    if (current && accept(current)) return Promise.resolve(current);
    return new Promise<Diagnostic[]>((resolve, reject) => {
      const waiter = { uri, accept, resolve: (d: Diagnostic[]) => (clearTimeout(timer), resolve(d)) };
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(waiter), 1);
        reject(
          new Error(
            `no matching diagnostics for ${uri} within ${timeoutMs} ms; last: ${JSON.stringify(latest.get(uri))}`,
          ),
        );
      }, timeoutMs);
      waiters.push(waiter);
    });
  };
  client.diagnosticsForVersion = (uri, version, timeoutMs = 5000) =>
    client.diagnostics(uri, () => (latestVersion.get(uri) ?? -1) >= version, timeoutMs);
  client.open = (uri, text, version = 1, languageId = 'dockerfile') => {
    latest.delete(uri);
    latestVersion.delete(uri);
    void connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  };
  client.stop = async () => {
    try {
      await withTimeout(connection.sendRequest('shutdown'), 2000, 'shutdown');
      await connection.sendNotification('exit');
    } catch {
      // the process is killed below either way
    } finally {
      connection.dispose();
      child.kill();
    }
  };

  client.initializeResult = await withTimeout(
    connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      initializationOptions: options.initializationOptions,
      capabilities: {
        workspace: {
          configuration: options.pullConfiguration !== false,
          applyEdit: true,
          didChangeConfiguration: { dynamicRegistration: true },
        },
        textDocument: {
          semanticTokens: { requests: { full: true }, tokenTypes: [], tokenModifiers: [], formats: ['relative'] },
          completion: {
            completionItem: {
              documentationFormat: ['markdown', 'plaintext'],
              snippetSupport: true,
              deprecatedSupport: true,
            },
          },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          rename: { prepareSupport: true },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
          ...options.textDocumentCapabilities,
        },
      },
    }) as Promise<InitializeResult>,
    10000,
    'initialize',
  );
  await connection.sendNotification('initialized', {});
  return client;
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
    }),
  ]);
}

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (
      fs.existsSync(manifest) &&
      (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === 'windows-containers'
    )
      return dir;
    if (path.dirname(dir) === dir) return path.resolve(start, '../../..');
  }
}
