/**
 * Node globals that shared code reads, for the browser bundles (esbuild's `inject`): `process`
 * (platform and environment: none in a browser) and `setImmediate` (a macrotask: a message
 * channel runs it after the messages already queued, as node's does).
 */
export const process = {
  platform: 'browser',
  env: {} as Record<string, string | undefined>,
  version: '',
  versions: {} as Record<string, string>,
};

const channel = new MessageChannel();
const queue: (() => void)[] = [];
// The browser's MessagePort (node's types describe node's, which has no `onmessage`).
(channel.port1 as unknown as { onmessage: () => void }).onmessage = () => queue.shift()?.();

export function setImmediate(callback: (...args: unknown[]) => void, ...args: unknown[]): number {
  queue.push(() => callback(...args));
  channel.port2.postMessage(undefined);
  return 0;
}

/** dockerfile-ast reads the first character's UTF-8 bytes through `Buffer.from(text, 'UTF-8')` (its BOM check). */
export const Buffer = {
  from: (text: string): Uint8Array => new TextEncoder().encode(text),
};
