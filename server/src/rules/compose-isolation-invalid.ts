/**
 * On Windows a compose service's `isolation` is `default`, `process` or `hyperv` (compose-spec
 * `05-services.md`, "isolation"; moby's `container.Isolation`, compared without case). Anything
 * else is refused when the container is created ("invalid isolation"). Only services whose image
 * is Windows are checked: on Linux the only value is `default`.
 */
import type { Finding, YamlRule } from './support/types';

const ISOLATIONS = ['default', 'process', 'hyperv'] as const;

export const composeIsolationInvalid: YamlRule = {
  id: 'compose-isolation-invalid',
  description: 'A compose service with a Windows image whose `isolation` is not `default`, `process` or `hyperv`.',
  defaultSeverity: 'error',
  documents: 'compose',
  fixable: true,
  check({ file, workloads }) {
    const findings: Finding[] = [];
    for (const service of workloads.services) {
      const node = service.isolation;
      const range = file.rangeOf(node);
      if (!service.windows || !node || !range || typeof node.value !== 'string' || node.value.includes('$')) continue;
      const value = node.value;
      if ((ISOLATIONS as readonly string[]).includes(value.toLowerCase())) continue;
      const nearest = [...ISOLATIONS].sort(
        (a, b) => distance(value.toLowerCase(), a) - distance(value.toLowerCase(), b),
      )[0];
      findings.push({
        range,
        message: `Service "${service.name}": isolation "${value}" is not one of default, process or hyperv, so the container is not created. Did you mean ${nearest}?`,
        fixes: [{ title: `Use isolation: ${nearest}`, edits: [{ range, newText: nearest }], preferred: true }],
      });
    }
    return findings;
  },
};

/** Levenshtein distance (the values are a few characters). */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}
