/**
 * Hands dockerfile-utils and dockerfile-language-service the document's cached parse instead of
 * letting them parse the text again.
 *
 * Their entry points take the text (`validate(content)`, `computeCompletionItems(content, ...)`,
 * `format(content)`, ...) and each starts with `DockerfileParser.parse(content)`; none accepts a
 * parsed tree. The service parses every document version once (document.ts) from the very text
 * it hands them, the parser is deterministic, and none of the features that get it changes the
 * tree (they only read it; checked in dockerfile-utils 0.16.3 and dockerfile-language-service
 * 0.16.1: validate, format, formatRange, formatOnType, completion, hover, signature help,
 * definition, highlight, rename, symbols, folding, links), so answering `parse(content)` with the
 * cached tree gives the same results without the second parse (test/unit/sharedParse.test.ts).
 * dockerfile-language-service's own `computeSemanticTokens` would not do: it splices the tree's
 * comment list, so semanticTokens.ts walks the tree itself and shares only the per-instruction part.
 *
 * The swap lasts for one synchronous call: every feature parses before it returns or awaits.
 */
import { DockerfileParser, Dockerfile } from 'dockerfile-ast';

export interface SharedParse {
  /** The exact text the tree was parsed from. */
  readonly parserText: string;
  readonly dockerfile: Dockerfile;
}

/** Runs `fn` (synchronous) while `DockerfileParser.parse(parserText)` answers with the cached tree. */
export function withSharedParse<T>(shared: SharedParse, fn: () => T): T {
  const parser = DockerfileParser;
  const original = parser.parse;
  parser.parse = (content: string) => (content === shared.parserText ? shared.dockerfile : original(content));
  try {
    return fn();
  } finally {
    parser.parse = original;
  }
}
