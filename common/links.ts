/** Where the docs page of each rule lives; `codeDescription.href` of every diagnostic we publish. */
export const REPOSITORY_URL = 'https://github.com/windows-containers/vscode-windows-containers';
export const DIAGNOSTIC_SOURCE = 'windows-containers';

export function ruleDocsUrl(ruleId: string): string {
  return `${REPOSITORY_URL}/blob/main/docs/rules/${ruleId}.md`;
}
