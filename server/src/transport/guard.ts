/**
 * The one wrapper of every request handler: positions clamped to the document (the document
 * policy, service/documentPolicy.ts), a throw logged and answered with the empty result, and the
 * idle collector told that work is going on (runtime/idleCollect.ts).
 */
import { ResponseError } from 'vscode-languageserver';

export type Guard = <P, R>(
  name: string,
  fallback: R,
  handler: (params: P) => R | Promise<R>,
) => (params: P) => Promise<R>;

/**
 * `withinDocument` clamps the positions of a request's params. A `ResponseError` is the
 * handler's answer to the client (bad arguments) and passes; any other throw never reaches the
 * client: it is logged as `<name> failed: ...` (the fuzzer counts those lines).
 */
export function createGuard(
  log: (message: string) => void,
  touch: () => void,
  withinDocument: <P>(params: P) => P,
): Guard {
  return (name, fallback, handler) => async (params) => {
    touch();
    try {
      return await handler(withinDocument(params));
    } catch (error) {
      if (error instanceof ResponseError) throw error;
      log(`${name} failed: ${describe(error)}`);
      return fallback;
    } finally {
      touch();
    }
  };
}

/** An error for the log: its stack when it has one. */
export function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
