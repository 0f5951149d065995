/**
 * Diagnostics for one document: dockerfile-utils' checks (all nine settings passed every time),
 * minus the ones BuildKit disagrees with, plus the Windows rules of the registry.
 */
import { ValidationSeverity, ValidatorSettings } from 'dockerfile-utils';
import type { LifecycleUpdate } from '../catalogue/products';
import type { DockerfileLanguageService } from 'dockerfile-language-service';
import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver-types';
import { Settings, UPSTREAM_CHECKS, UpstreamSeverity } from '../../../common/settings';
import { DIAGNOSTIC_SOURCE, ruleDocsUrl } from '../../../common/links';
import { RULES } from '../rules';
import type { DefaultSeverity, Finding, Rule } from '../rules/support/types';
import type { ParsedDocument } from '../dockerfile/document';
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
  /** Product lifecycles learnt by the live refresh (liveLifecycles.ts); the bundled data when absent. */
  lifecycleUpdates?: readonly LifecycleUpdate[],
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  if (upstream) {
    try {
      const validatorSettings = toValidatorSettings(settings);
      diagnostics.push(
        ...filterUpstreamDiagnostics(
          document,
          withSharedParse(document, () => upstream.validate(document.parserText, validatorSettings)),
        ),
      );
    } catch (error) {
      // As for a rule below: the Windows rules are still published.
      log(
        `dockerfile-utils validation failed on ${document.uri}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    }
  }
  for (const rule of RULES) {
    const configured = ruleSeverity(rule, settings);
    if (configured === 'off') continue;
    let findings: Finding[];
    try {
      findings = rule.check({ document, today, settings, lifecycleUpdates });
    } catch (error) {
      log(
        `rule ${rule.id} failed on ${document.uri}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      continue;
    }
    for (const finding of findings) diagnostics.push(toDiagnostic(rule, configured, finding));
  }
  return diagnostics;
}

/**
 * A rule's finding as the diagnostic published (of a Dockerfile, a compose file or a manifest): its
 * quick fixes travel in `data.fixes` (turned into actions by codeActions.ts `fixActions`).
 */
export function toDiagnostic(
  rule: { readonly id: string },
  severity: Exclude<DefaultSeverity, 'off'>,
  finding: Finding,
): Diagnostic {
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
