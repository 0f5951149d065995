/** `node:path` in the browser bundles: only joins of plain folder names are asked for (a cache folder that is never used there). */
export const sep = '/';
export const join = (...parts: string[]): string => parts.filter((part) => part !== '').join('/').replace(/\/+/g, '/');
export const basename = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
export const dirname = (p: string): string => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) || '/' : '.');
