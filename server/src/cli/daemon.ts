/**
 * `windows-containers daemon isolation <process|hyperv|default> [--config PATH] [--force]`:
 * the same edit of the Docker engine's daemon.json as the VS Code command
 * "Windows Containers: Set Docker Daemon Isolation…" (common/daemonConfig*.ts).
 */
import * as path from 'node:path';
import {
  DaemonConfigError,
  defaultDaemonConfigPath,
  findDockerDesktop,
  ISOLATION_DESCRIPTIONS,
  ISOLATION_MODES,
  isDefaultDaemonConfigPath,
  isIsolationMode,
  DOCKER_DESKTOP_ENGINE_DOCS,
} from '../../../common/daemonConfig';
import { setDaemonIsolation } from '../../../common/daemonConfigFile';
import { CliCommand, CliIo, EXIT_FAILED, EXIT_OK, EXIT_USAGE, helpRequested, parseArgs, printable } from './command';

const PROGRAM = 'windows-containers daemon';

export function daemonUsage(): string {
  const width = Math.max(...ISOLATION_MODES.map((m) => m.length));
  return [
    `Usage: ${PROGRAM} isolation <${ISOLATION_MODES.join('|')}> [--config PATH] [--force]`,
    '',
    'Sets the default isolation of the Windows Docker engine (exec-opts isolation=...) in its daemon.json,',
    'keeping every other setting. Writes a timestamped backup beside the file and replaces it atomically.',
    '',
    'Modes:',
    ...ISOLATION_MODES.map((m) => `  ${m.padEnd(width)}  ${ISOLATION_DESCRIPTIONS[m]}`),
    '',
    'Options:',
    '  --config PATH  the daemon.json to edit (default on Windows: %ProgramData%\\docker\\config\\daemon.json;',
    '                 required elsewhere)',
    '  --force        write even when Docker Desktop is installed (it regenerates the default file)',
    '  -h, --help     show this help',
    '',
    'Restart the engine afterwards (elevated PowerShell): Restart-Service docker',
  ].join('\n');
}

/**
 * Each line of `message` with its control characters escaped; `file` (a path from the user, which
 * may hold a line break) is escaped wherever it appears before the message is cut into lines.
 */
function fail(io: CliIo, message: string, exitCode: number, file?: string): number {
  const text = `windows-containers: ${message}`;
  const safe = file ? text.split(file).join(printable(file)) : text;
  io.err(safe.split('\n').map(printable).join('\n'));
  return exitCode;
}

async function isolation(args: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs(args, ['--config'], ['--force']);
  } catch (error) {
    return fail(io, `${(error as Error).message}\n\n${daemonUsage()}`, EXIT_USAGE);
  }
  const [mode, ...extra] = parsed.positional;
  if (mode === undefined)
    return fail(io, `which mode? (${ISOLATION_MODES.join(', ')})\n\n${daemonUsage()}`, EXIT_USAGE);
  if (!isIsolationMode(mode)) return fail(io, `unknown mode "${mode}": use ${ISOLATION_MODES.join(', ')}`, EXIT_USAGE);
  if (extra.length > 0) return fail(io, `unexpected argument "${extra[0]}"`, EXIT_USAGE);

  const given = parsed.options.get('--config');
  const file = typeof given === 'string' ? path.resolve(given) : defaultDaemonConfigPath(io.env, io.platform);
  if (!file) {
    return fail(
      io,
      `there is no default daemon.json on ${io.platform}: pass --config PATH (the Windows engine reads %ProgramData%\\docker\\config\\daemon.json)`,
      EXIT_USAGE,
    );
  }
  const desktop = findDockerDesktop(undefined, io.env, io.platform);
  if (desktop && isDefaultDaemonConfigPath(file, io.env, io.platform) && !parsed.options.has('--force')) {
    return fail(
      io,
      `Docker Desktop is installed (${desktop}) and regenerates ${file} from its own settings, so this edit would not last.\n` +
        `Set it in Docker Desktop: Settings > Docker Engine (${DOCKER_DESKTOP_ENGINE_DOCS}), or pass --force to write the file anyway.`,
      EXIT_FAILED,
      file,
    );
  }

  try {
    const result = await setDaemonIsolation(file, mode, { env: io.env, platform: io.platform });
    const entry = mode === 'default' ? 'no isolation entry (engine default)' : `isolation=${mode}`;
    if (result.status === 'unchanged') {
      io.out(printable(`Unchanged: ${file} already has ${entry}.`));
      return EXIT_OK;
    }
    const was = result.previous.length > 0 ? ` (was ${result.previous.join(', ')})` : '';
    io.out(printable(`${result.exists ? 'Wrote' : 'Created'} ${file}: exec-opts ${entry}${was}.`));
    io.out(result.backup ? printable(`Backup: ${result.backup}`) : 'Backup: none (the file did not exist).');
    if (result.replacedSymlink !== undefined) {
      io.out(
        printable(
          `Note: ${file} was a symbolic link to ${result.replacedSymlink}; it is now a regular file with the new settings, and ${result.replacedSymlink} is unchanged.`,
        ),
      );
    }
    io.out(
      io.platform === 'win32'
        ? 'Restart the Docker engine to apply it (elevated PowerShell): Restart-Service docker'
        : 'Restart the Docker engine to apply it.',
    );
    return EXIT_OK;
  } catch (error) {
    if (!(error instanceof DaemonConfigError)) throw error;
    let message = `${error.message}\nNothing was changed.`;
    if (error.code === 'permission-denied') {
      message +=
        io.platform === 'win32'
          ? '\nThe engine configuration folder needs administrator rights: run this from an elevated PowerShell (Run as administrator).'
          : '\nRun it as a user who can write that file (e.g. with sudo).';
    }
    return fail(io, message, EXIT_FAILED, file);
  }
}

export const daemonCommand: CliCommand = {
  name: 'daemon',
  summary: 'configure the Docker engine: daemon isolation <process|hyperv|default> [--config PATH]',
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub === undefined) return fail(io, `which daemon setting?\n\n${daemonUsage()}`, EXIT_USAGE);
    if (helpRequested([sub]) || (sub === 'isolation' && helpRequested(rest))) {
      io.out(daemonUsage());
      return EXIT_OK;
    }
    if (sub === 'isolation') return isolation(rest, io);
    return fail(io, `unknown daemon setting "${sub}"\n\n${daemonUsage()}`, EXIT_USAGE);
  },
};
