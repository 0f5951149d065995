/**
 * Windows PowerShell draws a progress bar for every download and extraction, which makes
 * `Invoke-WebRequest` and `Expand-Archive` far slower in a build; `$ProgressPreference =
 * 'SilentlyContinue'` turns it off (Dockerfile reference, SHELL; MicrosoftDocs/
 * Virtualization-Documentation `manage-docker/manage-windows-dockerfile.md`, "The
 * `$ProgressPreference` … speeds up downloads"). Only Windows PowerShell (5.1) is reported: pwsh
 * (PowerShell 7) no longer slows its web cmdlets down with the progress display.
 */
import { assignsPreference, powerShellShells, preferenceEdit } from './powershell-shell';
import { rangeOf } from './instruction-text';
import { carriedFixes, fixData } from './ruleFixes';
import type { Rule } from './types';

const STATEMENT = "$ProgressPreference = 'SilentlyContinue';";

export const powershellProgressPreference: Rule = {
  id: 'powershell-progress-preference',
  description: "A Windows PowerShell SHELL without $ProgressPreference = 'SilentlyContinue' makes downloads and archive extraction slow.",
  defaultSeverity: 'information',
  check({ document }) {
    return powerShellShells(document)
      .filter((shell) => shell.edition === 'powershell' && shell.stage.catalogue.family !== 'nanoserver')
      .filter((shell) => !assignsPreference(shell.command, 'ProgressPreference'))
      .map((shell) => ({
        range: rangeOf(document, shell.elements[0].start, shell.elements[0].end),
        message:
          'This powershell SHELL does not set $ProgressPreference: Windows PowerShell draws a progress bar for every download ' +
          `and extraction, which slows Invoke-WebRequest down badly. Add ${STATEMENT}`,
        data: fixData([{ title: `Add ${STATEMENT} to the SHELL`, edits: [preferenceEdit(document, shell, STATEMENT, 'last')], preferred: true }]),
      }));
  },
  fix: carriedFixes,
};
