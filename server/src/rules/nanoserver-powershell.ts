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
import type { Range, TextEdit } from 'vscode-languageserver-types';
import {
  findRepository,
  getVersion,
  getVersionByBuild,
  listTags,
  supportStatus,
  tagStatus,
  windowsBaseImage,
} from '../catalogue/catalogue';
import type { ParsedDocument } from '../dockerfile/document';
import type { Stage } from '../dockerfile/stages';
import { nanoServerOf, NanoServer } from '../dockerfile/nanoserver';
import { parseJsonArray } from '../dockerfile/shellScript';
import type { Finding, Fix, Rule } from './support/types';
import {
  commandLines,
  commandOf,
  instructionText,
  scriptRange,
  shellKind,
  WindowsStep,
  windowsSteps,
} from '../dockerfile/windowsSteps';

const NANOSERVER = 'mcr.microsoft.com/windows/nanoserver';
// The Nano Server base images themselves, which have neither powershell nor pwsh.
const PLAIN_NANOSERVER = new Set([
  NANOSERVER,
  'mcr.microsoft.com/windows/nanoserver/insider',
  'microsoft/nanoserver',
  'mcr.microsoft.com/nanoserver-insider',
]);

/**
 * The image with pwsh on Nano Server: the .NET SDK's Nano Server images ship PowerShell 7 on PATH
 * (dotnet/dotnet-docker `src/sdk/10.0/nanoserver-ltsc2022/amd64/Dockerfile` installs 7.6;
 * MicrosoftDocs/PowerShell-Docs PR #11883 points there). Not the mcr.microsoft.com/powershell Nano
 * Server images: they are PowerShell 7.2/7.3, end of life since 2024 (PowerShell/PowerShell-Docker
 * `release/7-2/nanoserver2022/meta.json`), and 7.4 and later have none. .NET 10 (LTS) is supported
 * until 2028-11-14 (dotnet/core `releases-index.json`) and has Nano Server ltsc2022 and ltsc2025
 * images, none for 1809 (dotnet/dotnet-docker#6542); the tag is taken from the catalogue.
 */
const PWSH_SDK = { repository: 'mcr.microsoft.com/dotnet/sdk', product: '10.0', supportEnds: '2028-11-14' };

// Verb-Noun with a common PowerShell verb: a cmdlet, never a program on PATH under cmd.
const CMDLET =
  /^(add|clear|compress|convertfrom|convertto|copy|disable|enable|expand|export|foreach|get|import|install|invoke|join|measure|move|new|out|register|remove|rename|resolve|restart|select|set|split|start|stop|test|uninstall|unregister|update|wait|where|write)-[a-z][a-z0-9]*$/i;

/** A finding, with the program word a fix may replace (powershell or pwsh as the program run). */
interface Found {
  readonly finding: Finding;
  readonly stage: Stage;
  readonly nano: NanoServer;
  readonly program?: { readonly range: Range; readonly kind: 'powershell' | 'pwsh' };
}

export const nanoserverPowershell: Rule = {
  id: 'nanoserver-powershell',
  description: 'PowerShell in a Nano Server stage (1709 and later), which has none, so the step fails.',
  defaultSeverity: 'error',
  fixable: true,
  check({ document, today }) {
    const found: Found[] = [];
    // The image with pwsh depends only on the Nano Server build: looked up once per build, not per step
    // (it reads the catalogue's tag list).
    const pwshByBuild = new Map<number, string | undefined>();
    for (const step of windowsSteps(document)) {
      const nano = nanoServerOf(document, step.stage);
      if (!nano || nano.era === '2016' || nano.pwshImage || step.state.broughtPowerShell) continue;
      if (nano.era === 'fod' && step.state.addedCapability) continue;
      if (!pwshByBuild.has(nano.build)) pwshByBuild.set(nano.build, pwshImage(nano, today));
      const pwsh = pwshByBuild.get(nano.build);
      const result =
        step.keyword === 'SHELL' ? checkShell(document, step, nano, pwsh) : checkCommand(document, step, nano, pwsh);
      if (result) found.push({ ...result, stage: step.stage, nano });
    }
    // One fix per stage, the same on each of its findings: it moves the stage's base and turns every
    // powershell the rule found there into pwsh, so applying it once leaves none of them.
    const fixesOf = new Map<Stage, Fix[]>();
    return found.map(({ finding, stage, nano, program }) => {
      if (!program) return finding;
      let fixes = fixesOf.get(stage);
      if (!fixes) {
        fixes = stageFixes(
          document,
          stage,
          nano,
          found.filter((f) => f.stage === stage).flatMap((f) => (f.program ? [f.program] : [])),
          today,
        );
        fixesOf.set(stage, fixes);
      }
      return fixes.length > 0 ? { ...finding, fixes } : finding;
    });
  },
};

