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
 * A host that is not in Microsoft's compatibility matrix (Windows 11 25H2 and later) gets a finding
 * only for a known issue (data `knownIssues`, with its error text and sources) or an image newer
 * than the host, never from the rule above (catalogue/hosts.ts).
 */
import type { WindowsVersion } from '../catalogue/catalogue';
import { hostVerdict, KnownIssue } from '../catalogue/hosts';
import { resolveTargetHost } from '../../../common/targetHosts';
import { BaseImage, CandidateTag, candidateTags, fixActions, fixOffers, versionLabel, versionName, windowsBaseImages } from './baseImages';
import type { Finding, Rule } from './types';

export const windowsHostIncompatible: Rule = {
  id: 'windows-host-incompatible',
  description: 'A Windows base image that the target host (`windowsContainers.targetHost`) cannot run with the chosen isolation.',
  defaultSeverity: 'error',
  check({ document, today, settings, machine }) {
    const target = resolveTargetHost(settings.targetHost, settings.isolation, machine ?? { platform: 'unknown', release: '' });
    const hostBuild = target.build;
    if (hostBuild === undefined) return [];
    const host = `${target.host?.name ?? 'this machine'} (build ${hostBuild})`;
    const process = target.isolation === 'process';
    const unverified = target.host?.unverified === true;
    const verdict = (v: WindowsVersion) => hostVerdict({ id: target.host?.id, build: hostBuild, unverified }, v, target.isolation);
    // On a host outside the matrix, a replacement is one with no known failure (never a certainty from the rule).
    const runs = (v: WindowsVersion) => verdict(v).status === (unverified ? 'unknown' : 'runs');
    const findings: Finding[] = [];
    for (const image of windowsBaseImages(document)) {
      const tag = image.stage.catalogue.tag;
      const version = tag?.version;
      if (!tag || !version) continue;
      const found = verdict(version);
      if (found.status !== 'fails') continue;
      const name = `${tag.repository.name}:${tag.tag}`;
      if (found.issue) {
        findings.push(knownIssueFinding(image, name, host, found.issue, candidateTags(tag.repository, tag, today, (v) => found.issue!.workaroundVersions.includes(v.id) && verdict(v).status !== 'fails'), target.host?.name));
        continue;
      }
      const candidates = candidateTags(tag.repository, tag, today, runs);
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

/** A reported failure of this image on the target host: the error text, the workaround and the sources, with fixes to the versions reported to work. */
function knownIssueFinding(image: BaseImage, name: string, host: string, issue: KnownIssue, candidates: readonly CandidateTag[], hostName = 'this machine'): Finding {
  const sources = issue.sources.map((s) => s.title).join(', ');
  return {
    range: image.range,
    message: `${name} is reported to fail on the target host ${host}, which is not in Microsoft's compatibility matrix: "${issue.error}". ${issue.workaround} (${issue.status === 'open' ? 'open issue; ' : ''}${sources})`,
    data: {
      fixes: fixOffers(
        image.site,
        candidates.map((c, index) => ({ title: `Use ${image.stage.catalogue.tag?.repository.name}:${c.tag} (${versionName(c.version)}, reported to work on ${hostName})`, change: { tag: c.tag }, preferred: index === 0 })),
      ),
    },
  };
}
