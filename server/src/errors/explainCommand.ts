/**
 * The language server's `windowsContainers.explainError` command, for the VS Code command
 * "Explain Docker Error…" and the terminal links: `[{ text, uri? }]` → the explanations (JSON form,
 * 1-based lines as the CLI prints them) and their Markdown. With the URI of an open Dockerfile,
 * each explanation names the line responsible in it. Same code as `windows-containers explain`.
 */
import { explainLog, MAX_LOG_LENGTH, responsibleLine } from './explain';
import { ExplanationJson, explanationJson, formatMarkdown, responsibleJson } from './format';

export const EXPLAIN_ERROR_COMMAND = 'windowsContainers.explainError';

export interface ExplainErrorResult {
  readonly errors: readonly ExplanationJson[];
  /** The explanations as Markdown; empty when nothing was recognised. */
  readonly markdown: string;
}

export class ExplainArgumentError extends Error {}

/** Runs the command; `dockerfileText` gives the text of an open document (undefined when it is not open). */
export function explainErrorCommand(
  argument: unknown,
  dockerfileText: (uri: string) => string | undefined,
): ExplainErrorResult {
  const request = argument as { text?: unknown; uri?: unknown } | undefined;
  if (typeof request?.text !== 'string' || (request.uri !== undefined && typeof request.uri !== 'string')) {
    throw new ExplainArgumentError(`${EXPLAIN_ERROR_COMMAND} takes [{ "text": string, "uri"?: string }]`);
  }
  const text = request.text.length > MAX_LOG_LENGTH ? request.text.slice(-MAX_LOG_LENGTH) : request.text;
  const dockerfile = typeof request.uri === 'string' ? dockerfileText(request.uri) : undefined;
  const errors = explainLog(text).map((error) => {
    const line = dockerfile !== undefined ? responsibleLine(dockerfile, error) : undefined;
    return explanationJson(error, line ? responsibleJson(line) : undefined);
  });
  return { errors, markdown: errors.length > 0 ? formatMarkdown(errors) : '' };
}
