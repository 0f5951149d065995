/** What every subcommand of the `windows-containers` CLI implements (see ../cli.ts). */

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
/** Some of the work could not be done (a path not read or not checked); the rest was done and reported. */
export const EXIT_INCOMPLETE = 3;

/** Control characters, line and paragraph separators, and bidirectional overrides: what can forge or disguise a line of output. */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Text for a human-readable output line: control characters written as escapes (`\n`, `\x1b`,
 * `\u202e`), so a path or message from a file can neither start a new line (a forged
 * `::error` annotation in GitHub Actions) nor drive the terminal.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    return (
      NAMED_ESCAPES[c] ??
      (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`)
    );
  });
}

/** The process around a command, injectable for tests. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readonly env: NodeJS.ProcessEnv;
  readonly platform: NodeJS.Platform;
}

export interface CliCommand {
  /** The first word on the command line. */
  readonly name: string;
  /** One line for the top-level help. */
  readonly summary: string;
  /** Runs with the arguments after the name; resolves to the exit code. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

export function helpRequested(args: readonly string[]): boolean {
  return args.some((a) => a === '--help' || a === '-h');
}

export interface ParsedArgs {
  readonly positional: string[];
  readonly options: Map<string, string | true>;
}

/**
 * Splits arguments into positionals and `--name value` / `--name=value` / `--flag` options.
 * `valued` names the options that take a value. Throws a message for an unknown option or a
 * missing value.
 */
export function parseArgs(args: readonly string[], valued: readonly string[], flags: readonly string[]): ParsedArgs {
  const positional: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (valued.includes(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
      if (value === undefined || value === '') throw new Error(`${name} needs a value`);
      options.set(name, value);
    } else if (flags.includes(name) && eq < 0) {
      options.set(name, true);
    } else {
      throw new Error(`unknown option ${arg}`);
    }
  }
  return { positional, options };
}
