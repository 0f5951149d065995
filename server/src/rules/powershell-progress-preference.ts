/**
 * Windows PowerShell draws a progress bar for every download and extraction, which makes
 * `Invoke-WebRequest` and `Expand-Archive` far slower in a build; `$ProgressPreference =
 * 'SilentlyContinue'` turns it off (Dockerfile reference, SHELL; MicrosoftDocs/
 * Virtualization-Documentation `manage-docker/manage-windows-dockerfile.md`, "The
 * `$ProgressPreference` … speeds up downloads"). Only Windows PowerShell (5.1) is reported: pwsh
 * (PowerShell 7) no longer slows its web cmdlets down with the progress display. A SHELL is reported
 * only when a shell-form RUN runs under it, or a shell-form CMD/ENTRYPOINT that downloads or
 * extracts: under a SHELL followed by COPY, ENV and an exec-form CMD nothing draws a progress bar.
 */
import {
  assignsPreference,
  downloads,
  powerShellShells,
  preferenceEdit,
  stepsUnderShell,
} from '../dockerfile/powershellShell';
import { rangeOf } from '../dockerfile/instructionText';
import type { Rule } from './support/types';

const STATEMENT = "$ProgressPreference = 'SilentlyContinue';";

export const powershellProgressPreference: Rule = {
  id: 'powershell-progress-preference',
  description:
    "A Windows PowerShell SHELL without $ProgressPreference = 'SilentlyContinue' makes downloads and archive extraction slow.",
  defaultSeverity: 'information',
  fixable: true,
  check({ document }) {
    return (
      powerShellShells(document)
        .filter((shell) => shell.edition === 'powershell' && shell.stage.catalogue.family !== 'nanoserver')
        .filter((shell) => !assignsPreference(shell.command, 'ProgressPreference'))
        // Only where it costs time: a build step under this SHELL, or a run-time CMD/ENTRYPOINT that downloads or extracts.
        .map((shell) => ({ shell, under: stepsUnderShell(document, shell.instruction) }))
        .filter(({ under }) => under.some((step) => step.keyword === 'RUN' || downloads(document, step)))
        .map(({ shell, under }) => ({
          range: rangeOf(document, shell.elements[0].start, shell.elements[0].end),
          message:
            'This powershell SHELL does not set $ProgressPreference: Windows PowerShell draws a progress bar for every download ' +
            `and extraction, which slows Invoke-WebRequest down badly${under.some((step) => step.keyword === 'RUN') ? '' : ` (here in the ${under.find((step) => downloads(document, step))!.keyword}, at every container start)`}. Add ${STATEMENT}`,
          fixes: [
            {
              title: `Add ${STATEMENT} to the SHELL`,
              edits: [preferenceEdit(document, shell, STATEMENT, 'last')],
              preferred: true,
            },
          ],
        }))
    );
  },
};
