/**
 * `&&` and `||` are pipeline chain operators only from PowerShell 7 (about_Pipeline_Chain_Operators);
 * Windows PowerShell 5.1, the `powershell` of Server Core and Server images, stops at parse time
 * with "The token '&&' is not a valid statement separator in this version." They work under cmd
 * and under pwsh. The fix keeps `a && b`'s stop-on-failure meaning in 5.1:
 * `a; if (-not $?) { exit 1 }; b`.
 */
import type { TextEdit } from 'vscode-languageserver-types';
import type { Finding, Rule } from './support/types';
import { commandLines, positionAt, scriptRange, windowsSteps } from '../dockerfile/windowsSteps';

/** What `a && b` becomes in Windows PowerShell: run b only when a succeeded, else fail the step. */
export const STOP_ON_FAILURE = '; if (-not $?) { exit 1 };';

export const powershellPipelineChain: Rule = {
  id: 'powershell-pipeline-chain',
  description:
    '`&&` or `||` in a command run by Windows PowerShell 5.1, which does not have pipeline chain operators (PowerShell 7 does).',
  defaultSeverity: 'error',
  fixable: true,
  check({ document }) {
    const findings: Finding[] = [];
    for (const step of windowsSteps(document)) {
      if (step.keyword !== 'RUN' && step.keyword !== 'CMD' && step.keyword !== 'ENTRYPOINT') continue;
      for (const line of commandLines(document, step)) {
        if (line.dialect !== 'powershell') continue;
        for (const operator of line.commands.operators) {
          if (operator.text !== '&&' && operator.text !== '||') continue;
          const range = scriptRange(document, line.script, operator.start, operator.end);
          const start = document.offsetAt(range.start);
          const exact = document.text.slice(start, document.offsetAt(range.end)) === operator.text;
          const edits: TextEdit[] = [];
          if (operator.text === '&&' && exact) {
            // Take one blank before the operator with it, so `a && b` reads `a; if ... ; b`.
            const from = document.text[start - 1] === ' ' ? positionAt(document, start - 1) : range.start;
            edits.push({ range: { start: from, end: range.end }, newText: STOP_ON_FAILURE });
          }
          findings.push({
            range,
            message:
              `Windows PowerShell 5.1 has no ${operator.text} operator (PowerShell 7 added it): the step fails with "The token '${operator.text}' is not a valid statement separator in this version." ` +
              (operator.text === '&&'
                ? 'Use `; if (-not $?) { exit 1 };` to stop on failure, or run pwsh.'
                : 'Use `; if (-not $?) { ... }`, or run pwsh.'),
            fixes:
              edits.length > 0
                ? [{ title: 'Replace && with "; if (-not $?) { exit 1 };"', edits, preferred: true }]
                : [],
          });
        }
      }
    }
    return findings;
  },
};
