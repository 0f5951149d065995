#!/usr/bin/env node
/**
 * `windows-containers`: the extension's command line, for provisioning scripts and CI.
 * A dispatcher over subcommands (`lint`, `daemon isolation`); each lives in `cli/<name>.ts`
 * and uses the same code as the extension (common/), never a second implementation.
 *
 * Exit codes: 0 success (also "already set"), 1 the operation failed, 2 a usage error.
 */
import type { CliCommand, CliIo } from './cli/command';
import { EXIT_USAGE, helpRequested, printable } from './cli/command';
import { daemonCommand } from './cli/daemon';
import { explainCommand } from './cli/explain';
import { lintCommand } from './cli/lint';
import { installLibraryPatches } from './patches';

declare const SERVER_VERSION: string;

export const COMMANDS: readonly CliCommand[] = [lintCommand, daemonCommand, explainCommand];

export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: windows-containers <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  -h, --help     show help (also after a command: windows-containers daemon --help)',
    '  -v, --version  show the version',
  ].join('\n');
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.err(usage());
    return EXIT_USAGE;
  }
  if (name === 'help' || helpRequested([name])) {
    io.out(usage());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    io.out(typeof SERVER_VERSION === 'string' ? SERVER_VERSION : 'dev');
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`${printable(`windows-containers: unknown command "${name}"`)}\n\n${usage()}`);
    return EXIT_USAGE;
  }
  return command.run(rest, io);
}

if (require.main === module) {
  installLibraryPatches();
  const io: CliIo = {
    out: (text) => process.stdout.write(text + '\n'),
    err: (text) => process.stderr.write(text + '\n'),
    env: process.env,
    platform: process.platform,
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      io.err(`windows-containers: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exitCode = 1;
    },
  );
}
