/** `node:url` in the browser bundles: a document's `file:` URI names no file a web worker can read (see fs.ts). */
export function fileURLToPath(): never {
  throw new TypeError('no file paths in a web worker');
}
export const pathToFileURL = fileURLToPath;
