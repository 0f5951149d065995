/**
 * Linux commands in a Windows stage fail: Windows images have no apt-get, apk, yum, /bin/sh or
 * chmod (their RUN steps run cmd, or PowerShell under a SHELL; MicrosoftDocs/Virtualization-Documentation
 * `manage-windows-dockerfile.md`). cmd then reports "'apt-get' is not recognized as an internal
 * or external command", PowerShell "The term 'apt-get' is not recognized". In PowerShell `rm` is
 * an alias of Remove-Item, which has no `-rf`: "A parameter cannot be found that matches
 * parameter name 'rf'". curl and tar ship with Windows since 1803 and are not reported; chmod,
 * chown, `bash -c`, `ln -s` and cmd's `rm -rf` are not reported where a stage installs a POSIX
 * tool set (busybox, MSYS2, Cygwin, Git's usr\bin).
 */
import type { Finding, Rule } from './support/types';
import { withoutExe } from '../dockerfile/shellScript';
import {
  CommandLine,
  commandLines,
  commandOf,
  scriptRange,
  WindowsStep,
  windowsSteps,
} from '../dockerfile/windowsSteps';
import type { ParsedDocument } from '../dockerfile/document';

// Programs no Windows image or Windows tool set has.
const LINUX_ONLY = new Set([
  'apt-get',
  'apt',
  'aptitude',
  'apk',
  'yum',
  'dnf',
  'microdnf',
  'zypper',
  'dpkg',
  'rpm',
  'update-alternatives',
  'update-ca-certificates',
  'useradd',
  'groupadd',
  'usermod',
  'adduser',
  'addgroup',
  'ldconfig',
  'sudo',
  'systemctl',
]);
// Programs a POSIX tool set on Windows may provide.
const POSIX_TOOLS = new Set(['chmod', 'chown', 'chgrp']);
const REMOVE_ALIASES = new Set(['rm', 'remove-item', 'ri', 'del', 'erase', 'rd', 'rmdir']);
const LINUX_PATH = /^\/(usr\/(local\/)?)?s?bin\//;

export const linuxCommandInWindowsStage: Rule = {
  id: 'linux-command-in-windows-stage',
  description:
    'A Linux command (apt-get, apk, yum, /bin/sh, chmod, rm -rf, ...) in a RUN of a Windows stage, where it does not exist.',
  defaultSeverity: 'error',
  fixable: false,
  check({ document }) {
    const findings: Finding[] = [];
    for (const step of windowsSteps(document)) {
      if (step.keyword !== 'RUN') continue;
      for (const line of commandLines(document, step)) {
        const finding = checkLine(document, step, line);
        if (finding) {
          findings.push(finding);
          break;
        }
      }
    }
    return findings;
  },
};

function notFound(line: CommandLine, word: string): string {
  switch (line.dialect) {
    case 'cmd':
      return `cmd reports "'${word}' is not recognized as an internal or external command"`;
    case 'exec':
      return 'Docker reports "The system cannot find the file specified"';
    default:
      return `PowerShell reports "The term '${word}' is not recognized as the name of a cmdlet, function, script file, or operable program"`;
  }
}

function checkLine(document: ParsedDocument, step: WindowsStep, line: CommandLine): Finding | undefined {
  const powershell = line.dialect === 'powershell' || line.dialect === 'pwsh';
  const why = `This stage is Windows (${step.stage.osReason}).`;
  for (const words of line.commands.segments) {
    const command = commandOf(words, line.dialect);
    if (!command) continue;
    const written = command.word.value;
    const name = withoutExe(command.name);
    const first = command.args[0]?.value ?? '';
    const at = (message: string): Finding => ({
      range: scriptRange(document, line.script, command.word.start, command.word.end),
      message,
    });
    if (LINUX_ONLY.has(name) || LINUX_PATH.test(written)) {
      return at(`${written} is a Linux command and Windows images do not have it: ${notFound(line, written)}. ${why}`);
    }
    if (name === 'set' && line.dialect !== 'exec' && /^[-+][euxvo]+$/.test(first)) {
      return at(
        `set ${first} is a POSIX shell option; ${powershell ? `PowerShell's set (Set-Variable) rejects ${first} as a parameter` : `cmd's set fails with "Environment variable ${first} not defined"`}. ${why}`,
      );
    }
    if (powershell && REMOVE_ALIASES.has(name)) {
      const flag = command.args.find((a) => /^-(rf|fr)$/i.test(a.value));
      if (flag) {
        return at(
          `In PowerShell ${written} is Remove-Item, which has no ${flag.value} option: it fails with "A parameter cannot be found that matches parameter name '${flag.value.slice(1)}'". Use Remove-Item -Recurse -Force. ${why}`,
        );
      }
      continue;
    }
    if (step.state.posixTools) continue;
    if (POSIX_TOOLS.has(name)) {
      return at(
        `${written} is a Linux command and Windows images do not have it: ${notFound(line, written)}. Use icacls for permissions. ${why}`,
      );
    }
    if ((name === 'bash' || name === 'sh') && first === '-c') {
      return at(`${written} is not part of Windows images: ${notFound(line, written)}. ${why}`);
    }
    if (line.dialect === 'cmd' && name === 'rm' && /^-(rf|fr)$/i.test(first)) {
      return at(`rm is not a Windows command: ${notFound(line, written)}. Use rd /s /q (or del for files). ${why}`);
    }
    if (line.dialect === 'cmd' && name === 'ln' && first === '-s') {
      return at(`ln is not a Windows command: ${notFound(line, written)}. Use mklink. ${why}`);
    }
  }
  return undefined;
}
