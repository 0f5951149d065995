/**
 * The volumes of a compose service, short syntax (`source:target[:mode]`) and long syntax (`type`,
 * `source`, `target`), read as Compose reads them on Windows: a `:` right after a single drive
 * letter and before `\` or `/` (or at the end) belongs to the path (compose-go `loader/volume.go`,
 * ParseVolume; `.:C:\app` was misparsed by old versions: docker/compose#5181, #4012).
 */
import * as path from 'node:path';
import type { Range } from 'vscode-languageserver-types';
import { get, isMap, isScalar, Node, stringValue, YamlFile } from './yamlDocument';
import type { ComposeService } from './workloads';

export interface ComposeVolume {
  readonly node: Node;
  readonly short: boolean;
  readonly type?: string;
  readonly source?: string;
  readonly target?: string;
  readonly mode?: string;
  /** The whole entry (short syntax) or its `target` value (long syntax). */
  readonly targetRange?: Range;
  readonly sourceRange?: Range;
}

export function splitShortVolume(spec: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i];
    const next = spec[i + 1];
    if (
      c === ':' &&
      !(/^[A-Za-z]$/.test(current) && (next === undefined || next === '\\' || next === '/' || next === ':'))
    ) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

export function isNamedPipe(value: string | undefined): boolean {
  return value !== undefined && /^(\\\\|\/\/)\.[\\/]pipe[\\/]/i.test(value);
}

/** A source Compose reads as a path (a bind mount), not a volume name. */
export function isPathSource(source: string): boolean {
  return /^(\.|\/|~|\\|[A-Za-z]:([\\/]|$))/.test(source);
}

export function composeVolumes(file: YamlFile, service: ComposeService): ComposeVolume[] {
  const document = service.document;
  const result: ComposeVolume[] = [];
  for (const node of service.volumes) {
    if (isScalar(node) && typeof node.value === 'string') {
      const parts = splitShortVolume(node.value);
      const range = file.rangeOf(node);
      if (parts.length === 1) result.push({ node, short: true, target: parts[0], targetRange: range });
      else
        result.push({
          node,
          short: true,
          source: parts[0],
          target: parts[1],
          mode: parts[2],
          targetRange: range,
          sourceRange: range,
        });
    } else if (isMap(node)) {
      const source = get(document, node, 'source');
      const target = get(document, node, 'target');
      result.push({
        node,
        short: false,
        type: stringValue(get(document, node, 'type')),
        source: stringValue(source),
        target: stringValue(target),
        sourceRange: file.rangeOf(source),
        targetRange: file.rangeOf(target),
      });
    }
  }
  return result;
}

/** The host path a bind source names, relative to the compose file's folder; `undefined` when it cannot be known here (`~`, a variable, another OS's absolute path). */
export function hostPath(folder: string | undefined, source: string): string | undefined {
  if (!folder || source.includes('$') || source.startsWith('~')) return undefined;
  if (path.isAbsolute(source)) return source;
  if (/^[A-Za-z]:/.test(source) || source.startsWith('\\')) return undefined;
  return path.resolve(folder, source);
}
