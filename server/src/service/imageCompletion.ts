/**
 * Completion of Microsoft image repositories and their tags, from the bundled catalogue (merged
 * with tags learnt from the registry, when the caller has any). Never waits on the network.
 */
import {
  CompletionItem,
  CompletionItemKind,
  CompletionItemTag,
  InsertTextFormat,
  MarkupKind,
} from 'vscode-languageserver-types';
import { findRepository, listRepositories, listTags, RepositoryData, TagInfo, tagStatus } from '../catalogue/catalogue';
import { HostIsolation, hostVerdict } from '../catalogue/hosts';
import type { ImageSlot } from '../dockerfile/imageReferences';
import { describeTag, tagDetail } from './imageText';
import type { LifecycleUpdate } from '../catalogue/products';
import { productEnded } from './productText';
import type { Settings } from '../../../common/settings';
import { resolveTargetHost } from '../../../common/targetHosts';

export interface ImageCompletionOptions {
  readonly today: string;
  /** Tags the registry reported, per repository (empty when offline or switched off). */
  readonly liveTags: (repository: string) => readonly string[];
  readonly markdown: boolean;
  readonly deprecatedTag: boolean;
  /** The target host and isolation (`windowsContainers.targetHost`), when one is set: the tags it can run come first. */
  readonly host?: {
    readonly id?: string;
    readonly name: string;
    readonly build: number;
    readonly unverified?: boolean;
    readonly isolation: HostIsolation;
  };
  /** Product lifecycles learnt by a live refresh (bundled data when absent). */
  readonly lifecycleUpdates?: readonly LifecycleUpdate[];
}

/**
 * Items for an image slot, or `undefined` when the slot names a repository the catalogue does not
 * know (the upstream completion then answers, as before).
 */
export interface ImageCompletions {
  /** `tags`: the complete list of a known repository; `repositories`: names to merge with upstream items. */
  readonly kind: 'tags' | 'repositories';
  readonly items: CompletionItem[];
}

export function computeImageCompletions(
  slot: ImageSlot,
  typedUpTo: number,
  options: ImageCompletionOptions,
): ImageCompletions | undefined {
  const typed = slot.text.slice(0, typedUpTo);
  if (typed.includes('$') || typed.includes('@')) return undefined;
  const colon = typed.indexOf(':', typed.lastIndexOf('/') + 1);
  if (colon < 0) return { kind: 'repositories', items: repositoryItems(slot, options) };
  const repository = findRepository(typed.slice(0, colon));
  if (!repository) return undefined;
  const tagStart = { line: slot.range.start.line, character: slot.range.start.character + colon + 1 };
  const tagEnd = slot.range.start.line === slot.range.end.line ? slot.range.end : tagStart;
  return {
    kind: 'tags',
    items: tagItems(repository, { start: tagStart, end: tagEnd }, typed.slice(colon + 1), options),
  };
}

function repositoryItems(slot: ImageSlot, options: ImageCompletionOptions): CompletionItem[] {
  return listRepositories().map((repository, index) => ({
    label: repository.name,
    kind: CompletionItemKind.Module,
    detail: repository.title,
    documentation: options.markdown
      ? { kind: MarkupKind.Markdown, value: `**${repository.title}**\n\n${repository.summary}` }
      : repository.summary,
    // Base images first, then derived, then Insider builds.
    sortText: `0${{ base: 0, derived: 1, insider: 2 }[repository.kind]}${String(index).padStart(3, '0')}`,
    filterText: repository.name,
    textEdit: { range: slot.range, newText: repository.name + (repository.kind === 'insider' ? '' : ':') },
    insertTextFormat: InsertTextFormat.PlainText,
    // Typing the tag comes next: reopen the list for it.
    command:
      repository.kind === 'insider' ? undefined : { title: 'Suggest tags', command: 'editor.action.triggerSuggest' },
    data: { windowsContainers: 'repository' },
  }));
}

/**
 * Most tag items one completion returns. The live tags of a repository are capped too
 * (`MAX_LIVE_TAGS`), but a list of thousands is no use in a menu and costs every keystroke.
 */
export const MAX_TAG_COMPLETIONS = 1000;
/** Most live tags one completion reads (sorting them is what costs, and it grows with their number). */
const MAX_LIVE_TAGS_READ = 10 * MAX_TAG_COMPLETIONS;

