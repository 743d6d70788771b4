import { useState } from 'preact/hooks';
import type { FleetRow } from '@iapeer/contracts';
import { api, failureText } from './api';

interface Props {
  rows: FleetRow[];
  to: string;
  onTo(p: string): void;
  onResult(text: string, ok: boolean): void;
}

/** A message to a peer through the router's `send`, from a registered identity (as `iapeer send --from`). */
export function SendForm({ rows, to, onTo, onResult }: Props) {
  const senders = rows.flatMap((r) => r.identities.map((i) => i.identity));
  const [from, setFrom] = useState('');
  const [topic, setTopic] = useState('');
  const [message, setMessage] = useState('');
  const [sending, setSending] = useState(false);
  const sender = from && senders.includes(from) ? from : (senders.find((s) => !s.endsWith(`-${to}`)) ?? '');

  async function submit(e: Event) {
    e.preventDefault();
    if (!to || !sender || !message) return;
    setSending(true);
    try {
      const r = await api.send.mutate({ from: sender, personality: to, message, ...(topic ? { topic } : {}) });
      const where = `${r.delivered_to.personality} (${r.delivered_to.runtime})`;
      onResult(r.queued ? `queued for ${where}, depth ${r.queueDepth}` : `delivered to ${where}${r.woke ? ', woke it' : ''} at ${r.ts}`, true);
      setMessage('');
    } catch (err) {
      onResult(`send to ${to}: ${failureText(err)}`, false);
    } finally {
      setSending(false);
    }
  }

  return (
    <form class="send" onSubmit={(e) => void submit(e)} aria-label="Send a message">
      <label class="field">
        <span id="send-to-label">To</span>
        <select name="to" aria-labelledby="send-to-label" value={to} onChange={(e) => onTo((e.target as HTMLSelectElement).value)} required>
          <option value="">choose a peer</option>
          {rows.map((r) => (
            <option key={r.personality} value={r.personality}>
              {r.personality}
            </option>
          ))}
        </select>
      </label>
      <label class="field">
        <span id="send-from-label">As</span>
        <select name="from" aria-labelledby="send-from-label" value={sender} onChange={(e) => setFrom((e.target as HTMLSelectElement).value)} required>
          {senders.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label class="field">
        <span id="send-topic-label">Topic</span>
        <input name="topic" aria-labelledby="send-topic-label" value={topic} maxLength={200} onInput={(e) => setTopic((e.target as HTMLInputElement).value)} />
      </label>
      <label class="field message">
        <span id="send-message-label">Message</span>
        <textarea name="message" aria-labelledby="send-message-label" rows={3} value={message} required onInput={(e) => setMessage((e.target as HTMLTextAreaElement).value)} />
      </label>
      <button type="submit" disabled={sending || !to || !message}>
        {sending ? 'Sending…' : 'Send'}
      </button>
    </form>
  );
}
