import path from 'node:path';
import { errorMessage, formatIdentity, isIapeerError, type ErrorCode } from '@iapeer/core';
import { readLaunchEnv, type LaunchEnv } from '@iapeer/runtimes';
import { checkCrashLoop, windowStartMs } from './crash-loop';
import type { SupervisorDeps } from './deps';
import { composeFirstMessage } from './first-message';
import { logWake } from './log-events';
import { normalizeTopic } from './markers';
import type { SupervisedPeer, RuntimeAdapter } from './ports';
import { superviseSession } from './supervise-session';
import { composeSystemPrompt, gatherPromptLayers } from './system-prompt';
import { resolveWakeMode, type WakeDecision } from './wake-mode';
import { runtimeUnavailableReason } from './runtime-unavailable';

/** Who asked for the wake; logged, and it picks the default of `resume`. */
export type WakeOrigin = 'send' | 'attach' | 'folder-launch' | 'new' | 'eager-relaunch' | 'cli' | 'ephemeral-drain' | 'compact';

export interface WakeRequest {
  personality: string;
  /** Explicit runtime; else the registry default, else the first declared. */
  runtime?: string;
  topic?: string;
  /** The first message (an IAP envelope), or '' for a bare bring-up. */
  task?: string;
  /** false: always fresh. true: must resume (attach). undefined: decided by §7.5. */
  resume?: boolean;
  origin?: WakeOrigin;
  /** `new`: kill whatever runs and clear the park/stop/eager markers inside the lock. */
  replace?: boolean;
  /** Run the heal (supervise this identity first). @default true */
  heal?: boolean;
}

export type WakeResult =
  | { status: 'READY'; identity: string; personality: string; runtime: string; woke: boolean; taskDelivered: boolean; mode?: 'fresh' | 'resume'; cause?: string }
  | { status: 'FAILED'; code: ErrorCode; reason: string; identity?: string; stopped?: boolean };

const failed = (code: ErrorCode, reason: string, extra: { identity?: string; stopped?: boolean } = {}): WakeResult => ({ status: 'FAILED', code, reason, ...extra });

/** The runtime a wake uses (§7.4 step 4). */
export function resolveWakeRuntime(peer: SupervisedPeer, explicit?: string): { ok: true; runtime: string } | { ok: false; reason: string } {
  if (explicit) {
    return peer.runtimes.includes(explicit) || peer.default_runtime === explicit
      ? { ok: true, runtime: explicit }
      : { ok: false, reason: `runtime "${explicit}" is not declared for "${peer.personality}" (declared: ${peer.runtimes.join(', ') || 'none'})` };
  }
  if (peer.default_runtime) return { ok: true, runtime: peer.default_runtime };
  if (peer.runtimes.length > 0) return { ok: true, runtime: peer.runtimes[0] };
  return { ok: false, reason: `"${peer.personality}" declares no runtime` };
}

export const stoppedReason = (p: string, rt: string) => `"${p}" (${rt}) is stopped and not accepting messages; start it to resume`;
export const managedReason = (p: string) => `"${p}" is launchd-managed (held by the host service manager); the supervisor never wakes it`;

/**
 * wakeOrSpawn (§7.4): brings a peer's session up (or finds it up) and hands it the first
 * message. Never throws for an expected refusal: the result says FAILED with a code and
 * the reason a sender is told. Every decision is one `ev=wake` line.
 */
