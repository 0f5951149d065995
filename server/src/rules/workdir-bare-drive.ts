/**
 * `WORKDIR C:` fails the build on Windows. BuildKit and the classic builder normalise a Windows
 * WORKDIR with CheckSystemDriveAndRemoveDriveLetter (moby/buildkit `util/system/path.go`), which
 * rejects a drive letter with no path: `No relative path specified in "C:"`. dockerfile-utils
 * only calls it a relative path (a warning); this rule reports the real failure and offers `C:\`.
 */
import type { CodeAction } from 'vscode-languageserver-types';
import { isBareDrive, windowsWorkdirs } from '../dockerfile/workdirs';
import type { Rule } from './support/types';

export const workdirBareDrive: Rule = {
  id: 'workdir-bare-drive',
  description: 'A WORKDIR that is only a drive letter (`WORKDIR C:`) fails the build on Windows.',
  defaultSeverity: 'error',
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
          data: { root, forwardSlash: `${system}/` },
        };
      });
  },
  fix({ document }, diagnostic) {
    const data = diagnostic.data as { root?: unknown; forwardSlash?: unknown } | undefined;
    if (typeof data?.root !== 'string' || typeof data.forwardSlash !== 'string') return [];
    const actions: CodeAction[] = [];
    for (const [replacement, preferred] of [[data.root, true], [data.forwardSlash, false]] as const) {
      actions.push({
        title: `Change WORKDIR to ${replacement}`,
        kind: 'quickfix',
        diagnostics: [diagnostic],
        isPreferred: preferred,
        edit: { changes: { [document.uri]: [{ range: diagnostic.range, newText: replacement }] } },
      });
    }
    return actions;
  },
};
