/**
 * What the base-image rules share: the Windows base images of a document and where their
 * repository and tag are written (in the FROM itself, or in the default of a global ARG that the
 * FROM uses), the tags to offer in their place, and the quick fixes that change them.
 */
import type { Position, Range, TextEdit } from 'vscode-languageserver-types';
import {
  listTags,
  RepositoryData,
  SupportStatus,
  supportStatus,
  TagInfo,
  unpublishedReason,
  windowsSuffix,
  WindowsVersion,
} from '../../catalogue/catalogue';
import type { ParsedDocument } from '../../dockerfile/document';
import { perDocument } from '../../dockerfile/perDocument';
import type { NamedImage, ReferenceSite } from '../../dockerfile/imageReferences';
import type { Stage } from '../../dockerfile/stages';
import type { Fix } from './types';

// The shape the image rules read is the model's (Dockerfiles, compose files and pods all make it).
export type { NamedImage, ReferenceSite } from '../../dockerfile/imageReferences';

/** A Windows stage with an image of its own (not built on another stage). */
export interface BaseImage extends NamedImage {
  readonly stage: Stage;
}

/** The Windows stages that name an image, with where it is written. Computed once per parsed document (six rules ask): do not modify. */
export const windowsBaseImages: (document: ParsedDocument) => readonly BaseImage[] = perDocument(findBaseImages);

function findBaseImages(document: ParsedDocument): BaseImage[] {
  const result: BaseImage[] = [];
  for (const stage of document.stages) {
    const range = stage.from.getImageRange();
    if (stage.os !== 'windows' || !stage.image || !range) continue;
    result.push({ stage, reference: stage.image, range, site: referenceSite(document, range) });
  }
  return result;
}

const VARIABLE = /^\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)\})$/;

/** Splits the reference written at `range` into repository and tag, following plain `$ARG`s to their defaults. */
export function referenceSite(document: ParsedDocument, range: Range, followArgs = true): ReferenceSite {
  if (range.start.line !== range.end.line) return { tagWritten: false };
  const text = document.text.slice(document.offsetAt(range.start), document.offsetAt(range.end));
  // Double quotes are removed by the builder: around the whole reference (`"${BASE}"`) or the tag (`:"${TAG}"`).
  if (/^"[^"]+"$/.test(text)) {
    const inner = {
      start: { ...range.start, character: range.start.character + 1 },
      end: { ...range.end, character: range.end.character - 1 },
    };
    return referenceSite(document, inner, followArgs);
  }
  if (/['`\\\s]/.test(text) || (text.includes('"') && !/^[^"]*:"[^"]+"$/.test(text))) return { tagWritten: false };
  let depth = 0;
  let colon = -1;
  let at = -1;
  for (let i = 0; i < text.length && at < 0; i++) {
    const c = text[i];
    if (c === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (c === '}' && depth > 0) depth--;
    else if (depth === 0 && c === '@') at = i;
    else if (depth === 0 && c === '/') colon = -1;
    else if (depth === 0 && c === ':') colon = i;
  }
  const nameEnd = at >= 0 ? at : text.length;
  const repositoryEnd = colon >= 0 ? colon : nameEnd;
  const positionAt = (offset: number): Position => ({
    line: range.start.line,
    character: range.start.character + offset,
  });
  const repositoryText = text.slice(0, repositoryEnd);
  const whole = VARIABLE.exec(repositoryText);
  if (whole && colon < 0 && at < 0) {
    // `FROM $BASE`: the ARG default is the whole reference.
    const value = followArgs ? argValueRange(document, whole[1] ?? whole[2]) : undefined;
    return value ? referenceSite(document, value, false) : { tagWritten: false };
  }
  const part = (from: number, to: number): Range | undefined => {
    const quoted = text[from] === '"' && text[to - 1] === '"' && to - from >= 2;
    const start = quoted ? from + 1 : from;
    const end = quoted ? to - 1 : to;
    const partText = text.slice(start, end);
    if (!partText.includes('$')) return { start: positionAt(start), end: positionAt(end) };
    const variable = VARIABLE.exec(partText);
    return variable && followArgs ? argValueRange(document, variable[1] ?? variable[2]) : undefined;
  };
  const repository = part(0, repositoryEnd);
  if (colon >= 0) return { repository, tag: part(colon + 1, nameEnd), tagWritten: true };
  const insertAt = repositoryText.includes('$') ? undefined : positionAt(repositoryEnd);
  return { repository, tag: insertAt && { start: insertAt, end: insertAt }, tagWritten: false };
}

