/**
 * What every host of the service applies between its documents and the service, written once so no
 * host keeps a copy: the language server (transport/, under node and in a browser) and the CLI
 * (cli/lint.ts).
 * - Which documents are analysed: those of a language the server supports (languages.ts) and no
 *   longer than `MAX_DOCUMENT_LENGTH` (dockerfile/limits.ts). Every request on another one gets the
 *   empty answer of its kind (`NO_ANSWER`), and the log says why once.
 * - Positions: every position of a request lies in its document before the service or a library
 *   sees it (`clampPositions`: the libraries trust positions).
 * - Safe edits: no edit leaves that touches a part of an over-long line the analysis blanked
 *   (`blankedRanges`), where the real text has characters the analysis never saw.
 */
import type {
  CodeAction,
  CodeActionContext,
  CompletionItem,
  Definition,
  Diagnostic,
  DocumentHighlight,
  DocumentLink,
  FoldingRange,
  Hover,
  Range,
  SemanticTokens,
  SignatureHelp,
  SymbolInformation,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-types';
import {
  blankedRanges,
  clampPositions,
  editIsSafe,
  MAX_CODE_ACTION_DIAGNOSTICS,
  MAX_DOCUMENT_LENGTH,
  PositionSpace,
} from '../dockerfile/limits';
import { documentKind } from './languages';

export { MAX_DOCUMENT_LENGTH };

/**
 * A file of more UTF-8 bytes than this is longer than `MAX_DOCUMENT_LENGTH` whatever it holds
 * (UTF-8 takes at most 3 bytes per UTF-16 code unit): a host can skip it without reading it.
 */
export const MAX_DOCUMENT_BYTES = 3 * MAX_DOCUMENT_LENGTH;

/** Why a document is not analysed. */
export type NotAnalysed =
  { readonly kind: 'language'; readonly languageId: string } | { readonly kind: 'size'; readonly length: number };

/**
 * Why a document is not analysed, or `undefined` when it is. Without a `languageId` the host
 * routes documents by their file names (the CLI): only the size counts.
 */
export function whyNotAnalysed(document: {
  readonly languageId?: string;
  readonly text: string;
}): NotAnalysed | undefined {
  if (document.languageId !== undefined && !documentKind(document.languageId))
    return { kind: 'language', languageId: document.languageId };
  return document.text.length > MAX_DOCUMENT_LENGTH ? { kind: 'size', length: document.text.length } : undefined;
}

/** The answer of each request, by the name a host logs it under. */
export interface Answers {
  diagnostics: Diagnostic[];
  completion: CompletionItem[];
  hover: Hover | null;
  signatureHelp: SignatureHelp | null;
  definition: Definition | null;
  documentHighlight: DocumentHighlight[];
  documentSymbol: SymbolInformation[];
  foldingRange: FoldingRange[];
  formatting: TextEdit[];
  rangeFormatting: TextEdit[];
  onTypeFormatting: TextEdit[];
  prepareRename: Range | null;
  rename: WorkspaceEdit | null;
  documentLinks: DocumentLink[];
  codeAction: CodeAction[];
  semanticTokens: SemanticTokens;
}

/**
 * The answer to a request on a document that is not analysed or not open, and to one whose
 * handler failed: nothing, in the shape a client expects (null where LSP allows it).
 */
export const NO_ANSWER: { readonly [K in keyof Answers]: Answers[K] } = {
  diagnostics: [],
  completion: [],
  hover: null,
  signatureHelp: null,
  definition: null,
  documentHighlight: [],
  documentSymbol: [],
  foldingRange: [],
  formatting: [],
  rangeFormatting: [],
  onTypeFormatting: [],
  prepareRename: null,
  rename: null,
  documentLinks: [],
  codeAction: [],
  semanticTokens: { data: [] },
};

/** An open document as a host holds it (`TextDocument` of vscode-languageserver-textdocument fits). */
export interface OpenDocument extends PositionSpace {
  readonly uri: string;
  readonly languageId: string;
  getText(): string;
}

export interface DocumentPolicy {
  /** Whether the document is analysed; when it is not, the log says why, once until it is analysed again or forgotten. */
  analyses(document: OpenDocument): boolean;
  /** The document was closed. */
  forget(uri: string): void;
  /**
   * `params` with every position and range (at any depth) clamped to the document it names, by
   * `textDocument.uri` or a command's first argument (a URI or `{ uri }`); as they are otherwise.
   */
  withinDocument<P>(params: P): P;
  /** A code action request's context with at most `MAX_CODE_ACTION_DIAGNOSTICS` diagnostics (dockerfile/limits.ts). */
  boundedContext(context: CodeActionContext): CodeActionContext;
  /** The edits of the document that may be applied to its real text. */
  safeEdits<E extends TextEdit>(uri: string, edits: E[]): E[];
  /** Whether every edit of the document may be applied (a rename or a command is applied whole or not at all). */
  allSafe(uri: string, edits: readonly TextEdit[]): boolean;
  /** The code actions (quick fixes of `uri`) whose edits may all be applied, to whichever open documents they change. */
  safeActions(uri: string, actions: CodeAction[]): CodeAction[];
}

/** `documentOf`: the open document of a URI, as the host holds it now (undefined when it is not open). */
export function createDocumentPolicy(
  log: (message: string) => void,
  documentOf: (uri: string) => OpenDocument | undefined,
): DocumentPolicy {
  /** The documents whose log line was written (`analyses`). */
  const noted = new Set<string>();
  /** The blanked ranges of an open document, found once per call, and a test of one edit against them. */
  function blanked(uri: string) {
    const document = documentOf(uri);
    const ranges = document ? blankedRanges(document.getText()) : [];
    return {
      none: ranges.length === 0,
      safe: (edit: TextEdit) => editIsSafe(ranges, (p) => document!.offsetAt(p), edit),
    };
  }
  function safeIn(uri: string): (edits: readonly TextEdit[]) => boolean {
    const { none, safe } = blanked(uri);
    return (edits) => none || edits.every(safe);
  }
  return {
    analyses(document) {
      const reason = whyNotAnalysed({ languageId: document.languageId, text: document.getText() });
      if (!reason) {
        // Said again if the document grows past the limit again.
        noted.delete(document.uri);
        return true;
      }
      if (!noted.has(document.uri)) {
        noted.add(document.uri);
        log(
          reason.kind === 'language'
            ? `${document.uri} is not analysed: its language is ${JSON.stringify(reason.languageId)}, not one this server supports`
            : `${document.uri} is not analysed: ${reason.length} characters, more than the limit of ${MAX_DOCUMENT_LENGTH}`,
        );
      }
      return false;
    },
    forget: (uri) => void noted.delete(uri),
    withinDocument(params) {
      const request = params as { textDocument?: { uri?: unknown }; arguments?: unknown[] } | undefined;
      const first = Array.isArray(request?.arguments) ? request.arguments[0] : undefined;
      const uri =
        request?.textDocument?.uri ??
        (typeof first === 'string' ? first : (first as { uri?: unknown } | undefined)?.uri);
      const document = typeof uri === 'string' ? documentOf(uri) : undefined;
      return document ? clampPositions(params, document) : params;
    },
    boundedContext: (context) => ({
      ...context,
      diagnostics: context.diagnostics.slice(0, MAX_CODE_ACTION_DIAGNOSTICS),
    }),
    safeEdits(uri, edits) {
      if (edits.length === 0) return edits;
      const { none, safe } = blanked(uri);
      return none ? edits : edits.filter(safe);
    },
    allSafe: (uri, edits) => safeIn(uri)(edits),
    safeActions(uri, actions) {
      const safe = safeIn(uri);
      return actions.filter((action) =>
        Object.entries(action.edit?.changes ?? {}).every(([other, edits]) =>
          other === uri ? safe(edits) : safeIn(other)(edits),
        ),
      );
    },
  };
}
