/**
 * `lint --format gitlab`: GitLab's Code Quality report (a JSON array of issues, each with
 * description, check_name, fingerprint, severity and location.path + location.lines.begin;
 * docs.gitlab.com/ci/testing/code_quality/, "Code Quality report format"), for
 * `artifacts: reports: codequality:` in .gitlab-ci.yml.
 */
import { createHash } from 'node:crypto';
import type { Finding } from './lint';

const SEVERITY = { error: 'major', warning: 'minor', information: 'info', hint: 'info' } as const;

export interface CodeQualityIssue {
  readonly description: string;
  readonly check_name: string;
  readonly fingerprint: string;
  readonly severity: (typeof SEVERITY)[keyof typeof SEVERITY];
  readonly location: { readonly path: string; readonly lines: { readonly begin: number } };
}

/**
 * One issue per finding. The fingerprint (GitLab compares reports of two pipelines by it) hashes the
 * file, the rule, the message and the finding's rank among equal ones of that file, not its line, so
 * an edit above a finding does not make it look new.
 */
export function toGitLabCodeQuality(findings: readonly Finding[]): CodeQualityIssue[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const key = `${f.file}\0${f.rule}\0${f.message}`;
    const rank = seen.get(key) ?? 0;
    seen.set(key, rank + 1);
    return {
      description: f.message,
      check_name: f.rule,
      fingerprint: createHash('sha256').update(`${key}\0${rank}`).digest('hex').slice(0, 32),
      severity: SEVERITY[f.severity],
      location: { path: f.file, lines: { begin: f.line } },
    };
  });
}
