/**
 * What Nano Server cannot do besides PowerShell (see nanoserver-powershell): it has no servicing
 * stack, so no Windows features to install (MicrosoftDocs/Virtualization-Documentation
 * `container-base-images.md`); no Windows Installer and no WoW64, so no MSI packages and no 32-bit
 * programs (activescott/lessmsi#98 quoting Microsoft; microsoft/Windows-Containers#118). ltsc2025
 * adds Features on Demand, WoW64 among them (techcommunity "Discover the new era of Windows Server
 * 2025 Nano Server containers", May 2025). Nano Server 1607 had PowerShell Core without
 * System.Net.WebClient: "WebClient is not currently supported in Nano Server"
 * (`manage-windows-dockerfile.md`).
 */
import type { Finding, Rule } from './support/types';
import { nanoServerOf, NanoServer } from '../dockerfile/nanoserver';
import { programName, withoutExe, Word } from '../dockerfile/shellScript';
import {
  CommandLine,
  commandLines,
  commandOf,
  scriptRange,
  WindowsStep,
  windowsSteps,
} from '../dockerfile/windowsSteps';
import type { ParsedDocument } from '../dockerfile/document';

const FEATURE_CMDLETS = new Set(['install-windowsfeature', 'add-windowsfeature', 'enable-windowsoptionalfeature']);
const START = new Set(['start-process', 'saps', 'start']);
// A 32-bit program by its name (vc_redist.x86.exe, setup-win32.exe), but not x86_64 / x86-64.
const THIRTY_TWO_BIT = /(^|[-_.])(x86|win32|i386|i686)(?![-_]64)([-_.]|$)/i;

export const nanoserverUnsupportedFeature: Rule = {
  id: 'nanoserver-unsupported-feature',
  description:
    'Windows features, MSI installers, 32-bit programs and (on Nano Server 1607) WebClient in a Nano Server stage, which has none of them.',
  defaultSeverity: 'error',
  fixable: false,
  check({ document }) {
    const findings: Finding[] = [];
    for (const step of windowsSteps(document)) {
      if (step.keyword !== 'RUN') continue;
      const nano = nanoServerOf(document, step.stage);
      if (!nano) continue;
      for (const line of commandLines(document, step)) findings.push(...checkLine(document, step, nano, line));
    }
    return findings;
  },
};

function checkLine(document: ParsedDocument, step: WindowsStep, nano: NanoServer, line: CommandLine): Finding[] {
  const findings: Finding[] = [];
  const at = (word: Word, message: string) =>
    findings.push({ range: scriptRange(document, line.script, word.start, word.end), message });
  const powershell = line.dialect === 'powershell' || line.dialect === 'pwsh';
  if (nano.era === '2016') {
    const match = powershell ? /\b(System\.)?Net\.WebClient\b/i.exec(line.script.text) : null;
    if (match) {
      findings.push({
        range: scriptRange(document, line.script, match.index, match.index + match[0].length),
        message: `WebClient is not supported on Nano Server 1607 (${nano.image}), whose PowerShell Core lacks System.Net.WebClient: use Invoke-WebRequest.`,
      });
    }
    return findings;
  }
  const wow64 = nano.era === 'core' || !step.state.addedCapability;
  for (const words of line.commands.segments) {
    const command = commandOf(words, line.dialect);
    if (!command) continue;
    const name = withoutExe(command.name);
    if (powershell && FEATURE_CMDLETS.has(name) && (nano.era === 'core' || name !== 'enable-windowsoptionalfeature')) {
      at(
        command.word,
        `Nano Server (${nano.image}) has no servicing stack and no Windows features to install, so ${command.word.value} fails. Install the feature on a Server Core image instead.`,
      );
      continue;
    }
    if (name === 'dism' && nano.era === 'core' && command.args.some((a) => /^\/enable-feature\b/i.test(a.value))) {
      at(
        command.word,
        `Nano Server (${nano.image}) has no servicing stack and no optional features to enable, so DISM /Enable-Feature fails. Install the feature on a Server Core image instead.`,
      );
      continue;
    }
    const target = START.has(name) && line.dialect !== 'exec' ? startTarget(command.args) : command.word;
    if (!target) continue;
    const program = programName(target.value);
    if (withoutExe(program) === 'msiexec' || program.endsWith('.msi')) {
      at(
        target,
        `Nano Server (${nano.image}) has no Windows Installer, so MSI packages cannot be installed. Install on a Server Core stage and COPY --from it, or use the product's zip distribution.`,
      );
      continue;
    }
    if (wow64 && program.endsWith('.exe') && THIRTY_TWO_BIT.test(program.slice(0, -4))) {
      at(
        target,
        nano.era === 'fod'
          ? `${target.value} looks like a 32-bit program, and Nano Server ltsc2025 (${nano.image}) runs those only after the WoW64 Feature on Demand is added (DISM /Online /Add-Capability /CapabilityName:Microsoft.NanoServer.Datacenter.WOWSupport). Use the 64-bit build.`
          : `${target.value} looks like a 32-bit program, and Nano Server (${nano.image}) has no WoW64 to run it. Use the 64-bit build.`,
      );
    }
  }
  return findings;
}

/** The program `Start-Process` (or cmd's `start`) runs: `-FilePath x`, else the first argument that is not an option or a title. */
function startTarget(args: readonly Word[]): Word | undefined {
  for (let i = 0; i < args.length; i++) {
    const v = args[i].value;
    if (v.length > 1 && v.startsWith('-') && 'filepath'.startsWith(v.slice(1).toLowerCase())) return args[i + 1];
    if (v.startsWith('-') || v.startsWith('/') || v === '') continue;
    return args[i];
  }
  return undefined;
}
