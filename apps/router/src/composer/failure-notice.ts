/**
 * §6.4: when a held message fails, the foundation peer `iapeer` tells its sender with a
 * "delivery failed" message in the sender's live session, held like any other message
 * when the sender's own input row is busy with a human or a dialog. A sender without a
 * live session (an operator's CLI send from a peer folder, a peer asleep) is not woken
 * for it: delivery.log and `iapeer send --wait` report the failure. A failed notice is
 * never noticed again.
 */
import { errorMessage, parseIdentity } from '@iapeer/core';
import type { EventLog } from '@iapeer/logclient';
import type { DeliveryTarget, EnvelopeBuilder, PeerDirectory, SessionProbe, TerminalPort } from '../ports';
import type { KeyedSerializer } from '@iapeer/core';
import type { ComposerHold, HoldFailure } from './composer-hold';
import type { ComposerItem } from './composer-queue';

/** The foundation's sender name in envelopes and logs. */
export const FOUNDATION = 'iapeer';

export interface FailureNoticeDeps {
  directory: PeerDirectory;
  sessions: SessionProbe;
  terminal: TerminalPort;
  envelope: EnvelopeBuilder;
  targets: KeyedSerializer;
  events: Pick<EventLog, 'emit'>;
  hold(): ComposerHold;
}

export function failureNoticeText(item: ComposerItem, failure: HoldFailure, detail: string): string {
  const to = `${item.target.personality} (${item.target.runtime})`;
  const queued = new Date(item.at).toISOString();
  const hint =
    failure === 'interrupted'
      ? 'Ask them whether it arrived before you send it again.'
      : 'iapeer never pastes over a human\'s typing or into a dialog. Send it again when they are free.';
  return `delivery failed: your message to ${to}, queued at ${queued}${item.topic ? ` (topic "${item.topic}")` : ''}, was NOT delivered: ${detail}. ${hint}`;
}

export function createFailureNotifier(deps: FailureNoticeDeps) {
  return async function notify(item: ComposerItem, failure: HoldFailure, detail: string): Promise<void> {
    if (item.kind === 'notice') return; // the foundation's own notice: nobody to tell
    const sender = parseIdentity(item.sender);
    const log = (fields: Record<string, string | number | boolean | undefined>) =>
      deps.events.emit('delivery', { ev: 'composer-queue-failed-notify', caller: FOUNDATION, to: sender?.personality ?? item.sender, via: item.sender, id: item.id, reason: failure, ...fields });
    if (!sender) return log({ ok: false, err: 'the sender is not a peer identity' });
    try {
      const peer = await deps.directory.get(sender.personality);
      if (!peer || !(await deps.sessions.isLive(item.sender))) return log({ ok: false, err: 'the sender has no live session; not woken for a notice' });
      const dest: DeliveryTarget = { personality: sender.personality, runtime: sender.runtime, identity: item.sender, cwd: peer.cwd };
      const envelope = deps.envelope.build({ fromPersonality: FOUNDATION, fromRuntime: FOUNDATION, fromIntelligence: 'absent', topic: item.topic, message: failureNoticeText(item, failure, detail) });
      await deps.targets.run(sender.personality, async () => {
        const hold = deps.hold();
        const d = await hold.decide(dest);
        if (d) {
          const { depth } = await hold.hold(dest, { envelope, sender: FOUNDATION, kind: 'notice', topic: item.topic }, d);
          return log({ ok: true, queued: true, qd: depth });
        }
        const out = await deps.terminal.deliver(dest, envelope);
        log(out.ok ? { ok: true } : { ok: false, err: out.reason });
      });
    } catch (err) {
      log({ ok: false, err: errorMessage(err) });
    }
  };
}
