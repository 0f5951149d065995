/**
 * A Windows WORKDIR on a drive other than C: fails the build: container images have only the
 * system drive, and BuildKit's CheckSystemDriveAndRemoveDriveLetter (moby/buildkit
 * `util/system/path.go`) rejects it with `The specified path is not on the system drive (C:)`. That
 * includes drive-relative paths such as `D:data` (which is also what `WORKDIR D:\data` becomes
 * under the default escape, where `\d` is an escaped `d`).
 */
import { windowsWorkdirs } from '../dockerfile/workdirs';
import type { Rule } from './support/types';

export const workdirNotSystemDrive: Rule = {
  id: 'workdir-not-system-drive',
  description: 'A Windows WORKDIR on a drive other than C: fails the build.',
  defaultSeverity: 'error',
  fixable: true,
  check({ document }) {
    return windowsWorkdirs(document)
      .filter((w) => w.value !== undefined && /^[A-Za-z]:./.test(w.value) && !/^[Cc]:/.test(w.value))
      .map((w) => ({
        range: w.range,
        message:
          `WORKDIR ${w.raw} fails the build: Docker reports 'The specified path is not on the system drive (C:)'. Windows images have only drive C:.` +
          (w.raw !== w.value ? ` (Docker reads the path as ${w.value}.)` : ''),
        // The fix rewrites the drive letter only where the path starts with it (not inside quotes).
        fixes: /^[A-Za-z]:/.test(w.raw)
          ? [
              {
                title: 'Move the WORKDIR to drive C:',
                edits: [
                  {
                    range: {
                      start: w.range.start,
                      end: { line: w.range.start.line, character: w.range.start.character + 1 },
                    },
                    newText: 'C',
                  },
                ],
              },
            ]
          : [],
      }));
  },
};
