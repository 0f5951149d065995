/**
 * A HostProcess pod (`securityContext.windowsOptions.hostProcess: true`) runs its containers as
 * processes on the node: Kubernetes requires `hostNetwork: true` for it and a `runAsUserName` (such
 * as `NT AUTHORITY\SYSTEM`, `NT AUTHORITY\Local service` or `NT AUTHORITY\NetworkService`, or a
 * local group); without them the API server rejects the pod (kubernetes.io "Create a Windows
 * HostProcess Pod").
 */
import { get, isMap, stringValue, YAMLMap } from '../yaml/yamlDocument';
import type { PodTemplate } from '../yaml/workloads';
import { insertIntoMap } from './support/yamlEdits';
import type { Finding, YamlRule } from './support/types';

function windowsOption(pod: PodTemplate, node: YAMLMap, key: string): string | undefined {
  return stringValue(
    get(pod.document, get(pod.document, get(pod.document, node, 'securityContext'), 'windowsOptions'), key),
  );
}

export const kubernetesHostprocessIncomplete: YamlRule = {
  id: 'kubernetes-hostprocess-incomplete',
  description: 'A Windows HostProcess pod without `hostNetwork: true` or a `runAsUserName`, which Kubernetes rejects.',
  defaultSeverity: 'error',
  documents: 'kubernetes',
  fixable: true,
  check({ file, workloads }) {
    const findings: Finding[] = [];
    for (const pod of workloads.pods) {
      const podHost = windowsOption(pod, pod.spec, 'hostProcess') === 'true';
      const hostContainers = pod.containers.filter(
        (c) =>
          windowsOption(pod, c.node, 'hostProcess') === 'true' ||
          (podHost && windowsOption(pod, c.node, 'hostProcess') !== 'false'),
      );
      if (hostContainers.length === 0) continue;
      const missing: string[] = [];
      if (stringValue(get(pod.document, pod.spec, 'hostNetwork')) !== 'true') missing.push('hostNetwork: true');
      const podUser = windowsOption(pod, pod.spec, 'runAsUserName');
      if (!podUser && hostContainers.some((c) => !windowsOption(pod, c.node, 'runAsUserName')))
        missing.push('a runAsUserName (such as NT AUTHORITY\\SYSTEM)');
      if (missing.length === 0) continue;
      const edit =
        missing[0] === 'hostNetwork: true' && isMap(pod.spec)
          ? insertIntoMap(file, pod.spec, ['hostNetwork: true'])
          : undefined;
      findings.push({
        range: pod.kindRange,
        message: `This ${pod.kind} runs HostProcess containers (windowsOptions.hostProcess: true) without ${missing.join(' and ')}: Kubernetes rejects such a pod. Add ${missing.length > 1 ? 'them' : 'it'} to the pod spec.`,
        fixes: edit ? [{ title: 'Add hostNetwork: true', edits: [edit], preferred: true }] : [],
      });
    }
    return findings;
  },
};