function tagItems(
  repository: RepositoryData,
  range: { start: ImageSlot['range']['start']; end: ImageSlot['range']['end'] },
  typedTag: string,
  options: ImageCompletionOptions,
): CompletionItem[] {
  // The live source keeps at most 10,000 tags per repository (liveTags.ts); a caller that gives more gets the same bound.
  const live = options.liveTags(repository.name);
  const bounded = live.length > MAX_LIVE_TAGS_READ ? live.slice(0, MAX_LIVE_TAGS_READ) : live;
  const tags = byTargetHost(boundTags(listTags(repository, options.today, bounded), typedTag), options.host);
  return tags.map(({ tag, onHost }, index) => {
    // Past its Windows version's end of servicing, or its product version's end of support: struck through.
    const ended =
      tagStatus(tag, options.today) === 'ended' || productEnded(tag, options.today, options.lifecycleUpdates);
    const detail = tagDetail(tag, options.today, options.lifecycleUpdates) + (onHost ? ` · ${onHost}` : '');
    const item: CompletionItem = {
      label: tag.tag,
      kind: ended ? CompletionItemKind.Constant : CompletionItemKind.EnumMember,
      detail,
      documentation: options.markdown
        ? { kind: MarkupKind.Markdown, value: describeTag(tag, options.today, options.lifecycleUpdates) }
        : detail,
      sortText: String(index).padStart(4, '0'),
      filterText: tag.tag,
      textEdit: { range, newText: tag.tag },
      data: { windowsContainers: 'tag' },
    };
    if (ended) {
      if (options.deprecatedTag) item.tags = [CompletionItemTag.Deprecated];
      else item.deprecated = true;
    }
    return item;
  });
}

/** At most `MAX_TAG_COMPLETIONS` tags, in their order: those that start with what is typed first. */
function boundTags(tags: TagInfo[], typedTag: string): TagInfo[] {
  if (tags.length <= MAX_TAG_COMPLETIONS) return tags;
  const prefix = typedTag.toLowerCase();
  const matching = tags.filter((t) => t.tag.toLowerCase().startsWith(prefix));
  const rest =
    matching.length >= MAX_TAG_COMPLETIONS ? [] : tags.filter((t) => !t.tag.toLowerCase().startsWith(prefix));
  return [...matching, ...rest].slice(0, MAX_TAG_COMPLETIONS);
}

/**
 * With a target host, the tags it cannot run (by hcsshim's rule on a host in Microsoft's matrix, or
 * a known issue) move after the others, each saying why; the catalogue's order is kept otherwise.
 */
function byTargetHost(
  tags: readonly TagInfo[],
  host: ImageCompletionOptions['host'],
): { tag: TagInfo; onHost?: string }[] {
  if (!host) return tags.map((tag) => ({ tag }));
  const first: { tag: TagInfo; onHost?: string }[] = [];
  const rest: { tag: TagInfo; onHost?: string }[] = [];
  for (const tag of tags) {
    const verdict = tag.version ? hostVerdict(host, tag.version, host.isolation) : undefined;
    if (verdict?.status === 'fails') {
      const why = verdict.issue
        ? `known issue on ${host.name} (${verdict.issue.error.replace(/^.*\((0x[0-9a-f]+)\)$/i, '$1')})`
        : `${host.name} cannot run it${host.isolation === 'process' ? ' with process isolation' : ''}`;
      rest.push({ tag, onHost: why });
    } else
      first.push({
        tag,
        onHost: verdict?.status === 'unknown' ? `${host.name}: not in Microsoft's compatibility matrix` : undefined,
      });
  }
  return [...first, ...rest];
}

/**
 * The target host of the settings, for ordering tags (the ones it runs first) and saying why one does
 * not run; `undefined` when no host is set (or `auto`, which the server resolves before this).
 */
export function completionHost(settings: Settings): ImageCompletionOptions['host'] {
  const target = resolveTargetHost(settings.targetHost, settings.isolation, { platform: 'unknown', release: '' });
  if (target.build === undefined) return undefined;
  return {
    id: target.host?.id,
    name: target.host?.name ?? `build ${target.build}`,
    build: target.build,
    unverified: target.host?.unverified,
    isolation: target.isolation,
  };
}
