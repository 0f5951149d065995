/**
 * `workspace/executeCommand`: Switch Base Image, Explain Docker Error, and dockerfile-language-service's
 * own commands under our ids. Bad arguments are answered with an `InvalidParams` error that says
 * what the command takes.
 */
import { Connection, ErrorCodes, LSPErrorCodes, ResponseError, WorkspaceEdit } from 'vscode-languageserver';
import { CommandIds } from 'dockerfile-language-service';
import { EXPLAIN_ERROR_COMMAND, ExplainArgumentError, explainErrorCommand } from '../errors/explainCommand';
import type { WindowsDockerfileService } from '../service/languageService';
import type { SwitchFamily } from '../service/switchBaseImage';
import type { OpenDocuments } from './documents';
import type { Guard } from './guard';

export const SWITCH_BASE_IMAGE_COMMAND = 'windowsContainers.switchBaseImage';

/**
 * Upstream commands, offered under our own ids so they never clash with Microsoft's Docker
 * extension, which registers the `docker.command.*` ids of the same library.
 */
const UPSTREAM_COMMANDS: Record<string, string> = Object.fromEntries(
  Object.values(CommandIds).map((id) => [`windowsContainers.upstream.${id.replace(/^docker\.command\./, '')}`, id]),
);

/** Every command the server executes (its `executeCommandProvider`). */
export const COMMANDS = [SWITCH_BASE_IMAGE_COMMAND, EXPLAIN_ERROR_COMMAND, ...Object.keys(UPSTREAM_COMMANDS)];

export function registerCommands(
  connection: Connection,
  service: WindowsDockerfileService,
  open: OpenDocuments,
  guard: Guard,
): void {
  const { policy } = open;
  connection.onExecuteCommand(
    guard('executeCommand', null, async (params) => {
      if (params.command === SWITCH_BASE_IMAGE_COMMAND) return switchBaseImage(params.arguments?.[0]);
      if (params.command === EXPLAIN_ERROR_COMMAND) {
        try {
          return explainErrorCommand(params.arguments?.[0], (uri) => open.openSnapshot(uri)?.text);
        } catch (error) {
          if (error instanceof ExplainArgumentError) throw new ResponseError(ErrorCodes.InvalidParams, error.message);
          throw error;
        }
      }
      const upstreamId = UPSTREAM_COMMANDS[params.command];
      if (!upstreamId) throw new ResponseError(-32602, `Unknown command ${params.command}`);
      const args = params.arguments ?? [];
      const uri = typeof args[0] === 'string' ? args[0] : undefined;
      const doc = uri ? open.openSnapshot(uri) : undefined;
      if (!doc)
        throw new ResponseError(-32602, `${params.command} needs the URI of an open document as its first argument`);
      const edits = service.upstreamCommandEdits(doc, upstreamId, args);
      if (edits.length > 0 && policy.allSafe(doc.uri, edits))
        await connection.workspace.applyEdit({ label: params.command, edit: { changes: { [doc.uri]: edits } } });
      return null;
    }),
  );

  /** `windowsContainers.switchBaseImage` with `[{ uri, version, family? }]`: the WorkspaceEdit (the client applies it). */
  function switchBaseImage(argument: unknown): WorkspaceEdit {
    const request = argument as { uri?: unknown; version?: unknown; family?: unknown } | undefined;
    if (
      typeof request?.uri !== 'string' ||
      typeof request.version !== 'string' ||
      (request.family !== undefined && typeof request.family !== 'string')
    ) {
      throw new ResponseError(
        ErrorCodes.InvalidParams,
        `${SWITCH_BASE_IMAGE_COMMAND} takes [{ "uri": string, "version": "ltsc2025" | "ltsc2022" | "ltsc2019", "family"?: "servercore" | "nanoserver" | "server" }]`,
      );
    }
    const doc = open.openSnapshot(request.uri);
    if (!doc) throw new ResponseError(ErrorCodes.InvalidParams, `${request.uri} is not an open Dockerfile`);
    const result = service.switchBaseImage(doc, {
      version: request.version,
      family: request.family as SwitchFamily | undefined,
    });
    if ('refused' in result)
      throw new ResponseError(
        LSPErrorCodes.RequestFailed,
        `Cannot switch to ${request.version}${request.family ? ' ' + request.family : ''}: ${result.refused.join(' ')}`,
      );
    if ('noWindowsImage' in result)
      throw new ResponseError(
        LSPErrorCodes.RequestFailed,
        `Nothing to switch to ${request.version}: ${result.noWindowsImage}`,
      );
    if (!policy.allSafe(doc.uri, result.edits))
      throw new ResponseError(
        LSPErrorCodes.RequestFailed,
        `Cannot switch ${request.uri}: a line it would change is too long to analyse`,
      );
    if (result.notes.length === 0) return { changes: { [doc.uri]: result.edits } };
    // A change a person would not expect (`.NET Framework SDK 4.8.1 → 4.8`) carries its note as the
    // label of a change annotation, which clients show with the edit.
    const annotated = result.edits.map((edit, index) => {
      const note = result.notes.find((n) => n.edit === index);
      return note ? { ...edit, annotationId: `note${index}` } : edit;
    });
    const changeAnnotations = Object.fromEntries(
      result.notes.map((n) => [`note${n.edit}`, { label: n.text, needsConfirmation: false }]),
    );
    return {
      documentChanges: [{ textDocument: { uri: doc.uri, version: doc.version }, edits: annotated }],
      changeAnnotations,
    };
  }
}
