/**
 * `routeControl` (docs/behaviour.md §6.5): interrupt or compact a **live** target, no ready
 * gate. Router runtimes have no control keys, and a peer held by a foreign service-manager
 * job is not iapeer's to touch: both are refused. `compact` resumes a cleanly parked peer
 * first and is done-gated: it answers once the transcript records the compaction.
 */
import { IapeerError, RUNTIME_RE, PERSONALITY_RE } from '@iapeer/core';
import type { ControlInput, ControlResult } from '@iapeer/contracts';
import type { DeliveryTarget, JobOwnership, RouteDeps, RoutedPeer } from '../ports';
import { resolveTarget } from '../send/resolve-target';
import { sendErrors } from '../send/send-errors';
import { controlErrors } from './control-errors';

/** The contract's control input and result (libs/contracts/src/router.ts). */
export type ControlRequest = ControlInput;
export type { ControlResult };

/** How compact waits (IAPEER_COMPACT_DONE_TIMEOUT_MS / _POLL_MS / IAPEER_COMPACT_READY_GRACE_MS). */
export interface CompactWait {
  doneTimeoutMs: number;
  pollMs: number;
  readyGraceMs: number;
}

export const DEFAULT_COMPACT_WAIT: CompactWait = { doneTimeoutMs: 290_000, pollMs: 1000, readyGraceMs: 5000 };

export type ControlDeps = Pick<RouteDeps, 'directory' | 'sessions' | 'terminal' | 'clock' | 'supervisor'> & {
  /** Foreign service-manager jobs (§7.3); absent: none is checked. */
  jobs?: JobOwnership;
  compactWait?: CompactWait;
  sleep?: (ms: number) => Promise<void>;
};

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function routeControl(req: ControlRequest, deps: ControlDeps): Promise<ControlResult> {
  if (!PERSONALITY_RE.test(req.personality)) throw new IapeerError('INVALID_PERSONALITY', `invalid peer name ${JSON.stringify(req.personality)}: expected ^[a-z][a-z0-9-]{0,31}$`);
  if (req.runtime !== undefined && !RUNTIME_RE.test(req.runtime)) throw new IapeerError('INVALID_RUNTIME', `invalid runtime ${JSON.stringify(req.runtime)}: expected ^[a-z][a-z0-9]{0,31}$`);
  const peer = await deps.directory.get(req.personality);
  if (!peer) throw new IapeerError('PEER_NOT_FOUND', `peer "${req.personality}" is not in the iapeer peers index`, { data: { personality: req.personality } });
  if (req.runtime && !peer.runtimes.includes(req.runtime)) {
    throw new IapeerError('RUNTIME_NOT_DECLARED', `runtime "${req.runtime}" is not declared for "${peer.personality}" (declared: ${peer.runtimes.join(', ')})`);
  }
  // the fleet guard (§7.3): whatever runs under a foreign job is managed by hand
  const foreign = deps.jobs?.foreignJob(peer.personality);
  if (foreign) throw controlErrors.foreignJob(req.command, peer.personality, foreign);

  const resolution = await resolveTarget(peer, req.runtime, deps.sessions);
  let runtime: string;
  let resumed = false;
  if (resolution.kind === 'live') runtime = resolution.runtime;
  else if (req.command === 'compact') {
    runtime = resolution.runtime ?? peer.default_runtime ?? peer.runtimes[0];
    await resumeParked(peer, runtime, deps);
    resumed = true;
  } else throw sendErrors.offline(peer.personality, req.runtime);

  const target: DeliveryTarget = { personality: peer.personality, runtime, identity: `${runtime}-${peer.personality}`, cwd: peer.cwd };
  const ts = () => new Date(deps.clock.now()).toISOString();
  const controlled = { personality: peer.personality, runtime };
  if (req.command === 'interrupt') {
    if ((await deps.terminal.control(target, 'interrupt')) === 'unsupported') throw sendErrors.controlUnsupported(runtime, 'interrupt');
    return { ok: true, controlled, command: 'interrupt', ts: ts() };
  }
  const wait = deps.compactWait ?? DEFAULT_COMPACT_WAIT;
  const sleep = deps.sleep ?? realSleep;
  if (resumed) await readyGrace(target, deps, wait, sleep);
  // the count before /compact is typed: a compaction from an earlier run never confirms this one
  const before = deps.terminal.compactions ? await deps.terminal.compactions(target) : null;
  if ((await deps.terminal.control(target, 'compact')) === 'unsupported') throw sendErrors.controlUnsupported(runtime, 'compact');
  const compacted = before === null ? 'unconfirmed' : await waitCompacted(target, before, deps, wait, sleep);
  return { ok: true, controlled, command: 'compact', ts: ts(), resumed, compacted };
}

/**
 * §6.5: a peer that is asleep after a clean park (the idle reap or a stop) is resumed
 * first; a peer that died on its own or never ran has no conversation to compact.
 */
async function resumeParked(peer: RoutedPeer, runtime: string, deps: ControlDeps): Promise<void> {
  const identity = `${runtime}-${peer.personality}`;
  const parked = deps.supervisor?.parked ? await deps.supervisor.parked(identity) : false;
  if (!parked || !deps.supervisor) throw controlErrors.nothingToCompact(peer.personality, runtime);
  const woke = await deps.supervisor.wake({ personality: peer.personality, runtime, resume: true, task: '', origin: 'compact' });
  if (woke.status === 'FAILED') throw controlErrors.resumeFailed(peer.personality, runtime, woke.code, woke.reason);
}

/** After a resume, the agent may still be settling: wait (bounded) for its input prompt. */
async function readyGrace(target: DeliveryTarget, deps: ControlDeps, wait: CompactWait, sleep: (ms: number) => Promise<void>): Promise<void> {
  if (!deps.terminal.screenState) return;
  const end = deps.clock.now() + wait.readyGraceMs;
  while ((await deps.terminal.screenState(target)).state !== 'ready' && deps.clock.now() < end) await sleep(Math.min(200, wait.pollMs));
}

async function waitCompacted(target: DeliveryTarget, before: number, deps: ControlDeps, wait: CompactWait, sleep: (ms: number) => Promise<void>): Promise<'confirmed'> {
  const end = deps.clock.now() + wait.doneTimeoutMs;
  for (;;) {
    const now = await deps.terminal.compactions!(target);
    if (now !== null && now > before) return 'confirmed';
    if (deps.clock.now() >= end) throw controlErrors.notConfirmed(target, wait.doneTimeoutMs);
    await sleep(wait.pollMs);
  }
}
