/** Parsing of image references (`registry/repository:tag@digest`). */

export interface ImageReference {
  /** Repository with its registry, lower-cased; Docker Hub names lose `docker.io/` and `library/`. */
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

const DOCKER_HUB_PREFIXES = ['docker.io/', 'index.docker.io/', 'registry-1.docker.io/'];

/** Splits `registry/repo:tag@digest` into its parts. Returns `undefined` for an empty reference. */
export function parseImageReference(reference: string): ImageReference | undefined {
  let rest = reference.trim();
  if (rest === '') return undefined;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  let repository = rest.toLowerCase();
  for (const prefix of DOCKER_HUB_PREFIXES) {
    if (repository.startsWith(prefix)) repository = repository.slice(prefix.length);
  }
  if (repository.startsWith('library/')) repository = repository.slice('library/'.length);
  return { repository, tag, digest };
}
