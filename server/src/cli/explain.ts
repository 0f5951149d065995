/**
 * `windows-containers explain [TEXT...] [--format text|json] [--dockerfile PATH]`: explains the
 * Docker and Windows container errors in a build or run log (standard input, or the arguments),
 * from the error catalogue (server/src/errors/), the same code as the VS Code command
 * "Explain Docker Error…". Exit 0 when something was recognised, 1 when nothing was, 2 on a
 * usage error or an unreadable Dockerfile.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPOSITORY_URL } from '../../../common/links';
import { explainLog, MAX_LOG_LENGTH, responsibleLine } from '../errors/explain';
import { explanationJson, formatText, responsibleJson } from '../errors/format';
import { MAX_DOCUMENT_LENGTH } from '../dockerfile/limits';
import { CliCommand, CliIo, EXIT_FAILED, EXIT_OK, EXIT_USAGE, helpRequested, parseArgs } from './command';

const FORMATS = ['text', 'json'] as const;

const HELP = `Usage: windows-containers explain [TEXT...] [options]
       docker build . 2>&1 | windows-containers explain [options]

Explains Docker, HCS and Windows container errors (0xc0370101, "no matching manifest",
"a Windows version ...-based image is incompatible", "'powershell' is not recognized", ...):
each recognised error once, with its cause, fixes and sources. Reads the text from the
arguments, or from standard input when there are none (or the only one is -); a whole build or
run log is fine. Windows versions in the messages are named (10.0.17763 = Windows Server 2019).

Options:
  --format text|json   output format (default text)
  --dockerfile PATH    also name the Dockerfile line responsible: the FROM whose image the error
                       concerns, or the instruction of the failing build step ("Step N/M" of the
                       classic builder, "[stage N/M]" of BuildKit)
  -h, --help           this help

Exit codes: 0 something was recognised, 1 nothing was, 2 usage error or unreadable file.`;

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    process.stdin.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      // Keep only about the last MAX_LOG_LENGTH bytes in memory: errors come at the end of a log.
      while (length - chunks[0].length > MAX_LOG_LENGTH && chunks.length > 1) length -= chunks.shift()!.length;
    });
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

function usageError(io: CliIo, message: string): number {
  io.err(`windows-containers explain: ${message}`);
  return EXIT_USAGE;
}

export const explainCommand: CliCommand = {
  name: 'explain',
  summary: 'explain Docker and Windows container errors in a log (stdin or arguments)',
  async run(args, io) {
    if (helpRequested(args)) {
      io.out(HELP);
      return EXIT_OK;
    }
    let parsed;
    try {
      parsed = parseArgs(args, ['--format', '--dockerfile'], []);
    } catch (error) {
      return usageError(io, `${(error as Error).message}\n\n${HELP}`);
    }
    const format = parsed.options.get('--format') ?? 'text';
    if (format === true || !(FORMATS as readonly string[]).includes(format))
      return usageError(io, `unknown format "${String(format)}" (text or json)`);

    let dockerfile: { file: string; text: string } | undefined;
    const dockerfilePath = parsed.options.get('--dockerfile');
    if (typeof dockerfilePath === 'string') {
      try {
        if (fs.statSync(dockerfilePath).size > 3 * MAX_DOCUMENT_LENGTH)
          return usageError(io, `${dockerfilePath} is larger than ${MAX_DOCUMENT_LENGTH} characters`);
        dockerfile = {
          file: path.relative(process.cwd(), dockerfilePath).split(path.sep).join('/') || dockerfilePath,
          text: fs.readFileSync(dockerfilePath, 'utf8'),
        };
      } catch (error) {
        return usageError(
          io,
          `cannot read ${dockerfilePath}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        );
      }
    }

    const fromStdin =
      parsed.positional.length === 0 || (parsed.positional.length === 1 && parsed.positional[0] === '-');
    if (fromStdin && process.stdin.isTTY)
      return usageError(io, `give the error text as arguments, or pipe a log into standard input\n\n${HELP}`);
    const text = fromStdin ? await readStdin() : parsed.positional.join(' ');

    const explanations = explainLog(text).map((error) => {
      const line = dockerfile ? responsibleLine(dockerfile.text, error) : undefined;
      const explained = explanationJson(error, line ? responsibleJson(line, dockerfile?.file) : undefined);
      if (!dockerfile || line) return explained;
      const note =
        error.entry.concerns === 'none'
          ? 'no line: the error is about how the container is run, not the Dockerfile'
          : `no line of ${dockerfile.file} leads to it`;
      return { ...explained, dockerfileNote: note };
    });
    if (format === 'json')
      io.out(JSON.stringify({ recognised: explanations.length > 0, errors: explanations }, null, 2));
    else if (explanations.length > 0) io.out(formatText(explanations));
    else
      io.out(
        `Nothing recognised: the text has no Docker or Windows container error this tool knows. See the error catalogue: ${REPOSITORY_URL}/blob/main/server/src/data/errors.json`,
      );
    return explanations.length > 0 ? EXIT_OK : EXIT_FAILED;
  },
};
