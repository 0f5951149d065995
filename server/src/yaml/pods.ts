/**
 * What a pod template says about where it runs and how it is isolated: its `kubernetes.io/os` and
 * `node.kubernetes.io/windows-build` node selectors, a required node affinity on the OS, and its
 * RuntimeClass (when the same file defines it: a class defined elsewhere is unknown, and the rules
 * that depend on it stay quiet).
 */
import {
  Document,
  entries,
  get,
  isKubernetesDocument,
  isMap,
  isScalar,
  items,
  Scalar,
  stringValue,
  YamlFile,
  YAMLMap,
} from './yamlDocument';
import type { PodTemplate } from './workloads';

export const OS_LABEL = 'kubernetes.io/os';
export const BUILD_LABEL = 'node.kubernetes.io/windows-build';
/** The label before Kubernetes 1.14, still honoured by old clusters' nodes. */
const BETA_OS_LABEL = 'beta.kubernetes.io/os';

export interface RuntimeClassInfo {
  readonly name: string;
  readonly handler?: string;
  /** `scheduling.nodeSelector` of the class, which Kubernetes adds to every pod that uses it. */
  readonly nodeSelector: ReadonlyMap<string, string>;
}

export function nodeSelector(pod: PodTemplate): YAMLMap | undefined {
  const selector = get(pod.document, pod.spec, 'nodeSelector');
  return isMap(selector) ? selector : undefined;
}

/** A node selector's value for a label, with the scalar it is written in. */
export function selectorValue(pod: PodTemplate, label: string): { value: string; node: Scalar } | undefined {
  for (const [key, node] of entries(pod.document, nodeSelector(pod))) {
    if (key === label || (label === OS_LABEL && key === BETA_OS_LABEL)) {
      const value = stringValue(node);
      if (value !== undefined && isScalar(node)) return { value, node };
    }
  }
  return undefined;
}

/**
 * The operating systems a required node affinity allows, when every one of its terms restricts
 * `kubernetes.io/os` with `In` (terms are alternatives: one unrestricted term allows any OS).
 */
export function affinityOs(pod: PodTemplate): readonly string[] | undefined {
  const { document } = pod;
  const required = get(
    document,
    get(document, get(document, pod.spec, 'affinity'), 'nodeAffinity'),
    'requiredDuringSchedulingIgnoredDuringExecution',
  );
  const terms = items(document, get(document, required, 'nodeSelectorTerms'));
  if (terms.length === 0) return undefined;
  const allowed = new Set<string>();
  for (const term of terms) {
    const expression = items(document, get(document, term, 'matchExpressions')).find(
      (e) =>
        [OS_LABEL, BETA_OS_LABEL].includes(stringValue(get(document, e, 'key')) ?? '') &&
        stringValue(get(document, e, 'operator')) === 'In',
    );
    if (!expression) return undefined;
    for (const value of items(document, get(document, expression, 'values'))) {
      const os = stringValue(value);
      if (os) allowed.add(os.toLowerCase());
    }
  }
  return [...allowed];
}

/** The RuntimeClass the pod names, when the same file defines it; `undefined` when it names none; `'unknown'` when defined elsewhere. */
export function runtimeClassOf(file: YamlFile, pod: PodTemplate): RuntimeClassInfo | 'unknown' | undefined {
  const name = stringValue(get(pod.document, pod.spec, 'runtimeClassName'));
  if (!name) return undefined;
  for (const document of file.documents) {
    if (!isKubernetesDocument(document) || stringValue(get(document, document.contents, 'kind')) !== 'RuntimeClass')
      continue;
    if (stringValue(get(document, get(document, document.contents, 'metadata'), 'name')) !== name) continue;
    return runtimeClassInfo(document, name);
  }
  return 'unknown';
}

function runtimeClassInfo(document: Document, name: string): RuntimeClassInfo {
  const handler = stringValue(get(document, document.contents, 'handler'));
  const selector = new Map<string, string>();
  for (const [key, node] of entries(
    document,
    get(document, get(document, document.contents, 'scheduling'), 'nodeSelector'),
  )) {
    const value = stringValue(node);
    if (value !== undefined) selector.set(key, value);
  }
  return { name, handler, nodeSelector: selector };
}

/** A containerd handler that runs pods in a utility VM (`runhcs-wcow-hypervisor`, `...-hyperv`): Hyper-V isolation. */
export function isHyperVHandler(handler: string | undefined): boolean {
  return handler !== undefined && /hypervisor|hyperv/i.test(handler);
}

/** The OS a pod is placed on by its selector, its RuntimeClass's selector or its required affinity; `undefined` when nothing restricts it or it cannot be known. */
export function placedOn(
  file: YamlFile,
  pod: PodTemplate,
): { os: readonly string[]; by: string } | 'unknown' | undefined {
  const selected = selectorValue(pod, OS_LABEL);
  if (selected) return { os: [selected.value.toLowerCase()], by: 'nodeSelector' };
  const affinity = affinityOs(pod);
  if (affinity) return { os: affinity, by: 'node affinity' };
  const runtimeClass = runtimeClassOf(file, pod);
  if (runtimeClass === 'unknown') return 'unknown';
  const classOs = runtimeClass?.nodeSelector.get(OS_LABEL);
  if (classOs) return { os: [classOs.toLowerCase()], by: `RuntimeClass ${runtimeClass?.name}` };
  return undefined;
}
