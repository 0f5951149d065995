/**
 * What the Microsoft Container Registry's tag API looks like, with no I/O: repository names, the
 * `GET /v2/<name>/tags/list` answer and its limits. Shared by the node refresh (liveTags.ts) and
 * the browser's (web/liveTags.ts), which differ only in how they fetch and cache.
 */
export const MCR_REGISTRY = 'mcr.microsoft.com';

/**
 * Most tags kept per repository (refresh and cache file). Microsoft's busiest repositories list a
 * few thousand; the byte limit alone let 243,000 short tags through, and every tag completion then
 * sorted them all. Past the cap the refresh keeps the tags read so far.
 */
export const MAX_LIVE_TAGS = 10_000;

/** A tag as the registry API defines it (distribution spec: `[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}`). */
export const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const NAME_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const NAME = new RegExp(`^${NAME_COMPONENT}(?:/${NAME_COMPONENT})*$`);

/** The API name of an MCR repository (`mcr.microsoft.com/windows/servercore` → `windows/servercore`), or `undefined` for another registry or a malformed name. */
export function apiName(repository: string): string | undefined {
  const prefix = `${MCR_REGISTRY}/`;
  const lower = repository.toLowerCase();
  if (!lower.startsWith(prefix)) return undefined;
  const name = lower.slice(prefix.length);
  return NAME.test(name) ? name : undefined;
}

/** The tags of one `tags/list` answer, or why it is not one (`wrong-shape`, with a message). */
export function tagsOfAnswer(value: unknown): { readonly tags: string[] } | { readonly wrongShape: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { wrongShape: 'the answer is not a JSON object' };
  const tags = (value as { tags?: unknown }).tags;
  // The registry API answers `"tags": null` for a repository without tags.
  if (tags === null) return { tags: [] };
  if (!Array.isArray(tags)) return { wrongShape: 'the answer has no "tags" array' };
  const bad: unknown = tags.find((tag) => typeof tag !== 'string' || !TAG.test(tag));
  if (bad !== undefined)
    return { wrongShape: `the answer lists ${JSON.stringify(bad).slice(0, 80)}, which is not a tag` };
  return { tags: tags as string[] };
}
