/**
 * A Windows volume cannot be the system drive itself. The Dockerfile reference requires the
 * destination to be "a non-existing or empty directory" or "a drive other than C:" (VOLUME;
 * docker/cli `docs/reference/commandline/container_run.md`), and moby's Windows mount parser
 * rejects it when a container is created from the image: "destination path cannot be `c:` or
 * `c:\`" (moby/moby `volume/mounts/windows_parser.go`, windowsValidateNotRoot). The image builds;
 * its containers fail. No quick fix: the folder to use is the author's choice.
 */
import { shellWordValue } from '../dockerfile/buildkit';
import { readExecForm } from '../dockerfile/execForm';
import { logicalRange, readInstruction, windowsInstructions } from '../dockerfile/instructionText';
import type { Finding, Rule } from './support/types';

export const windowsVolumeSystemDrive: Rule = {
  id: 'windows-volume-system-drive',
  description:
    'A Windows VOLUME on the system drive itself (C:, C:\\) makes every container of the image fail to start.',
  defaultSeverity: 'error',
  fixable: false,
  check({ document }) {
    const findings: Finding[] = [];
    for (const instruction of windowsInstructions(document)) {
      if (instruction.getKeyword().toUpperCase() !== 'VOLUME') continue;
      const { logical, argsStart } = readInstruction(document, instruction);
      for (const volume of volumes(logical.text, argsStart, document.escapeChar)) {
        if (!isSystemDriveRoot(volume.value)) continue;
        findings.push({
          range: logicalRange(document, logical, volume.start, volume.end),
          message:
            `VOLUME ${volume.value} is the system drive itself: containers of this image fail to start with "destination path cannot be \`c:\` or \`c:\\\`". ` +
            'Use an empty or new folder (C:\\data) or another drive (D:).',
        });
      }
    }
    return findings;
  },
};

interface Volume {
  readonly value: string;
  /** `[start, end)` in the logical text. */
  readonly start: number;
  readonly end: number;
}

/** The volumes of a VOLUME: a JSON array, or words read with BuildKit's lexer. */
function volumes(text: string, argsStart: number, escape: '\\' | '`'): Volume[] {
  let end = text.length;
  while (end > argsStart && /\s/.test(text[end - 1])) end--;
  const args = text.slice(argsStart, end);
  const exec = readExecForm(args);
  if (exec) return exec.strings.map(({ value }) => ({ value, start: argsStart, end }));
  const result: Volume[] = [];
  const word = /[^ \t]+/g;
  for (let match = word.exec(args); match; match = word.exec(args)) {
    const value = shellWordValue(match[0], escape);
    if (value !== undefined && !value.includes('$'))
      result.push({ value, start: argsStart + match.index, end: argsStart + match.index + match[0].length });
  }
  return result;
}

/** `C:`, `C:\`, `c:/`, as moby compares them (lower case, `/` as `\`). */
function isSystemDriveRoot(path: string): boolean {
  const p = path.trim().toLowerCase().replace(/\//g, '\\');
  return p === 'c:' || p === 'c:\\';
}
