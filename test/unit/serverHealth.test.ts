/** The client's restart policy after server crashes (client/src/serverHealth.ts), on a fake clock. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Notice, ServerHealth } from '../../client/src/serverHealth';
import { REPO_ROOT } from './helpers';

/** A fake clock with timers that fire when the clock passes them. */
function fakeTime() {
  let now = 0;
  let timers: { at: number; run: () => void }[] = [];
  return {
    now: () => now,
    setTimer: (run: () => void, ms: number) => {
      const timer = { at: now + ms, run };
      timers.push(timer);
      return () => void (timers = timers.filter((t) => t !== timer));
    },
    advance(ms: number) {
      const until = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        now = due.at;
        due.run();
      }
      now = until;
    },
  };
}

function setup(options: Partial<ConstructorParameters<typeof ServerHealth>[0]> = {}) {
  const time = fakeTime();
  const logs: string[] = [];
  const notices: Notice[] = [];
  const health = new ServerHealth({
    now: time.now,
    setTimer: time.setTimer,
    log: (m) => logs.push(m),
    notify: (n) => notices.push(n),
    ...options,
  });
  return { time, logs, notices, health };
}

test('one crash: restarted at once, logged, and one notification once the server has stayed up', () => {
  const { time, logs, notices, health } = setup();
  const decision = health.closed();
  assert.deepEqual({ restart: decision.restart, delayMs: decision.delayMs }, { restart: true, delayMs: 0 });
  assert.equal(logs.length, 1);
  assert.match(logs[0], /stopped unexpectedly \(1 time in 3 minutes\); restarting it\.$/);
  assert.equal(notices.length, 0, 'not before the restarted server has stayed up');
  time.advance(10_000);
  assert.deepEqual(
    notices.map((n) => n.kind),
    ['restarted'],
  );
  assert.match(notices[0].message, /stopped unexpectedly and was restarted/);
});

test('a storm of crashes: restarts with growing delays, one notification, then gives up with one more', () => {
  const { time, logs, notices, health } = setup();
  const delays: number[] = [];
  for (let crash = 1; crash <= 5; crash++) {
    const decision = health.closed();
    assert.equal(decision.restart, true, `crash ${crash} is restarted`);
    delays.push(decision.delayMs);
    time.advance(decision.delayMs + 2_000); // up for 2 s, then the next crash
  }
  assert.deepEqual(delays, [0, 1000, 2000, 4000, 8000]);
  assert.equal(notices.length, 0, 'a crash every few seconds postpones the notification');
  const sixth = health.closed();
  assert.equal(sixth.restart, false, 'the sixth crash within 3 minutes is not restarted');
  assert.equal(health.givenUp, true);
  assert.deepEqual(
    notices.map((n) => n.kind),
    ['stopped'],
    'the storm shows one notification: the server is off',
  );
  assert.match(notices[0].message, /6 times in 3 minutes and was not restarted/);
  time.advance(60_000);
  assert.equal(notices.length, 1, 'no late "restarted" notification');
  assert.equal(logs.length, 6, 'every crash is logged');
});

test('crashes spread over time restart forever; each storm notifies at most once', () => {
  const { time, notices, health } = setup();
  // Two crashes close together: one storm, one notification.
  health.closed();
  time.advance(30_000);
  health.closed();
  time.advance(30_000);
  assert.deepEqual(
    notices.map((n) => [n.kind, n.crashes]),
    [['restarted', 1]],
  );
  // Further crashes in the same storm (less than 5 minutes apart) are only logged.
  health.closed();
  time.advance(60_000);
  assert.equal(notices.length, 1);
  // A crash an hour later starts a new storm; a crash every 4 minutes never reaches 6 in 3 minutes.
  time.advance(60 * 60_000);
  for (let i = 0; i < 20; i++) {
    assert.equal(health.closed().restart, true);
    time.advance(4 * 60_000);
  }
  assert.deepEqual(
    notices.map((n) => n.kind),
    ['restarted', 'restarted'],
  );
  assert.equal(health.givenUp, false);
});

test('after giving up, a restart by the user starts afresh', () => {
  const { time, notices, health } = setup({ maxRestarts: 1 });
  assert.equal(health.closed().restart, true);
  time.advance(1_000);
  assert.equal(health.closed().restart, false);
  assert.equal(health.givenUp, true);
  health.reset();
  assert.equal(health.givenUp, false);
  assert.equal(health.closed().restart, true, 'a crash after the reset is a first crash again');
  time.advance(20_000);
  assert.deepEqual(
    notices.map((n) => n.kind),
    ['stopped', 'restarted'],
  );
});

test('connection errors: continue for the first three, then shut down (the close handler decides on restarts)', () => {
  const { health } = setup();
  assert.deepEqual(
    [1, 2, 3, 4, undefined].map((count) => health.error(count)),
    ['continue', 'continue', 'continue', 'shutdown', 'shutdown'],
  );
});

test("extension.ts uses vscode-languageclient's ErrorAction and CloseAction values", () => {
  const typings = fs.readFileSync(
    path.join(REPO_ROOT, 'node_modules', 'vscode-languageclient', 'lib', 'common', 'client.d.ts'),
    'utf8',
  );
  const enumValues = (name: string) =>
    Object.fromEntries(
      [...(new RegExp(`enum ${name} \\{([^}]*)\\}`).exec(typings)?.[1] ?? '').matchAll(/(\w+) = (\d+)/g)].map((m) => [
        m[1],
        Number(m[2]),
      ]),
    );
  assert.deepEqual(enumValues('ErrorAction'), { Continue: 1, Shutdown: 2 });
  assert.deepEqual(enumValues('CloseAction'), { DoNotRestart: 1, Restart: 2 });
  const extension = fs.readFileSync(path.join(REPO_ROOT, 'client', 'src', 'extension.ts'), 'utf8');
  for (const [constant, value, type] of [
    ['CONTINUE', 1, 'ErrorAction.Continue'],
    ['SHUTDOWN', 2, 'ErrorAction.Shutdown'],
    ['DO_NOT_RESTART', 1, 'CloseAction.DoNotRestart'],
    ['RESTART', 2, 'CloseAction.Restart'],
  ] as const) {
    assert.ok(extension.includes(`const ${constant} = ${value} as ${type};`), `${constant} = ${value} as ${type}`);
  }
});
