/**
 * Windows images cannot start from scratch: a Windows container needs a Windows base image. The
 * classic builder, which `docker build` uses for Windows containers, fails with "Windows does not
 * support FROM scratch" (moby/moby `builder/dockerfile/dispatchers.go`; moby/moby#15602,
 * #46411), and BuildKit has no Windows scratch support either (moby/buildkit#5264, open).
 * A scratch stage has no image to say which OS it targets, so it counts as Windows when
 * `--platform=windows/…` or `` # escape=` `` says so, or when the file's other stages are Windows
 * (one build targets one OS) and none is Linux.
 */
import type { Finding, Rule } from './support/types';

export const windowsFromScratch: Rule = {
  id: 'windows-from-scratch',
  description: 'FROM scratch is not supported in a Windows build.',
  defaultSeverity: 'error',
  fixable: false,
  check({ document }) {
    const findings: Finding[] = [];
    const windows = document.stages.filter((s) => s.os === 'windows').length;
    const linux = document.stages.some((s) => s.os === 'linux');
    for (const stage of document.stages) {
      // getImageName only drops characters (registry, tag, escapes, blanks) from the FROM's text,
      // so a name of "scratch" needs those letters, in order, there: a cheap test before it.
      if (
        !hasLettersInOrder(
          document.text,
          document.offsetAt(stage.from.getRange().start),
          document.offsetAt(stage.from.getRange().end),
          'scratch',
        )
      )
        continue;
      const image = stage.from.getImageName();
      if (image?.toLowerCase() !== 'scratch') continue;
      // An unknown scratch stage is not itself among the Windows or Linux stages counted above.
      const windowsBuild = stage.os === 'windows' || (stage.os === 'unknown' && windows > 0 && !linux);
      if (!windowsBuild) continue;
      const range = stage.from.getImageNameRange() ?? stage.from.getRange();
      findings.push({
        range,
        message:
          'FROM scratch fails in a Windows build: Docker reports "Windows does not support FROM scratch". ' +
          'Windows containers need a Windows base image, such as mcr.microsoft.com/windows/nanoserver.',
      });
    }
    return findings;
  },
};

/** Whether `letters` (lower case) occur in order, case-insensitively, in `text[start, end)`. */
function hasLettersInOrder(text: string, start: number, end: number, letters: string): boolean {
  let next = 0;
  for (let i = start; i < end && next < letters.length; i++) if (text[i].toLowerCase() === letters[next]) next++;
  return next === letters.length;
}
