/**
 * Proxy support for the live tag refresh, on node's own `http`/`https` modules: which proxy a
 * request goes through (VS Code's `http.proxy`, else the `HTTPS_PROXY`/`NO_PROXY` conventions) and a
 * CONNECT tunnel through it. The caller runs TLS (or plain HTTP) over the tunnel's socket.
 */
import type * as http from 'node:http';
import { nodeHttp, nodeHttps } from '../runtime/lazyModules';
import type { Socket } from 'node:net';

/** Why a proxy could not be used; the live tag source reports these as `proxy` failures. */
export class ProxyError extends Error {}

export interface ProxySettings {
  /** VS Code's `http.proxy`; empty or absent means "use the environment". */
  readonly proxy?: string;
  /** VS Code's `http.noProxy`: hosts reached directly when `proxy` is used. */
  readonly noProxy?: readonly string[];
  readonly env: NodeJS.ProcessEnv;
}

/** The proxy to reach `target` through, or `undefined` for a direct connection. */
export function proxyFor(target: URL, settings: ProxySettings): URL | undefined {
  let raw = settings.proxy?.trim();
  let exclusions: readonly string[] = settings.noProxy ?? [];
  if (!raw) {
    const names = target.protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY'] : ['http_proxy', 'HTTP_PROXY'];
    raw = names.map((name) => settings.env[name]?.trim()).find((value) => value);
    exclusions = (settings.env.no_proxy ?? settings.env.NO_PROXY ?? '').split(/[\s,]+/);
  }
  if (!raw) return undefined;
  if (bypasses(target, exclusions)) return undefined;
  let proxy: URL;
  try {
    proxy = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    throw new ProxyError(`the proxy setting "${raw}" is not a URL`);
  }
  if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:')
    throw new ProxyError(`${proxy.protocol} proxies are not supported (only http: and https:)`);
  return proxy;
}

/** `NO_PROXY` matching as curl does it: `*`, a host and its subdomains (`example.com`, `.example.com`), an optional `:port`. */
function bypasses(target: URL, exclusions: readonly string[]): boolean {
  const host = bare(target.hostname).toLowerCase();
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  return exclusions.some((entry) => {
    let pattern = entry.trim().toLowerCase();
    if (!pattern) return false;
    if (pattern === '*') return true;
    const withPort = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(pattern);
    if (withPort) {
      if (withPort[2] !== port) return false;
      pattern = withPort[1];
    }
    pattern = bare(pattern).replace(/^\*?\./, '');
    return host === pattern || host.endsWith(`.${pattern}`);
  });
}

/** `[::1]` → `::1`: URL keeps the brackets of IPv6 hosts, sockets want them off. */
export function bare(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

export interface TunnelOptions {
  readonly signal: AbortSignal;
  /** Certificate checks for an `https:` proxy itself. */
  readonly rejectUnauthorized: boolean;
}

/** Opens a CONNECT tunnel to `host:port` through `proxy`; resolves with the raw socket once the proxy answers 2xx. */
export function openTunnel(proxy: URL, host: string, port: number, options: TunnelOptions): Promise<Socket> {
  const authority = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  const headers: http.OutgoingHttpHeaders = { Host: authority };
  if (proxy.username || proxy.password) {
    const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
    headers['Proxy-Authorization'] = `Basic ${Buffer.from(credentials).toString('base64')}`;
  }
  const secure = proxy.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const request = (secure ? nodeHttps() : nodeHttp()).request({
      host: bare(proxy.hostname),
      port: Number(proxy.port || (secure ? 443 : 80)),
      method: 'CONNECT',
      path: authority,
      headers,
      agent: false,
      signal: options.signal,
      rejectUnauthorized: options.rejectUnauthorized,
    });
    request.once('connect', (response: http.IncomingMessage, socket: Socket, head: Buffer) => {
      const status = response.statusCode ?? 0;
      if (status < 200 || status >= 300) {
        socket.destroy();
        reject(
          new ProxyError(
            `the proxy ${proxy.host} answered ${status} ${response.statusMessage ?? ''} to CONNECT ${authority}`.trim(),
          ),
        );
        return;
      }
      if (head.length > 0) socket.unshift(head);
      resolve(socket);
    });
    // A proxy that does not understand CONNECT may answer like an ordinary request.
    request.once('response', (response: http.IncomingMessage) => {
      response.resume();
      reject(new ProxyError(`the proxy ${proxy.host} answered ${response.statusCode} to CONNECT ${authority}`));
    });
    request.once('error', reject);
    request.end();
  });
}
