/**
 * COPY/ADD `--chmod` and `--chown` are Linux ownership and mode bits. The Dockerfile reference
 * says of both: "not supported when building Windows containers" (moby/buildkit
 * `frontend/dockerfile/docs/reference.md`, COPY --chmod, COPY --chown). The classic builder,
 * which `docker build` uses for Windows containers, rejects `--chmod` ("the --chmod option
 * requires BuildKit"); it maps `--chown` to a Windows account (moby/moby#35521), but that needs a
 * helper binary and has been reported to leave the owner unchanged (moby/moby#35507, 2023).
 * On Windows, grant access with `icacls` in a RUN instead.
 */
import type { Copy } from 'dockerfile-ast';
import { removalRange, windowsInstructions } from '../dockerfile/instructionText';
import type { Finding, Rule } from './support/types';

export const windowsChownChmod: Rule = {
  id: 'windows-chown-chmod',
  description: 'COPY/ADD --chown and --chmod are not supported when building Windows containers.',
  defaultSeverity: 'warning',
  fixable: true,
  check({ document }) {
    const findings: Finding[] = [];
    for (const instruction of windowsInstructions(document)) {
      const keyword = instruction.getKeyword().toUpperCase();
      if (keyword !== 'COPY' && keyword !== 'ADD') continue;
      for (const flag of (instruction as Copy).getFlags()) {
        const name = flag.getName();
        if (name !== 'chown' && name !== 'chmod') continue;
        const range = flag.getRange();
        findings.push({
          range,
          message:
            name === 'chmod'
              ? `--chmod is not supported when building Windows containers: BuildKit does not apply it and the classic builder fails with "the --chmod option requires BuildKit". Set permissions with icacls in a RUN instead.`
              : `--chown is not supported when building Windows containers with BuildKit, and the classic builder only maps it to a Windows account (ContainerUser, ContainerAdministrator or a user created in the image), which often leaves the owner unchanged. Grant access with icacls in a RUN instead.`,
          fixes: [
            {
              title: `Remove ${document.text.slice(document.offsetAt(range.start), document.offsetAt(range.end))}`,
              edits: [{ range: removalRange(document, range), newText: '' }],
              preferred: true,
            },
          ],
        });
      }
    }
    return findings;
  },
};
