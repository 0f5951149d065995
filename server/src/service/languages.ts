/**
 * The languages the server analyses, by the `languageId` the editor sends with each document. The
 * one place that says which documents get answers: every other language (another editor may send
 * a README as `markdown`) gets none. A new kind of document (Compose, Kubernetes YAML) is a new
 * entry here and a route in startServer.ts on the kind it returns.
 */
export type DocumentKind = 'dockerfile';

/** LSP language ids, compared in lower case (editors spell `dockerfile` differently). */
const LANGUAGES: Readonly<Record<string, DocumentKind>> = {
  dockerfile: 'dockerfile',
};

/** The kind of document a language id names, or undefined for a language the server does not analyse. */
export function documentKind(languageId: string): DocumentKind | undefined {
  return Object.prototype.hasOwnProperty.call(LANGUAGES, languageId.toLowerCase()) ? LANGUAGES[languageId.toLowerCase()] : undefined;
}
