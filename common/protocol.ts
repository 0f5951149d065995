/** Messages between the VS Code client and the language server beyond LSP itself. */

/**
 * Client → server, `{ active: boolean }`: whether Microsoft's Docker or Container Tools extension
 * (which runs the same dockerfile-language-service) is active, so `upstreamFeatures: auto` can
 * leave its diagnostics and completions to it. Also sent at start as `initializationOptions.otherUpstreamProvider`.
 */
export const OTHER_UPSTREAM_PROVIDER_NOTIFICATION = 'windowsContainers/otherUpstreamProvider';

/** The extensions that ship dockerfile-language-server-nodejs. */
export const UPSTREAM_PROVIDER_EXTENSIONS = ['ms-azuretools.vscode-docker', 'ms-azuretools.vscode-containers'];