function lacks(nano: NanoServer): string {
  return nano.era === 'fod'
    ? `Nano Server (${nano.image}) has PowerShell only as a Feature on Demand, and no earlier step adds it`
    : `Nano Server (${nano.image}) has no PowerShell`;
}

/**
 * The .NET SDK image with pwsh for the Nano Server version of a stage, while that .NET version is
 * supported and the catalogue lists its Nano Server tag for that Windows version (none for 1809).
 */
function pwshImage(nano: NanoServer, today: string): string | undefined {
  if (today > PWSH_SDK.supportEnds) return undefined;
  const version = getVersionByBuild(nano.build);
  const repository = findRepository(PWSH_SDK.repository);
  if (!version || !repository) return undefined;
  const tag = listTags(repository, today).find(
    (t) =>
      t.family === 'nanoserver' &&
      t.version?.id === version.id &&
      t.tag.startsWith(`${PWSH_SDK.product}-`) &&
      !t.retired &&
      tagStatus(t, today) !== 'ended',
  );
  return tag ? `${repository.name}:${tag.tag}` : undefined;
}

/** The Server Core image of the stage's Windows version, while that version is serviced. */
function serverCoreImage(nano: NanoServer, today: string): string | undefined {
  const version = getVersionByBuild(nano.build);
  const current = version && getVersion(version.id);
  if (
    !current ||
    current.channel !== 'LTSC' ||
    supportStatus(current.extendedEnd, current.mainstreamEnd, today) === 'ended'
  )
    return undefined;
  return windowsBaseImage('servercore', current.id);
}

/** What to do instead, for a SHELL or for a command. */
function advice(nano: NanoServer, shell: boolean, pwsh: string | undefined): string {
  const builder = 'or do this work in a Server Core stage and COPY --from it.';
  const program = shell ? 'SHELL ["pwsh", ...]' : 'pwsh';
  if (nano.era === 'fod')
    return `Add PowerShell as a Feature on Demand in an earlier RUN (DISM /Online /Add-Capability), ${pwsh ? `use ${program} on ${pwsh}, which has it, ` : ''}${builder}`;
  if (nano.root.image?.repository !== NANOSERVER)
    return `Use ${program} where the image has it (the .NET SDK images do), ${builder}`;
  if (pwsh) return `Use ${program} on ${pwsh}, which has it, ${builder}`;
  return `Do this work in a Server Core stage and COPY --from it: ${NO_PWSH_IMAGE}`;
}

const NO_PWSH_IMAGE =
  'the mcr.microsoft.com/powershell Nano Server images are end of life, and the .NET SDK images that ship pwsh (.NET 10) have no variant for this Windows version.';

/** For pwsh missing on the plain image. */
function pwshAdvice(pwsh: string | undefined): string {
  return pwsh
    ? `Use ${pwsh}, which has pwsh, or COPY pwsh in from it.`
    : `Do this work in a Server Core stage (with powershell) and COPY --from it: ${NO_PWSH_IMAGE}`;
}

/** pwsh is missing too on the plain Nano Server image, unless an earlier step may have installed it. */
function lacksPwsh(step: WindowsStep, nano: NanoServer): boolean {
  return PLAIN_NANOSERVER.has(nano.root.image?.repository ?? '') && !step.state.mayHavePwsh;
}

