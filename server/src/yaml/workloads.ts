/**
 * What a compose file or a manifest declares about containers: compose services (image, build,
 * isolation, platform, volumes) and Kubernetes pod templates (containers, node selector, node
 * affinity, RuntimeClass, host network, security contexts), each with the YAML node it is written
 * in. Computed once per parsed file; rules, hovers and completion read it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Range } from 'vscode-languageserver-types';
import { isWindowsImage } from '../catalogue/catalogue';
import { ImageReference, parseImageReference } from '../catalogue/imageReference';
import { parseDocument } from '../dockerfile/document';
import type { ImageSlot, NamedImage, ReferenceSite } from '../dockerfile/imageReferences';
import { describeImage, StageCatalogue } from '../dockerfile/stages';
import {
  Document,
  entries,
  get,
  isKubernetesDocument,
  isMap,
  isScalar,
  items,
  Node,
  Scalar,
  scalarTextRange,
  stringValue,
  YamlFile,
  YAMLMap,
} from './yamlDocument';

/** An image named in a compose file or a manifest. */
export interface YamlImage extends NamedImage {
  readonly node: Scalar;
  /** The image as written (its value). */
  readonly text: string;
  /** Windows by the catalogue (a Windows repository, a legacy name, or a Windows tag). */
  readonly windows: boolean;
  /** For completion: the value's characters (unquoted). */
  readonly slot: ImageSlot;
}

/** The final stage of the Dockerfile a compose service builds, when it could be read. */
export interface BuiltImage {
  /** The Dockerfile's path relative to the compose file's folder, `/`-separated. */
  readonly dockerfile: string;
  readonly os: 'windows' | 'linux' | 'unknown';
  readonly catalogue: StageCatalogue;
  readonly reference?: ImageReference;
  /** The `build:` value: where findings about the built image go. */
  readonly range: Range;
}

export interface ComposeService {
  readonly document: Document;
  readonly name: string;
  readonly node: YAMLMap;
  readonly image?: YamlImage;
  readonly build?: BuiltImage;
  /** Windows by its image, the Dockerfile it builds, or `platform: windows/...`. */
  readonly windows: boolean;
  readonly isolation?: Scalar;
  readonly platform?: Scalar;
  readonly volumes: readonly Node[];
}

export interface PodContainer {
  readonly name?: string;
  readonly node: YAMLMap;
  readonly image?: YamlImage;
}

export interface PodTemplate {
  readonly document: Document;
  /** Deployment, Pod, CronJob, ... */
  readonly kind: string;
  /** The pod spec (for a Pod its `spec`, else the template's `spec`). */
  readonly spec: YAMLMap;
  /** Where findings about the whole pod go: the `kind` value. */
  readonly kindRange: Range;
  readonly containers: readonly PodContainer[];
}

export interface Workloads {
  readonly services: readonly ComposeService[];
  readonly pods: readonly PodTemplate[];
}

/** Reads files next to a compose file (the Dockerfile a service builds, a bind mount's source). Tests give a temp dir. */
export interface FileAccess {
  stat(filePath: string): 'file' | 'directory' | undefined;
  read(filePath: string): string | undefined;
}

/** Dockerfiles larger than this are not read for a compose `build:` (the server's own limit for an open document). */
const MAX_BUILD_DOCKERFILE = 512 * 1024;

export const NODE_FILES: FileAccess = {
  stat(filePath) {
    try {
      const stat = fs.statSync(filePath);
      return stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : undefined;
    } catch {
      return undefined;
    }
  },
  read(filePath) {
    try {
      return fs.statSync(filePath).size <= MAX_BUILD_DOCKERFILE ? fs.readFileSync(filePath, 'utf8') : undefined;
    } catch {
      return undefined;
    }
  },
};

