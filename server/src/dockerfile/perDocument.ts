/**
 * A question about a parsed document, answered once per document version: a parse is never
 * modified, so its answer stays true while the version lives (and is collected with it). Rules and
 * features that ask the same question on every request or per instruction share the one answer:
 * callers must not modify it.
 */
import type { ParsedDocument } from './document';

export function perDocument<T>(compute: (document: ParsedDocument) => T): (document: ParsedDocument) => T {
  const answers = new WeakMap<ParsedDocument, T>();
  return (document) => {
    if (answers.has(document)) return answers.get(document) as T;
    const answer = compute(document);
    answers.set(document, answer);
    return answer;
  };
}
