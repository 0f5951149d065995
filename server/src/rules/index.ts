/**
 * The single registry of Windows rules. Adding a rule: its file here, its docs page
 * `docs/rules/<id>.md`, its setting `windowsContainers.rules.<id>` in package.json, and fixtures
 * under `test/fixtures/<id>/` that show it firing and staying quiet (the registry test checks all four).
 */
import type { Rule } from './types';
import { workdirBareDrive } from './workdir-bare-drive';
import { workdirNotSystemDrive } from './workdir-not-system-drive';

export const RULES: readonly Rule[] = [workdirBareDrive, workdirNotSystemDrive];

export function findRule(id: string): Rule | undefined {
  return RULES.find((rule) => rule.id === id);
}
