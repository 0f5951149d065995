/**
 * Nodes carry `node.kubernetes.io/windows-build` (`10.0.20348`, `10.0.26100`, ...) so that pods can
 * select the nodes their image runs on (kubernetes/enhancements PR #1302; kubernetes.io "Windows
 * containers in Kubernetes" scheduling guide). containerd runs Windows pods with process isolation
 * unless a RuntimeClass selects a Hyper-V handler (containerd/containerd PR #6901), and process
 * isolation needs a build the host can run (hcsshim CheckHostAndContainerCompat, as in
 * `windows-host-incompatible`): a pod that selects another build is scheduled and then fails with
 * "The container operating system does not match the host operating system." With a Hyper-V
 * RuntimeClass any image not newer than the node runs. A RuntimeClass defined in another file is
 * unknown: the rule stays quiet.
 */
import { runsProcessIsolated, runsWithHyperV } from '../catalogue/catalogue';
import { BUILD_LABEL, isHyperVHandler, runtimeClassOf, selectorValue } from '../yaml/pods';
import { versionLabel } from './support/baseImages';
import type { Finding, YamlRule } from './support/types';

export const kubernetesWindowsBuildMismatch: YamlRule = {
  id: 'kubernetes-windows-build-mismatch',
  description:
    'A pod template that selects `node.kubernetes.io/windows-build` nodes whose Windows build cannot run its image (process isolation, unless a RuntimeClass selects Hyper-V).',
  defaultSeverity: 'error',
  documents: 'kubernetes',
  fixable: true,
  check({ file, workloads }) {
    const findings: Finding[] = [];
    for (const pod of workloads.pods) {
      const selected = selectorValue(pod, BUILD_LABEL);
      const nodeBuild = selected ? /^10\.0\.(\d+)$/.exec(selected.value.trim())?.[1] : undefined;
      if (!selected || !nodeBuild) continue;
      const runtimeClass = runtimeClassOf(file, pod);
      if (runtimeClass === 'unknown') continue;
      const hyperv = isHyperVHandler(runtimeClass?.handler);
      const host = Number(nodeBuild);
      const valueRange = file.rangeOf(selected.node);
      for (const container of pod.containers) {
        const version = container.image?.windows ? container.image.stage.catalogue.tag?.version : undefined;
        if (!container.image || !version) continue;
        if (hyperv ? runsWithHyperV(host, version.build) : runsProcessIsolated(host, version.build)) continue;
        const why =
          version.build > host
            ? `newer than the selected nodes' build ${host}: no isolation runs a newer image, and the pull fails with "no matching manifest"`
            : hyperv
              ? `which nodes of build ${host} cannot run`
              : `which nodes of build ${host} cannot run with process isolation (containerd's default): the container fails with "The container operating system does not match the host operating system." Select build 10.0.${version.build}, or a RuntimeClass whose handler uses Hyper-V isolation`;
        findings.push({
          range: container.image.range,
          message: `${container.image.text} is ${versionLabel(version)}, ${why}.`,
          fixes: valueRange
            ? [
                {
                  title: `Select nodes of build 10.0.${version.build} (${BUILD_LABEL})`,
                  edits: [{ range: valueRange, newText: `'10.0.${version.build}'` }],
                  preferred: true,
                },
              ]
            : [],
        });
        // The selector is the pod's: one finding (and one fix) per pod.
        break;
      }
    }
    return findings;
  },
};
