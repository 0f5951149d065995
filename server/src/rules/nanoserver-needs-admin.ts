/**
 * Nano Server (from 1709) runs as ContainerUser, Server Core as ContainerAdministrator
 * (MicrosoftDocs/Virtualization-Documentation `persistent-storage.md`). ContainerUser cannot
 * write the machine environment (`setx /M`), HKLM, C:\Windows or C:\Program Files, so such a RUN
 * needs `USER ContainerAdministrator` first and `USER ContainerUser` after it, as the
 * dotnet-docker and docker-library Nano Server images do (PowerShell/PowerShell-Docker#164;
 * dotnet/dotnet-docker-nightly#506; moby/buildkit `docs/windows.md`).
 */
import { withoutExe, Word } from '../dockerfile/shellScript';
import { runAsAdministrator } from './support/instructionEdits';
import { effectiveUser, isAdministrator, nanoServerOf } from '../dockerfile/nanoserver';
import type { Finding, Rule } from './support/types';
import { CommandLine, commandLines, commandOf, scriptRange, windowsSteps } from '../dockerfile/windowsSteps';

const REGISTRY_WRITES = new Set(['add', 'delete', 'import', 'copy', 'restore', 'load', 'unload']);
// PowerShell cmdlets and aliases that write at their path arguments, and those that write only at a destination.
const PS_WRITES = new Set([
  'set-itemproperty',
  'sp',
  'new-itemproperty',
  'remove-itemproperty',
  'rp',
  'rename-itemproperty',
  'rnp',
  'clear-itemproperty',
  'clp',
  'new-item',
  'ni',
  'set-item',
  'si',
  'remove-item',
  'ri',
  'rm',
  'del',
  'erase',
  'rd',
  'rmdir',
  'rename-item',
  'rni',
  'ren',
  'mkdir',
  'md',
  'set-content',
  'sc',
  'add-content',
  'ac',
  'out-file',
]);
const PS_COPIES = new Set(['copy-item', 'cpi', 'cp', 'copy', 'move-item', 'mi', 'mv', 'move', 'expand-archive']);
const PS_DOWNLOADS = new Set(['invoke-webrequest', 'iwr', 'wget', 'curl', 'invoke-restmethod', 'irm']);
const CMD_WRITES = new Set(['mkdir', 'md', 'del', 'erase', 'rd', 'rmdir', 'ren', 'rename', 'mklink']);
const CMD_COPIES = new Set(['copy', 'xcopy', 'move', 'expand']);
/**
 * `[Environment]::SetEnvironmentVariable(... Machine`: the call, then its arguments up to the first
 * `)`, searched for `Machine` separately. (One regex, `...\([^)]*Machine`, is quadratic: without a
 * `)` every call rescans the rest of the script.)
 */
const ENVIRONMENT_CALL = /\[(?:System\.)?Environment\]::SetEnvironmentVariable\s*\(([^)]*)/gi;
const UP_TO_LAST_MACHINE = /^[\s\S]*Machine/i;

/** The first call that names `Machine` before its first `)`: from `[` to the end of the last `Machine` there. */
function findMachineEnvironment(text: string): { value: string; index: number } | undefined {
  for (const call of text.matchAll(ENVIRONMENT_CALL)) {
    const args = UP_TO_LAST_MACHINE.exec(call[1]);
    if (args) {
      const end = call.index + call[0].length - call[1].length + args[0].length;
      return { value: text.slice(call.index, end), index: call.index };
    }
  }
  return undefined;
}

export const nanoserverNeedsAdmin: Rule = {
  id: 'nanoserver-needs-admin',
  description:
    'A RUN in a Nano Server stage that needs ContainerAdministrator (setx /M, HKLM, C:\\Windows, C:\\Program Files) while it runs as ContainerUser.',
  defaultSeverity: 'warning',
  fixable: true,
  check({ document }) {
    const findings: Finding[] = [];
    for (const step of windowsSteps(document)) {
      if (step.keyword !== 'RUN') continue;
      const nano = nanoServerOf(document, step.stage);
      if (!nano || nano.era === '2016') continue;
      const user = effectiveUser(document, step.stage, step.state.user);
      if (!user || isAdministrator(user)) continue;
      for (const line of commandLines(document, step)) {
        const found = adminWrite(line);
        if (!found) continue;
        const who =
          step.state.user === undefined
            ? `${user}, the default user of Nano Server (${nano.image})`
            : `${user} (set by USER)`;
        findings.push({
          range: scriptRange(document, line.script, found.word.start, found.end.end),
          message: `${found.what} needs ContainerAdministrator, but this RUN runs as ${who}, so it fails with an access-denied error. Run this step as USER ContainerAdministrator and switch back after it.`,
          fixes: [
            {
              title: `Run this step as ContainerAdministrator, then switch back to ${user}`,
              edits: runAsAdministrator(document, step.instruction, user),
              preferred: true,
            },
          ],
        });
        break;
      }
    }
    return findings;
  },
};

interface AdminWrite {
  readonly word: Word;
  readonly end: Word;
  readonly what: string;
}

