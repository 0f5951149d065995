/**
 * Some tags are no longer produced although their Windows version is still supported: Microsoft
 * removed the .NET Framework 3.5 images and consolidated the 4.8 images into 4.8.1 on Windows
 * Server 2022 (microsoft/dotnet-framework-docker commit 7e6e683, 2025-10-14, PR #1262; for 3.5
 * dotnet/announcements#349, which points to documentation/install-netfx3.md for installing 3.5).
 * Such a tag gets no more monthly patches. The tags and their replacements come from the
 * catalogue's `retiredTags`.
 */
import { getVersion } from '../catalogue/catalogue';
import { candidateTags, fixOffers, versionLifecycle, windowsBaseImages } from './support/baseImages';
import type { Finding, Rule } from './support/types';

export const windowsTagRetired: Rule = {
  id: 'windows-tag-retired',
  description:
    'A tag that Microsoft no longer produces (the .NET Framework 3.5 images, 4.8 on Windows Server 2022) gets no more updates.',
  defaultSeverity: 'warning',
  fixable: true,
  check: (context) => windowsTagRetired.checkImages!(windowsBaseImages(context.document), context),
  checkImages(images, { today }) {
    const findings: Finding[] = [];
    for (const image of images) {
      const tag = image.stage.catalogue.tag;
      const retired = tag?.retired;
      if (!tag || !retired || today < retired.since) continue;
      // A tag whose Windows version ended first (`3.5-windowsservercore-1803`) is
      // windows-image-end-of-servicing's, with that earlier date.
      if (versionLifecycle(tag, today)?.status === 'ended') continue;
      const repository = tag.repository;
      // Prefer the tag that keeps the Windows version (`3.5-windowsservercore-ltsc2019` → `4.8-windowsservercore-ltsc2019`).
      const version = tag.version ?? getVersion(tag.tag.split('-').pop() ?? '');
      const keep = version
        ? candidateTags(repository, undefined, today, (v) => v.id === version.id)[0]?.tag
        : undefined;
      const replacements = [...new Set([keep, retired.replacement].filter((t): t is string => t !== undefined))];
      const netfx3 = /^3\.5(-|$)/.test(tag.tag)
        ? ' Apps that need .NET Framework 3.5 must install it on the new image (dotnet-framework-docker documentation/install-netfx3.md).'
        : '';
      findings.push({
        range: image.range,
        message: `${repository.name}:${tag.tag} has had no updates since ${retired.since}: ${retired.reason} Use ${replacements[0]}.${netfx3}`,
        fixes: fixOffers(
          image.site,
          replacements.map((replacement, index) => ({
            title: `Use ${repository.name}:${replacement}`,
            change: { tag: replacement },
            preferred: index === 0,
          })),
        ),
      });
    }
    return findings;
  },
};
