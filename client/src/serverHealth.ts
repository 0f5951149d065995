/**
 * What the client does when the language server stops unexpectedly: restart it, with a bound, and
 * tell the user once per crash storm instead of once per crash. Pure (no vscode import): the
 * clock, the timers, the log and the notifications are injected, so the policy is unit-tested with
 * a fake clock (test/unit/serverHealth.test.ts); extension.ts wires it into vscode-languageclient's
 * `errorHandler`.
 *
 * vscode-languageclient's default handler restarts up to 4 times in 3 minutes and shows a
 * notification for every restart and for giving up. Here:
 * - every crash is logged (output channel) with its count and what happens next;
 * - the server is restarted at once after the first crash of a storm, then after 1, 2, 4, 8 s;
 *   after `maxRestarts` crashes within `windowMs` it is left stopped;
 * - a storm is a run of crashes less than `quietMs` apart; it gets at most one "restarted"
 *   notification, shown once the server has stayed up for `settleMs` (so a storm that ends in
 *   giving up shows only the "not restarted" one), and giving up shows its notification once.
 */

export interface ServerHealthOptions {
  readonly now: () => number;
  /** Runs `run` after `ms`; returns the cancel function. */
  readonly setTimer: (run: () => void, ms: number) => () => void;
  readonly log: (message: string) => void;
  /** Shows a notification (at most one per storm for restarts, once for giving up). */
  readonly notify: (notice: Notice) => void;
  /** Crashes within `windowMs` after which the server is left stopped (default 5). */
  readonly maxRestarts?: number;
  /** Default 3 minutes. */
  readonly windowMs?: number;
  /** A crash this long after the previous one starts a new storm (default 5 minutes). */
  readonly quietMs?: number;
  /** How long a restarted server must stay up before the storm's notification (default 10 s). */
  readonly settleMs?: number;
}

export type Notice =
  | { readonly kind: 'restarted'; readonly crashes: number; readonly message: string }
  | { readonly kind: 'stopped'; readonly crashes: number; readonly message: string };

export interface CrashDecision {
  readonly restart: boolean;
  /** Wait this long before restarting. */
  readonly delayMs: number;
  /** The line logged for this crash (also the message the client logs). */
  readonly message: string;
}

const BACKOFF_MS = [0, 1000, 2000, 4000, 8000];

export class ServerHealth {
  private readonly maxRestarts: number;
  private readonly windowMs: number;
  private readonly quietMs: number;
  private readonly settleMs: number;
  /** Times of the crashes of the current storm. */
  private crashes: number[] = [];
  private notifiedThisStorm = false;
  private cancelNotice: (() => void) | undefined;
  private stopped = false;
  /** Every notification asked for, in order (read by the integration test). */
  readonly notices: Notice[] = [];

  constructor(private readonly options: ServerHealthOptions) {
    this.maxRestarts = options.maxRestarts ?? 5;
    this.windowMs = options.windowMs ?? 3 * 60_000;
    this.quietMs = options.quietMs ?? 5 * 60_000;
    this.settleMs = options.settleMs ?? 10_000;
  }

  /** Crashes in the current storm. */
  get stormCrashes(): number {
    return this.crashes.length;
  }

  /** Whether the policy gave up (until `reset`). */
  get givenUp(): boolean {
    return this.stopped;
  }

  /** The connection to the server closed without a stop from the client. */
  closed(): CrashDecision {
    const now = this.options.now();
    const last = this.crashes[this.crashes.length - 1];
    if (last === undefined || now - last >= this.quietMs) {
      this.crashes = [];
      this.notifiedThisStorm = false;
    }
    this.crashes.push(now);
    const recent = this.crashes.filter((t) => now - t < this.windowMs).length;
    this.cancelNotice?.();
    this.cancelNotice = undefined;
    if (recent > this.maxRestarts) {
      this.stopped = true;
      const message = `The Windows Containers language server stopped unexpectedly ${recent} times in ${Math.round(this.windowMs / 60_000)} minutes and was not restarted.`;
      this.options.log(`${message} Restart it from the notification, or reload the window.`);
      this.show({ kind: 'stopped', crashes: recent, message });
      return { restart: false, delayMs: 0, message };
    }
    const delayMs = BACKOFF_MS[Math.min(recent - 1, BACKOFF_MS.length - 1)];
    const message = `The Windows Containers language server stopped unexpectedly (${recent} time${recent === 1 ? '' : 's'} in ${Math.round(this.windowMs / 60_000)} minutes); restarting it${delayMs ? ` in ${delayMs / 1000} s` : ''}.`;
    this.options.log(message);
    if (!this.notifiedThisStorm) {
      // Told once the restarted server has stayed up; another crash first postpones it.
      this.cancelNotice = this.options.setTimer(() => {
        this.cancelNotice = undefined;
        if (this.notifiedThisStorm || this.stopped) return;
        const crashes = this.crashes.length;
        this.show({
          kind: 'restarted',
          crashes,
          message: `The Windows Containers language server stopped unexpectedly${crashes > 1 ? ` ${crashes} times` : ''} and was restarted.`,
        });
      }, delayMs + this.settleMs);
    }
    return { restart: true, delayMs, message };
  }

  /** A connection error (a failed write or read): keep going for a few, then let the close handle it. */
  error(count: number | undefined): 'continue' | 'shutdown' {
    return count !== undefined && count <= 3 ? 'continue' : 'shutdown';
  }

  /** The user restarted the server after the policy gave up: a fresh start. */
  reset(): void {
    this.cancelNotice?.();
    this.cancelNotice = undefined;
    this.crashes = [];
    this.notifiedThisStorm = false;
    this.stopped = false;
  }

  private show(notice: Notice): void {
    this.notifiedThisStorm = true;
    this.notices.push(notice);
    this.options.notify(notice);
  }
}
