/**
 * A named pipe (`\\.\pipe\docker_engine`) is mounted into a Windows container with the long volume
 * syntax and `type: npipe`; in the short syntax Compose v2 takes it for a bind mount of a path and
 * the container fails to be created (docker/compose#9403; compose-spec "volumes", long syntax
 * `type: npipe`).
 */
import { composeVolumes, isNamedPipe } from '../yaml/composeVolumes';
import { lineBreak, yamlString } from './support/yamlEdits';
import type { Finding, YamlRule } from './support/types';

export const composeNpipeShortSyntax: YamlRule = {
  id: 'compose-npipe-short-syntax',
  description:
    'A named pipe (`\\\\.\\pipe\\...`) mounted with the short volume syntax, which Compose v2 reads as a path: use the long syntax with `type: npipe`.',
  defaultSeverity: 'error',
  documents: 'compose',
  fixable: true,
  check({ file, workloads }) {
    const findings: Finding[] = [];
    for (const service of workloads.services) {
      for (const volume of composeVolumes(file, service)) {
        if (!volume.short || !volume.targetRange || !(isNamedPipe(volume.source) || isNamedPipe(volume.target)))
          continue;
        const range = volume.targetRange;
        const indent = ' '.repeat(range.start.character);
        const br = lineBreak(file);
        const lines = [
          'type: npipe',
          ...(volume.source !== undefined ? [`source: ${yamlString(volume.source)}`] : []),
          `target: ${yamlString(volume.target ?? '')}`,
          ...(volume.mode === 'ro' ? ['read_only: true'] : []),
        ];
        const singleLine = range.start.line === range.end.line;
        findings.push({
          range,
          message: `Service "${service.name}": the named pipe ${isNamedPipe(volume.source) ? volume.source : volume.target} is written in the short volume syntax, which Compose v2 reads as a path, so the container is not created. Use the long syntax with type: npipe.`,
          fixes: singleLine
            ? [
                {
                  title: 'Use the long syntax with type: npipe',
                  edits: [{ range, newText: lines.join(br + indent) }],
                  preferred: true,
                },
              ]
            : [],
        });
      }
    }
    return findings;
  },
};
