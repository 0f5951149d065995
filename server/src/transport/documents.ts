/**
 * The open documents, and their validation: diagnostics are published for the version they were
 * computed on, and only while it is the latest one.
 */
import { Connection, TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentSnapshot } from '../dockerfile/document';
import { createDocumentPolicy, DocumentPolicy, NO_ANSWER } from '../service/documentPolicy';
import type { WindowsDockerfileService } from '../service/languageService';
import { describe } from './guard';
import type { ServerSettings } from './settings';

export interface OpenDocuments {
  readonly documents: TextDocuments<TextDocument>;
  readonly policy: DocumentPolicy;
  /** The snapshot of an open document the service analyses (the document policy), else undefined. */
  openSnapshot(uri: string): TextDocumentSnapshot | undefined;
  /** Validates every open document again (settings or lifecycles changed). */
  validateAll(): void;
}

export function createOpenDocuments(
  connection: Connection,
  service: WindowsDockerfileService,
  settings: Pick<ServerSettings, 'forDocument' | 'forget'>,
  log: (message: string) => void,
  touch: () => void,
): OpenDocuments {
  const documents = new TextDocuments(TextDocument);
  const policy = createDocumentPolicy(log, (uri) => documents.get(uri));
  const snapshot = (document: TextDocument): TextDocumentSnapshot => ({
    uri: document.uri,
    version: document.version,
    text: document.getText(),
    languageId: document.languageId,
  });

  async function validate(document: TextDocument): Promise<void> {
    // The version this call is for: TextDocuments updates the document object in place, so
    // `document.version` itself would always read the latest.
    const version = document.version;
    touch();
    try {
      const documentSettings = await settings.forDocument(document.uri);
      // Two turns of the event loop first (no delay): changes already received are applied before
      // this version is analysed, so a burst of keystrokes is validated at its last version only.
      await new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));
      const current = documents.get(document.uri);
      // A newer version is on its way to its own validation; publishing this one would flicker.
      if (!current || current.version !== version) return;
      const diagnostics = policy.analyses(current)
        ? service.validate(snapshot(current), documentSettings)
        : NO_ANSWER.diagnostics;
      await connection.sendDiagnostics({ uri: current.uri, version: current.version, diagnostics });
    } catch (error) {
      log(`validation of ${document.uri} failed: ${describe(error)}`);
    } finally {
      touch();
    }
  }

  documents.onDidChangeContent((event) => void validate(event.document));
  documents.onDidClose((event) => {
    settings.forget(event.document.uri);
    policy.forget(event.document.uri);
    service.forget(event.document.uri);
    void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  });

  return {
    documents,
    policy,
    openSnapshot(uri) {
      const document = documents.get(uri);
      return document && policy.analyses(document) ? snapshot(document) : undefined;
    },
    validateAll: () => documents.all().forEach((document) => void validate(document)),
  };
}
