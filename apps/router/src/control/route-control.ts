/**
 * `routeControl` (docs/behaviour.md §6.5): interrupt or compact a **live** target, no ready
 * gate, no wake. Router runtimes have no control keys and are refused.
 */
import { IapeerError, RUNTIME_RE, PERSONALITY_RE } from '@iapeer/core';
import type { ControlInput, ControlResult } from '@iapeer/contracts';
import type { RouteDeps } from '../ports';
import { resolveTarget } from '../send/resolve-target';
import { sendErrors } from '../send/send-errors';

/** The contract's control input and result (libs/contracts/src/router.ts). */
export type ControlRequest = ControlInput;
export type { ControlResult };

export type ControlDeps = Pick<RouteDeps, 'directory' | 'sessions' | 'terminal' | 'clock'>;

export async function routeControl(req: ControlRequest, deps: ControlDeps): Promise<ControlResult> {
  if (!PERSONALITY_RE.test(req.personality)) throw new IapeerError('INVALID_PERSONALITY', `invalid peer name ${JSON.stringify(req.personality)}: expected ^[a-z][a-z0-9-]{0,31}$`);
  if (req.runtime !== undefined && !RUNTIME_RE.test(req.runtime)) throw new IapeerError('INVALID_RUNTIME', `invalid runtime ${JSON.stringify(req.runtime)}: expected ^[a-z][a-z0-9]{0,31}$`);
  const peer = await deps.directory.get(req.personality);
  if (!peer) throw new IapeerError('PEER_NOT_FOUND', `peer "${req.personality}" is not in the iapeer peers index`, { data: { personality: req.personality } });
  if (req.runtime && !peer.runtimes.includes(req.runtime)) {
    throw new IapeerError('RUNTIME_NOT_DECLARED', `runtime "${req.runtime}" is not declared for "${peer.personality}" (declared: ${peer.runtimes.join(', ')})`);
  }
  const resolution = await resolveTarget(peer, req.runtime, deps.sessions);
  if (resolution.kind === 'miss') throw sendErrors.offline(peer.personality, req.runtime);
  const runtime = resolution.runtime;
  const target = { personality: peer.personality, runtime, identity: `${runtime}-${peer.personality}`, cwd: peer.cwd };
  const outcome = await deps.terminal.control(target, req.command);
  if (outcome === 'unsupported') throw sendErrors.controlUnsupported(runtime, req.command);
  return { ok: true, controlled: { personality: peer.personality, runtime }, command: req.command, ts: new Date(deps.clock.now()).toISOString() };
}