export async function wakeOrSpawn(deps: SupervisorDeps, req: WakeRequest): Promise<WakeResult> {
  const origin = req.origin ?? 'send';
  const { personality } = req;
  const peer = await deps.directory.get(personality);
  if (!peer) {
    logWake(deps.events, { personality, runtime: req.runtime, mode: 'refused', cause: 'unknown-peer', origin });
    return failed('PEER_NOT_FOUND', `unknown peer "${personality}": not in the iapeer peers index`);
  }
  if (deps.serviceManager.isManaged(personality)) {
    logWake(deps.events, { personality, runtime: req.runtime, mode: 'refused', cause: 'launchd-managed', origin });
    return failed('LAUNCHD_MANAGED', managedReason(personality));
  }
  const rt = resolveWakeRuntime(peer, req.runtime);
  if (!rt.ok) {
    logWake(deps.events, { personality, runtime: req.runtime, mode: 'refused', cause: 'runtime-not-declared', reason: rt.reason, origin });
    return failed('RUNTIME_NOT_DECLARED', rt.reason);
  }
  const runtime = rt.runtime;
  const identity = formatIdentity({ runtime, personality });
  const base = { personality, identity, runtime, origin };
  const adapter = deps.adapters.get(runtime);
  if (!adapter) {
    const reason = runtimeUnavailableReason(deps.adapters, runtime);
    logWake(deps.events, { ...base, mode: 'refused', cause: 'unknown-runtime', reason });
    return failed('RUNTIME_UNAVAILABLE', reason, { identity });
  }
  if (adapter.kind === 'router') {
    const reason = `runtime "${runtime}" is an always-on router runtime held by the service manager; the supervisor does not wake it`;
    logWake(deps.events, { ...base, mode: 'refused', cause: 'router-runtime', reason });
    return failed('LAUNCHD_MANAGED', reason, { identity });
  }
  if (req.heal !== false) {
    try {
      await superviseSession(deps, identity);
    } catch {
      // best-effort (§7.4 step 1): the wake goes on; the next tick records what this missed
    }
  }
  if (!req.replace && deps.markers.has(identity, 'stopped')) {
    logWake(deps.events, { ...base, mode: 'refused', cause: 'stopped' });
    return failed('PEER_STOPPED', stoppedReason(personality, runtime), { identity, stopped: true });
  }
  try {
    return await deps.wakeLock(identity, deps.markers.wakeLockFile(identity), () => wakeLocked(deps, req, peer, adapter, base));
  } catch (err) {
    const code: ErrorCode = isIapeerError(err) ? err.code : 'WAKE_FAILED';
    logWake(deps.events, { ...base, mode: 'fail', cause: 'error', reason: errorMessage(err), outcome: 'failed' });
    return failed(code, errorMessage(err), { identity });
  }
}

interface Base {
  personality: string;
  identity: string;
  runtime: string;
  origin: WakeOrigin;
}

