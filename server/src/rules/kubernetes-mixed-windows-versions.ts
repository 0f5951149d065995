/**
 * All containers of a pod run on one node. With process isolation a node runs only images of
 * builds it supports (hcsshim CheckHostAndContainerCompat: below build 20348 the builds must match;
 * from 20348 on, between the newest LTSC build older than the host and the host build), so
 * Windows images of builds that no host runs side by side (ltsc2019 next to ltsc2022) cannot all
 * start: one fails with "The container operating system does not match the host operating system."
 * (as `windows-mixed-builds` for the stages of a Dockerfile).
 */
import { HOSTS, runsProcessIsolated } from '../catalogue/catalogue';
import { isHyperVHandler, runtimeClassOf } from '../yaml/pods';
import { versionLabel } from './support/baseImages';
import type { Finding, YamlRule } from './support/types';

export const kubernetesMixedWindowsVersions: YamlRule = {
  id: 'kubernetes-mixed-windows-versions',
  description:
    'Windows images of one pod on Windows builds that no node runs side by side with process isolation (ltsc2019 next to ltsc2022).',
  defaultSeverity: 'warning',
  documents: 'kubernetes',
  fixable: false,
  check({ file, workloads }) {
    const findings: Finding[] = [];
    for (const pod of workloads.pods) {
      const runtimeClass = runtimeClassOf(file, pod);
      if (runtimeClass === 'unknown' || isHyperVHandler(runtimeClass?.handler)) continue;
      const versioned = pod.containers.flatMap((c) => {
        const version = c.image?.windows ? c.image.stage.catalogue.tag?.version : undefined;
        return c.image && version ? [{ image: c.image, version }] : [];
      });
      const first = versioned[0];
      if (!first) continue;
      const together = (build: number) =>
        build === first.version.build ||
        HOSTS.some((h) => runsProcessIsolated(h.build, build) && runsProcessIsolated(h.build, first.version.build));
      for (const { image, version } of versioned.slice(1)) {
        if (together(version.build)) continue;
        findings.push({
          range: image.range,
          message: `${image.text} is ${versionLabel(version)} and ${first.image.text} ${versionLabel(first.version)}: no node runs both with process isolation, and the containers of a pod run on one node, so one of them fails with "The container operating system does not match the host operating system." Put the containers on one Windows version.`,
        });
      }
    }
    return findings;
  },
};
