/**
 * Diagnostics for one document: dockerfile-utils' checks (all nine settings passed every time),
 * minus the ones BuildKit disagrees with, plus the Windows rules of the registry.
 */
import { ValidationCode, ValidationSeverity, ValidatorSettings } from 'dockerfile-utils';
import type { LifecycleUpdate } from '../catalogue/products';
import type { DockerfileLanguageService } from 'dockerfile-language-service';
import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver-types';
import { Settings, UPSTREAM_CHECKS, UpstreamSeverity } from '../../../common/settings';
import { DIAGNOSTIC_SOURCE, ruleDocsUrl } from '../../../common/links';
import { RULES } from '../rules';
import type { DefaultSeverity, Finding, Rule } from '../rules/support/types';
import type { ParsedDocument } from '../dockerfile/document';
import { Check, RuleRuns, UPSTREAM_IN_STAGES, UPSTREAM_STAGE_NAMES } from './ruleReuse';
import { filterUpstreamDiagnostics } from './upstreamAgreement';
import { withSharedParse } from '../patches';

export type Logger = (message: string) => void;

const UPSTREAM_SEVERITY: Record<UpstreamSeverity, ValidationSeverity> = {
  ignore: ValidationSeverity.IGNORE,
  warning: ValidationSeverity.WARNING,
  error: ValidationSeverity.ERROR,
};

/** The complete `ValidatorSettings` for dockerfile-utils: every one of the nine keys, always. */
export function toValidatorSettings(settings: Settings): Required<ValidatorSettings> {
  const result = {} as Required<ValidatorSettings>;
  for (const check of UPSTREAM_CHECKS) result[check] = UPSTREAM_SEVERITY[settings.diagnostics[check]];
  return result;
}

const SEVERITY: Record<Exclude<DefaultSeverity, 'off'>, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** The severity a rule runs at under these settings (`off` when switched off). */
export function ruleSeverity(rule: Rule, settings: Settings): DefaultSeverity {
  const configured = settings.rules[rule.id];
  return configured === undefined || configured === 'default' ? rule.defaultSeverity : configured;
}

export function computeDiagnostics(
  document: ParsedDocument,
  settings: Settings,
  /** Absent when another extension already publishes dockerfile-utils' diagnostics. */
  upstream: DockerfileLanguageService | undefined,
  log: Logger,
  today: string,
  /** The last checks of open documents: dockerfile-utils and the rules run again only where an edit can change their findings (ruleReuse.ts). */
  runs?: RuleRuns,
  /** Product lifecycles learnt by the live refresh (liveLifecycles.ts); the bundled data when absent. */
  lifecycleUpdates?: readonly LifecycleUpdate[],
): Diagnostic[] {
  const validatorSettings = toValidatorSettings(settings);
  // dockerfile-utils on one document (this one, or RuleRuns' copy of some of its stages), once for both of its checks.
  const upstreamOn = new Map<ParsedDocument, { inStages: Diagnostic[]; stageNames: Diagnostic[] }>();
  const validate = (subject: ParsedDocument, validator: DockerfileLanguageService) => {
    let found = upstreamOn.get(subject);
    if (!found) {
      let diagnostics: Diagnostic[] = [];
      try {
        diagnostics = filterUpstreamDiagnostics(subject, withSharedParse(subject, () => validator.validate(subject.parserText, validatorSettings)));
      } catch (error) {
        // As for a rule below: the Windows rules are still published.
        log(`dockerfile-utils validation failed on ${document.uri}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
      const names = (d: Diagnostic) => d.code === ValidationCode.DUPLICATE_BUILD_STAGE_NAME;
      found = { inStages: diagnostics.filter((d) => !names(d)), stageNames: diagnostics.filter(names) };
      upstreamOn.set(subject, found);
    }
    return found;
  };
  const rules = RULES.filter((rule) => ruleSeverity(rule, settings) !== 'off');
  const upstreamChecks: Check[] = upstream ? [{ id: UPSTREAM_IN_STAGES }, { id: UPSTREAM_STAGE_NAMES }] : [];
  const run = (check: Rule | Check, subject: ParsedDocument): (Finding | Diagnostic)[] => {
    if (upstream && check.id === UPSTREAM_IN_STAGES) return validate(subject, upstream).inStages;
    if (upstream && check.id === UPSTREAM_STAGE_NAMES) return validate(subject, upstream).stageNames;
    const rule = check as Rule;
    try {
      return rule.check({ document: subject, today, settings, lifecycleUpdates });
    } catch (error) {
      log(`rule ${rule.id} failed on ${document.uri}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return [];
    }
  };
  // Without the last checks, a full check (in the same order: each check's findings unit by unit).
  // The last checks are reused only under the same lifecycles: the key includes them.
  const key = lifecycleUpdates ? `${today}\u0000${JSON.stringify(lifecycleUpdates)}` : today;
  const findings = (runs ?? new RuleRuns()).check<Rule | Check, Finding | Diagnostic>(document, [...upstreamChecks, ...rules], settings, key, run);
  const diagnostics = upstreamChecks.flatMap((check) => findings.get(check.id) ?? []) as Diagnostic[];
  for (const rule of rules) {
    const severity = ruleSeverity(rule, settings) as Exclude<DefaultSeverity, 'off'>;
    for (const finding of (findings.get(rule.id) ?? []) as Finding[]) diagnostics.push(toDiagnostic(rule, severity, finding));
  }
  return diagnostics;
}

/**
 * A rule's finding as the diagnostic published (of a Dockerfile, a compose file or a manifest): its
 * quick fixes travel in `data.fixes` (turned into actions by codeActions.ts `fixActions`).
 */
export function toDiagnostic(rule: { readonly id: string }, severity: Exclude<DefaultSeverity, 'off'>, finding: Finding): Diagnostic {
  return {
    range: finding.range,
    severity: SEVERITY[severity],
    code: rule.id,
    codeDescription: { href: ruleDocsUrl(rule.id) },
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
    ...(finding.fixes && finding.fixes.length > 0 ? { data: { fixes: finding.fixes } } : {}),
  };
}
