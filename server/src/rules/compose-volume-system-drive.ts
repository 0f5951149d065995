/**
 * A Windows container cannot mount a volume on the root of its system drive: moby's Windows mount
 * parser rejects the destination with "destination path cannot be `c:` or `c:\`" (moby/moby
 * `volume/mounts/windows_parser.go`, windowsValidateNotRoot), as for a VOLUME in a Dockerfile
 * (`windows-volume-system-drive`). No quick fix: the folder to use is the author's choice.
 */
import { composeVolumes } from '../yaml/composeVolumes';
import type { Finding, YamlRule } from './support/types';

export const composeVolumeSystemDrive: YamlRule = {
  id: 'compose-volume-system-drive',
  description: 'A volume of a Windows compose service mounted on the root of C: (`C:`, `C:\\`), which Docker refuses.',
  defaultSeverity: 'error',
  documents: 'compose',
  fixable: false,
  check({ file, workloads }) {
    const findings: Finding[] = [];
    for (const service of workloads.services) {
      if (!service.windows) continue;
      for (const volume of composeVolumes(file, service)) {
        if (!volume.target || !volume.targetRange || !/^c:[\\/]?$/i.test(volume.target.trim())) continue;
        findings.push({
          range: volume.targetRange,
          message: `Service "${service.name}": the volume's target ${volume.target} is the root of the system drive, which Docker refuses ("destination path cannot be \`c:\` or \`c:\\\`"). Mount it on a folder, such as C:\\data.`,
        });
      }
    }
    return findings;
  },
};
