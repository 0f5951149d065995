/**
 * Hover texts of manifests, from the facts in ../shared/windows-facts.md (section f, "Compose and
 * Kubernetes"), each with its source.
 */

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
