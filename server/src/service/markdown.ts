/**
 * Text from a document (or the registry) inside the markdown the server builds (hovers, completion
 * documentation). Every such piece goes through one of these two, so nothing a Dockerfile holds can
 * become markup: a tag with backticks could otherwise close a code span and add a link or a remote
 * image, which VS Code loads when the hover shows.
 */

/** Markdown's ASCII punctuation, each escaped with a backslash (CommonMark: any of them may be). */
const PUNCTUATION = /[\\`*_{}[\]()#+\-.!|<>~"'&:;=?@$%^,/]/g;
/** Line breaks and other control characters: a hover line stays one line. */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** `text` as literal markdown text: punctuation escaped, control characters as spaces. */
export function escapeMarkdown(text: string): string {
  return text.replace(CONTROL, ' ').replace(PUNCTUATION, (c) => `\\${c}`);
}

/**
 * `text` as an inline code span: fenced with more backticks than its longest run of them (and a
 * space inside when it starts or ends with one), so it cannot close early; control characters as
 * spaces.
 */
export function markdownCode(text: string): string {
  const flat = text.replace(CONTROL, ' ');
  let longest = 0;
  let run = 0;
  for (const c of flat) {
    run = c === '`' ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  const fence = '`'.repeat(longest + 1);
  const pad =
    flat.startsWith('`') || flat.endsWith('`') || (flat.startsWith(' ') && flat.endsWith(' ') && flat.trim() !== '')
      ? ' '
      : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}