/** The range of the default of a global ARG (the last one declared before the first FROM), inside any quotes. */
function argValueRange(document: ParsedDocument, name: string): Range | undefined {
  let found: Range | undefined;
  for (const arg of document.dockerfile.getInitialARGs()) {
    const property = arg.getProperty();
    if (property?.getName() === name) found = property.getValueRange() ?? undefined;
  }
  if (!found || found.start.line !== found.end.line) return undefined;
  const raw = document.text.slice(document.offsetAt(found.start), document.offsetAt(found.end));
  const quoted = /^(["'])[^"'$\\`\s]*\1$/.test(raw);
  if (!quoted && /["'$\\`\s]/.test(raw)) return undefined;
  if (!quoted) return found;
  return {
    start: { ...found.start, character: found.start.character + 1 },
    end: { ...found.end, character: found.end.character - 1 },
  };
}

/** The edits that change the repository and/or the tag at a site, or `undefined` when a part to change is not editable. */
export function referenceEdits(
  site: ReferenceSite,
  change: { repository?: string; tag?: string },
): TextEdit[] | undefined {
  const edits: TextEdit[] = [];
  if (change.repository !== undefined) {
    if (!site.repository) return undefined;
    edits.push({ range: site.repository, newText: change.repository });
  }
  if (change.tag !== undefined) {
    if (!site.tag) return undefined;
    edits.push({ range: site.tag, newText: site.tagWritten ? change.tag : `:${change.tag}` });
  }
  return edits;
}

/** `Windows Server 2022`, `Windows Server 2016, version 1607`: the display name without parentheses, for action titles. */
export function versionName(version: WindowsVersion): string {
  return version.displayName.replace(/ \(([^()]*)\)$/, ', $1');
}

/** `Windows Server 2022 (build 20348)`, `Windows Server 2016 (version 1607, build 14393)`. */
export function versionLabel(version: WindowsVersion): string {
  const name = version.displayName;
  return name.endsWith(')') ? `${name.slice(0, -1)}, build ${version.build})` : `${name} (build ${version.build})`;
}

/**
 * The end of servicing of a tag's Windows version, ignoring tag retirement. A full-build tag
 * (`10.0.14393.2068`) takes the end its repository gives every listed tag of that version, so a
 * Nano Server 2016 build ends with `sac2016` (2018-10-09), not with Server Core 2016.
 */
export function versionLifecycle(tag: TagInfo, today: string): { status: SupportStatus; end: string } | undefined {
  const version = tag.version;
  if (!version) return undefined;
  let end = tag.extendedEnd;
  if (!end && tag.form === 'build') {
    const siblings = tag.repository.tags.filter((t) => t.version === version.id);
    if (siblings.length > 0 && siblings.every((t) => t.extendedEnd))
      end = siblings
        .map((t) => t.extendedEnd as string)
        .sort()
        .pop();
  }
  if (end) return { status: supportStatus(end, undefined, today), end };
  return { status: supportStatus(version.extendedEnd, version.mainstreamEnd, today), end: version.extendedEnd };
}

export interface CandidateTag {
  readonly tag: string;
  readonly version: WindowsVersion;
}

const ARCH_SUFFIX = /-(amd64|arm64)$/i;

/**
 * Tags of `repository` to offer in place of `current`, newest Windows build first, one per
 * version: confirmed, not retired, not past end of servicing, and accepted by `accept`. A .NET or
 * PowerShell tag keeps its product version and image family (`8.0-nanoserver-1809` →
 * `8.0-nanoserver-ltsc2022`); an arch-suffixed tag keeps its suffix.
 */
export function candidateTags(
  repository: RepositoryData,
  current: TagInfo | undefined,
  today: string,
  accept: (version: WindowsVersion) => boolean,
): CandidateTag[] {
  const out: CandidateTag[] = [];
  const seen = new Set<string>();
  const add = (tag: string, version: WindowsVersion | undefined, extendedEnd?: string) => {
    if (
      !version ||
      seen.has(version.id) ||
      !accept(version) ||
      supportStatus(extendedEnd ?? version.extendedEnd, undefined, today) === 'ended'
    )
      return;
    seen.add(version.id);
    out.push({ tag, version });
  };
  const grid = repository.windowsTagGrid;
  // A grid tag, or a tag found by its Windows version marker in a grid repository (`nanoserver-1803`).
  const suffix =
    grid && current && (current.form === 'grid' || current.form === 'marker') ? windowsSuffix(current.tag) : undefined;
  if (grid && current && suffix) {
    const lower = current.tag.toLowerCase().replace(ARCH_SUFFIX, '');
    const prefix = current.tag.slice(0, lower.length - suffix.length).replace(/-$/, '');
    const sorted = listTags(repository, today).filter(
      (t) => t.form === 'grid' && t.family === current.family && t.version,
    );
    for (const t of sorted) {
      const other = grid.osVariants.find((v) => t.tag.endsWith(v.suffix))?.suffix;
      // Keep the product version as written (`8.0.30`), on a suffix that version publishes.
      if (other && !unpublishedReason(repository, prefix, other)) add(prefix ? `${prefix}-${other}` : other, t.version);
    }
    return out;
  }
  const arch = current ? ARCH_SUFFIX.exec(current.tag)?.[0].toLowerCase() : undefined;
  for (const t of listTags(repository, today)) {
    if (t.form !== 'listed' || t.uncertain || t.retired) continue;
    if (arch ? !t.tag.toLowerCase().endsWith(arch) : ARCH_SUFFIX.test(t.tag)) continue;
    add(t.tag, t.version, t.extendedEnd);
  }
  return out;
}

/**
 * The offers whose edits could be computed (parts built from variables cannot be edited). Each says
 * whether it is preferred (true or false): one offer is, the others are alternatives.
 */
export function fixOffers(
  site: ReferenceSite,
  offers: readonly { title: string; change: { repository?: string; tag?: string }; preferred?: boolean }[],
): Fix[] {
  const result: Fix[] = [];
  for (const offer of offers) {
    const edits = referenceEdits(site, offer.change);
    if (edits) result.push({ title: offer.title, edits, preferred: offer.preferred === true });
  }
  return result;
}
