/**
 * Formatting and semantic tokens are for Dockerfiles only: the client sends compose files and manifests too (its
 * document selector has `dockercompose` and `yaml`), and a formatter statically registered for
 * them would be one more YAML formatter in VS Code (the "multiple formatters" prompt, or a
 * Format Document that does nothing), and empty semantic tokens could stand in front of another
 * extension's. When the client can register them dynamically (VS Code can), the server declares no
 * static capability and registers them for Dockerfiles after initialisation instead; other clients
 * keep the static capabilities (they send Dockerfiles only).
 */
import {
  ClientCapabilities,
  Connection,
  DocumentFormattingRequest,
  DocumentOnTypeFormattingRequest,
  DocumentRangeFormattingRequest,
  SemanticTokensLegend,
  SemanticTokensRegistrationType,
} from 'vscode-languageserver';

/** The Dockerfile documents of the client's selector (client/src/extension.ts DOCUMENT_SELECTOR, without YAML). */
export const DOCKERFILE_DOCUMENTS = [
  { language: 'dockerfile' },
  { scheme: 'file', pattern: '**/{Dockerfile.*,*.Dockerfile,*.dockerfile,Containerfile}' },
];

export const ON_TYPE_FORMATTING = { firstTriggerCharacter: '\\', moreTriggerCharacter: ['`'] };

/** Whether the client registers all three formatting requests dynamically. */
export function formatsDockerfilesOnly(capabilities: ClientCapabilities): boolean {
  const document = capabilities.textDocument;
  return (
    document?.formatting?.dynamicRegistration === true &&
    document.rangeFormatting?.dynamicRegistration === true &&
    document.onTypeFormatting?.dynamicRegistration === true
  );
}

export async function registerDockerfileFormatting(connection: Connection): Promise<void> {
  const documentSelector = DOCKERFILE_DOCUMENTS;
  await connection.client.register(DocumentFormattingRequest.type, { documentSelector });
  await connection.client.register(DocumentRangeFormattingRequest.type, { documentSelector });
  await connection.client.register(DocumentOnTypeFormattingRequest.type, { documentSelector, ...ON_TYPE_FORMATTING });
}

/** Whether the client registers semantic tokens dynamically. */
export function tokensDockerfilesOnly(capabilities: ClientCapabilities): boolean {
  return capabilities.textDocument?.semanticTokens?.dynamicRegistration === true;
}

export async function registerDockerfileSemanticTokens(
  connection: Connection,
  legend: SemanticTokensLegend,
): Promise<void> {
  await connection.client.register(SemanticTokensRegistrationType.type, {
    documentSelector: DOCKERFILE_DOCUMENTS,
    legend,
    full: true,
  });
}
