/**
 * Nano Server has no PowerShell from 1709 on: "smallest; no PowerShell, WMI or servicing stack"
 * (MicrosoftDocs/Virtualization-Documentation `container-base-images.md`). A SHELL or RUN that
 * starts powershell fails with "The system cannot find the file specified. (0x2)"
 * (microsoft/Windows-Containers#252), or under cmd with "'powershell' is not recognized".
 * Nano Server 1607 (`sac2016`) still had PowerShell Core (nodejs/docker-node#720), the
 * mcr.microsoft.com/powershell Nano Server images have pwsh, and ltsc2025 can add PowerShell as a
 * Feature on Demand (techcommunity "Discover the new era of Windows Server 2025 Nano Server
 * containers", May 2025).
 */
import type { TextEdit } from 'vscode-languageserver-types';
import type { ParsedDocument } from '../service/document';
import { nanoServerOf, NanoServer } from './nanoserver';
import { carriedFixes, CarriedFix, fixData } from './ruleFixes';
import { parseJsonArray } from './shellScript';
import type { Finding, Rule } from './types';
import { commandLines, commandOf, instructionText, scriptRange, shellKind, WindowsStep, windowsSteps } from './windowsSteps';

/** The pwsh image that matches Nano Server ltsc2022 (PowerShell/PowerShell-Docker tag `lts-nanoserver-ltsc2022`). */
const PWSH_LTSC2022 = 'mcr.microsoft.com/powershell:lts-nanoserver-ltsc2022';
const NANOSERVER = 'mcr.microsoft.com/windows/nanoserver';
// The Nano Server base images themselves, which have neither powershell nor pwsh.
const PLAIN_NANOSERVER = new Set([NANOSERVER, 'mcr.microsoft.com/windows/nanoserver/insider', 'microsoft/nanoserver', 'mcr.microsoft.com/nanoserver-insider']);

// Verb-Noun with a common PowerShell verb: a cmdlet, never a program on PATH under cmd.
const CMDLET =
  /^(add|clear|compress|convertfrom|convertto|copy|disable|enable|expand|export|foreach|get|import|install|invoke|join|measure|move|new|out|register|remove|rename|resolve|restart|select|set|split|start|stop|test|uninstall|unregister|update|wait|where|write)-[a-z][a-z0-9]*$/i;

export const nanoserverPowershell: Rule = {
  id: 'nanoserver-powershell',
  description: 'PowerShell in a Nano Server stage (1709 and later), which has none, so the step fails.',
  defaultSeverity: 'error',
  check({ document }) {
    const findings: Finding[] = [];
    for (const step of windowsSteps(document)) {
      const nano = nanoServerOf(document, step.stage);
      if (!nano || nano.era === '2016' || nano.pwshImage || step.state.broughtPowerShell) continue;
      if (nano.era === 'fod' && step.state.addedCapability) continue;
      const finding = step.keyword === 'SHELL' ? checkShell(document, step, nano) : checkCommand(document, step, nano);
      if (finding) findings.push(finding);
    }
    return findings;
  },
  fix: carriedFixes,
};

function lacks(nano: NanoServer): string {
  return nano.era === 'fod'
    ? `Nano Server (${nano.image}) has PowerShell only as a Feature on Demand, and no earlier step adds it`
    : `Nano Server (${nano.image}) has no PowerShell`;
}

/** What to do instead, for a SHELL or for a command. */
function advice(nano: NanoServer, shell: boolean): string {
  const builder = 'or do this work in a Server Core stage and COPY --from it.';
  if (nano.era === 'fod') return `Add PowerShell as a Feature on Demand in an earlier RUN (DISM /Online /Add-Capability), ${builder}`;
  const pwsh = shell ? 'SHELL ["pwsh", ...]' : 'pwsh';
  if (nano.root.image?.repository !== NANOSERVER) return `Use ${pwsh} where the image has it (the .NET SDK images do), ${builder}`;
  return `Use ${pwsh} on ${pwshImage(nano)}, ${builder}`;
}

function pwshImage(nano: NanoServer): string {
  return nano.build === 20348 ? PWSH_LTSC2022 : 'a mcr.microsoft.com/powershell Nano Server image of the same Windows version';
}

