/**
 * The Dockerfiles the performance changes are checked on against dockerfile-language-service and
 * dockerfile-utils themselves: the golden fixtures, the samples, the integration workspace, the
 * real corpus in ../shared/corpus (when present; `CORPUS_DIR` overrides it) and a generated
 * benchmark input (scripts/bench-input.mjs).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FIXTURES, REPO_ROOT } from './helpers';

export interface Input {
  readonly name: string;
  readonly text: string;
}

const CORPUS = path.resolve(process.env.CORPUS_DIR ?? path.join(REPO_ROOT, '..', 'shared', 'corpus'));

function walk(dir: string, accept: (file: string) => boolean): string[] {
  if (!fs.existsSync(dir)) return [];
  const files: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...walk(full, accept));
    else if (accept(full)) files.push(full);
  }
  return files;
}

const dockerfiles = (file: string) => !/\.(expected|json|md)$/.test(file);

export async function upstreamInputs(): Promise<{ inputs: Input[]; corpus: boolean }> {
  const files = [
    ...walk(FIXTURES, dockerfiles),
    ...walk(path.join(REPO_ROOT, 'samples'), dockerfiles),
    ...walk(path.join(REPO_ROOT, 'test', 'integration', 'workspace'), dockerfiles),
    ...walk(CORPUS, dockerfiles),
  ];
  const inputs = files.map((file) => ({ name: path.relative(REPO_ROOT, file), text: fs.readFileSync(file, 'utf8') }));
  const bench = (await import(pathToFileURL(path.join(REPO_ROOT, 'scripts', 'bench-input.mjs')).href)) as {
    generateWindowsDockerfile(lines: number): string;
  };
  inputs.push({ name: 'scripts/bench-input.mjs (300 lines)', text: bench.generateWindowsDockerfile(300) });
  // Line breaks of every kind, and the backslash escape, on a generated file too.
  inputs.push({
    name: 'scripts/bench-input.mjs (CRLF, backslash escape)',
    text: bench
      .generateWindowsDockerfile(120)
      .replace('# escape=`', '# escape=\\')
      .replace(/`\n/g, '\\\n')
      .replace(/\n/g, '\r\n'),
  });
  // Here-documents and flags in every place the parser reads them (the argument cache answers for both).
  inputs.push({
    name: 'heredocs and flags (written here)',
    text: [
      'FROM --platform=windows/amd64 mcr.microsoft.com/windows/servercore:ltsc2022 AS base',
      'RUN <<EOF',
      'echo one',
      'FROM not-an-instruction',
      'EOF',
      'RUN --mount=type=cache,target=C:/cache --network=none <<-EOT cmd /c type',
      '\tdir C:\\',
      '\tEOT',
      'COPY <<A <<B C:/dest/',
      'first',
      'A',
      'second',
      'B',
      'ADD --chown=ContainerUser <<"QUOTED" C:/q.txt',
      'text $NOT_EXPANDED',
      'QUOTED',
      'RUN <\\',
      '<ESCAPED',
      'body',
      'ESCAPED',
      'RUN echo <<',
      'RUN echo a<<b <<<c',
      'ONBUILD RUN <<ON',
      'inside onbuild',
      'ON',
      'ONBUILD COPY --from=base <<X C:/x',
      'X',
      'HEALTHCHECK NONE',
      'HEALTHCHECK x --interval=5s --timeout CMD --retries=3 ping',
      'HEALTHCHECK --interval=1s --start-period= \\',
      '  CMD ["cmd", "/c", "exit 0"]',
      'COPY --from=base --link --chmod=755 a b C:/',
      'ADD --checksum=sha256:00 https://example.com/a.zip C:/',
      'SHELL []',
      'CMD [ ]',
      'ENTRYPOINT ["a", "b" , "c\\"d"]',
      'CMD --not-a-flag ["x"]',
      'RUN --',
      'RUN -- --x',
      'COPY --from',
      'FROM --platform',
      'FROM a--b --platform=windows/amd64 image AS named',
      'RUN a--b --mount=x ["cmd"]',
      '',
    ].join('\n'),
  });
  return { inputs, corpus: fs.existsSync(CORPUS) };
}
