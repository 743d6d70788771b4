import { setTimeout as delay } from 'node:timers/promises';
import type { ServiceName } from '@iapeer/core';
import type { TestStack } from '@iapeer/testing';
import type { TmuxDriver } from '@iapeer/tmux';

/** One fault the monkey injected. */
export type Fault =
  | { kind: 'service'; service: ServiceName; at: number; downMs: number }
  | { kind: 'agent'; identity: string; how: 'kill-session' | 'sigkill-agent'; at: number };

export interface MonkeyDeps {
  stack: TestStack;
  tmux: TmuxDriver;
  random: () => number;
  everyMs: [number, number];
  agentShare: number;
  services: readonly ServiceName[];
  stopping: () => boolean;
  log: (line: string) => void;
}

const pick = <T>(xs: readonly T[], random: () => number): T => xs[Math.floor(random() * xs.length)];

/**
 * The chaos loop: every few seconds SIGKILL a random service and start it again (after
 * 0–1 s down), or kill a random live agent (its whole tmux session, or SIGKILL of the
 * agent process so the pane is left dead). Returns the faults in order.
 */
export async function runMonkey(deps: MonkeyDeps): Promise<Fault[]> {
  const faults: Fault[] = [];
  const [min, max] = deps.everyMs;
  while (!deps.stopping()) {
    await delay(min + Math.floor(deps.random() * (max - min)));
    if (deps.stopping()) break;
    const fault = deps.random() < deps.agentShare ? await killAgent(deps) : await killService(deps);
    if (fault) {
      faults.push(fault);
      deps.log(fault.kind === 'service' ? `chaos: SIGKILL ${fault.service} (down ${fault.downMs} ms)` : `chaos: ${fault.how} ${fault.identity}`);
    }
  }
  return faults;
}

async function killService(deps: MonkeyDeps): Promise<Fault> {
  const service = pick(deps.services, deps.random);
  const at = Date.now();
  await deps.stack.kill(service, 'SIGKILL');
  const downMs = Math.floor(deps.random() * 1000);
  await delay(downMs);
  deps.stack.spawn(service);
  await deps.stack.waitHealthy(service, 30_000);
  return { kind: 'service', service, at, downMs };
}

async function killAgent(deps: MonkeyDeps): Promise<Fault | null> {
  const live = await deps.tmux.listLive();
  if (live.length === 0) return null;
  const identity = pick(live, deps.random);
  const at = Date.now();
  if (deps.random() < 0.5) {
    await deps.tmux.kill(identity);
    return { kind: 'agent', identity, how: 'kill-session', at };
  }
  const state = await deps.tmux.inspect!(identity);
  if (state.state !== 'running' || !state.pid) return null;
  try {
    process.kill(state.pid, 'SIGKILL');
  } catch (err) {
    // ESRCH: it died on its own between inspect and kill; no fault to record
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return null;
    throw err;
  }
  return { kind: 'agent', identity, how: 'sigkill-agent', at };
}
