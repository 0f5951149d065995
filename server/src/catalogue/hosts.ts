/**
 * What is known about running an image version on a host beyond hcsshim's rule: hosts that are not
 * in Microsoft's compatibility matrix (`hosts[].unverified`) and reported failures
 * (`knownIssues` in data/base-images.json: host x image -> error text, workaround, sources).
 *
 * Invariant: for an unverified host the rule of catalogue.ts (`runsProcessIsolated`) is never
 * turned into a certainty. Such a host gets a finding only from a known issue with a source, or
 * for an image newer than the host (no isolation runs a newer image).
 */
import data from '../data/base-images.json';
import { Host, HOSTS, runsProcessIsolated, runsWithHyperV, WindowsVersion } from './catalogue';

export type HostIsolation = 'process' | 'hyperv';

export interface KnownIssue {
  readonly id: string;
  /** Host ids, or `*` for any host. */
  readonly hosts: readonly string[];
  /** Windows version ids of the image, or `*` for any. */
  readonly versions: readonly string[];
  readonly isolation: readonly HostIsolation[];
  /** `fails`: the image does not run there (a host finding); `may-fail`: a condition the editor cannot see (hover note only). */
  readonly effect: 'fails' | 'may-fail';
  readonly error: string;
  readonly workaround: string;
  /** Windows versions reported to work on the host instead: the quick fix offers those. */
  readonly workaroundVersions: readonly string[];
  readonly status: 'open' | 'fixed';
  readonly reported?: string;
  readonly note?: string;
  readonly sources: readonly { readonly title: string; readonly url: string }[];
}

export const KNOWN_ISSUES: readonly KnownIssue[] = data.knownIssues as KnownIssue[];

export function findHost(id: string | undefined): Host | undefined {
  return id === undefined ? undefined : HOSTS.find((h) => h.id === id);
}

/** The known issues of an image version on a host (by id; `*` rows match every host), for the given isolations. */
export function knownIssues(hostId: string | undefined, versionId: string, isolation?: HostIsolation): KnownIssue[] {
  return KNOWN_ISSUES.filter(
    (issue) =>
      (issue.hosts.includes('*') || (hostId !== undefined && issue.hosts.includes(hostId))) &&
      (issue.versions.includes('*') || issue.versions.includes(versionId)) &&
      (isolation === undefined || issue.isolation.includes(isolation)),
  );
}

/**
 * Whether a host runs an image version with an isolation:
 * - `runs` / `fails`: by hcsshim's rule on a host in Microsoft's matrix, or a known failure (`issue` set);
 * - `unknown`: the host is not in the matrix and no issue is known (never reported as certain).
 * A host given only by its build (`auto` on a machine not in the list) is treated as in the matrix, as before.
 */
export type HostVerdict =
  { readonly status: 'runs' | 'unknown' } | { readonly status: 'fails'; readonly issue?: KnownIssue };

export function hostVerdict(
  host: { readonly id?: string; readonly build: number; readonly unverified?: unknown },
  version: WindowsVersion,
  isolation: HostIsolation,
): HostVerdict {
  const issue = knownIssues(host.id, version.id, isolation).find((i) => i.effect === 'fails');
  if (issue) return { status: 'fails', issue };
  if (!runsWithHyperV(host.build, version.build)) return { status: 'fails' };
  if (host.unverified) return { status: 'unknown' };
  const runs = isolation === 'process' ? runsProcessIsolated(host.build, version.build) : true;
  return { status: runs ? 'runs' : 'fails' };
}

/** The known issues of a version on any host, for the hover (one line each). */
export function knownIssueLines(version: WindowsVersion): string[] {
  const lines: string[] = [];
  for (const issue of KNOWN_ISSUES) {
    if (!issue.versions.includes('*') && !issue.versions.includes(version.id)) continue;
    const where = issue.hosts.includes('*') ? 'any host' : issue.hosts.map((id) => findHost(id)?.name ?? id).join(', ');
    const isolation =
      issue.isolation.length === 2
        ? 'either isolation'
        : `${issue.isolation[0] === 'hyperv' ? 'Hyper-V' : 'process'} isolation`;
    const sources = issue.sources.map((s) => `[${s.title}](${s.url})`).join(', ');
    const what =
      issue.effect === 'fails' ? `fails with \`${issue.error}\`` : `${issue.note ?? 'may fail'} (\`${issue.error}\`)`;
    lines.push(
      `- ${where}, ${isolation}: ${what}${issue.status === 'open' ? ' (open)' : ''}. ${issue.workaround} Sources: ${sources}.`,
    );
  }
  return lines;
}
