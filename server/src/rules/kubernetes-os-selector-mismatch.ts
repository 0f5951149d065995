/**
 * A pod placed on Linux nodes (`kubernetes.io/os: linux` in its node selector, its required node
 * affinity or its RuntimeClass) cannot run a Windows image: the kubelet's pull finds no manifest
 * for linux (`no matching manifest for linux/amd64`) and the pod stays in ImagePullBackOff
 * (kubernetes.io "Windows containers in Kubernetes" scheduling guide). Windows images are known by
 * the catalogue; the reverse (a Linux-only image on Windows nodes) is not reported, because the
 * catalogue does not list Linux-only images, and a wrong finding is worse than a missing one.
 */
import { OS_LABEL, placedOn, selectorValue } from '../yaml/pods';
import type { Finding, YamlRule } from './support/types';

export const kubernetesOsSelectorMismatch: YamlRule = {
  id: 'kubernetes-os-selector-mismatch',
  description:
    'A pod template placed on Linux nodes (`kubernetes.io/os: linux`) that runs a Windows image: the pull fails on every node it may use.',
  defaultSeverity: 'error',
  documents: 'kubernetes',
  fixable: true,
  check({ file, workloads }) {
    const findings: Finding[] = [];
    for (const pod of workloads.pods) {
      const placed = placedOn(file, pod);
      if (!placed || placed === 'unknown' || placed.os.includes('windows')) continue;
      const selected = selectorValue(pod, OS_LABEL);
      const range = selected ? file.rangeOf(selected.node) : undefined;
      // One finding per pod, on its first Windows image: the selector is the pod's, and so is its fix.
      const image = pod.containers.map((c) => c.image).find((i) => i?.windows);
      if (image) {
        findings.push({
          range: image.range,
          message: `${image.text} is a Windows image, but this ${pod.kind} runs only on ${placed.os.join(' or ')} nodes (its ${placed.by}): the pull fails with "no matching manifest" and the pod stays in ImagePullBackOff. Select Windows nodes (${OS_LABEL}: windows) or use a Linux image.`,
          fixes:
            range && selected
              ? [
                  {
                    title: `Select Windows nodes (${OS_LABEL}: windows)`,
                    edits: [{ range, newText: 'windows' }],
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
