/**
 * `node:fs` in the browser bundles: the compose support reads the Dockerfile a service builds and a
 * bind mount's source next to a compose file (server/src/yaml/workloads.ts); a web worker has no
 * file system to read them from, so every call fails as a missing file would, and those findings
 * are left out.
 */
function missing(): never {
  const error = new Error('no file system in a web worker') as Error & { code: string };
  error.code = 'ENOENT';
  throw error;
}
export const statSync = missing;
export const readFileSync = missing;
