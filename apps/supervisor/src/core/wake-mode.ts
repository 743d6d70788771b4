/**
 * Fresh versus resume (docs/behaviour.md §7.5): a pure function of the markers and the request.
 * It says which markers the caller must consume; it never touches the disk itself.
 */
export type WakeMode = 'fresh' | 'resume' | 'fail';

export type WakeCause =
  | 'folder-launch'
  | 'attach'
  | 'attach-nothing-to-resume'
  | 'soft-reload'
  | 'ephemeral-policy'
  | 'crash-or-self-close'
  | 'first-wake'
  | 'idle-reaped-human'
  | 'idle-reaped-human-no-resume'
  | 'idle-reaped-no-topic'
  | 'idle-reaped-new-topic'
  | 'idle-reaped-resume'
  | 'idle-reaped-no-resume';

export type ResumeProbe = { ok: true; ref?: string } | { ok: false; reason: string };

export interface WakeModeInput {
  /** false: folder launch, `new`, eager relaunch. true: attach (must resume). undefined: a natural wake. */
  resume?: boolean;
  freshNext: boolean;
  ephemeral: boolean;
  idleReaped: boolean;
  /** The local profile has `interfaces.telegram`. */
  human: boolean;
  /** The incoming message's topic (trimmed; empty means none). */
  topic?: string;
  /** The session's topic set (`.topic`). */
  topics: readonly string[];
  /** The adapter's resolveResume(cwd): is there a transcript to continue? Called lazily. */
  probeResume: () => ResumeProbe;
}

export interface WakeDecision {
  mode: WakeMode;
  cause: WakeCause;
  /** What is resumed (e.g. the transcript uuid), when the adapter names it. */
  ref?: string;
  /** Set when mode is fail: the reason the caller reports. */
  failReason?: string;
  /** Markers the caller deletes once it acts on this decision. */
  consume: Array<'fresh-next' | 'idle-reaped'>;
}

export function resolveWakeMode(input: WakeModeInput): WakeDecision {
  if (input.resume === false) return { mode: 'fresh', cause: 'folder-launch', consume: [] };
  if (input.resume === true) {
    const probe = input.probeResume();
    if (!probe.ok) {
      // the built-in adapters already say "nothing to resume: …"; say it once
      const failReason = probe.reason.startsWith('nothing to resume') ? probe.reason : `nothing to resume: ${probe.reason}`;
      return { mode: 'fail', cause: 'attach-nothing-to-resume', failReason, consume: [] };
    }
    return { mode: 'resume', cause: 'attach', ref: probe.ref, consume: [] };
  }
  if (input.freshNext) return { mode: 'fresh', cause: 'soft-reload', consume: ['fresh-next', 'idle-reaped'] };
  if (input.ephemeral) return { mode: 'fresh', cause: 'ephemeral-policy', consume: ['idle-reaped'] };
  if (!input.idleReaped) {
    return { mode: 'fresh', cause: input.probeResume().ok ? 'crash-or-self-close' : 'first-wake', consume: [] };
  }
  // a clean park: the marker is consumed whatever is decided
  const consume: WakeDecision['consume'] = ['idle-reaped'];
  if (input.human) {
    const probe = input.probeResume();
    return probe.ok
      ? { mode: 'resume', cause: 'idle-reaped-human', ref: probe.ref, consume }
      : { mode: 'fresh', cause: 'idle-reaped-human-no-resume', consume };
  }
  const topic = (input.topic ?? '').trim();
  if (!topic) return { mode: 'fresh', cause: 'idle-reaped-no-topic', consume };
  if (!input.topics.includes(topic)) return { mode: 'fresh', cause: 'idle-reaped-new-topic', consume };
  const probe = input.probeResume();
  return probe.ok
    ? { mode: 'resume', cause: 'idle-reaped-resume', ref: probe.ref, consume }
    : { mode: 'fresh', cause: 'idle-reaped-no-resume', consume };
}
