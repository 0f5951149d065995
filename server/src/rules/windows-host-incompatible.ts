/**
 * A Windows container runs only on a host whose build suits it. With process isolation the
 * builds must match (from Windows Server 2022 on: the image build lies between the newest LTSC
 * build older than the host and the host build), by hcsshim's CheckHostAndContainerCompat
 * (microsoft/hcsshim osversion/platform_compat_windows.go); with Hyper-V isolation any image not
 * newer than the host runs (MicrosoftDocs/Virtualization-Documentation, deploy-containers/
 * version-compatibility.md). Docker's errors: a pull of a newer image fails with `no matching
 * manifest for windows/amd64 10.0.<host build> in the manifest list entries`; a process-isolated
 * container on a mismatched build fails with `The container operating system does not match the
 * host operating system.` (version-compatibility.md; microsoft/dotnet-framework-docker#1265).
 * Runs only when `windowsContainers.targetHost` names a host (or `auto` is resolved to this machine).
 */
import { runsProcessIsolated, runsWithHyperV, WindowsVersion } from '../catalogue/catalogue';
import { resolveTargetHost } from '../../../common/targetHosts';
import { candidateTags, fixActions, fixOffers, versionLabel, versionName, windowsBaseImages } from './baseImages';
import type { Finding, Rule } from './types';

export const windowsHostIncompatible: Rule = {
  id: 'windows-host-incompatible',
  description: 'A Windows base image that the target host (`windowsContainers.targetHost`) cannot run with the chosen isolation.',
  defaultSeverity: 'error',
  check: (context) => windowsHostIncompatible.checkImages!(windowsBaseImages(context.document), context),
  checkImages(images, { today, settings, machine }) {
    const target = resolveTargetHost(settings.targetHost, settings.isolation, machine ?? { platform: 'unknown', release: '' });
    const hostBuild = target.build;
    if (hostBuild === undefined) return [];
    const host = `${target.host?.name ?? 'this machine'} (build ${hostBuild})`;
    const process = target.isolation === 'process';
    const runs = (v: WindowsVersion) => (process ? runsProcessIsolated(hostBuild, v.build) : runsWithHyperV(hostBuild, v.build));
    const findings: Finding[] = [];
    for (const image of images) {
      const tag = image.stage.catalogue.tag;
      const version = tag?.version;
      if (!tag || !version || runs(version)) continue;
      const candidates = candidateTags(tag.repository, tag, today, runs);
      const name = `${tag.repository.name}:${tag.tag}`;
      const use = candidates[0] ? ` Use ${candidates[0].tag}, which the host runs${process ? ' with process isolation' : ''}` : '';
      const message =
        version.build > hostBuild
          ? `${name} is ${versionLabel(version)}, newer than the target host ${host}: no isolation runs a newer image, and the pull fails with "no matching manifest for windows/amd64 10.0.${hostBuild} in the manifest list entries".${use ? `${use}.` : ''}`
          : `${name} is ${versionLabel(version)}, which the target host ${host} cannot run with process isolation: the container fails with "The container operating system does not match the host operating system."${use ? `${use}, or` : ' Run it with'} --isolation=hyperv, which runs an older image on a newer host.`;
      findings.push({
        range: image.range,
        message,
        data: {
          fixes: fixOffers(
            image.site,
            candidates.map((c, index) => ({ title: `Use ${tag.repository.name}:${c.tag} (${versionName(c.version)}, runs on ${target.host?.name ?? 'this machine'})`, change: { tag: c.tag }, preferred: index === 0 })),
          ),
        },
      });
    }
    return findings;
  },
  fix: ({ document }, diagnostic) => fixActions(document, diagnostic),
};
