/**
 * Microsoft moved its Windows images from Docker Hub to the Microsoft Artifact Registry: the
 * Docker Hub names `microsoft/windowsservercore` and `microsoft/nanoserver` were replaced by
 * `mcr.microsoft.com/windows/servercore` and `.../nanoserver` in November 2018 (techcommunity
 * "Windows Server 2019 Now Available", ba-p/382430), and the .NET Framework, ASP.NET, WCF and IIS
 * images followed (microsoft/dotnet-framework-docker#223). The old names get no updates, and
 * `microsoft/windowsservercore` no longer has `latest` ("manifest for
 * microsoft/windowsservercore:latest not found", StefanScherer/docker-cli-builder#10). The names
 * and their replacements come from the catalogue's `legacy` list.
 */
import { findRepository, legacyReplacement, LegacyRepository, resolveTag } from '../catalogue/catalogue';
import { productStatus } from '../catalogue/products';
import {
  NamedImage,
  candidateTags,
  fixOffers,
  versionLabel,
  versionLifecycle,
  versionName,
  windowsBaseImages,
} from './support/baseImages';
import type { Finding, Rule } from './support/types';

export const windowsLegacyRepository: Rule = {
  id: 'windows-legacy-repository',
  description:
    'A retired Docker Hub name of a Windows image (`microsoft/windowsservercore`, `microsoft/nanoserver`, `microsoft/aspnet`, ...) gets no updates; the images live on mcr.microsoft.com.',
  defaultSeverity: 'warning',
  fixable: true,
  check: (context) => windowsLegacyRepository.checkImages!(windowsBaseImages(context.document), context),
  checkImages(images, { today }) {
    const findings: Finding[] = [];
    for (const image of images) {
      const legacy = image.stage.catalogue.legacy;
      if (legacy) findings.push(legacyFinding(image, legacy, today));
    }
    return findings;
  },
};

interface Offer {
  readonly title: string;
  readonly change: { repository: string; tag?: string };
  readonly preferred?: boolean;
}

function legacyFinding(image: NamedImage, legacy: LegacyRepository, today: string): Finding {
  const tag = image.reference.tag;
  const retired = `${legacy.name} is retired: ${legacy.note}`;
  const target = legacyReplacement(legacy, tag);
  const repository = target ? findRepository(target) : undefined;
  if (!target || !repository || (legacy.multiOs && !legacy.keepsTags)) {
    // microsoft/dotnet's tags name .NET Core versions that the new repositories never published.
    const why =
      legacy.multiOs && target
        ? ' No quick fix: its tags name .NET versions that are not published under the new names; pick a current tag there.'
        : '';
    return { range: image.range, message: `${retired}${why}`, fixes: [] };
  }
  const offers: Offer[] = [];
  let advice = `Use ${target}.`;
  if (tag === undefined || tag.toLowerCase() === 'latest') {
    if (repository.kind === 'base') {
      // The MCR base repositories publish no `latest`: the fix names a version.
      const candidates = candidateTags(repository, undefined, today, (v) => v.channel === 'LTSC');
      candidates.forEach((c, index) =>
        offers.push({
          title: `Use ${target}:${c.tag} (${versionName(c.version)})`,
          change: { repository: target, tag: c.tag },
          preferred: index === 0,
        }),
      );
      advice = `Use ${target} with a Windows version${candidates[0] ? `, such as ${target}:${candidates[0].tag}` : ''}: it publishes no latest tag.`;
    } else {
      offers.push({ title: `Use ${target}${tag ? `:${tag}` : ''}`, change: { repository: target }, preferred: true });
    }
  } else {
    // The Docker Hub .NET Framework tags carried the image kind (`4.8-sdk`, `4.7.2-runtime-windowsservercore-ltsc2019`); MCR has one repository per kind.
    const renamed = legacy.replacementBySdkTag ? tag.replace(/-(sdk|runtime)(?=-|$)/i, '') : tag;
    const known = resolveTag(repository, renamed);
    if (known) {
      offers.push({
        title: `Use ${target}:${renamed}`,
        change: { repository: target, ...(renamed !== tag ? { tag: renamed } : {}) },
        preferred: true,
      });
      advice = `Use ${target}:${renamed}.`;
      const lifecycle = versionLifecycle(known, today);
      if (known.version && lifecycle?.status === 'ended')
        advice += ` Its tag ${renamed} is ${versionLabel(known.version)}, past its end of servicing (${lifecycle.end}).`;
      else if (known.retired && today >= known.retired.since)
        advice += ` Its tag ${renamed} has had no updates since ${known.retired.since}: ${known.retired.reason} Prefer ${known.retired.replacement}.`;
      // The .NET images left dotnet/core/* in 2020: every version they carry is out of support by now.
      const product = known.product;
      if (product?.version && productStatus(product.version, today) === 'ended')
        advice += ` Its tag ${renamed} is ${product.product.name} ${product.version.version}, whose support ended on ${product.version.endOfSupport}.`;
    } else {
      offers.push({
        title: `Use ${target}:${renamed} (tag not in the catalogue: check that it exists)`,
        change: { repository: target, ...(renamed !== tag ? { tag: renamed } : {}) },
      });
      advice = `Use ${target}; the catalogue does not list the tag ${renamed} there, so check that it exists.`;
    }
  }
  return {
    range: image.range,
    message: `${retired} ${advice}`,
    fixes: fixOffers(image.site, offers),
  };
}
