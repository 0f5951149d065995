/**
 * Every stage of a Windows build runs in a container on the build host, builder stages included
 * (the classic builder, which `docker build` uses in Windows-container mode, builds every stage).
 * With process isolation a host runs only images of its own build (from Windows Server 2022 on:
 * between the newest LTSC build older than the host and the host build), by hcsshim's
 * CheckHostAndContainerCompat (microsoft/hcsshim osversion/platform_compat_windows.go;
 * MicrosoftDocs/Virtualization-Documentation deploy-containers/version-compatibility.md). Stages on
 * builds that no single host runs together (ltsc2019 next to ltsc2022) cannot all build there.
 * Runs when no target host is set (`windows-host-incompatible` judges each image against a set one).
 */
import { HOSTS, runsProcessIsolated, runsWithHyperV } from '../catalogue/catalogue';
import { NO_MACHINE, resolveTargetHost } from '../../../common/targetHosts';
import { candidateTags, fixOffers, versionLabel, versionName, windowsBaseImages } from './support/baseImages';
import type { Finding, Rule } from './support/types';

export const windowsMixedBuilds: Rule = {
  id: 'windows-mixed-builds',
  description:
    'Stages on Windows builds that no host runs side by side with process isolation (ltsc2019 next to ltsc2022) cannot all build on one host.',
  defaultSeverity: 'warning',
  fixable: true,
  check({ document, today, settings }) {
    const target = resolveTargetHost(settings.targetHost, settings.isolation, NO_MACHINE);
    if (target.build !== undefined || settings.isolation === 'hyperv') return [];
    const last = document.stages[document.stages.length - 1];
    const final = last?.os === 'windows' ? last.catalogue.tag?.version : undefined;
    if (!final) return [];
    const together = (build: number) =>
      build === final.build ||
      HOSTS.some((h) => runsProcessIsolated(h.build, build) && runsProcessIsolated(h.build, final.build));
    const findings: Finding[] = [];
    for (const image of windowsBaseImages(document)) {
      const tag = image.stage.catalogue.tag;
      const version = tag?.version;
      if (!tag || !version || image.stage === last || together(version.build)) continue;
      const newest = Math.max(version.build, final.build);
      const aligned = candidateTags(tag.repository, tag, today, (v) => v.build === final.build)[0];
      const hyperv = HOSTS.some((h) => runsWithHyperV(h.build, newest))
        ? ` or build with --isolation=hyperv on a host of build ${newest} or newer`
        : '';
      findings.push({
        range: image.range,
        message:
          `This stage is on ${versionLabel(version)} and the final stage on ${versionLabel(final)}: no host runs both with process isolation, ` +
          `and every stage, builders included, runs on the build host, so one of them fails with "The container operating system does not match the host operating system." ` +
          `Put the stages on one Windows version${aligned ? ` (${aligned.tag} here)` : ''}${hyperv}.`,
        fixes: fixOffers(
          image.site,
          aligned
            ? [
                {
                  title: `Use ${tag.repository.name}:${aligned.tag} (${versionName(aligned.version)}, like the final stage)`,
                  change: { tag: aligned.tag },
                  preferred: true,
                },
              ]
            : [],
        ),
      });
    }
    return findings;
  },
};
