/**
 * A .NET or PowerShell image whose product version is out of support gets no more updates, not
 * even security fixes, although its Windows version may still be serviced: .NET 8 (LTS) and
 * .NET 9 (STS) ended on 2026-11-10 (dotnet/core releases-index.json `eol-date`), PowerShell 7.2 on
 * 2024-11-08, 7.4 and 7.5 on 2026-11-10 (PowerShell-Docs PowerShell-Support-Lifecycle.md). The dates
 * and the Windows tags each version publishes come from `server/src/data/products.json`, or from
 * a live refresh (`RuleContext.lifecycleUpdates`). Since .NET 10 publishes no 1809/ltsc2019 images
 * (dotnet/dotnet-docker#6542), no supported .NET image exists for Windows Server 2019; the
 * PowerShell images of 7.4 and later have no Nano Server variant (PowerShell/PowerShell-Docker
 * release/7-4), and the .NET SDK images ship pwsh instead, Nano Server and Server Core alike
 * (PowerShell-Docs PR #11883; dotnet/dotnet-docker src/sdk/10.0/*).
 */
import { findRepository, getVersion, TagInfo, windowsSuffix } from '../catalogue/catalogue';
import {
  findProductVersion,
  Product,
  productOfRepository,
  productStatus,
  ProductVersion,
  supportedVersionsFor,
} from '../catalogue/products';
import { fixOffers, NamedImage, windowsBaseImages } from './support/baseImages';
import type { Finding, Rule } from './support/types';

const DOTNET_SDK = 'mcr.microsoft.com/dotnet/sdk';

export const productEndOfSupport: Rule = {
  id: 'product-end-of-support',
  description:
    'A .NET or PowerShell image whose product version is past its end of support (.NET 9 and earlier, PowerShell 7.5 and earlier) gets no more updates.',
  defaultSeverity: 'warning',
  fixable: true,
  check: (context) => productEndOfSupport.checkImages!(windowsBaseImages(context.document), context),
  // Also on the images of compose files and Kubernetes manifests (server/src/yaml).
  checkImages(images, { today, lifecycleUpdates }) {
    const findings: Finding[] = [];
    for (const image of images) {
      const tag = image.stage.catalogue.tag;
      const named = tag?.product?.version;
      if (!tag || !named) continue;
      const product = productOfRepository(tag.repository.name, lifecycleUpdates);
      const version = product && findProductVersion(product, named.version);
      if (!product || !version || productStatus(version, today) !== 'ended') continue;
      findings.push(finding(image, tag, product, version, today, lifecycleUpdates));
    }
    return findings;
  },
};

function finding(
  image: NamedImage,
  tag: TagInfo,
  product: Product,
  version: ProductVersion,
  today: string,
  updates: Parameters<typeof productOfRepository>[1],
): Finding {
  const repository = tag.repository;
  const suffix = windowsSuffix(tag.tag);
  const unconfirmed = version.uncertain ? ` (unconfirmed: ${version.uncertain})` : '';
  const head = `${repository.name}:${tag.tag} is ${product.name} ${version.version}, whose support ended on ${version.endOfSupport}${unconfirmed}: it gets no more updates, security fixes included.`;
  const replacement = suffix ? supportedVersionsFor(product, suffix, today)[0] : undefined;
  if (suffix && replacement) {
    const newTag = `${replacement.version}-${suffix}`;
    return {
      range: image.range,
      message: `${head} Use ${newTag} (${product.name} ${replacement.version}, supported until ${replacement.endOfSupport}).`,
      fixes: fixOffers(image.site, [
        {
          title: `Use ${repository.name}:${newTag} (${product.name} ${replacement.version})`,
          change: { tag: newTag },
          preferred: true,
        },
      ]),
    };
  }
  const family = suffix?.split('-')[0];
  if (product.id === 'dotnet' && suffix && tag.version?.id === 'ltsc2019') {
    const newer = newerSameFamily(product, family, tag, today);
    const example = newer ? ` (such as ${newer.tag})` : '';
    // No quick fix: each option changes the host or the framework, which only the user can choose.
    return {
      range: image.range,
      message: `${head} No supported .NET image exists for Windows Server 2019: .NET 10 and later publish no 1809/ltsc2019 images. Options: .NET Framework 4.8 on this host (mcr.microsoft.com/dotnet/framework/runtime:4.8-windowsservercore-ltsc2019), a ${newer?.host ?? 'newer'} or newer host${example}, or a newer image under Hyper-V isolation on a newer host.`,
      fixes: [],
    };
  }
  // The .NET SDK images install PowerShell as a global tool, Nano Server and Server Core alike
  // (dotnet/dotnet-docker src/sdk/10.0/*/amd64/Dockerfile).
  const sdkTag = product.id === 'powershell' && suffix ? sdkTagFor(suffix, today, updates) : undefined;
  if (product.id === 'powershell' && suffix && (family === 'nanoserver' || sdkTag)) {
    const use =
      family === 'nanoserver'
        ? sdkTag
          ? `use ${DOTNET_SDK}:${sdkTag}, which ships pwsh, or install in a Server Core build stage`
          : `no supported image with pwsh exists for Nano Server ${tag.version?.displayName ?? suffix} either; install in a Server Core build stage, or move to a newer host and the ${DOTNET_SDK} Nano Server image, which ships pwsh`
        : `use ${DOTNET_SDK}:${sdkTag}, which ships pwsh, or install PowerShell in the image`;
    const none =
      family === 'nanoserver'
        ? 'No supported PowerShell version publishes a Nano Server image (7.4 and later have none)'
        : `No supported PowerShell version is known to publish a ${suffix} image`;
    return {
      range: image.range,
      message: `${head} ${none}: ${use}.`,
      fixes: sdkTag
        ? fixOffers(image.site, [
            {
              title: `Use ${DOTNET_SDK}:${sdkTag} (ships pwsh)`,
              change: { repository: DOTNET_SDK, tag: sdkTag },
              preferred: true,
            },
          ])
        : [],
    };
  }
  return {
    range: image.range,
    message: `${head} The catalogue knows no supported ${product.name} image${suffix ? ` for ${suffix}` : ''}: see ${product.lifecyclePage}.`,
    fixes: [],
  };
}

/** The tag of the newest supported .NET SDK image with the Windows suffix `suffix`, if one exists. */
function sdkTagFor(
  suffix: string,
  today: string,
  updates: Parameters<typeof productOfRepository>[1],
): string | undefined {
  const dotnet = productOfRepository(DOTNET_SDK, updates);
  const version = findRepository(DOTNET_SDK) && dotnet ? supportedVersionsFor(dotnet, suffix, today)[0] : undefined;
  return version ? `${version.version}-${suffix}` : undefined;
}

/** The same image family on the oldest newer Windows version that a supported product version publishes. */
function newerSameFamily(
  product: Product,
  family: string | undefined,
  tag: TagInfo,
  today: string,
): { tag: string; host: string } | undefined {
  const grid = tag.repository.windowsTagGrid;
  const build = tag.version?.build ?? 0;
  const variants = [...(grid?.osVariants ?? [])]
    .filter((v) => v.suffix.startsWith(`${family}-`) && (getVersion(v.version)?.build ?? 0) > build)
    .sort((a, b) => (getVersion(a.version)?.build ?? 0) - (getVersion(b.version)?.build ?? 0));
  for (const variant of variants) {
    const version = supportedVersionsFor(product, variant.suffix, today)[0];
    if (version)
      return {
        tag: `${version.version}-${variant.suffix}`,
        host: getVersion(variant.version)?.displayName ?? variant.version,
      };
  }
  return undefined;
}
