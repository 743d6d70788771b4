import { useEffect, useState } from 'preact/hooks';
import type { Decision, FleetRow, PanePreview } from '@iapeer/contracts';
import { api, failureText } from './api';
import { STATE_LABEL, clockTime, fieldSummary, mainIdentity } from './format';

interface Props {
  row: FleetRow;
  stream: Decision[];
  readOnly: boolean;
  onResult(text: string, ok: boolean): void;
  onClose(): void;
}

type Action = 'stop' | 'start' | 'interrupt' | 'freshRestart';
const ACTION_LABEL: Record<Action, string> = { stop: 'Stop', start: 'Start', interrupt: 'Interrupt', freshRestart: 'Fresh restart' };

/** A peer: its runtimes, a read-only pane preview, its recent decisions, queued messages, actions. */
export function PeerDetail({ row, stream, readOnly, onResult, onClose }: Props) {
  const [identity, setIdentity] = useState(mainIdentity(row)?.identity ?? '');
  const [pane, setPane] = useState<PanePreview | null>(null);
  const [history, setHistory] = useState<Decision[]>([]);
  const [busy, setBusy] = useState<Action | null>(null);
  const current = row.identities.find((i) => i.identity === identity) ?? row.identities[0];
  const runtime = current?.runtime;

  useEffect(() => setIdentity(mainIdentity(row)?.identity ?? ''), [row.personality]);

  useEffect(() => {
    setPane(null);
    if (!identity) return;
    const sub = api.pane.subscribe({ identity }, { onData: setPane, onError: () => setPane(null) });
    return () => sub.unsubscribe();
  }, [identity]);

  useEffect(() => {
    let gone = false;
    api.peerDecisions.query({ personality: row.personality }).then(
      (d) => !gone && setHistory(d),
      () => !gone && setHistory([]),
    );
    return () => {
      gone = true;
    };
  }, [row.personality]);

  const seen = new Set(history.map((d) => `${d.ts}|${d.ev}|${fieldSummary(d.fields)}`));
  const recent = [...history, ...stream.filter((d) => d.peer === row.personality && !seen.has(`${d.ts}|${d.ev}|${fieldSummary(d.fields)}`))].slice(-15).reverse();

  async function act(action: Action) {
    setBusy(action);
    const sel = { personality: row.personality, ...(runtime ? { runtime } : {}) };
    try {
      if (action === 'interrupt') {
        const r = await api.interrupt.mutate(sel);
        onResult(`interrupt → ${r.controlled.personality} (${r.controlled.runtime}) at ${r.ts}`, true);
      } else if (action === 'freshRestart') {
        const r = await api.freshRestart.mutate(sel);
        onResult(r.status === 'READY' ? `launched ${r.identity} (fresh)` : `fresh restart failed: [${r.code}] ${r.reason}`, r.status === 'READY');
      } else {
        const rows = await (action === 'stop' ? api.stop.mutate(sel) : api.start.mutate(sel));
        onResult(rows.map((r) => `${r.identity}: ${r.outcome}${r.reason ? ` (${r.reason})` : ''}`).join('; ') || `${action}: nothing to do`, rows.every((r) => r.outcome !== 'failed'));
      }
    } catch (err) {
      onResult(`${ACTION_LABEL[action]} ${row.personality}: ${failureText(err)}`, false);
    } finally {
      setBusy(null);
    }
  }

  return (
    <section class="detail" aria-labelledby="detail-title">
      <div class="detail-head">
        <h2 id="detail-title">{row.personality}</h2>
        <button type="button" aria-label={`Close ${row.personality}`} onClick={onClose}>
          Close
        </button>
      </div>
      {row.description ? <p class="description">{row.description}</p> : null}
      <div class="identities" role="group" aria-label="Runtime">
        {row.identities.map((i) => (
          <button key={i.identity} type="button" aria-pressed={i.identity === identity} onClick={() => setIdentity(i.identity)}>
            {i.runtime}: {STATE_LABEL[i.state]}
          </button>
        ))}
      </div>
      {current ? (
        <dl class="facts">
          <dt>State</dt>
          <dd data-testid="detail-state">
            {STATE_LABEL[current.state]} <small>({current.why})</small>
          </dd>
          <dt>Last active</dt>
          <dd>{clockTime(current.lastActivityMs)}</dd>
          <dt>Topic</dt>
          <dd>{current.topic ?? '—'}</dd>
          <dt>Humans attached</dt>
          <dd>{current.humans}</dd>
          <dt>Queued messages</dt>
          <dd>{current.queueDepth}</dd>
          <dt>Deaths in window</dt>
          <dd>{current.deathsInWindow}</dd>
        </dl>
      ) : null}
      {readOnly ? null : (
        <div class="actions" role="group" aria-label={`Actions on ${row.personality}`}>
          {(Object.keys(ACTION_LABEL) as Action[]).map((a) => (
            <button key={a} type="button" disabled={busy !== null} aria-label={`${ACTION_LABEL[a]} ${row.personality}`} onClick={() => void act(a)}>
              {busy === a ? `${ACTION_LABEL[a]}…` : ACTION_LABEL[a]}
            </button>
          ))}
        </div>
      )}
      <h3>Pane (read-only)</h3>
      <pre class="pane" aria-label={`Screen of ${identity}`} tabIndex={0}>
        {pane === null ? 'reading…' : pane.live ? pane.lines.join('\n') : 'no live session'}
      </pre>
      <h3>Recent decisions</h3>
      <ol class="decisions">
        {recent.map((d, i) => (
          <li key={i}>
            <time dateTime={d.ts}>{d.ts.slice(11, 19)}</time> <span class="ev">{d.ev}</span> <span class="fields">{fieldSummary(d.fields)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