function checkShell(
  document: ParsedDocument,
  step: WindowsStep,
  nano: NanoServer,
  pwsh: string | undefined,
): Omit<Found, 'stage' | 'nano'> | undefined {
  const script = instructionText(document, step.instruction);
  const executable = parseJsonArray(script.text)?.[0];
  const kind = executable ? shellKind(executable.value) : 'other';
  if (!executable || (kind !== 'powershell' && !(kind === 'pwsh' && lacksPwsh(step, nano)))) return undefined;
  const range = scriptRange(document, script, executable.start, executable.end);
  const failure = 'every RUN under this SHELL fails with "The system cannot find the file specified. (0x2)".';
  return {
    finding: {
      range,
      message:
        kind === 'pwsh'
          ? `Nano Server (${nano.image}) has no pwsh either: ${failure} ${pwshAdvice(pwsh)}`
          : `${lacks(nano)}: ${failure} ${advice(nano, true, pwsh)}`,
    },
    program: { range, kind },
  };
}

/**
 * The quick fixes of a stage's findings, only where the stage's own FROM names the plain Nano Server
 * image, written out (no variable, no digest): build on the .NET SDK image of the same Windows
 * version, with pwsh for every powershell found (preferred), or on Server Core of that version,
 * which has Windows PowerShell (when only powershell was found: Server Core has no pwsh).
 */
function stageFixes(
  document: ParsedDocument,
  stage: Stage,
  nano: NanoServer,
  programs: readonly Found['program'][],
  today: string,
): Fix[] {
  if (nano.root !== stage) return [];
  const image = stage.image;
  const range = stage.from.getImageRange();
  if (!image || image.repository !== NANOSERVER || image.digest || !range) return [];
  if (document.text.slice(document.offsetAt(range.start), document.offsetAt(range.end)).includes('$')) return [];
  const found = programs.filter((p): p is NonNullable<Found['program']> => p !== undefined);
  const powershell = found.filter((p) => p.kind === 'powershell');
  const fixes: Fix[] = [];
  const pwsh = pwshImage(nano, today);
  if (pwsh) {
    fixes.push({
      title: powershell.length > 0 ? `Build on ${pwsh} (it has pwsh) and use pwsh` : `Build on ${pwsh}, which has pwsh`,
      edits: [{ range, newText: pwsh }, ...powershell.map((p): TextEdit => ({ range: p.range, newText: 'pwsh' }))],
      preferred: true,
    });
  }
  const serverCore = powershell.length === found.length ? serverCoreImage(nano, today) : undefined;
  if (serverCore) {
    fixes.push({
      title: `Build this stage on ${serverCore}, which has Windows PowerShell (a much larger image)`,
      edits: [{ range, newText: serverCore }],
      ...(pwsh ? {} : { preferred: true }),
    });
  }
  return fixes;
}

/** What fails when a program is missing, without a final period. */
function notFound(dialect: string, program: string): string {
  if (dialect !== 'cmd') return 'Docker fails with "The system cannot find the file specified. (0x2)"';
  if (/[\\/]/.test(program)) return 'cmd reports "The system cannot find the path specified"';
  return `cmd reports "'${program}' is not recognized as an internal or external command"`;
}

function checkCommand(
  document: ParsedDocument,
  step: WindowsStep,
  nano: NanoServer,
  pwsh: string | undefined,
): Omit<Found, 'stage' | 'nano'> | undefined {
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
        const at = range();
        return {
          finding: {
            range: at,
            message: `Nano Server (${nano.image}) has no pwsh either: ${notFound(line.dialect, command.word.value)}. ${pwshAdvice(pwsh)}`,
          },
          program: { range: at, kind: 'pwsh' },
        };
      }
      if (program === 'powershell') {
        const at = range();
        return {
          finding: {
            range: at,
            message: `${lacks(nano)}: ${notFound(line.dialect, command.word.value)}. ${advice(nano, false, pwsh)}`,
          },
          program: { range: at, kind: 'powershell' },
        };
      }
      if (
        line.dialect === 'cmd' &&
        !line.nested &&
        step.keyword === 'RUN' &&
        !command.word.quoted &&
        CMDLET.test(command.word.value)
      ) {
        return {
          finding: {
            range: range(),
            message:
              `${command.word.value} is a PowerShell cmdlet, but this RUN runs under cmd and ${lacks(nano)}: ` +
              `cmd reports "'${command.word.value}' is not recognized as an internal or external command". ${advice(nano, false, pwsh)}`,
          },
        };
      }
    }
  }
  return undefined;
}
