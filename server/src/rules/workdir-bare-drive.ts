/**
 * `WORKDIR C:` fails the build on Windows. BuildKit and the classic builder normalise a Windows
 * WORKDIR with CheckSystemDriveAndRemoveDriveLetter (moby/buildkit `util/system/path.go`), which
 * rejects a drive letter with no path: `No relative path specified in "C:"`. dockerfile-utils
 * only calls it a relative path (a warning); this rule reports the real failure and offers `C:\`.
 */
import { isBareDrive, windowsWorkdirs } from '../dockerfile/workdirs';
import type { Rule } from './support/types';

export const workdirBareDrive: Rule = {
  id: 'workdir-bare-drive',
  description: 'A WORKDIR that is only a drive letter (`WORKDIR C:`) fails the build on Windows.',
  defaultSeverity: 'error',
  fixable: true,
  check({ document }) {
    return windowsWorkdirs(document)
      .filter((w) => w.value !== undefined && isBareDrive(w.value))
      .map((w) => {
        const drive = w.value as string;
        // Windows images have only the system drive, so the fix always points at C:.
        const system = /^c/i.test(drive) ? drive : 'C:';
        // Under the default escape a trailing `\` would escape the line break; `\\` is one
        // backslash that BuildKit does not read as a continuation (see dockerfile/buildkit.ts).
        const root = document.escapeChar === '`' ? `${system}\\` : `${system}\\\\`;
        return {
          range: w.range,
          message: `WORKDIR ${drive} fails the build on Windows: Docker reports 'No relative path specified in "${drive}"'. Give the folder, for example ${system}\\.`,
          fixes: [root, `${system}/`].map((replacement, index) => ({
            title: `Change WORKDIR to ${replacement}`,
            edits: [{ range: w.range, newText: replacement }],
            preferred: index === 0,
          })),
        };
      });
  },
};