async function wakeLocked(deps: SupervisorDeps, req: WakeRequest, peer: SupervisedPeer, adapter: RuntimeAdapter, base: Base): Promise<WakeResult> {
  const { markers, clock } = deps;
  const { identity, personality, runtime } = base;
  // launch.env is read before anything changes: a bad line refuses the wake with the
  // session, markers and queue as they were (a `new` keeps the session it would replace)
  let launchEnv: LaunchEnv | undefined;
  const readSettings = (): WakeResult | undefined => {
    try {
      launchEnv = (deps.launchEnv ?? { read: readLaunchEnv }).read(peer.cwd, runtime);
      return undefined;
    } catch (err) {
      const code: ErrorCode = isIapeerError(err) ? err.code : 'LAUNCH_ENV_INVALID';
      logWake(deps.events, { ...base, mode: 'refused', cause: 'launch-env-invalid', reason: errorMessage(err) });
      return failed(code, errorMessage(err), { identity });
    }
  };
  if (req.replace) {
    const refused = readSettings();
    if (refused) return refused;
    for (const flag of ['stopped', 'idle-reaped', 'new-eager'] as const) markers.clear(identity, flag);
    markers.clearDeaths(identity);
    await deps.liveness.kill(identity);
    markers.clearSession(identity);
  }
  // re-check inside the lock: a stop may have landed while this wake waited
  if (markers.has(identity, 'stopped')) {
    logWake(deps.events, { ...base, mode: 'refused', cause: 'stopped-mid-wake' });
    return failed('PEER_STOPPED', stoppedReason(personality, runtime), { identity, stopped: true });
  }
  if (deps.serviceManager.isManaged(personality)) {
    logWake(deps.events, { ...base, mode: 'refused', cause: 'launchd-managed-mid-wake' });
    return failed('LAUNCHD_MANAGED', managedReason(personality), { identity });
  }
  if (await deps.liveness.isAlive(identity)) {
    // a concurrent wake won the lock: enrol the live session, the caller delivers live
    if (!markers.readSession(identity)) writeSession(deps, peer, base);
    logWake(deps.events, { ...base, mode: 'live', cause: 'live-fast-path' });
    return { status: 'READY', identity, personality, runtime, woke: false, taskDelivered: false };
  }
  if (!peer.cwd || !deps.cwdExists(peer.cwd)) {
    const reason = `the folder of "${personality}" is missing: ${peer.cwd || '(no cwd in the registry)'}`;
    logWake(deps.events, { ...base, mode: 'refused', cause: 'missing-cwd', reason });
    return failed('WAKE_FAILED', reason, { identity });
  }
  const now = clock.now();
  const guard = checkCrashLoop(markers.readDeaths(identity), now, deps.config);
  if (guard.tripped) {
    logWake(deps.events, { ...base, mode: 'refused', cause: 'crash-loop', reason: guard.reason });
    return failed('CRASH_LOOP', guard.reason, { identity });
  }

  if (!launchEnv) {
    const refused = readSettings();
    if (refused) return refused;
  }

  const topic = normalizeTopic(req.topic);
  const decision: WakeDecision = resolveWakeMode({
    resume: req.resume,
    freshNext: markers.has(identity, 'fresh-next'),
    ephemeral: peer.wakePolicy === 'ephemeral',
    idleReaped: markers.has(identity, 'idle-reaped'),
    human: Boolean(peer.interfaces && typeof peer.interfaces === 'object' && 'telegram' in peer.interfaces),
    topic,
    topics: markers.readTopics(identity),
    probeResume: () => adapter.resolveResume(peer.cwd, deps.env),
  });
  logWake(deps.events, { ...base, mode: decision.mode, cause: decision.cause, ref: decision.ref, reason: decision.failReason });
  if (decision.mode === 'fail') return failed('NOTHING_TO_RESUME', decision.failReason ?? 'nothing to resume', { identity });
  for (const m of decision.consume) markers.clear(identity, m);

  const fresh = decision.mode === 'fresh';
  const systemPromptFile = await writeSystemPrompt(deps, peer, identity);
  const firstMessage = composeFirstMessage({ fresh, initialPrompt: peer.initialPrompt, task: req.task ?? '' });
  const result = await deps.launcher.launch(
    {
      identity,
      personality,
      runtime,
      cwd: peer.cwd,
      intelligence: peer.intelligence,
      resume: !fresh,
      systemPromptFile,
      paneLog: path.join(deps.paths.paneLogDir, `${identity}.log`),
      bootDeadlineSecs: deps.config.bootDeadlineSecs,
      readyGateSecs: deps.config.readyGateSecs,
      ...(launchEnv && { launchEnv: { env: launchEnv.env, startArgs: launchEnv.startArgs } }),
    },
    adapter,
    firstMessage,
    { onPhase: (phase) => deps.onPhase?.(identity, phase) },
  );

  if (result.status === 'FAILED') {
    // [0.2.57+] a session that came up anyway is still enrolled, so the idle-reap bounds it
    if (await deps.liveness.isAlive(identity).catch(() => false)) writeSession(deps, peer, base);
    logWake(deps.events, { ...base, mode: decision.mode, cause: decision.cause, reason: result.reason, outcome: 'failed' });
    return failed('WAKE_FAILED', result.reason, { identity });
  }
  writeSession(deps, peer, base);
  markers.clear(identity, 'ephemeral-armed');
  if (fresh) markers.resetTopics(identity);
  if (topic) markers.addTopic(identity, topic);
  markers.trimDeaths(identity, windowStartMs(clock.now(), deps.config));
  logWake(deps.events, { ...base, mode: decision.mode, cause: decision.cause, outcome: 'ready' });
  return { status: 'READY', identity, personality, runtime, woke: true, taskDelivered: true, mode: decision.mode, cause: decision.cause };
}

function writeSession(deps: SupervisorDeps, peer: SupervisedPeer, base: Base): void {
  deps.markers.writeSession({
    identity: base.identity,
    runtime: base.runtime,
    personality: base.personality,
    cwd: peer.cwd,
    wokeAt: new Date(deps.clock.now()).toISOString(),
    ...(peer.wakePolicy && { wakePolicy: peer.wakePolicy }),
  });
}

/** Composes `<identity>.system-prompt.md` when the peer has a local IAPEER.md; undefined for a bare session. */
async function writeSystemPrompt(deps: SupervisorDeps, peer: SupervisedPeer, identity: string): Promise<string | undefined> {
  const layers = gatherPromptLayers({ globalRoot: deps.paths.root, home: deps.paths.home, peer, peers: await deps.directory.list(), facts: deps.hostFacts() });
  if (!layers) return undefined;
  return deps.markers.writeSystemPrompt(identity, composeSystemPrompt(layers));
}
