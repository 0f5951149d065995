/**
 * The fence around our changes to library internals (see README.md in this folder): nothing in
 * this folder changes a library when it is loaded; `installLibraryPatches()` does, once per
 * process, and every host calls it before it parses a Dockerfile: the node and browser servers and
 * the CLI at their entry, and `createWindowsDockerfileService` / `createYamlService` where the
 * service is made (so the tests, which make a service, have them too). The model
 * (dockerfile/document.ts) uses only the memo API below, never installs anything.
 */
import type { AbstractMessageReader } from 'vscode-languageserver';
import { reportUnreadableMessages } from './messageReader';
import { patchParserClasses } from './treeQueries';
import { installUpstreamFixes } from './upstreamFixes';

export { memoizeTreeQueries, copyVariable } from './treeQueries';
export { SharedParse, withSharedParse } from './upstreamParse';

export interface PatchOptions {
  /**
   * The node server's transport: vscode-jsonrpc's reader class as the entry imports it, and where
   * an unreadable message is reported (messageReader.ts). Hosts without that transport leave it out.
   */
  readonly unreadableMessages?: {
    readonly readerClass: typeof AbstractMessageReader;
    readonly report: (error: unknown) => void;
  };
}

let installed = false;

/**
 * Installs every library patch: the fixes of upstream bugs (upstreamFixes.ts) and the linear-time
 * tree queries on dockerfile-ast's classes (treeQueries.ts `patchParserClasses`), and, when given,
 * the message reader's error report. Idempotent: later calls change nothing (except where
 * unreadable messages are reported).
 */
export function installLibraryPatches(options: PatchOptions = {}): void {
  if (options.unreadableMessages)
    reportUnreadableMessages(options.unreadableMessages.readerClass, options.unreadableMessages.report);
  if (installed) return;
  installed = true;
  installUpstreamFixes();
  patchParserClasses();
}
