/**
 * The Windows base images (nanoserver, servercore, server, windows) have no `latest` tag: "As of
 * April 16, 2019, the 'latest' tag is no longer published or maintained for the Windows base OS
 * container images" (MicrosoftDocs/Virtualization-Documentation, deploy-containers/
 * version-compatibility.md). An untagged FROM asks for `:latest`, and the pull fails with
 * `manifest for mcr.microsoft.com/windows/servercore:latest not found: manifest unknown`
 * (docker-archive-public/docker.kitematic#5276). Derived images (IIS, .NET Framework, .NET,
 * PowerShell) do publish `latest`, so only the base repositories are checked.
 */
import { candidateTags, fixOffers, versionName, windowsBaseImages } from './support/baseImages';
import type { Finding, Rule } from './support/types';

export const windowsImageUntagged: Rule = {
  id: 'windows-image-untagged',
  description:
    'A Windows base image without a tag, or with `latest`, fails to pull: the Windows base images have published no `latest` tag since April 2019.',
  defaultSeverity: 'error',
  fixable: true,
  check: (context) => windowsImageUntagged.checkImages!(windowsBaseImages(context.document), context),
  checkImages(images, { today }) {
    const findings: Finding[] = [];
    for (const image of images) {
      const repository = image.stage.catalogue.repository;
      const tag = image.reference.tag;
      if (repository?.kind !== 'base' || image.reference.digest) continue;
      if (tag !== undefined && tag.toLowerCase() !== 'latest') continue;
      const name = repository.name;
      const candidates = candidateTags(repository, undefined, today, (v) => v.channel === 'LTSC');
      const asked =
        tag === undefined ? `${name} has no tag, so Docker asks for ${name}:latest` : `${name}:${tag} does not exist`;
      const suggestion = candidates[0]
        ? ` Name a Windows version, such as ${candidates[0].tag}.`
        : ' Name a Windows version.';
      findings.push({
        range: image.range,
        message: `${asked}: the Windows base images have published no latest tag since April 16, 2019, so the pull fails with "manifest for ${name}:latest not found: manifest unknown".${suggestion}`,
        fixes: fixOffers(
          image.site,
          candidates.map((c, index) => ({
            title: `Use ${name}:${c.tag} (${versionName(c.version)})`,
            change: { tag: c.tag },
            preferred: index === 0,
          })),
        ),
      });
    }
    return findings;
  },
};