function adminWrite(line: CommandLine): AdminWrite | undefined {
  const powershell = line.dialect === 'powershell' || line.dialect === 'pwsh';
  for (const words of line.commands.segments) {
    const command = commandOf(words, line.dialect);
    if (!command) continue;
    const name = withoutExe(command.name);
    const args = command.args;
    if (name === 'setx') {
      const m = args.find((a) => /^\/m$/i.test(a.value));
      if (m) return { word: command.word, end: m, what: 'setx /M (the machine environment)' };
    }
    if (
      name === 'reg' &&
      args.length >= 2 &&
      REGISTRY_WRITES.has(args[0].value.toLowerCase()) &&
      isLocalMachine(args[1].value)
    ) {
      return { word: command.word, end: args[1], what: `reg ${args[0].value} ${args[1].value.split('\\')[0]}` };
    }
    const change =
      name === 'net' && /^(user|localgroup)$/i.test(args[0]?.value ?? '')
        ? args.find((a) => /^\/(add|delete)$/i.test(a.value))
        : undefined;
    if (change) {
      return {
        word: command.word,
        end: args[args.length - 1],
        what: `net ${args[0].value.toLowerCase()} ${change.value.toLowerCase()}`,
      };
    }
    const target = writtenPaths(name, args, line.dialect).find(
      (a) => protectedPath(a.value) || (powershell && isLocalMachine(a.value)),
    );
    if (target) return { word: command.word, end: target, what: `Writing ${shortPath(target.value)}` };
    const redirect = words.find((w) => w.redirect && protectedPath(w.value));
    if (redirect) return { word: command.word, end: redirect, what: `Writing ${shortPath(redirect.value)}` };
  }
  if (powershell) {
    const match = findMachineEnvironment(line.script.text);
    if (match) {
      const word = {
        value: match.value,
        start: match.index,
        end: match.index + match.value.length,
        quoted: false,
        redirect: false,
      };
      return { word, end: word, what: 'Setting a machine environment variable' };
    }
  }
  return undefined;
}

/** HKLM in reg.exe (`HKLM\...`, `HKEY_LOCAL_MACHINE\...`) and PowerShell (`HKLM:\...`, `Registry::HKEY_LOCAL_MACHINE\...`). */
function isLocalMachine(path: string): boolean {
  return /^(registry::)?(hklm|hkey_local_machine)(:|\\|$)/i.test(path.replace(/^\\\\[^\\]+\\/, ''));
}

/** C:\Windows (but not C:\Windows\Temp, which users may write) and C:\Program Files, however written. */
export function protectedPath(raw: string): boolean {
  const path = raw
    .replace(/\//g, '\\')
    .toLowerCase()
    .replace(/^(%(windir|systemroot)%|\$env:(windir|systemroot)|\$\{env:(windir|systemroot)\})/, 'c:\\windows')
    .replace(
      /^(%programfiles(\(x86\))?%|%programw6432%|\$env:programfiles|\$\{env:programfiles(\(x86\))?\})/,
      'c:\\program files',
    );
  const match = /^(c:)?\\(windows|program files( \(x86\))?)(\\|$)/.exec(path);
  if (!match) return false;
  return !(match[2] === 'windows' && /^(c:)?\\windows\\temp(\\|$)/.test(path));
}

function shortPath(raw: string): string {
  return raw.length > 60 ? `${raw.slice(0, 57)}...` : raw;
}

/** The arguments a command writes at (files, folders, registry keys). */
function writtenPaths(name: string, args: readonly Word[], dialect: CommandLine['dialect']): readonly Word[] {
  if (dialect === 'powershell' || dialect === 'pwsh') {
    const positional = args.filter(
      (a, i) =>
        !a.value.startsWith('-') && !(i > 0 && args[i - 1].value.startsWith('-') && !isSwitch(args[i - 1].value)),
    );
    if (PS_WRITES.has(name))
      return args.filter((a, i) => !a.value.startsWith('-') && !(i > 0 && NOT_PATHS.test(args[i - 1].value)));
    if (PS_COPIES.has(name))
      return (
        optionValue(args, (o) => o.length >= 2 && ('destination'.startsWith(o) || 'destinationpath'.startsWith(o))) ??
        positional.slice(1, 2)
      );
    if (PS_DOWNLOADS.has(name))
      return optionValue(args, (o) => (o.length >= 4 && 'outfile'.startsWith(o)) || curlOutput(o)) ?? [];
    return [];
  }
  if (dialect !== 'cmd') return [];
  const positional = args.filter((a) => !/^[/-][a-z0-9?:+-]*$/i.test(a.value));
  if (CMD_WRITES.has(name))
    return name === 'mklink' || name === 'ren' || name === 'rename' ? positional.slice(0, 1) : positional;
  if (CMD_COPIES.has(name)) return positional.slice(-1);
  if (name === 'robocopy') return positional.slice(1, 2);
  if (name === 'curl') return optionValue(args, curlOutput) ?? [];
  return [];
}

// Options whose value is not a path that is written (`-Value`, `-Name`, `-ItemType`, ...).
const NOT_PATHS = /^-(value|name|itemtype|type|propertytype|encoding|inputobject|filter|include|exclude)$/i;

/** curl's `-o file`, also bundled (`-Lo file`), and `--output file`. */
function curlOutput(option: string): boolean {
  return option === '-output' || /^[a-z]*o$/.test(option);
}

// PowerShell switches that take no value, so the next word is positional.
function isSwitch(option: string): boolean {
  return /^-(force|recurse|passthru|whatif|confirm|usebasicparsing|container|verbose)$/i.test(option);
}

function optionValue(args: readonly Word[], matches: (name: string) => boolean): Word[] | undefined {
  for (let i = 0; i + 1 < args.length; i++) {
    const v = args[i].value;
    if (v.startsWith('-') && matches(v.slice(1).toLowerCase())) return [args[i + 1]];
  }
  return undefined;
}
