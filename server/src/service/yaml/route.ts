/**
 * The one place that decides which documents the YAML side answers: compose files and Kubernetes
 * manifests. By VS Code language and file name: `dockercompose` (Microsoft's Docker extension's
 * language) is a compose file; a `yaml` document is a compose file when its name is one Compose
 * looks for, and otherwise a candidate manifest (whose documents need `apiVersion` and `kind`).
 * Without a language (the CLI, other editors), the name decides. Everything else stays with the
 * Dockerfile service.
 */

/** `compose.yaml`, `compose.yml`, `compose.override.yaml`, `docker-compose.yml`, `docker-compose.prod.yaml`, ... */
const COMPOSE_NAME = /^(compose(\.[^/\\]+)?|docker-compose[^/\\]*)\.ya?ml$/i;
const YAML_NAME = /\.ya?ml$/i;

/** The file name of a URI or path (after its last `/` or `\`), decoded. */
export function baseName(uriOrPath: string): string {
  const name = uriOrPath.split(/[/\\]/).pop() ?? '';
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

export function isComposeFileName(name: string): boolean {
  return COMPOSE_NAME.test(name);
}

export interface YamlRoute {
  /** The file is a compose file whatever it contains. */
  readonly composeByName: boolean;
}

/** How the YAML side takes a document, or `undefined` when it is not one of ours (a Dockerfile, or any other language). */
export function yamlRoute(languageId: string | undefined, uri: string): YamlRoute | undefined {
  const name = baseName(uri);
  if (languageId === 'dockercompose') return { composeByName: true };
  if (languageId === 'yaml' || (languageId === undefined && YAML_NAME.test(name)))
    return { composeByName: isComposeFileName(name) };
  return undefined;
}
