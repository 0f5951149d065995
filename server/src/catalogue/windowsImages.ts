/**
 * Pure look-ups over `data/windows-images.json`: which image references are Windows images.
 */
import data from '../data/windows-images.json';

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

const windowsRepositories = new Map(data.repositories.map((r) => [r.name, r]));
const tagMarkers = data.tagMarkers.map((m) => new RegExp(m.pattern, 'i'));

/** Whether the repository is one of the Windows-only repositories (MCR or legacy Docker Hub). */
export function isWindowsRepository(repository: string): boolean {
  return windowsRepositories.has(repository.toLowerCase());
}

/** Whether the repository is a legacy Docker Hub name that Microsoft replaced with an MCR path. */
export function isLegacyWindowsRepository(repository: string): boolean {
  return windowsRepositories.get(repository.toLowerCase())?.legacy === true;
}

/**
 * Whether an image reference names a Windows image: a Windows-only repository, or a multi-OS
 * repository whose tag names a Windows variant (`8.0-nanoserver-ltsc2022`,
 * `1.22-windowsservercore-ltsc2025`, `lts-windowsserver-ltsc2022`).
 */
export function isWindowsImage(reference: ImageReference): boolean {
  if (isWindowsRepository(reference.repository)) return true;
  const tag = reference.tag;
  return tag !== undefined && tagMarkers.some((marker) => marker.test(tag));
}
