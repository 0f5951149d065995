/**
 * Text edits for the quick fixes of compose files and manifests. They change the text where it is
 * written and keep its layout: a new key goes in front of a block map's first key, at that key's
 * column, so it lands inside the same map whether the map starts its own line or follows a `- `.
 * Flow maps (`{ a: 1 }`) and empty maps get no insertion (no fix rather than a wrong one).
 */
import type { TextEdit } from 'vscode-languageserver-types';
import type { YamlFile, YAMLMap } from '../../yaml/yamlDocument';

/**
 * Inserts `lines` as new entries at the start of a block map. `lines[0]` is the first key's line;
 * the following lines are indented relative to it by their own leading spaces.
 */
export function insertIntoMap(file: YamlFile, map: YAMLMap, lines: readonly string[]): TextEdit | undefined {
  if (map.flow || map.items.length === 0) return undefined;
  const first = map.items[0].key as { range?: [number, number, number] } | null;
  const start = first?.range?.[0];
  if (start === undefined) return undefined;
  const position = file.positionAt(start);
  const indent = ' '.repeat(position.character);
  // In front of the first key, after `- ` or the indentation: the new lines, then the first key at the same column.
  const newText =
    lines.map((line, index) => (index === 0 ? line : indent + line)).join(lineBreak(file)) + lineBreak(file) + indent;
  return { range: { start: position, end: position }, newText };
}

/** The document's line break (CRLF when its first line ends so). */
export function lineBreak(file: YamlFile): string {
  const lf = file.text.indexOf('\n');
  return lf > 0 && file.text[lf - 1] === '\r' ? '\r\n' : '\n';
}

/** A value for a plain YAML scalar, quoted when plain would read differently (`10.0.20348` stays a string either way). */
export function yamlString(value: string): string {
  return /^[A-Za-z0-9_./\\-][A-Za-z0-9_./\\ -]*$/.test(value) &&
    !/^(true|false|yes|no|on|off|null|~|[0-9.]+)$/i.test(value)
    ? value
    : `'${value.replace(/'/g, "''")}'`;
}
