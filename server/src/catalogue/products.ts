/**
 * Typed, pure look-ups over `data/products.json`: the lifecycles of the products Microsoft ships as
 * Windows images (.NET, .NET Framework, PowerShell), which Windows tag suffixes each product version
 * publishes, and the Windows versions a multi-platform tag resolves to. Nothing here reads the clock
 * or the network: the caller passes `today`, and any lifecycle learnt by a live refresh as
 * `LifecycleUpdate`s (bundled data when absent).
 */
import data from '../data/products.json';

/** What a live refresh learns, per product version (see products-contract: helper 17b fills it). */
export interface LifecycleUpdate {
  readonly product: string;
  readonly version: string;
  readonly endOfSupport?: string | null;
  readonly releaseType?: string | null;
  readonly released?: string;
}

export interface ProductVersion {
  /** As it appears at the start of tags: `10.0`, `11.0-preview`, `4.8.1`, `7.4`. */
  readonly version: string;
  readonly releaseType: string | null;
  readonly released: string | null;
  /** null when not announced (or not recorded). */
  readonly endOfSupport: string | null;
  readonly preview?: boolean;
  /** Why this entry is not confirmed; never shown as certain. */
  readonly uncertain?: string;
  /** The Windows tag suffixes published for this version (`nanoserver-ltsc2025`). */
  readonly windows: readonly string[];
  readonly aliases?: readonly {
    readonly prefix: string;
    readonly suffixes: readonly string[];
    readonly source: string;
  }[];
  readonly frozen?: { readonly since: string; readonly lastUpdate: string; readonly replacement: string };
  readonly source: string;
}

export interface FloatingTag {
  readonly tag: string;
  /** The product version the tag names, when it names one. */
  readonly version?: string;
  /** The Windows versions (ids of base-images.json) the tag has variants for. */
  readonly windows: readonly string[];
  readonly since?: string;
  readonly uncertain?: string;
  readonly source: string;
}

export interface Product {
  readonly id: string;
  readonly name: string;
  readonly lifecyclePage: string;
  readonly repositories: readonly string[];
  /** Newest first. */
  readonly versions: readonly ProductVersion[];
  readonly floatingTags: readonly FloatingTag[];
}

export type ProductStatus = 'preview' | 'supported' | 'ended' | 'unknown';

const bundled: readonly Product[] = data.products;

/** The date the bundled facts were last checked against their sources (YYYY-MM-DD). */
export const PRODUCTS_CHECKED: string = data.checked;
export const PRODUCT_SOURCES: Readonly<Record<string, string>> = data.sources;

let lastUpdates: readonly LifecycleUpdate[] | undefined;
let lastMerged: readonly Product[] = bundled;

/**
 * The products, with `updates` applied over the bundled data (an update replaces the fields it
 * carries; an update of a version the data does not know is ignored: it names no Windows tags).
 * The same `updates` array gives the same result object, so callers may compare by identity.
 */
export function listProducts(updates?: readonly LifecycleUpdate[]): readonly Product[] {
  if (!updates || updates.length === 0) return bundled;
  if (updates === lastUpdates) return lastMerged;
  const merged = bundled.map((product) => {
    const mine = updates.filter((u) => u.product === product.id);
    if (mine.length === 0) return product;
    return {
      ...product,
      versions: product.versions.map((version) => {
        const update = mine.find((u) => u.version === version.version);
        if (!update) return version;
        return {
          ...version,
          ...(update.endOfSupport !== undefined && isDateOrNull(update.endOfSupport)
            ? { endOfSupport: update.endOfSupport }
            : {}),
          ...(update.releaseType !== undefined ? { releaseType: update.releaseType } : {}),
          ...(update.released !== undefined && isDateOrNull(update.released) ? { released: update.released } : {}),
        };
      }),
    };
  });
  lastUpdates = updates;
  lastMerged = merged;
  return merged;
}

function isDateOrNull(value: string | null): boolean {
  return value === null || /^\d{4}-\d{2}-\d{2}$/.test(value);
}

