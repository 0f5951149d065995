/**
 * A compose service's `platform` (`os/arch`, compose-spec "platform") chooses the variant of the
 * image to pull. A Windows image has no Linux variant: `platform: linux/amd64` beside it makes the
 * pull fail with `no matching manifest for linux/amd64 in the manifest list entries`. Windows
 * images are known by the catalogue (or by the final stage of the Dockerfile the service builds);
 * the reverse is not reported, because the catalogue does not list Linux-only images.
 */
import type { Finding, YamlRule } from './support/types';

export const composePlatformMismatch: YamlRule = {
  id: 'compose-platform-mismatch',
  description: 'A compose service whose `platform` is Linux while its image (or the Dockerfile it builds) is Windows.',
  defaultSeverity: 'error',
  documents: 'compose',
  fixable: true,
  check({ file, workloads }) {
    const findings: Finding[] = [];
    for (const service of workloads.services) {
      const node = service.platform;
      const range = file.rangeOf(node);
      const value = typeof node?.value === 'string' ? node.value : undefined;
      if (!range || !value || !/^linux(\/|$)/i.test(value)) continue;
      const windowsImage = service.image?.windows
        ? service.image.text
        : service.build?.os === 'windows'
          ? `the image built from ${service.build.dockerfile}`
          : undefined;
      if (!windowsImage) continue;
      const arch = value.split('/').slice(1).join('/') || 'amd64';
      findings.push({
        range,
        message: `Service "${service.name}": platform ${value} asks for a Linux variant of ${windowsImage}, which is a Windows image: the pull fails with "no matching manifest for ${value} in the manifest list entries". Use windows/${arch}.`,
        fixes: [
          { title: `Use platform: windows/${arch}`, edits: [{ range, newText: `windows/${arch}` }], preferred: true },
        ],
      });
    }
    return findings;
  },
};
