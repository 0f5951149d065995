/**
 * The pure language service: text in, LSP types out. It wraps dockerfile-language-service, hands
 * it the BuildKit-corrected parser text of each document (parsed once per version), and adds the
 * Windows rules. It never imports vscode or vscode-languageserver, so the LSP server, the CLI and
 * the unit tests all use this one implementation.
 */
import { Capabilities, DockerfileLanguageServiceFactory, FormatterSettings } from 'dockerfile-language-service';
import type {
  CodeAction,
  CodeActionContext,
  CompletionItem,
  Definition,
  Diagnostic,
  DocumentHighlight,
  DocumentLink,
  FoldingRange,
  FormattingOptions,
  Hover,
  Position,
  Range,
  SemanticTokens,
  SignatureHelp,
  SymbolInformation,
  TextEdit,
} from 'vscode-languageserver-types';
import { MarkupKind } from 'vscode-languageserver-types';
import type { Settings } from '../../../common/settings';
import { computeCodeActions } from './codeActions';
import { computeDiagnostics, Logger } from './diagnostics';
import { findLineEnd } from '../dockerfile/buildkit';
import { DocumentCache, ParsedDocument, TextDocumentSnapshot } from '../dockerfile/document';
import { completionHost, computeImageCompletions } from './imageCompletion';
import { LifecycleUpdate, productOfRepository } from '../catalogue/products';
import { computeImageHover, computeImageLinks } from './imageFeatures';
import { findImageSlotAt } from '../dockerfile/imageReferences';
import { computeSemanticTokens } from './semanticTokens';
import { computeSwitchBaseImage, SwitchRequest, SwitchResult } from './switchBaseImage';
import { installLibraryPatches, withSharedParse } from '../patches';
import { markdownCode } from './markdown';

/** The semantic token legend of dockerfile-language-service (its types and modifiers, in its order). */
export const SEMANTIC_TOKEN_LEGEND = {
  tokenTypes: [
    'keyword',
    'comment',
    'parameter',
    'property',
    'namespace',
    'class',
    'macro',
    'string',
    'variable',
    'operator',
  ],
  tokenModifiers: ['declaration', 'definition', 'deprecated'],
};

/** Upstream asks Docker Hub for tags; an unreachable registry must not hold a completion list back. */
const REGISTRY_COMPLETION_BOUND_MS = 3000;

export interface WindowsDockerfileService {
  setCapabilities(capabilities: Capabilities): void;
  parse(snapshot: TextDocumentSnapshot): ParsedDocument;
  forget(uri: string): void;
  validate(snapshot: TextDocumentSnapshot, settings: Settings): Diagnostic[];
  codeActions(
    snapshot: TextDocumentSnapshot,
    range: Range,
    context: CodeActionContext,
    settings: Settings,
  ): CodeAction[];
  /** `settings`: the target host's runnable tags come first (see imageCompletion.ts). */
  completion(snapshot: TextDocumentSnapshot, position: Position, settings?: Settings): Promise<CompletionItem[]>;
  resolveCompletion(item: CompletionItem): CompletionItem;
  hover(snapshot: TextDocumentSnapshot, position: Position): Hover | null;
  signatureHelp(snapshot: TextDocumentSnapshot, position: Position): SignatureHelp;
  definition(snapshot: TextDocumentSnapshot, position: Position): Definition | null;
  highlights(snapshot: TextDocumentSnapshot, position: Position): DocumentHighlight[];
  symbols(snapshot: TextDocumentSnapshot): SymbolInformation[];
  foldingRanges(snapshot: TextDocumentSnapshot): FoldingRange[];
  format(snapshot: TextDocumentSnapshot, options: FormattingOptions, settings: Settings): TextEdit[];
  formatRange(snapshot: TextDocumentSnapshot, range: Range, options: FormattingOptions, settings: Settings): TextEdit[];
  formatOnType(
    snapshot: TextDocumentSnapshot,
    position: Position,
    ch: string,
    options: FormattingOptions,
    settings: Settings,
  ): TextEdit[];
  prepareRename(snapshot: TextDocumentSnapshot, position: Position): Range | null;
  rename(snapshot: TextDocumentSnapshot, position: Position, newName: string): TextEdit[];
  links(snapshot: TextDocumentSnapshot): DocumentLink[];
  resolveLink(link: DocumentLink): DocumentLink;
  semanticTokens(snapshot: TextDocumentSnapshot): SemanticTokens;
  /** The edits that move the document to another Windows version/family, or why not. */
  switchBaseImage(snapshot: TextDocumentSnapshot, request: SwitchRequest): SwitchResult;
  /** Edits of one of dockerfile-language-service's own commands (`docker.command.*`). */
  upstreamCommandEdits(snapshot: TextDocumentSnapshot, command: string, args: unknown[]): TextEdit[];
}

