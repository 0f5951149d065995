/**
 * Every Windows version ends its servicing on a fixed date; after it the images get no security
 * updates. Dates from the base image lifecycle page (MicrosoftDocs/Virtualization-Documentation,
 * deploy-containers/base-image-lifecycle.md; the Semi-Annual Channel rows 1709 to 20H2 from its
 * history, commit d87e295), via the catalogue (`server/src/data/base-images.json`). Only versions
 * past the end of extended support are reported; mainstream-ended versions still get security fixes.
 */
import {
  candidateTags,
  fixOffers,
  versionLabel,
  versionLifecycle,
  versionName,
  windowsBaseImages,
} from './support/baseImages';
import type { Finding, Rule } from './support/types';

export const windowsImageEndOfServicing: Rule = {
  id: 'windows-image-end-of-servicing',
  description: 'A Windows base image whose Windows version is past its end of servicing gets no security updates.',
  defaultSeverity: 'warning',
  fixable: true,
  check: (context) => windowsImageEndOfServicing.checkImages!(windowsBaseImages(context.document), context),
  checkImages(images, { today }) {
    const findings: Finding[] = [];
    for (const image of images) {
      const tag = image.stage.catalogue.tag;
      const lifecycle = tag && versionLifecycle(tag, today);
      if (!tag?.version || lifecycle?.status !== 'ended') continue;
      const repository = tag.repository;
      const candidates = candidateTags(repository, tag, today, (v) => v.channel === 'LTSC');
      const build = tag.version.build;
      const nearest = [...candidates].sort(
        (a, b) =>
          Math.abs(a.version.build - build) - Math.abs(b.version.build - build) || b.version.build - a.version.build,
      )[0];
      const offers = candidates.filter((c, index) => index === 0 || c === nearest);
      const note = tag.note ? ` ${tag.note}` : '';
      const suggestion = candidates[0] ? ` Move to a supported LTSC version, such as ${candidates[0].tag}.` : '';
      findings.push({
        range: image.range,
        message: `${repository.name}:${tag.tag} is ${versionLabel(tag.version)}, whose servicing ended on ${lifecycle.end}: it gets no security updates.${note}${suggestion}`,
        fixes: fixOffers(
          image.site,
          offers.map((c, index) => ({
            title: `Use ${repository.name}:${c.tag} (${versionName(c.version)}${index > 0 ? ', the nearest build' : ''})`,
            change: { tag: c.tag },
            preferred: index === 0,
          })),
        ),
      });
    }
    return findings;
  },
};