/** The product whose images live in `repository` (lower-case MCR name), if any. */
export function productOfRepository(repository: string, updates?: readonly LifecycleUpdate[]): Product | undefined {
  const name = repository.toLowerCase();
  return listProducts(updates).find((p) => p.repositories.includes(name));
}

export function findProductVersion(product: Product, version: string): ProductVersion | undefined {
  return product.versions.find((v) => v.version === version);
}

/** Whether a product version is in support on `today`. A preview is `preview`; an unannounced end is `unknown`. */
export function productStatus(version: ProductVersion, today: string): ProductStatus {
  if (version.preview) return 'preview';
  if (version.endOfSupport === null) return 'unknown';
  return today > version.endOfSupport ? 'ended' : 'supported';
}

/** What the start of a tag (before its Windows suffix) says about the product. */
export interface ProductTag {
  readonly product: Product;
  /** The product version the tag names, when it names one the data knows. */
  readonly version?: ProductVersion;
  /** The product version as written (`8.0`, `7.4`), when the tag names one. */
  readonly written?: string;
  /**
   * Whether the data says this product version publishes the suffix: `false` for a confirmed
   * version without that suffix (a tag that was never published), `undefined` when it cannot say.
   */
  readonly published?: boolean;
}

const DOTNET_VERSION = /^(\d+\.\d+)(?:\.\d+)*(-(?:preview|rc)(?:\.\d+)*)?$/i;
const FRAMEWORK_VERSION = /^(\d+\.\d+(?:\.\d+)?)(?:-\d{8})?$/;
const POWERSHELL_VERSION = /^(?:(lts|preview|stable)-)?(\d+\.\d+)(?:\.\d+)?(?:-(?:preview|rc)(?:\.\d+)*)?$/i;

/**
 * The product version named by `prefix`, the part of a tag before its Windows suffix (`8.0`,
 * `8.0.30`, `11.0.0-preview.7`, `4.8-20250211`, `lts-7.2`, `7.4.6`, `lts`), for the tag suffix `suffix`.
 */
export function productTag(product: Product, prefix: string, suffix: string | undefined): ProductTag {
  let written: string | undefined;
  let version: ProductVersion | undefined;
  if (product.id === 'dotnet') {
    const match = DOTNET_VERSION.exec(prefix);
    if (match) {
      written = match[2] ? `${match[1]}-preview` : match[1];
      version = findProductVersion(product, written);
    }
  } else if (product.id === 'dotnet-framework') {
    const match = FRAMEWORK_VERSION.exec(prefix);
    if (match) {
      written = match[1];
      version = findProductVersion(product, written);
    }
  } else {
    const match = POWERSHELL_VERSION.exec(prefix);
    if (match) {
      written = match[2];
      version = findProductVersion(product, written);
    } else if (suffix) {
      version = product.versions.find((v) =>
        v.aliases?.some((a) => a.prefix === prefix.toLowerCase() && a.suffixes.includes(suffix)),
      );
      written = version?.version;
    }
  }
  if (!version || !suffix || version.uncertain) return { product, version, written };
  return { product, version, written, published: version.windows.includes(suffix) };
}

/** The multi-platform tag `tag` of a product (`4.8`, `latest`), when the data lists it. */
export function floatingTag(product: Product, tag: string): FloatingTag | undefined {
  return product.floatingTags.find((f) => f.tag.toLowerCase() === tag.toLowerCase());
}

/**
 * The newest product versions in support on `today` that publish a tag for `suffix`, newest
 * first: confirmed, not previews, not frozen.
 */
export function supportedVersionsFor(product: Product, suffix: string, today: string): ProductVersion[] {
  return product.versions.filter(
    (v) => !v.uncertain && !v.frozen && productStatus(v, today) === 'supported' && v.windows.includes(suffix),
  );
}

/** The end of support of a product version as words: `2026-11-10`, or why it is not known. */
export function endOfSupportText(version: ProductVersion): string {
  return version.endOfSupport ?? 'not announced';
}
