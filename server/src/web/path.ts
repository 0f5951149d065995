/** `node:path` in the browser bundles: only joins of plain folder names are asked for (a cache folder that is never used there). */
export const sep = '/';
export const join = (...parts: string[]): string =>
  parts
    .filter((part) => part !== '')
    .join('/')
    .replace(/\/+/g, '/');
export const basename = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
export const dirname = (p: string): string => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) || '/' : '.');
export const isAbsolute = (p: string): boolean => p.startsWith('/');
/** Joins onto the first absolute part from the right (no `..` folding: no real path is resolved in a browser). */
export const resolve = (...parts: string[]): string => {
  const from = parts.map((part, index) => (isAbsolute(part) ? index : -1)).reduce((a, b) => Math.max(a, b), -1);
  return join('/', ...parts.slice(Math.max(0, from)));
};
export const relative = (from: string, to: string): string =>
  to.startsWith(`${from}/`) ? to.slice(from.length + 1) : to;