export interface ServiceOptions {
  readonly log?: Logger;
  /** Today's date as `YYYY-MM-DD`, for lifecycle decisions (tests pin it). */
  readonly today?: () => string;
  /** Tags learnt from the registry for a repository; the service never waits for them. */
  readonly liveTags?: (repository: string) => readonly string[];
  /** Product lifecycles learnt by the live refresh (liveLifecycles.ts), or `undefined` for the bundled data; never waited on. */
  readonly lifecycleUpdates?: () => readonly LifecycleUpdate[] | undefined;
  /**
   * Whether to answer with dockerfile-language-service's own diagnostics, completions, hovers,
   * signatures, symbols, folding and links. Off when Microsoft's Docker / Container Tools extension
   * already shows them (`windowsContainers.upstreamFeatures`); the Windows features stay.
   */
  readonly upstreamFeatures?: () => boolean;
}

export function createWindowsDockerfileService(options: ServiceOptions | Logger = {}): WindowsDockerfileService {
  const {
    log = () => undefined,
    today = () => new Date().toISOString().slice(0, 10),
    liveTags = () => [],
    lifecycleUpdates = () => undefined,
    upstreamFeatures = () => true,
  } = typeof options === 'function' ? { log: options } : options;
  installLibraryPatches();
  const upstream = DockerfileLanguageServiceFactory.createLanguageService();
  upstream.setLogger({ log });
  let markdown = false;
  let deprecatedTag = false;
  let hoverMarkdown = false;
  const cache = new DocumentCache();
  /** Runs an upstream feature on the document's parser text, with the cached parse shared (see upstreamParse.ts). */
  const shared = <T>(snapshot: TextDocumentSnapshot, feature: (text: string) => T): T => {
    const document = cache.get(snapshot);
    return withSharedParse(document, () => feature(document.parserText));
  };
  /**
   * The live lifecycles, asked for only by a document with a .NET, .NET Framework or PowerShell
   * image: other documents neither need them nor start their refresh (nor load the network modules).
   */
  const productLifecycles = (document: ParsedDocument) =>
    document.stages.some((stage) => stage.image && productOfRepository(stage.image.repository))
      ? lifecycleUpdates()
      : undefined;
  const formatterSettings = (options: FormattingOptions, settings: Settings): FormatterSettings => ({
    ...options,
    ignoreMultilineInstructions: settings.formatter.ignoreMultilineInstructions,
  });

  async function upstreamCompletion(snapshot: TextDocumentSnapshot, position: Position): Promise<CompletionItem[]> {
    const items = shared(snapshot, (text) => upstream.computeCompletionItems(text, position));
    if (Array.isArray(items)) return items;
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<CompletionItem[]>((resolve) => {
      timer = setTimeout(() => {
        log(`completion: the registry did not answer within ${REGISTRY_COMPLETION_BOUND_MS} ms`);
        resolve([]);
      }, REGISTRY_COMPLETION_BOUND_MS);
    });
    try {
      return await Promise.race([Promise.resolve(items), bound]);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    setCapabilities(capabilities) {
      markdown = capabilities.completion?.completionItem?.documentationFormat?.includes('markdown') === true;
      deprecatedTag = capabilities.completion?.completionItem?.tagSupport?.valueSet.includes(1) === true;
      hoverMarkdown = capabilities.hover?.contentFormat?.includes('markdown') === true;
      upstream.setCapabilities(capabilities);
    },
    parse: (snapshot) => cache.get(snapshot),
    forget: (uri) => {
      cache.delete(uri);
    },
    validate: (snapshot, settings) => {
      const document = cache.get(snapshot);
      return computeDiagnostics(
        document,
        settings,
        upstreamFeatures() ? upstream : undefined,
        log,
        today(),
        productLifecycles(document),
      );
    },
    // The rules' fixes travel with their diagnostics: no settings, date or lifecycles are read again.
    codeActions: (snapshot, range, context) => computeCodeActions(cache.get(snapshot), range, context, upstream),
    async completion(snapshot, position, settings) {
      const document = cache.get(snapshot);
      const slot = findImageSlotAt(document, position);
      const host = settings && completionHost(settings);
      const images = slot
        ? computeImageCompletions(slot, document.offsetAt(position) - document.offsetAt(slot.range.start), {
            today: today(),
            liveTags,
            markdown,
            deprecatedTag,
            host,
            lifecycleUpdates: productLifecycles(document),
          })
        : undefined;
      // The tag list of a Microsoft repository is complete: upstream would ask Docker Hub for it.
      if (images?.kind === 'tags') return images.items;
      const upstreamItems = upstreamFeatures() ? await upstreamCompletion(snapshot, position) : [];
      return images ? [...upstreamItems, ...images.items] : upstreamItems;
    },
    resolveCompletion: (item) =>
      (item.data as { windowsContainers?: string } | undefined)?.windowsContainers
        ? item
        : upstream.resolveCompletionItem(item),
    hover: (snapshot, position) =>
      computeImageHover(cache.get(snapshot), position, today(), hoverMarkdown) ??
      (upstreamFeatures()
        ? literalValues(
            shared(snapshot, (text) => upstream.computeHover(text, position)),
            hoverMarkdown,
          )
        : null),
    signatureHelp: (snapshot, position) =>
      upstreamFeatures()
        ? shared(snapshot, (text) => upstream.computeSignatureHelp(text, position))
        : { signatures: [] },
    definition: (snapshot, position) =>
      shared(snapshot, (text) => upstream.computeDefinition({ uri: snapshot.uri }, text, position)),
    highlights: (snapshot, position) => shared(snapshot, (text) => upstream.computeHighlightRanges(text, position)),
    symbols: (snapshot) =>
      upstreamFeatures() ? shared(snapshot, (text) => upstream.computeSymbols({ uri: snapshot.uri }, text)) : [],
    foldingRanges: (snapshot) =>
      upstreamFeatures() ? shared(snapshot, (text) => upstream.computeFoldingRanges(text)) : [],
    format: (snapshot, options, settings) =>
      shared(snapshot, (text) => upstream.format(text, formatterSettings(options, settings))),
    formatRange: (snapshot, range, options, settings) =>
      shared(snapshot, (text) => upstream.formatRange(text, range, formatterSettings(options, settings))),
    formatOnType: (snapshot, position, ch, options, settings) =>
      shared(snapshot, (text) => upstream.formatOnType(text, position, ch, formatterSettings(options, settings))),
    prepareRename: (snapshot, position) => shared(snapshot, (text) => upstream.prepareRename(text, position)),
    rename: (snapshot, position, newName) => {
      const edits = shared(snapshot, (text) => upstream.computeRename({ uri: snapshot.uri }, text, position, newName));
      // No rename rather than overlapping edits, which a client refuses to apply (see overlapping below).
      return overlapping(edits, cache.get(snapshot)) ? [] : edits;
    },
    links: (snapshot) =>
      computeImageLinks(
        cache.get(snapshot),
        upstreamFeatures() ? shared(snapshot, (text) => upstream.computeLinks(text)) : [],
      ),
    resolveLink: (link) => upstream.resolveLink(link),
    semanticTokens: (snapshot) => {
      const document = cache.get(snapshot);
      // Each line's length, found once (-1: not yet).
      const lengths = new Int32Array(document.lineOffsets.length).fill(-1);
      const length = (line: number) => {
        if (line >= lengths.length) return 0;
        if (lengths[line] < 0) lengths[line] = lineLength(document, line);
        return lengths[line];
      };
      return withoutEmptyTokens(computeSemanticTokens(document), length);
    },
    switchBaseImage: (snapshot, request) => computeSwitchBaseImage(cache.get(snapshot), request),
    upstreamCommandEdits: (snapshot, command, args) =>
      upstream.computeCommandEdits(cache.get(snapshot).parserText, command, args) ?? [],
  };
}

/**
 * dockerfile-language-service answers the hover of an ARG or ENV (its name, or a variable that
 * uses it) with the value from the document as a bare string, which LSP reads as markdown: a value
 * such as `![p](https://host/p.png)` became an image VS Code loads. Its own documentation comes as
 * MarkupContent and stays; document text becomes a code span (plain text for plain-text clients).
 */
export function literalValues(hover: Hover | null | undefined, markdown: boolean): Hover | null {
  if (!hover) return null;
  const contents = hover.contents;
  const literal = (value: string): Hover['contents'] =>
    markdown ? { kind: MarkupKind.Markdown, value: markdownCode(value) } : { kind: MarkupKind.PlainText, value };
  if (typeof contents === 'string') return { ...hover, contents: literal(contents) };
  if (Array.isArray(contents)) {
    const values = contents.map((c) => (typeof c === 'string' ? c : c.value));
    return { ...hover, contents: literal(values.join('\n')) };
  }
  if ('language' in contents) return { ...hover, contents: literal(contents.value) };
  return hover;
}

/**
 * dockerfile-language-service emits zero-length tokens (for the empty tag after `FROM image:`),
 * which VS Code rejects with "Semantic token with invalid length", and, after an escape character
 * followed by blanks and another escape character (`RUN a \\` then ` \\ \\`), a token that
 * starts before the previous one ends (a negative relative position) and one that runs past the
 * end of its line (`RUN C$\\` then `A`; both found by the fuzzer). Drops them, re-encoding the
 * relative positions of the tokens that follow.
 */
export function withoutEmptyTokens(tokens: SemanticTokens, lineLength?: (line: number) => number): SemanticTokens {
  const data = tokens.data;
  // Until the first dropped token the output is the input itself: copied only from there on.
  let out: number[] | undefined;
  let line = 0;
  let start = 0;
  let lastLine = 0;
  let lastStart = 0;
  let lastEnd = 0;
  let kept = 0;
  for (let i = 0; i + 4 < data.length; i += 5) {
    line += data[i];
    start = data[i] === 0 ? start + data[i + 1] : data[i + 1];
    const length = data[i + 2];
    if (
      length <= 0 ||
      line < lastLine ||
      (line === lastLine && kept > 0 && start < lastEnd) ||
      (lineLength && start + length > lineLength(line))
    ) {
      out ??= data.slice(0, i);
      continue;
    }
    if (out) out.push(line - lastLine, line === lastLine ? start - lastStart : start, length, data[i + 3], data[i + 4]);
    kept++;
    lastLine = line;
    lastStart = start;
    lastEnd = start + length;
  }
  return out ? { ...tokens, data: out } : tokens;
}

/** The length of a line of the document, without its line break (0 past the last line). */
function lineLength(document: ParsedDocument, line: number): number {
  const start = document.lineOffsets[line];
  return start === undefined ? 0 : findLineEnd(document.text, start) - start;
}

/**
 * Whether two of `edits` overlap. After a variable, an escape character, a line of a blank, the
 * escape character and more, and lone CRs (test/fixtures-fuzz/rename-overlapping-variable.Dockerfile,
 * found by the fuzzer), dockerfile-language-service's rename replaces the variable twice from the
 * same start, once up to the next line.
 */
function overlapping(edits: readonly TextEdit[], document: ParsedDocument): boolean {
  const spans = edits
    .map((edit) => [document.offsetAt(edit.range.start), document.offsetAt(edit.range.end)])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (let i = 1; i < spans.length; i++) if (spans[i][0] < spans[i - 1][1]) return true;
  return false;
}
