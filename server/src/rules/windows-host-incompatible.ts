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
import type { TagInfo, WindowsVersion } from '../catalogue/catalogue';
import { getVersion } from '../catalogue/catalogue';
import { hostVerdict, KnownIssue } from '../catalogue/hosts';
import { productOfRepository } from '../catalogue/products';
import { NO_MACHINE, resolveTargetHost } from '../../../common/targetHosts';
import {
  CandidateTag,
  candidateTags,
  fixOffers,
  NamedImage,
  versionLabel,
  versionName,
  windowsBaseImages,
} from './support/baseImages';
import type { Finding, Rule } from './support/types';

export const windowsHostIncompatible: Rule = {
  id: 'windows-host-incompatible',
  description:
    'A Windows base image that the target host (`windowsContainers.targetHost`) cannot run with the chosen isolation.',
  defaultSeverity: 'error',
  fixable: true,
  judgesRunningImages: true,
  check: (context) => windowsHostIncompatible.checkImages!(windowsBaseImages(context.document), context),
  checkImages(images, { today, settings }) {
    const target = resolveTargetHost(settings.targetHost, settings.isolation, NO_MACHINE);
    const hostBuild = target.build;
    if (hostBuild === undefined) return [];
    const host = `${target.host?.name ?? 'this machine'} (build ${hostBuild})`;
    const process = target.isolation === 'process';
    const unverified = target.host?.unverified === true;
    const verdict = (v: WindowsVersion) =>
      hostVerdict({ id: target.host?.id, build: hostBuild, unverified }, v, target.isolation);
    // On a host outside the matrix, a replacement is one with no known failure (never a certainty from the rule).
    const runs = (v: WindowsVersion) => verdict(v).status === (unverified ? 'unknown' : 'runs');
    const findings: Finding[] = [];
    for (const image of images) {
      const tag = image.stage.catalogue.tag;
      if (tag?.floating && !tag.version) {
        const found = floatingFinding(image, tag, {
          host,
          hostBuild,
          process,
          runs,
          today,
          hostName: target.host?.name ?? 'this machine',
        });
        if (found) findings.push(found);
        continue;
      }
      const version = tag?.version;
      if (!tag || !version) continue;
      const found = verdict(version);
      if (found.status !== 'fails') continue;
      const name = `${tag.repository.name}:${tag.tag}`;
      if (found.issue) {
        findings.push(
          knownIssueFinding(
            image,
            name,
            host,
            found.issue,
            candidateTags(
              tag.repository,
              tag,
              today,
              (v) => found.issue!.workaroundVersions.includes(v.id) && verdict(v).status !== 'fails',
            ),
            target.host?.name,
          ),
        );
        continue;
      }
      const candidates = candidateTags(tag.repository, tag, today, runs);
      const use = candidates[0]
        ? ` Use ${candidates[0].tag}, which the host runs${process ? ' with process isolation' : ''}`
        : '';
      const message =
        version.build > hostBuild
          ? `${name} is ${versionLabel(version)}, newer than the target host ${host}: no isolation runs a newer image, and the pull fails with "no matching manifest for windows/amd64 10.0.${hostBuild} in the manifest list entries".${use ? `${use}.` : ''}`
          : `${name} is ${versionLabel(version)}, which the target host ${host} cannot run with process isolation: the container fails with "The container operating system does not match the host operating system."${use ? `${use}, or` : ' Run it with'} --isolation=hyperv, which runs an older image on a newer host.`;
      findings.push({
        range: image.range,
        message,
        fixes: fixOffers(
          image.site,
          candidates.map((c, index) => ({
            title: `Use ${tag.repository.name}:${c.tag} (${versionName(c.version)}, runs on ${target.host?.name ?? 'this machine'})`,
            change: { tag: c.tag },
            preferred: index === 0,
          })),
        ),
      });
    }
    return findings;
  },
};

/** A reported failure of this image on the target host: the error text, the workaround and the sources, with fixes to the versions reported to work. */
function knownIssueFinding(
  image: NamedImage,
  name: string,
  host: string,
  issue: KnownIssue,
  candidates: readonly CandidateTag[],
  hostName = 'this machine',
): Finding {
  const sources = issue.sources.map((s) => s.title).join(', ');
  return {
    range: image.range,
    message: `${name} is reported to fail on the target host ${host}, which is not in Microsoft's compatibility matrix: "${issue.error}". ${issue.workaround} (${issue.status === 'open' ? 'open issue; ' : ''}${sources})`,
    fixes: fixOffers(
      image.site,
      candidates.map((c, index) => ({
        title: `Use ${image.stage.catalogue.tag?.repository.name}:${c.tag} (${versionName(c.version)}, reported to work on ${hostName})`,
        change: { tag: c.tag },
        preferred: index === 0,
      })),
    ),
  };
}

interface Target {
  readonly host: string;
  readonly hostName: string;
  readonly hostBuild: number;
  readonly process: boolean;
  readonly runs: (version: WindowsVersion) => boolean;
  readonly today: string;
}

/**
 * A multi-platform tag (`4.8`, `latest`) resolves to the variant for the host, when it has one:
 * since 2025-10-14 the .NET Framework `4.8` and `latest` tags have only ltsc2019 and ltsc2016
 * variants, and `4.8.1` only ltsc2022 and ltsc2025 (microsoft/dotnet-framework-docker manifest.json
 * sharedTags; #1265, #1270). With no variant the target host runs, the build fails.
 */
function floatingFinding(image: NamedImage, tag: TagInfo, target: Target): Finding | undefined {
  const floating = tag.floating;
  if (!floating || floating.versions.length === 0 || floating.data.uncertain || floating.versions.some(target.runs))
    return undefined;
  const name = `${tag.repository.name}:${tag.tag}`;
  const variants = floating.versions.map(versionName).join(' and ');
  const since = floating.data.since ? ` (since ${floating.data.since})` : '';
  const newer = floating.versions.every((v) => v.build > target.hostBuild);
  const failure = newer
    ? `the pull fails with "no matching manifest for windows/amd64 10.0.${target.hostBuild} in the manifest list entries".`
    : 'the container fails with "The container operating system does not match the host operating system."';
  const pinned = candidateTags(tag.repository, undefined, target.today, target.runs);
  const product = productOfRepository(tag.repository.name);
  const sibling = product?.floatingTags.find(
    (f) => f.tag !== tag.tag && !f.uncertain && f.windows.some((id) => runsVersion(id, target)),
  );
  const uses = [
    ...pinned.map((c) => ({ tag: c.tag, why: `${versionName(c.version)}, runs on ${target.hostName}` })),
    ...(sibling ? [{ tag: sibling.tag, why: `multi-platform, has a variant for ${target.hostName}` }] : []),
  ];
  const advice = uses[0] ? ` Use ${uses[0].tag}${uses[1] ? ` or ${uses[1].tag}` : ''}.` : '';
  return {
    range: image.range,
    message: `${name} is a multi-platform tag with variants only for ${variants}${since}, none of which the target host ${target.host} runs${target.process && !newer ? ' with process isolation' : ''}: ${failure}${advice}`,
    fixes: fixOffers(
      image.site,
      uses.map((u, index) => ({
        title: `Use ${tag.repository.name}:${u.tag} (${u.why})`,
        change: { tag: u.tag },
        preferred: index === 0,
      })),
    ),
  };
}

function runsVersion(id: string, target: Target): boolean {
  const version = getVersion(id);
  return version !== undefined && target.runs(version);
}
