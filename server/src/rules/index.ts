/**
 * The single registry of Windows rules. Adding a rule: its file here, its docs page
 * `docs/rules/<id>.md`, its setting `windowsContainers.rules.<id>` in package.json, and fixtures
 * under `test/fixtures/<id>/` that show it firing and staying quiet (the registry test checks all four).
 */
import type { Rule, YamlRule } from './support/types';
import { workdirBareDrive } from './workdir-bare-drive';
import { workdirNotSystemDrive } from './workdir-not-system-drive';
import { windowsImageUntagged } from './windows-image-untagged';
import { windowsImageEndOfServicing } from './windows-image-end-of-servicing';
import { windowsLegacyRepository } from './windows-legacy-repository';
import { windowsTagRetired } from './windows-tag-retired';
import { windowsMixedBuilds } from './windows-mixed-builds';
import { windowsHostIncompatible } from './windows-host-incompatible';
import { trailingBackslashContinuation } from './trailing-backslash-continuation';
import { execFormUnescapedBackslash } from './exec-form-unescaped-backslash';
import { windowsChownChmod } from './windows-chown-chmod';
import { windowsStopsignal } from './windows-stopsignal';
import { windowsFromScratch } from './windows-from-scratch';
import { windowsVolumeSystemDrive } from './windows-volume-system-drive';
import { windowsRunMountUnsupported } from './windows-run-mount-unsupported';
import { powershellErrorAction } from './powershell-error-action';
import { powershellProgressPreference } from './powershell-progress-preference';
import { powershellRunWithoutShell } from './powershell-run-without-shell';
import { nanoserverPowershell } from './nanoserver-powershell';
import { nanoserverUnsupportedFeature } from './nanoserver-unsupported-feature';
import { nanoserverNeedsAdmin } from './nanoserver-needs-admin';
import { envPathReplaced } from './env-path-replaced';
import { linuxCommandInWindowsStage } from './linux-command-in-windows-stage';
import { powershellPipelineChain } from './powershell-pipeline-chain';
import { servicemonitorUrlRetired } from './servicemonitor-url-retired';
import { servicemonitorEntrypointReplaced } from './servicemonitor-entrypoint-replaced';
import { logmonitorExecForm } from './logmonitor-exec-form';
import { productEndOfSupport } from './product-end-of-support';
import { kubernetesWindowsNodeSelector } from './kubernetes-windows-node-selector';
import { kubernetesWindowsBuildMismatch } from './kubernetes-windows-build-mismatch';
import { kubernetesOsSelectorMismatch } from './kubernetes-os-selector-mismatch';
import { kubernetesMixedWindowsVersions } from './kubernetes-mixed-windows-versions';
import { kubernetesHostprocessIncomplete } from './kubernetes-hostprocess-incomplete';
import { composeIsolationInvalid } from './compose-isolation-invalid';
import { composeNpipeShortSyntax } from './compose-npipe-short-syntax';
import { composeFileBindMount } from './compose-file-bind-mount';
import { composeVolumeSystemDrive } from './compose-volume-system-drive';
import { composePlatformMismatch } from './compose-platform-mismatch';

export const RULES: readonly Rule[] = [
  workdirBareDrive,
  workdirNotSystemDrive,
  windowsImageUntagged,
  windowsImageEndOfServicing,
  windowsLegacyRepository,
  windowsTagRetired,
  productEndOfSupport,
  windowsMixedBuilds,
  windowsHostIncompatible,
  trailingBackslashContinuation,
  execFormUnescapedBackslash,
  windowsChownChmod,
  windowsStopsignal,
  windowsFromScratch,
  windowsVolumeSystemDrive,
  windowsRunMountUnsupported,
  powershellErrorAction,
  powershellProgressPreference,
  powershellRunWithoutShell,
  nanoserverPowershell,
  nanoserverUnsupportedFeature,
  nanoserverNeedsAdmin,
  envPathReplaced,
  linuxCommandInWindowsStage,
  powershellPipelineChain,
  servicemonitorUrlRetired,
  servicemonitorEntrypointReplaced,
  logmonitorExecForm,
];

/**
 * The rules of compose files and Kubernetes manifests (server/src/yaml). The image rules above with
 * a `checkImages` also run on the images those files name.
 */
export const YAML_RULES: readonly YamlRule[] = [
  kubernetesWindowsNodeSelector,
  kubernetesWindowsBuildMismatch,
  kubernetesOsSelectorMismatch,
  kubernetesMixedWindowsVersions,
  kubernetesHostprocessIncomplete,
  composeIsolationInvalid,
  composeNpipeShortSyntax,
  composeFileBindMount,
  composeVolumeSystemDrive,
  composePlatformMismatch,
];

/** Every rule, for what derives from the registry (settings, the rule table, docs and fixtures checks). */
export const ALL_RULES: readonly (Rule | YamlRule)[] = [...RULES, ...YAML_RULES];

export function findRule(id: string): Rule | undefined {
  return RULES.find((rule) => rule.id === id);
}
