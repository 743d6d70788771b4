import { IapeerError, parseIdentity } from '@iapeer/core';
import type { SupervisorDeps } from './deps';
import { logTopicNote } from './log-events';
import type { OpResult } from './stop-start';
import { resolveTargets, type TargetSelector } from './targets';
import { wakeOrSpawn, type WakeResult } from './wake';

function assertIdentity(identity: string) {
  const id = parseIdentity(identity);
  if (!id) throw new IapeerError('INVALID_INPUT', `invalid identity ${JSON.stringify(identity)}: expected <runtime>-<personality>, e.g. claude-bob`, { data: { identity } });
  return id;
}

/**
 * self-fresh (§10): `.new-eager` is written FIRST, then the session is killed; the tick
 * sees the death and relaunches it fresh. The reverse order could lose the request.
 * `scheduleKill` lets the service answer its caller (who lives in that very session)
 * before the kill; by default the kill is awaited.
 */
export async function markFresh(
  deps: SupervisorDeps,
  identity: string,
  scheduleKill: (kill: () => Promise<void>) => Promise<void> = (kill) => kill(),
): Promise<{ identity: string; marked: true }> {
  assertIdentity(identity);
  deps.markers.set(identity, 'new-eager', new Date(deps.clock.now()));
  await scheduleKill(() => deps.liveness.kill(identity));
  return { identity, marked: true };
}

export type RefreshOutcome = 'marked' | 'skipped-router';

/** `refresh` (§10): `.fresh-next`, so the next natural wake comes up fresh; routers are skipped. */
export async function refreshPeers(deps: SupervisorDeps, sel: TargetSelector): Promise<OpResult<RefreshOutcome>[]> {
  const out: OpResult<RefreshOutcome>[] = [];
  for (const t of await resolveTargets(deps, sel)) {
    const base = { personality: t.peer.personality, runtime: t.runtime, identity: t.identity };
    if (deps.adapters.get(t.runtime)?.kind === 'router' || deps.serviceManager.isManaged(t.peer.personality)) {
      out.push({ ...base, outcome: 'skipped-router' });
      continue;
    }
    deps.markers.set(t.identity, 'fresh-next', new Date(deps.clock.now()));
    out.push({ ...base, outcome: 'marked' });
  }
  return out;
}

/**
 * `new` (§10): the unconditional fresh restart. Inside the wake lock: clear stopped,
 * idle-reaped, new-eager and the deaths, kill, then a fresh launch. Infra and
 * foreign-managed peers are refused.
 */
export async function newPeer(deps: SupervisorDeps, sel: { personality: string; runtime?: string }): Promise<WakeResult> {
  await resolveTargets(deps, { personality: sel.personality, runtime: sel.runtime }); // throws on an unknown peer or runtime
  const owner = deps.serviceManager.ownership(sel.personality);
  if (owner === 'foreign') throw new IapeerError('FOREIGN_SERVICE_FILE', `"${sel.personality}" has a foreign service file at com.iapeer.${sel.personality}; \`new\` refuses to touch it`);
  if (owner === 'ours') throw new IapeerError('LAUNCHD_MANAGED', `"${sel.personality}" is held by the service manager; restart it with \`iapeer stop\` then \`iapeer start\``);
  return wakeOrSpawn(deps, { personality: sel.personality, runtime: sel.runtime, task: '', resume: false, replace: true, origin: 'new' });
}

/** A live delivery with a topic (the router's noteLiveTopic): the topic joins the session's set. */
export function noteTopic(deps: SupervisorDeps, identity: string, topic: string): { changed: boolean } {
  assertIdentity(identity);
  const changed = deps.markers.addTopic(identity, topic);
  if (changed) logTopicNote(deps.events, identity, topic.trim());
  return { changed };
}
