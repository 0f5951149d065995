/**
 * RUN --mount on Windows. BuildKit runs `type=bind` and `type=cache` mounts for Windows
 * containers since v0.21.0 (moby/buildkit commit 877d8a7), but not `type=tmpfs` (Windows has no
 * tmpfs; BuildKit skips those tests on Windows, `frontend/dockerfile/*_test.go`) nor `type=ssh`
 * (moby/buildkit#4837, open). A secret needs an explicit `target=` on Windows: "there is no
 * default `/run/secrets/` location" (Dockerfile reference, RUN --mount=type=secret); older
 * releases failed every secret mount with "invalid windows mount type: 'tmpfs'" (moby/buildkit#5273,
 * fixed by #6944). The classic builder, which `docker build` uses for
 * Windows containers, rejects every mount: "the --mount option requires BuildKit".
 */
import type { Run } from 'dockerfile-ast';
import { removalRange, windowsInstructions } from '../dockerfile/instructionText';
import type { Finding, Rule } from './support/types';

export const windowsRunMountUnsupported: Rule = {
  id: 'windows-run-mount-unsupported',
  description:
    'RUN --mount=type=tmpfs or type=ssh, or a secret mount without target, does not work for Windows containers.',
  defaultSeverity: 'error',
  fixable: true,
  check({ document }) {
    const findings: Finding[] = [];
    for (const instruction of windowsInstructions(document)) {
      if (instruction.getKeyword().toUpperCase() !== 'RUN') continue;
      for (const flag of (instruction as Run).getFlags()) {
        if (flag.getName() !== 'mount') continue;
        const options = new Map(flag.getOptions().map((o) => [o.getName().toLowerCase(), o.getValue() ?? '']));
        const type = (options.get('type') ?? 'bind').toLowerCase();
        const message = problem(type, options);
        if (!message) continue;
        findings.push({
          range: flag.getRange(),
          message,
          fixes: [
            {
              title: 'Remove this --mount',
              edits: [{ range: removalRange(document, flag.getRange()), newText: '' }],
              preferred: true,
            },
          ],
        });
      }
    }
    return findings;
  },
};

const CLASSIC =
  'the classic builder, which docker build uses for Windows containers, rejects every --mount ("the --mount option requires BuildKit").';

function problem(type: string, options: Map<string, string>): string | undefined {
  switch (type) {
    case 'tmpfs':
      return `RUN --mount=type=tmpfs does not work for Windows containers: Windows has no tmpfs, and ${CLASSIC}`;
    case 'ssh':
      return `RUN --mount=type=ssh is not supported for Windows containers (moby/buildkit#4837), and ${CLASSIC}`;
    case 'secret':
      // An env= secret needs no file; every other secret needs a file path on Windows.
      if (['target', 'dst', 'destination', 'env'].some((key) => options.has(key))) return undefined;
      return `A secret mount for a Windows container needs target=: Windows has no /run/secrets default, and BuildKit releases before moby/buildkit#6944 fail every secret mount with "invalid windows mount type: 'tmpfs'"; ${CLASSIC}`;
    default:
      return undefined;
  }
}
