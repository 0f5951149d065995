/**
 * The words shown for the product an image ships (.NET, .NET Framework, PowerShell): its version,
 * release and end of support, a multi-platform tag's Windows versions, a tag that was never
 * published, and the date the bundled facts were checked. Unconfirmed facts are said to be so.
 */
import type { TagInfo } from '../catalogue/catalogue';
import {
  findProductVersion,
  LifecycleUpdate,
  PRODUCTS_CHECKED,
  productOfRepository,
  productStatus,
  ProductVersion,
} from '../catalogue/products';

/** How many days before an end of support hovers and tag details start counting the days left. */
export const DAYS_LEFT_FROM = 90;

/**
 * `, 37 days left` when `end` (the last day of support, YYYY-MM-DD) is at most DAYS_LEFT_FROM days
 * after `today`, `, last day` on the day itself, else nothing: an end that is near changes what a
 * person does now, a far one does not.
 */
export function daysLeft(end: string | null | undefined, today: string): string {
  if (!end) return '';
  const days = Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
  if (!Number.isFinite(days) || days < 0 || days > DAYS_LEFT_FROM) return '';
  return days === 0 ? ', last day' : `, ${days} day${days === 1 ? '' : 's'} left`;
}

/** The product version of a tag with `updates` applied, when the tag names one. */
export function tagProductVersion(
  tag: TagInfo,
  updates?: readonly LifecycleUpdate[],
): { name: string; page: string; version: ProductVersion } | undefined {
  const named = tag.product?.version;
  const product = named && productOfRepository(tag.repository.name, updates);
  const version = product && findProductVersion(product, named.version);
  return product && version ? { name: product.name, page: product.lifecyclePage, version } : undefined;
}

/** Whether the product version of a tag is out of support on `today`. */
export function productEnded(tag: TagInfo, today: string, updates?: readonly LifecycleUpdate[]): boolean {
  const found = tagProductVersion(tag, updates);
  return found !== undefined && productStatus(found.version, today) === 'ended';
}

/** One phrase for a completion detail: `.NET 8.0 out of support since 2026-11-10`, `not published`. */
export function productDetail(tag: TagInfo, today: string, updates?: readonly LifecycleUpdate[]): string | undefined {
  if (tag.unpublished) return 'not published';
  const found = tagProductVersion(tag, updates);
  if (!found) return undefined;
  const { name, version } = found;
  const label = `${name} ${version.version}`;
  const unconfirmed = version.uncertain ? ' (unconfirmed)' : '';
  switch (productStatus(version, today)) {
    case 'ended':
      return `${label} out of support since ${version.endOfSupport}${unconfirmed}`;
    case 'supported':
      return `${label} supported until ${version.endOfSupport}${daysLeft(version.endOfSupport, today)}${unconfirmed}`;
    case 'preview':
      return `${label} (preview)`;
    default:
      return `${label}${unconfirmed}`;
  }
}

/** Markdown lines for a hover or a tag's documentation; empty when the tag names no product. */
export function productLines(tag: TagInfo, today: string, updates?: readonly LifecycleUpdate[]): string[] {
  const lines: string[] = [];
  if (tag.unpublished) lines.push(`⚠️ Not published: ${tag.unpublished} Pulling this tag fails.`, '');
  const found = tagProductVersion(tag, updates);
  if (found) {
    const { name, page, version } = found;
    const kind = version.preview ? '' : version.releaseType ? ` (${version.releaseType.toUpperCase()})` : '';
    const released = version.released ? `released ${version.released}` : undefined;
    const status = productStatus(version, today);
    const end =
      status === 'ended'
        ? `**out of support since ${version.endOfSupport}**: no more updates, security fixes included`
        : status === 'supported'
          ? `supported until ${version.endOfSupport}${daysLeft(version.endOfSupport, today)}`
          : status === 'preview'
            ? 'a preview, not supported in production'
            : 'end of support not recorded here';
    lines.push(
      `${name} ${version.version}${kind}: ${[released, end].filter(Boolean).join(', ')} ([lifecycle](${page})).`,
      '',
    );
    if (version.uncertain) lines.push(`⚠️ Unconfirmed: ${version.uncertain}`, '');
    if (version.frozen)
      lines.push(
        `Frozen: no new images since ${version.frozen.since} (last update ${version.frozen.lastUpdate}); use ${version.frozen.replacement}.`,
        '',
      );
  }
  const floating = tag.floating;
  if (floating) {
    const names = floating.versions.map((v) => v.displayName).join(', ');
    const since = floating.data.since ? ` since ${floating.data.since}` : '';
    const unconfirmed = floating.data.uncertain ? ` (unconfirmed: ${floating.data.uncertain})` : '';
    lines.push(
      `Multi-platform tag: Windows variants only for ${names}${since}${unconfirmed}. Docker pulls the variant for the host; a host of another Windows version gets one it cannot run with process isolation.`,
      '',
    );
  }
  return lines;
}

/** The line that dates the bundled catalogue. */
export function checkedLine(): string {
  return `Catalogue facts checked ${PRODUCTS_CHECKED}.`;
}
