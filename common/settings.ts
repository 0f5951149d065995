/**
 * Settings shared by the client, the server and the CLI. Everything lives under the
 * `windowsContainers` prefix; the server pulls the section per document and turns it into a
 * `Settings` object once with `normaliseSettings`, so no handler ever reads a raw value.
 */

export const SETTINGS_SECTION = 'windowsContainers';

/**
 * The nine checks of dockerfile-utils' `ValidatorSettings`. Every one is passed on every
 * validation: an omitted key silently switches that check off.
 */
export const UPSTREAM_CHECKS = [
  'deprecatedMaintainer',
  'directiveCasing',
  'emptyContinuationLine',
  'instructionCasing',
  'instructionCmdMultiple',
  'instructionEntrypointMultiple',
  'instructionHealthcheckMultiple',
  'instructionJSONInSingleQuotes',
  'instructionWorkdirRelative',
] as const;

export type UpstreamCheck = (typeof UPSTREAM_CHECKS)[number];
export type UpstreamSeverity = 'ignore' | 'warning' | 'error';
export const UPSTREAM_SEVERITIES: readonly UpstreamSeverity[] = ['ignore', 'warning', 'error'];

/** Severity of one of our rules; `default` means the rule's own default severity. */
export type RuleSeverity = 'default' | 'error' | 'warning' | 'information' | 'hint' | 'off';
export const RULE_SEVERITIES: readonly RuleSeverity[] = ['default', 'error', 'warning', 'information', 'hint', 'off'];

/** The Windows host the images must run on (`auto`: this machine's build when the server runs on Windows). */
export const TARGET_HOSTS = [
  'auto',
  'ltsc2016',
  'ltsc2019',
  'ltsc2022',
  '23h2',
  'ltsc2025',
  'win10-22h2',
  'win11-21h2',
  'win11-22h2',
  'win11-23h2',
  'win11-24h2',
  'win11-25h2',
  'win11-26h1',
  'win11-26h2',
] as const;
export type TargetHost = (typeof TARGET_HOSTS)[number];
/** `default`: what the engine does without --isolation (process on Windows Server, Hyper-V on Windows 10/11). */
export const ISOLATIONS = ['default', 'process', 'hyperv'] as const;
export type Isolation = (typeof ISOLATIONS)[number];

/** `auto`: off while Microsoft's Docker or Container Tools extension (the same upstream engine) is active. */
export const UPSTREAM_FEATURES = ['auto', 'on', 'off'] as const;
export type UpstreamFeatures = (typeof UPSTREAM_FEATURES)[number];

export interface Settings {
  /** Severity per dockerfile-utils check (all nine always present). */
  readonly diagnostics: Readonly<Record<UpstreamCheck, UpstreamSeverity>>;
  /** Severity override per rule id; rules not named here use their default severity. */
  readonly rules: Readonly<Record<string, RuleSeverity>>;
  readonly formatter: { readonly ignoreMultilineInstructions: boolean };
  readonly targetHost: TargetHost;
  readonly isolation: Isolation;
  /** Refresh tag lists from the Microsoft Artifact Registry (cached for a day; completion never waits). */
  readonly catalogue: { readonly liveRefresh: boolean };
  /** Whether dockerfile-language-service's own features are offered (see UPSTREAM_FEATURES). */
  readonly upstreamFeatures: UpstreamFeatures;
}

/** The same defaults as dockerfile-language-server-nodejs: every upstream check is a warning. */
export const DEFAULT_UPSTREAM_SEVERITY: UpstreamSeverity = 'warning';

export const DEFAULT_SETTINGS: Settings = normaliseSettings(undefined);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pickEnum<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

/**
 * Turns whatever the client sent for the `windowsContainers` section (possibly `null`, partial,
 * or of the wrong types) into a complete `Settings`. Unknown or ill-typed values fall back to
 * their defaults; nothing here throws.
 */
export function normaliseSettings(raw: unknown): Settings {
  const section = isRecord(raw) ? raw : {};
  const rawDiagnostics = isRecord(section.diagnostics) ? section.diagnostics : {};
  const diagnostics = {} as Record<UpstreamCheck, UpstreamSeverity>;
  for (const check of UPSTREAM_CHECKS) {
    diagnostics[check] = pickEnum(rawDiagnostics[check], UPSTREAM_SEVERITIES, DEFAULT_UPSTREAM_SEVERITY);
  }
  const rawRules = isRecord(section.rules) ? section.rules : {};
  const rules: Record<string, RuleSeverity> = {};
  for (const [id, value] of Object.entries(rawRules)) {
    rules[id] = pickEnum(value, RULE_SEVERITIES, 'default');
  }
  const rawFormatter = isRecord(section.formatter) ? section.formatter : {};
  return {
    diagnostics,
    rules,
    formatter: { ignoreMultilineInstructions: rawFormatter.ignoreMultilineInstructions === true },
    targetHost: pickEnum(section.targetHost, TARGET_HOSTS, 'auto'),
    isolation: pickEnum(section.isolation, ISOLATIONS, 'default'),
    catalogue: { liveRefresh: !(isRecord(section.catalogue) && section.catalogue.liveRefresh === false) },
    upstreamFeatures: pickEnum(section.upstreamFeatures, UPSTREAM_FEATURES, 'auto'),
  };
}
