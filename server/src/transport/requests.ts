/**
 * The requests on a document: each adapts its params to one call of the service and gives its
 * answer back. `onDocument` is the pattern they share: guarded (guard.ts), the document open and
 * analysed (the document policy) or the request's empty answer, edits filtered to the safe ones.
 */
import type { Connection, TextDocumentIdentifier } from 'vscode-languageserver';
import type { TextDocumentSnapshot } from '../dockerfile/document';
import { Answers, NO_ANSWER } from '../service/documentPolicy';
import type { WindowsDockerfileService } from '../service/languageService';
import type { OpenDocuments } from './documents';
import type { Guard } from './guard';
import type { ServerSettings } from './settings';

export function registerRequests(
  connection: Connection,
  service: WindowsDockerfileService,
  open: OpenDocuments,
  settings: ServerSettings,
  guard: Guard,
): void {
  const { policy } = open;
  /** A handler of a request named by `name` in `Answers` on the document of `params.textDocument`. */
  function onDocument<N extends keyof Answers, P extends { textDocument: TextDocumentIdentifier }>(
    name: N,
    answer: (doc: TextDocumentSnapshot, params: P) => Answers[N] | Promise<Answers[N]>,
  ): (params: P) => Promise<Answers[N]> {
    return guard(name, NO_ANSWER[name], (params: P) => {
      const doc = open.openSnapshot(params.textDocument.uri);
      return doc ? answer(doc, params) : NO_ANSWER[name];
    });
  }
  const settingsOf = (doc: TextDocumentSnapshot) => settings.forDocument(doc.uri);

  connection.onCompletion(
    onDocument('completion', async (doc, params) => service.completion(doc, params.position, await settingsOf(doc))),
  );
  connection.onCompletionResolve((item) =>
    guard('completionResolve', item, () => service.resolveCompletion(item))(item),
  );
  connection.onHover(onDocument('hover', (doc, params) => service.hover(doc, params.position)));
  connection.onSignatureHelp(onDocument('signatureHelp', (doc, params) => service.signatureHelp(doc, params.position)));
  connection.onDefinition(onDocument('definition', (doc, params) => service.definition(doc, params.position)));
  connection.onDocumentHighlight(
    onDocument('documentHighlight', (doc, params) => service.highlights(doc, params.position)),
  );
  connection.onDocumentSymbol(onDocument('documentSymbol', (doc) => service.symbols(doc)));
  connection.onFoldingRanges(onDocument('foldingRange', (doc) => service.foldingRanges(doc)));
  connection.onDocumentFormatting(
    onDocument('formatting', async (doc, params) =>
      policy.safeEdits(doc.uri, service.format(doc, params.options, await settingsOf(doc))),
    ),
  );
  connection.onDocumentRangeFormatting(
    onDocument('rangeFormatting', async (doc, params) =>
      policy.safeEdits(doc.uri, service.formatRange(doc, params.range, params.options, await settingsOf(doc))),
    ),
  );
  connection.onDocumentOnTypeFormatting(
    onDocument('onTypeFormatting', async (doc, params) =>
      policy.safeEdits(
        doc.uri,
        service.formatOnType(doc, params.position, params.ch, params.options, await settingsOf(doc)),
      ),
    ),
  );
  connection.onPrepareRename(onDocument('prepareRename', (doc, params) => service.prepareRename(doc, params.position)));
  connection.onRenameRequest(
    onDocument('rename', (doc, params) => {
      const edits = service.rename(doc, params.position, params.newName);
      // Nothing to rename (or a rename refused): null, which VS Code reports as no result.
      return edits.length > 0 && policy.allSafe(doc.uri, edits) ? { changes: { [doc.uri]: edits } } : null;
    }),
  );
  connection.onDocumentLinks(onDocument('documentLinks', (doc) => service.links(doc)));
  connection.onDocumentLinkResolve((link) => guard('documentLinkResolve', link, () => service.resolveLink(link))(link));
  connection.onCodeAction(
    onDocument('codeAction', async (doc, params) =>
      policy.safeActions(
        doc.uri,
        service.codeActions(doc, params.range, policy.boundedContext(params.context), await settingsOf(doc)),
      ),
    ),
  );
  connection.languages.semanticTokens.on(onDocument('semanticTokens', (doc) => service.semanticTokens(doc)));
}
