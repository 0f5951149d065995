/**
 * LogMonitor's SHELL pattern, `SHELL ["C:\\LogMonitor\\LogMonitor.exe", "powershell.exe"]`, makes
 * LogMonitor the parent of every shell-form CMD and ENTRYPOINT that follows. Docker runs an
 * exec-form (JSON) CMD or ENTRYPOINT directly, without the SHELL, so LogMonitor never starts and
 * the container's logs stay empty (microsoft/windows-container-tools README "SHELL" usage and #25;
 * Dockerfile reference, SHELL: it affects the shell form of RUN, CMD and ENTRYPOINT).
 *
 * Quick fix: the same command in shell form, offered when every argument is a plain word (no
 * blanks, quotes or characters the shell would read), so cmd and PowerShell run it unchanged.
 */
import { executableName, stageConfigs } from '../dockerfile/entrypoints';
import { execForm } from '../dockerfile/execForm';
import { instructionsByStage, rangeOf } from '../dockerfile/instructionText';
import type { Finding, Rule } from './support/types';

const PLAIN_WORD = /^[A-Za-z0-9_.:\\/=+-]+$/;

export const logmonitorExecForm: Rule = {
  id: 'logmonitor-exec-form',
  description:
    'An exec-form (JSON) CMD or ENTRYPOINT after a LogMonitor SHELL runs without LogMonitor, so it never starts.',
  defaultSeverity: 'warning',
  fixable: true,
  check({ document }) {
    const findings: Finding[] = [];
    for (const stage of document.stages) {
      if (stage.os !== 'windows') continue;
      const inheritedShell = stageConfigs(document).inherited[stage.index].shell;
      let logMonitorShell = inheritedShell !== undefined && isLogMonitorShell(document, inheritedShell);
      for (const instruction of instructionsByStage(document)[stage.index]) {
        const keyword = instruction.getKeyword().toUpperCase();
        if (keyword === 'SHELL') {
          logMonitorShell = isLogMonitorShell(document, instruction);
          continue;
        }
        if (!logMonitorShell || (keyword !== 'CMD' && keyword !== 'ENTRYPOINT')) continue;
        const exec = execForm(document, instruction);
        if (!exec || exec.values.length === 0 || executableName(exec.values[0]) === 'logmonitor') continue;
        const escape = document.escapeChar;
        const fixable =
          exec.values.every((v) => PLAIN_WORD.test(v)) && !exec.values[exec.values.length - 1].endsWith(escape);
        findings.push({
          range: instruction.getInstructionRange(),
          message:
            `This exec-form ${keyword} runs without the SHELL, so LogMonitor (set as the shell above) never starts and the container's logs stay empty. ` +
            (fixable
              ? `Write it in shell form (${keyword} ${exec.values.join(' ')}) so it runs under LogMonitor.`
              : 'Write it in shell form, quoting as the shell needs, so it runs under LogMonitor.'),
          fixes: fixable
            ? [
                {
                  title: 'Use shell form, so LogMonitor starts it',
                  edits: [{ range: rangeOf(document, exec.start, exec.end), newText: exec.values.join(' ') }],
                  preferred: true,
                },
              ]
            : [],
        });
      }
    }
    return findings;
  },
};

function isLogMonitorShell(
  document: Parameters<typeof execForm>[0],
  instruction: Parameters<typeof execForm>[1],
): boolean {
  const exec = execForm(document, instruction);
  return exec !== undefined && exec.values.length > 1 && executableName(exec.values[0]) === 'logmonitor';
}
