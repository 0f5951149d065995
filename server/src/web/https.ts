/**
 * `https` in the browser bundles: dockerfile-language-service asks Docker Hub for tags of Docker Hub
 * images through `https.get`; a worker cannot, so the call fails as a network error would, which
 * the library answers with no tags.
 */
export function get(): never {
  throw new Error('no https from a web worker: Docker Hub tags are not looked up in the browser');
}
export const request = get;