/** pwsh is missing too on the plain Nano Server image, unless an earlier step may have installed it. */
function lacksPwsh(step: WindowsStep, nano: NanoServer): boolean {
  return PLAIN_NANOSERVER.has(nano.root.image?.repository ?? '') && !step.state.mayHavePwsh;
}

function checkShell(document: ParsedDocument, step: WindowsStep, nano: NanoServer): Finding | undefined {
  const script = instructionText(document, step.instruction);
  const executable = parseJsonArray(script.text)?.[0];
  const kind = executable ? shellKind(executable.value) : 'other';
  if (!executable || (kind !== 'powershell' && !(kind === 'pwsh' && lacksPwsh(step, nano)))) return undefined;
  const range = scriptRange(document, script, executable.start, executable.end);
  const fixes: CarriedFix[] = [];
  const from = pwshBaseEdit(document, step, nano);
  if (from) {
    fixes.push({
      title: `Build on ${PWSH_LTSC2022}${kind === 'pwsh' ? '' : ' and use pwsh'}`,
      edits: kind === 'pwsh' ? [from] : [from, { range, newText: 'pwsh' }],
      preferred: true,
    });
  }
  const failure = 'every RUN under this SHELL fails with "The system cannot find the file specified. (0x2)".';
  return {
    range,
    message:
      kind === 'pwsh'
        ? `Nano Server (${nano.image}) has no pwsh either: ${failure} Use ${pwshImage(nano)}, or COPY pwsh in from it.`
        : `${lacks(nano)}: ${failure} ${advice(nano, true)}`,
    data: fixData(fixes),
  };
}

/** Moving the stage's base to the pwsh image of the same Nano Server version: only for ltsc2022 written out in this stage's FROM, without a digest. */
function pwshBaseEdit(document: ParsedDocument, step: WindowsStep, nano: NanoServer): TextEdit | undefined {
  if (nano.root !== step.stage || nano.build !== 20348) return undefined;
  const image = step.stage.image;
  if (!image || image.repository !== NANOSERVER || image.digest) return undefined;
  const range = step.stage.from.getImageRange();
  if (!range) return undefined;
  const written = document.text.slice(document.offsetAt(range.start), document.offsetAt(range.end));
  if (written.includes('$')) return undefined;
  return { range, newText: PWSH_LTSC2022 };
}

/** What fails when a program is missing, without a final period. */
function notFound(dialect: string, program: string): string {
  if (dialect !== 'cmd') return 'Docker fails with "The system cannot find the file specified. (0x2)"';
  if (/[\\/]/.test(program)) return 'cmd reports "The system cannot find the path specified"';
  return `cmd reports "'${program}' is not recognized as an internal or external command"`;
}

function checkCommand(document: ParsedDocument, step: WindowsStep, nano: NanoServer): Finding | undefined {
  if (step.keyword !== 'RUN' && step.keyword !== 'CMD' && step.keyword !== 'ENTRYPOINT') return undefined;
  const lines = commandLines(document, step);
  // Under a powershell SHELL the SHELL itself is reported; its RUN steps add nothing new.
  if (lines[0]?.dialect === 'powershell' && !lines[0].nested) return undefined;
  for (const line of lines) {
    for (const words of line.commands.segments) {
      const command = commandOf(words, line.dialect);
      if (!command) continue;
      const range = () => scriptRange(document, line.script, command.word.start, command.word.end);
      const program = shellKind(command.name);
      if (program === 'pwsh' && line.dialect !== 'powershell' && line.dialect !== 'pwsh' && lacksPwsh(step, nano)) {
        return {
          range: range(),
          message: `Nano Server (${nano.image}) has no pwsh either: ${notFound(line.dialect, command.word.value)}. Use ${pwshImage(nano)}, or COPY pwsh in from it.`,
        };
      }
      if (program === 'powershell') {
        return { range: range(), message: `${lacks(nano)}: ${notFound(line.dialect, command.word.value)}. ${advice(nano, false)}` };
      }
      if (line.dialect === 'cmd' && !line.nested && step.keyword === 'RUN' && !command.word.quoted && CMDLET.test(command.word.value)) {
        return {
          range: range(),
          message:
            `${command.word.value} is a PowerShell cmdlet, but this RUN runs under cmd and ${lacks(nano)}: ` +
            `cmd reports "'${command.word.value}' is not recognized as an internal or external command". ${advice(nano, false)}`,
        };
      }
    }
  }
  return undefined;
}
