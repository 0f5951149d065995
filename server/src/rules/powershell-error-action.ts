/**
 * PowerShell's `$ErrorActionPreference` defaults to `Continue`: a failing cmdlet writes an error
 * and the script goes on, and `powershell -Command` exits with the status of its last statement
 * only, so a RUN whose download failed can still succeed and the build carries on without the
 * file. Microsoft's Dockerfiles set it in the SHELL:
 * `SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue';"]`
 * (Dockerfile reference, SHELL; MicrosoftDocs/Virtualization-Documentation
 * `manage-docker/manage-windows-dockerfile.md`). pwsh has the same default, so its SHELLs count too.
 * A SHELL is reported only when a shell-form RUN, CMD or ENTRYPOINT runs under it.
 */
import { assignsPreference, powerShellShells, preferenceEdit, stepsUnderShell } from '../dockerfile/powershellShell';
import { rangeOf } from '../dockerfile/instructionText';
import type { Rule } from './support/types';

const STATEMENT = "$ErrorActionPreference = 'Stop';";

export const powershellErrorAction: Rule = {
  id: 'powershell-error-action',
  description: "A PowerShell SHELL without $ErrorActionPreference = 'Stop' lets failing commands pass silently.",
  defaultSeverity: 'information',
  fixable: true,
  check({ document }) {
    return (
      powerShellShells(document)
        // Nano Server has no Windows PowerShell at all; setting its preferences would not help.
        .filter((shell) => !(shell.edition === 'powershell' && shell.stage.catalogue.family === 'nanoserver'))
        .filter((shell) => !assignsPreference(shell.command, 'ErrorActionPreference'))
        // Only where a command runs under it: a shell-form RUN, CMD or ENTRYPOINT (a failing command at start-up passes silently too).
        .map((shell) => ({ shell, under: stepsUnderShell(document, shell.instruction) }))
        .filter(({ under }) => under.length > 0)
        .map(({ shell, under }) => ({
          range: rangeOf(document, shell.elements[0].start, shell.elements[0].end),
          message:
            `This ${shell.edition} SHELL does not set $ErrorActionPreference, which defaults to 'Continue': ` +
            (under.some((step) => step.keyword === 'RUN')
              ? 'a failing command in a RUN prints an error and the RUN can still succeed. '
              : `a failing command in the ${under[0].keyword} prints an error and the container goes on starting. `) +
            `Start the command with ${STATEMENT}`,
          fixes: [
            {
              title: `Add ${STATEMENT} to the SHELL`,
              edits: [preferenceEdit(document, shell, STATEMENT, 'first')],
              preferred: true,
            },
          ],
        }))
    );
  },
};
