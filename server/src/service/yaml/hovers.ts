/**
 * Hover texts of manifests, from the facts in ../shared/windows-facts.md (section f, "Compose and
 * Kubernetes"), each with its source.
 */
import { getVersionByBuild, HOSTS, runsProcessIsolated, WINDOWS_VERSIONS } from '../../catalogue/catalogue';

export const RUNTIME_CLASS_HANDLER_HOVER = [
  '**RuntimeClass handler (Windows, containerd)**',
  '',
  "The name of a runtime in containerd's configuration. Windows pods run with **process isolation** by default: the node runs the container on its own kernel, so the image must be a Windows build the node can run (`node.kubernetes.io/windows-build`).",
  '',
  "A handler mapped to a runtime with `SandboxIsolation = 1` (for example `runhcs-wcow-hypervisor`) runs each pod in a utility VM: **Hyper-V isolation**, which runs images older than the node's build (never newer).",
  '',
  'Sources: containerd/containerd PR #6901; kubernetes.io "Windows containers in Kubernetes"; MicrosoftDocs/Virtualization-Documentation `deploy-containers/version-compatibility.md`.',
].join('\n');

export const WINDOWS_OPTIONS_HOVER = [
  '**windowsOptions**',
  '',
  "- `runAsUserName`: the Windows user the container's processes run as (`ContainerUser`, `ContainerAdministrator`, or for HostProcess pods `NT AUTHORITY\\SYSTEM`, `NT AUTHORITY\\Local service`, `NT AUTHORITY\\NetworkService`).",
  '- `hostProcess: true`: the containers run as processes on the node (HostProcess pods); the pod needs `hostNetwork: true` and a `runAsUserName`.',
  '- `gmsaCredentialSpecName` / `gmsaCredentialSpec`: a group Managed Service Account for the container.',
  '',
  "Isolation is not set here: containerd runs Windows pods with process isolation unless the pod's RuntimeClass names a Hyper-V handler.",
  '',
  'Sources: kubernetes.io "Create a Windows HostProcess Pod", "Windows containers in Kubernetes"; containerd/containerd PR #6901.',
].join('\n');

/**
 * The hover on the `node.kubernetes.io/windows-build` label: the node builds of the Windows Server
 * hosts the catalogue knows, which LTSC images each runs under process isolation (hcsshim's rule,
 * as the rules judge it), and Azure Kubernetes Service's retirement of its node pools, in the tense
 * `today` gives. `value` is the build the selector names, when it names one: its row is marked.
 */
export function windowsBuildHover(today: string, value?: string): string {
  const servers = HOSTS.filter((h) => h.kind === 'server' && !h.unverified).sort((a, b) => b.build - a.build);
  const ltsc = WINDOWS_VERSIONS.filter((v) => v.channel === 'LTSC');
  const rows = servers.map((host) => {
    const build = `10.0.${host.build}`;
    const runs = ltsc.filter((v) => runsProcessIsolated(host.build, v.build)).map((v) => `\`${v.id}\``);
    const aks = host.aks
      ? `node pools ${today >= host.aks.nodePoolsRetire ? 'retired' : 'retire'} on ${host.aks.nodePoolsRetire} (${host.aks.note ? `${host.aks.note}; ` : ''}${host.aks.source})`
      : '';
    const cell = build === value ? `**\`${build}\`** (this selector)` : `\`${build}\``;
    return `| ${cell} | ${host.name} | ${runs.join(', ') || 'none'} | ${aks} |`;
  });
  const unknown = value && !servers.some((h) => `10.0.${h.build}` === value) ? ['', otherBuild(value, today)] : [];
  const sources = [...new Set(servers.flatMap((h) => (h.aks ? [h.aks.source] : [])))];
  return [
    '**node.kubernetes.io/windows-build**',
    '',
    "The Windows build of a node (`10.0.<build>`), set by the kubelet. Windows pods run with **process isolation** unless their RuntimeClass names a Hyper-V handler, and process isolation runs only images of the node's own Windows build (or, on a newer node, the ones hcsshim allows). Selecting the build keeps a pod off nodes that cannot run its image.",
    '',
    '| Value | Node | Images it runs (process isolation) | Azure Kubernetes Service |',
    '|---|---|---|---|',
    ...rows,
    ...unknown,
    '',
    `Sources: kubernetes.io "Windows containers in Kubernetes"; kubernetes/enhancements PR #1302; hcsshim \`osversion/platform_compat_windows.go\`${sources.length ? `; ${sources.join(', ')}` : ''}.`,
  ].join('\n');
}

/** A selected build that is not a Windows Server host's: what the catalogue knows of it. */
function otherBuild(value: string, today: string): string {
  const build = /^10\.0\.(\d+)$/.exec(value)?.[1];
  const version = build ? getVersionByBuild(Number(build)) : undefined;
  if (!version)
    return `\`${value}\` is not the build of a Windows version the catalogue knows: check that your nodes carry it.`;
  const ended = today > version.extendedEnd ? `, out of servicing since ${version.extendedEnd}` : '';
  return `\`${value}\` is ${version.displayName}${ended}.`;
}
