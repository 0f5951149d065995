/**
 * A pod with a Windows image must be placed on a Windows node: without a `kubernetes.io/os:
 * windows` node selector (or a required node affinity, or a RuntimeClass whose scheduling adds
 * it) the scheduler may put it on a Linux node of a mixed cluster, where the pull fails with
 * `no matching manifest` and the pod stays in ImagePullBackOff (kubernetes.io "Windows containers
 * in Kubernetes" scheduling guide; kubernetes-sigs/sig-windows-tools#100). A pod naming a
 * RuntimeClass defined in another file stays quiet: that class may add the selector.
 */
import { OS_LABEL, nodeSelector, placedOn } from '../yaml/pods';
import { insertIntoMap } from './support/yamlEdits';
import type { Finding, YamlRule } from './support/types';

export const kubernetesWindowsNodeSelector: YamlRule = {
  id: 'kubernetes-windows-node-selector',
  description:
    'A pod template with a Windows image but no `kubernetes.io/os: windows` node selector or required node affinity can be scheduled on a Linux node, where the pull fails.',
  defaultSeverity: 'warning',
  documents: 'kubernetes',
  fixable: true,
  check({ file, workloads }) {
    const findings: Finding[] = [];
    for (const pod of workloads.pods) {
      const image = pod.containers.map((c) => c.image).find((i) => i?.windows);
      if (!image || placedOn(file, pod) !== undefined) continue;
      const selector = nodeSelector(pod);
      const edit = selector
        ? insertIntoMap(file, selector, [`${OS_LABEL}: windows`])
        : insertIntoMap(file, pod.spec, ['nodeSelector:', `  ${OS_LABEL}: windows`]);
      findings.push({
        range: image.range,
        message: `${image.text} is a Windows image, but this ${pod.kind} has no "${OS_LABEL}: windows" node selector or required node affinity: in a cluster with Linux nodes it can be scheduled on one, where the pull fails with "no matching manifest" (ImagePullBackOff). Add the node selector.`,
        fixes: edit ? [{ title: `Add the node selector ${OS_LABEL}: windows`, edits: [edit], preferred: true }] : [],
      });
    }
    return findings;
  },
};