/** The folder of a `file:` URI, or `undefined` (an untitled document has none). */
export function folderOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return path.dirname(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

export function readWorkloads(file: YamlFile, files: FileAccess): Workloads {
  if (file.kind === 'compose')
    return { services: file.documents.flatMap((document) => composeServices(file, document, files)), pods: [] };
  if (file.kind === 'kubernetes')
    return {
      services: [],
      pods: file.documents.filter(isKubernetesDocument).flatMap((document) => podTemplates(file, document)),
    };
  return { services: [], pods: [] };
}

export function readImage(file: YamlFile, node: Node | undefined): YamlImage | undefined {
  if (!isScalar(node) || typeof node.value !== 'string') return undefined;
  const text = node.value;
  const range = file.rangeOf(node);
  const inner = scalarTextRange(file, node);
  // `${REGISTRY}/app:${TAG}`: known only once interpolated.
  if (!range || text.includes('$') || text.trim() === '') return undefined;
  const reference = parseImageReference(text);
  if (!reference) return undefined;
  return {
    node,
    text,
    reference,
    range: inner ?? range,
    site: inner ? referenceSite(text, inner) : { tagWritten: false },
    stage: { catalogue: describeImage(reference) },
    windows: isWindowsImage(reference),
    slot: { kind: 'from', text: inner ? text : '', range: inner ?? range },
  };
}

/** Where the repository and the tag of a single-line image value are (`repo:tag@digest`). */
function referenceSite(text: string, range: Range): ReferenceSite {
  const at = text.indexOf('@');
  const nameEnd = at >= 0 ? at : text.length;
  const slash = text.lastIndexOf('/', nameEnd);
  const colon = text.indexOf(':', slash + 1);
  const tagStart = colon >= 0 && colon < nameEnd ? colon : -1;
  const position = (offset: number) => ({ line: range.start.line, character: range.start.character + offset });
  const repositoryEnd = tagStart >= 0 ? tagStart : nameEnd;
  const repository = { start: position(0), end: position(repositoryEnd) };
  if (tagStart >= 0)
    return { repository, tag: { start: position(tagStart + 1), end: position(nameEnd) }, tagWritten: true };
  return { repository, tag: { start: position(repositoryEnd), end: position(repositoryEnd) }, tagWritten: false };
}

function composeServices(file: YamlFile, document: Document, files: FileAccess): ComposeService[] {
  const services = get(document, document.contents, 'services');
  const result: ComposeService[] = [];
  for (const [name, node] of entries(document, services)) {
    if (!isMap(node)) continue;
    const image = readImage(file, get(document, node, 'image'));
    const build = readBuild(file, document, get(document, node, 'build'), files);
    const isolation = scalarOrUndefined(get(document, node, 'isolation'));
    const platform = scalarOrUndefined(get(document, node, 'platform'));
    const platformOs = stringValue(platform)?.toLowerCase().split('/')[0];
    const windows =
      platformOs === 'linux' ? false : image?.windows === true || build?.os === 'windows' || platformOs === 'windows';
    result.push({
      document,
      name,
      node,
      image,
      build,
      windows,
      isolation,
      platform,
      volumes: items(document, get(document, node, 'volumes')),
    });
  }
  return result;
}

function scalarOrUndefined(node: Node | undefined): Scalar | undefined {
  return isScalar(node) ? node : undefined;
}

/** `build: ./dir` or `build: { context, dockerfile }`: the final stage of that Dockerfile, when it can be read. */
function readBuild(
  file: YamlFile,
  document: Document,
  node: Node | undefined,
  files: FileAccess,
): BuiltImage | undefined {
  const range = file.rangeOf(node);
  if (!node || !range) return undefined;
  const folder = folderOf(file.uri);
  const context = isScalar(node) ? stringValue(node) : (stringValue(get(document, node, 'context')) ?? '.');
  const dockerfileName = isMap(node) ? (stringValue(get(document, node, 'dockerfile')) ?? 'Dockerfile') : 'Dockerfile';
  if (!folder || context === undefined || /\$|:\/\//.test(context + dockerfileName)) return undefined;
  const dockerfile = path.resolve(folder, context, dockerfileName);
  const text = files.read(dockerfile);
  if (text === undefined) return undefined;
  const parsed = parseDocument({ uri: `file://${dockerfile}`, version: 0, text });
  const final = parsed.stages[parsed.stages.length - 1];
  if (!final) return undefined;
  return {
    dockerfile: path.relative(folder, dockerfile).split(path.sep).join('/'),
    os: final.os,
    catalogue: final.catalogue,
    reference: final.image,
    range,
  };
}

/** Where each kind keeps its pod spec. */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

function podTemplates(file: YamlFile, document: Document): PodTemplate[] {
  const kindNode = get(document, document.contents, 'kind');
  const kind = stringValue(kindNode);
  const specPath = kind ? POD_SPEC_PATHS[kind] : undefined;
  const kindRange = file.rangeOf(kindNode);
  if (!kind || !specPath || !kindRange) return [];
  let spec: Node | undefined = document.contents ?? undefined;
  for (const key of specPath) spec = get(document, spec, key);
  if (!isMap(spec)) return [];
  const containers: PodContainer[] = [];
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    for (const container of items(document, get(document, spec, list))) {
      if (!isMap(container)) continue;
      containers.push({
        name: stringValue(get(document, container, 'name')),
        node: container,
        image: readImage(file, get(document, container, 'image')),
      });
    }
  }
  return [{ document, kind, spec, kindRange, containers }];
}
