/**
 * Diagnostics for one document: dockerfile-utils' checks (all nine settings passed every time),
 * minus the ones BuildKit disagrees with, plus the Windows rules of the registry.
 */
import { ValidationSeverity, ValidatorSettings } from 'dockerfile-utils';
import type { DockerfileLanguageService } from 'dockerfile-language-service';
import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver-types';
import { Settings, UPSTREAM_CHECKS, UpstreamSeverity } from '../../../common/settings';
import { DIAGNOSTIC_SOURCE, ruleDocsUrl } from '../../../common/links';
import { RULES } from '../rules';
import type { DefaultSeverity, Finding, Rule } from '../rules/types';
import type { ParsedDocument } from './document';
import type { RuleRuns } from './ruleReuse';
import { filterUpstreamDiagnostics } from './upstreamAgreement';
import { withSharedParse } from './upstreamParse';

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
  /** The last checks of open documents: the rules run again only where an edit can change their findings (ruleReuse.ts). */
  runs?: RuleRuns,
): Diagnostic[] {
  let upstreamDiagnostics: Diagnostic[] = [];
  try {
    if (upstream) upstreamDiagnostics = withSharedParse(document, () => upstream.validate(document.parserText, toValidatorSettings(settings)));
  } catch (error) {
    // As for a rule below: the Windows rules are still published.
    log(`dockerfile-utils validation failed on ${document.uri}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
  const diagnostics = filterUpstreamDiagnostics(document, upstreamDiagnostics);
  const rules = RULES.filter((rule) => ruleSeverity(rule, settings) !== 'off');
  const run = (rule: Rule, subject: ParsedDocument): Finding[] => {
    try {
      return rule.check({ document: subject, today, settings });
    } catch (error) {
      log(`rule ${rule.id} failed on ${document.uri}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return [];
    }
  };
  const findings = runs ? runs.check(document, rules, settings, today, run) : new Map(rules.map((rule) => [rule.id, run(rule, document)]));
  for (const rule of rules) {
    const severity = SEVERITY[ruleSeverity(rule, settings) as Exclude<DefaultSeverity, 'off'>];
    for (const finding of findings.get(rule.id) ?? []) {
      diagnostics.push({
        range: finding.range,
        severity,
        code: rule.id,
        codeDescription: { href: ruleDocsUrl(rule.id) },
        source: DIAGNOSTIC_SOURCE,
        message: finding.message,
        ...(finding.data ? { data: finding.data } : {}),
      });
    }
  }
  return diagnostics;
}
