/**
 * The languages the server analyses, by the `languageId` the editor sends with each document. The
 * one place that says which documents get answers: every other language (another editor may send
 * a README as `markdown`) gets none.
 */
export type DocumentKind = 'dockerfile' | 'dockercompose' | 'yaml';

/** LSP language ids, compared in lower case (editors spell `dockerfile` differently). */
const LANGUAGES: Readonly<Record<string, DocumentKind>> = {
  dockerfile: 'dockerfile',
  // Compose files and Kubernetes manifests: server/src/service/yaml/route.ts says which YAML documents are
  // ours (by name and content); any other YAML gets nothing there.
  dockercompose: 'dockercompose',
  yaml: 'yaml',
};

/** The kind of document a language id names, or undefined for a language the server does not analyse. */
export function documentKind(languageId: string): DocumentKind | undefined {
  return Object.prototype.hasOwnProperty.call(LANGUAGES, languageId.toLowerCase())
    ? LANGUAGES[languageId.toLowerCase()]
    : undefined;
}
