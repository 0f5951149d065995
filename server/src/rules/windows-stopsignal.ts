/**
 * STOPSIGNAL fails the build of a Windows image: BuildKit's StopSignalCommand.CheckPlatform and
 * the classic builder's platformSupports both return "The daemon on this platform does not
 * support the command stopsignal" (moby/buildkit `frontend/dockerfile/instructions/commands.go`;
 * moby/moby `builder/dockerfile`, platformSupports). Windows has no POSIX signals.
 */
import { findLineEnd, skipLineBreak } from '../dockerfile/buildkit';
import { logicalTextFrom, rangeOf, windowsInstructions } from '../dockerfile/instructionText';
import type { Rule } from './support/types';

export const windowsStopsignal: Rule = {
  id: 'windows-stopsignal',
  description: 'STOPSIGNAL fails the build of a Windows image.',
  defaultSeverity: 'error',
  fixable: true,
  check({ document }) {
    return windowsInstructions(document)
      .filter((instruction) => instruction.getKeyword().toUpperCase() === 'STOPSIGNAL')
      .map((instruction) => {
        const start = document.offsetAt(instruction.getRange().start);
        const lineStart = document.lineOffsets[instruction.getRange().start.line];
        const end = logicalTextFrom(document, start).end;
        const removal = rangeOf(document, lineStart, skipLineBreak(document.text, findLineEnd(document.text, end)));
        return {
          range: instruction.getInstructionRange(),
          message:
            'STOPSIGNAL fails the build of a Windows image: Docker reports "The daemon on this platform does not support the command stopsignal". ' +
            'Windows containers have no POSIX signals; remove it.',
          fixes: [
            { title: 'Remove the STOPSIGNAL instruction', edits: [{ range: removal, newText: '' }], preferred: true },
          ],
        };
      });
  },
};
