/**
 * The Windows hosts a user can target (`windowsContainers.targetHost`), their builds, and how
 * `auto` and `default` resolve. Shared by the server (host rules) and the client (status bar); a
 * unit test keeps it in step with the hosts of the base-image catalogue.
 */
import type { Isolation, Settings, TargetHost } from './settings';

export interface TargetHostInfo {
  readonly id: Exclude<TargetHost, 'auto'>;
  readonly name: string;
  readonly build: number;
  /** Windows Server or a client edition: the engine's default isolation differs (process vs Hyper-V). */
  readonly kind: 'server' | 'client';
  /** Not in Microsoft's compatibility matrix: what it runs is never derived from hcsshim's rule as a certainty. */
  readonly unverified?: boolean;
}

export const TARGET_HOST_INFO: readonly TargetHostInfo[] = [
  { id: 'win11-26h1', name: 'Windows 11 26H1', build: 28000, kind: 'client', unverified: true },
  { id: 'win11-26h2', name: 'Windows 11 26H2', build: 26300, kind: 'client', unverified: true },
  { id: 'win11-25h2', name: 'Windows 11 25H2', build: 26200, kind: 'client', unverified: true },
  { id: 'ltsc2025', name: 'Windows Server 2025', build: 26100, kind: 'server' },
  { id: '23h2', name: 'Windows Server, version 23H2', build: 25398, kind: 'server' },
  { id: 'ltsc2022', name: 'Windows Server 2022', build: 20348, kind: 'server' },
  { id: 'ltsc2019', name: 'Windows Server 2019', build: 17763, kind: 'server' },
  { id: 'ltsc2016', name: 'Windows Server 2016', build: 14393, kind: 'server' },
  { id: 'win11-24h2', name: 'Windows 11 24H2', build: 26100, kind: 'client' },
  { id: 'win11-23h2', name: 'Windows 11 23H2', build: 22631, kind: 'client' },
  { id: 'win11-22h2', name: 'Windows 11 22H2', build: 22621, kind: 'client' },
  { id: 'win11-21h2', name: 'Windows 11 21H2', build: 22000, kind: 'client' },
  { id: 'win10-22h2', name: 'Windows 10 22H2', build: 19045, kind: 'client' },
];

export interface ResolvedHost {
  /** The host, or a description of this machine when its build is not in the list. */
  readonly host?: TargetHostInfo;
  readonly build?: number;
  readonly isolation: Exclude<Isolation, 'default'>;
  /** How the values were decided, for the status bar tooltip. */
  readonly source: 'setting' | 'this machine' | 'none';
}

/**
 * Resolves the settings: `auto` becomes this machine's Windows build when running on Windows
 * (`os.release()` is `10.0.<build>` there; Windows Server and client share builds, so the product
 * type decides which host it is), and `default` isolation becomes the engine's default for that
 * host: process isolation on Windows Server, Hyper-V on Windows 10/11 (docker/cli dockerd.md).
 */
export function resolveTargetHost(
  targetHost: TargetHost,
  isolation: Isolation,
  machine: { platform: string; release: string; isServer?: boolean },
): ResolvedHost {
  let host: TargetHostInfo | undefined;
  let build: number | undefined;
  let source: ResolvedHost['source'] = 'none';
  if (targetHost !== 'auto') {
    host = TARGET_HOST_INFO.find((h) => h.id === targetHost);
    build = host?.build;
    source = 'setting';
  } else if (machine.platform === 'win32') {
    build = Number(/^10\.0\.(\d+)/.exec(machine.release)?.[1]) || undefined;
    const kind = machine.isServer ? 'server' : 'client';
    host =
      TARGET_HOST_INFO.find((h) => h.build === build && h.kind === kind) ??
      TARGET_HOST_INFO.find((h) => h.build === build);
    source = build ? 'this machine' : 'none';
  }
  const kind = host?.kind ?? (machine.isServer ? 'server' : 'client');
  const resolvedIsolation = isolation === 'default' ? (kind === 'server' ? 'process' : 'hyperv') : isolation;
  return { host, build, isolation: resolvedIsolation, source };
}

/** The machine a host is described by. */
export interface Machine {
  readonly platform: string;
  /** `os.release()`: `10.0.<build>` on Windows. */
  readonly release: string;
  /** Windows Server (rather than a client edition). */
  readonly isServer?: boolean;
}

/** No machine: what the rules resolve with (`auto` left in the settings judges against no host). */
export const NO_MACHINE: Machine = { platform: 'unknown', release: '' };

/**
 * The settings with `targetHost: auto` replaced by the machine's host when the machine is a Windows
 * host of the list; otherwise unchanged. The server applies it to every document's settings before
 * the rules read them (the rules and the pure service never look at the machine).
 */
export function settingsOnMachine(settings: Settings, machine: Machine): Settings {
  if (settings.targetHost !== 'auto' || machine.platform !== 'win32') return settings;
  const resolved = resolveTargetHost('auto', settings.isolation, machine);
  return resolved.host ? { ...settings, targetHost: resolved.host.id } : settings;
}
