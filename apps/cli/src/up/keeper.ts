import { EXIT_NO_RESTART, type ServiceName } from '@iapeer/core';
import { decideRestart, DEFAULT_RESTART_POLICY, type RestartPolicy } from './restart-policy';

/** One running service process, as the keeper sees it. */
export interface ChildHandle {
  pid: number | undefined;
  kill(signal: NodeJS.Signals): void;
  onExit(cb: (code: number | null, signal: NodeJS.Signals | null) => void): void;
}

export interface KeeperDeps {
  spawn(name: ServiceName): ChildHandle;
  now(): number;
  setTimer(fn: () => void, ms: number): { cancel(): void };
  log(event: KeeperEvent): void;
}

/**
 * The life of one kept service:
 * - `running`: a child process is up;
 * - `backoff`: it died; a restart is scheduled;
 * - `gave-up`: it crashed too often in the window; left down until the next `up`;
 * - `stopping`: the keeper asked it to exit;
 * - `stopped`: it exited after a stop.
 */
export type ServiceState = 'running' | 'backoff' | 'gave-up' | 'stopping' | 'stopped';

export type KeeperEvent =
  | { ev: 'started'; service: ServiceName; pid: number | undefined }
  | { ev: 'exited'; service: ServiceName; code: number | null; signal: NodeJS.Signals | null; state: ServiceState }
  | { ev: 'restarting'; service: ServiceName; delayMs: number; attempt: number }
  | { ev: 'gave-up'; service: ServiceName; restarts: number; windowMs: number }
  /** It exited with EXIT_NO_RESTART (a taken port, an insecure directory): restarting cannot help. */
  | { ev: 'refused'; service: ServiceName; code: number };

interface Kept {
  state: ServiceState;
  child: ChildHandle | undefined;
  restarts: number[];
  timer?: { cancel(): void };
  exited?: () => void;
}

/** Starts services as children and restarts the ones that die, within the restart policy. */
export class Keeper {
  private readonly kept = new Map<ServiceName, Kept>();

  constructor(
    private readonly deps: KeeperDeps,
    private readonly policy: RestartPolicy = DEFAULT_RESTART_POLICY,
  ) {}

  start(names: readonly ServiceName[]): void {
    for (const name of names) {
      this.kept.set(name, { state: 'running', child: undefined, restarts: [] });
      this.launch(name);
    }
  }

  states(): Record<string, { state: ServiceState; pid: number | undefined }> {
    return Object.fromEntries([...this.kept].map(([n, k]) => [n, { state: k.state, pid: k.child?.pid }]));
  }

  pids(): number[] {
    return [...this.kept.values()].map((k) => k.child?.pid).filter((p): p is number => typeof p === 'number');
  }

  /** SIGTERM every child (in reverse start order), SIGKILL after graceMs, resolve when all exited. */
  async stop(graceMs = 10_000): Promise<void> {
    const waits: Promise<void>[] = [];
    for (const [, k] of [...this.kept].reverse()) {
      k.timer?.cancel();
      if (k.state !== 'running' || !k.child) {
        k.state = k.state === 'gave-up' ? 'gave-up' : 'stopped';
        continue;
      }
      k.state = 'stopping';
      const child = k.child;
      waits.push(
        new Promise<void>((resolve) => {
          const force = this.deps.setTimer(() => child.kill('SIGKILL'), graceMs);
          k.exited = () => {
            force.cancel();
            resolve();
          };
          child.kill('SIGTERM');
        }),
      );
    }
    await Promise.all(waits);
  }

  private launch(name: ServiceName): void {
    const k = this.kept.get(name)!;
    const child = this.deps.spawn(name);
    k.child = child;
    k.state = 'running';
    this.deps.log({ ev: 'started', service: name, pid: child.pid });
    child.onExit((code, signal) => this.onExit(name, child, code, signal));
  }

  private onExit(name: ServiceName, child: ChildHandle, code: number | null, signal: NodeJS.Signals | null): void {
    const k = this.kept.get(name)!;
    if (k.child !== child) return;
    if (k.state === 'stopping') {
      k.state = 'stopped';
      this.deps.log({ ev: 'exited', service: name, code, signal, state: k.state });
      k.exited?.();
      return;
    }
    if (code === EXIT_NO_RESTART) {
      k.state = 'gave-up';
      this.deps.log({ ev: 'exited', service: name, code, signal, state: k.state });
      this.deps.log({ ev: 'refused', service: name, code });
      return;
    }
    const decision = decideRestart(this.policy, k.restarts, this.deps.now());
    if (decision.kind === 'give-up') {
      k.state = 'gave-up';
      this.deps.log({ ev: 'exited', service: name, code, signal, state: k.state });
      this.deps.log({ ev: 'gave-up', service: name, restarts: decision.restarts, windowMs: decision.windowMs });
      return;
    }
    k.state = 'backoff';
    this.deps.log({ ev: 'exited', service: name, code, signal, state: k.state });
    this.deps.log({ ev: 'restarting', service: name, delayMs: decision.delayMs, attempt: decision.attempt });
    k.restarts.push(this.deps.now());
    k.timer = this.deps.setTimer(() => {
      if (k.state === 'backoff') this.launch(name);
    }, decision.delayMs);
  }
}
