/**
 * vscode-jsonrpc 9.0.3 (the copy vscode-languageserver 10.1.2 brings): a frame the transport
 * cannot read (a header block without a numeric Content-Length) is reported by its reader as an
 * error event (`AbstractMessageReader.fireError`, lib/common/messageReader.js); the connection passes it on to its own `onError` event
 * (lib/common/connection.js `readErrorHandler`), which vscode-languageserver never listens to, so
 * the message vanishes without a word. Every reader reports through `fireError`; the wrap below
 * hands each such error to the language server's log as well, then lets upstream go on as before.
 */
import type { AbstractMessageReader } from 'vscode-languageserver';

type Report = (error: unknown) => void;

let report: Report | undefined;
let wrapped = false;

/**
 * Reports every error a reader of `readerClass` (vscode-jsonrpc's AbstractMessageReader, as the
 * entry imports it) fires to `onError`. The class is wrapped once; a later call only changes where
 * the errors go.
 */
export function reportUnreadableMessages(readerClass: typeof AbstractMessageReader, onError: Report): void {
  report = onError;
  if (wrapped) return;
  wrapped = true;
  const readerPrototype = readerClass.prototype as unknown as { fireError(error: unknown): void };
  const fireError = readerPrototype.fireError;
  readerPrototype.fireError = function (this: unknown, error: unknown) {
    report?.(error);
    fireError.call(this, error);
  };
}
