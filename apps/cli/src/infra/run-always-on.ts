import type { LaunchResult } from '@iapeer/runtimes';

/** What the holder needs; run-infra wires tmux, libs/runtimes launch and the process signals. */
export interface AlwaysOnDeps {
  identity: string;
  isAlive(): Promise<boolean>;
  /** Brings the session up with an empty first message (router runtimes are ready at once). */
  launch(): Promise<LaunchResult>;
  /** kill-session, then kill-server when it was the last one (the tmux driver's kill). */
  teardown(): Promise<void>;
  /** Resolves after `ms`, or early when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** Aborted on SIGTERM/SIGINT. */
  stop: AbortSignal;
  /** §7.10 (2): how long after launch the session must still be up. @default 2000 */
  recheckMs: number;
  /** §7.10 (3): the liveness poll. @default 5000 */
  pollMs: number;
  note(event: AlwaysOnEvent): void;
}

export type AlwaysOnEvent =
  | { action: 'launched' }
  | { action: 'adopted' }
  | { action: 'launch-failed'; reason: string }
  | { action: 'died-at-boot' }
  | { action: 'holding' }
  | { action: 'session-ended' }
  | { action: 'teardown'; reason: string };

/**
 * Why the holder exited, as the exit code the service manager sees (§7.10):
 * 0 — the session ended (the manager's KeepAlive / Restart=always brings it back) or a
 *     SIGTERM tore it down (a stop);
 * 1 — the session could not be brought up, or died within the recheck window.
 */
export type AlwaysOnExit = 0 | 1;

/**
 * `runAlwaysOn` (docs/behaviour.md §7.10): the process the service manager holds for an
 * always-on peer. It adopts a live session or launches one, then stays in the foreground
 * watching it, so the manager's own restart policy is the only restart loop there is.
 */
export async function runAlwaysOn(deps: AlwaysOnDeps): Promise<AlwaysOnExit> {
  const stopped = async (): Promise<AlwaysOnExit> => {
    await deps.teardown();
    deps.note({ action: 'teardown', reason: 'stop signal' });
    return 0;
  };
  if (deps.stop.aborted) return stopped();
  if (await deps.isAlive()) {
    deps.note({ action: 'adopted' });
  } else {
    const r = await deps.launch();
    if (r.status === 'FAILED') {
      deps.note({ action: 'launch-failed', reason: r.reason });
      return 1;
    }
    deps.note({ action: 'launched' });
  }
  await deps.sleep(deps.recheckMs, deps.stop);
  if (deps.stop.aborted) return stopped();
  if (!(await deps.isAlive())) {
    deps.note({ action: 'died-at-boot' });
    return 1;
  }
  deps.note({ action: 'holding' });
  for (;;) {
    await deps.sleep(deps.pollMs, deps.stop);
    if (deps.stop.aborted) return stopped();
    if (!(await deps.isAlive())) {
      deps.note({ action: 'session-ended' });
      return 0;
    }
  }
}
