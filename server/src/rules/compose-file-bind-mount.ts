/**
 * Windows containers mount directories only: a bind mount whose source is a file fails with
 * "Only directories can be mapped on this platform" (moby's Windows mount validation;
 * docker/compose#9403 and the compose-spec "volumes" notes). Checked when the source exists next
 * to the compose file (relative paths are taken from the compose file's folder) and the service's
 * image is Windows.
 */
import { composeVolumes, hostPath, isNamedPipe, isPathSource } from '../yaml/composeVolumes';
import { folderOf } from '../yaml/workloads';
import type { Finding, YamlRule } from './support/types';

export const composeFileBindMount: YamlRule = {
  id: 'compose-file-bind-mount',
  description:
    'A bind mount of a file into a Windows container: Windows mounts directories only ("Only directories can be mapped on this platform").',
  defaultSeverity: 'error',
  documents: 'compose',
  fixable: false,
  check({ file, workloads, files }) {
    const findings: Finding[] = [];
    const folder = folderOf(file.uri);
    for (const service of workloads.services) {
      if (!service.windows) continue;
      for (const volume of composeVolumes(file, service)) {
        const source = volume.source;
        const bind = volume.short ? source !== undefined && isPathSource(source) : volume.type === 'bind';
        if (!bind || !source || isNamedPipe(source) || !volume.sourceRange) continue;
        const resolved = hostPath(folder, source);
        if (!resolved || files.stat(resolved) !== 'file') continue;
        findings.push({
          range: volume.sourceRange,
          message: `Service "${service.name}": ${source} is a file, and Windows containers mount directories only: the container fails with "Only directories can be mapped on this platform". Mount the folder that holds it.`,
        });
      }
    }
    return findings;
  },
};
