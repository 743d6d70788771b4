import { useEffect, useState } from 'preact/hooks';
import type { ConsoleSession, Decision, FleetSnapshot } from '@iapeer/contracts';
import { api, failureText } from './api';
import { AttentionList } from './attention-list';
import { DecisionStream } from './decision-stream';
import { FleetTable } from './fleet-table';
import { PeerDetail } from './peer-detail';
import { SendForm } from './send-form';

type Link = 'connecting' | 'live' | 'lost';
const KEEP_DECISIONS = 1000;

/** The console page: everything arrives over the two streams; nothing here polls. */
export function App() {
  const [session, setSession] = useState<ConsoleSession | null>(null);
  const [fleet, setFleet] = useState<FleetSnapshot | null>(null);
  const [decisions, setDecisions] = useState<Decision[]>([]);
  const [link, setLink] = useState<Link>('connecting');
  const [selected, setSelected] = useState<string | null>(null);
  const [filter, setFilter] = useState({ peer: '', ev: '' });
  const [result, setResult] = useState<{ text: string; ok: boolean } | null>(null);
  const [sessionError, setSessionError] = useState<string | null>(null);

  useEffect(() => {
    api.session.query().then(setSession, (err) => setSessionError(failureText(err)));
    const fleetSub = api.fleet.subscribe(undefined, {
      onStarted: () => setLink('live'),
      onData: (s) => {
        setLink('live');
        setFleet(s);
      },
      onError: () => setLink('lost'),
      onConnectionStateChange: (s) => setLink(s.state === 'pending' ? 'live' : 'lost'),
    });
    const decisionSub = api.decisions.subscribe(undefined, {
      onData: (batch) => setDecisions((prev) => (batch.length === 0 ? prev : [...prev, ...batch].slice(-KEEP_DECISIONS))),
    });
    return () => {
      fleetSub.unsubscribe();
      decisionSub.unsubscribe();
    };
  }, []);

  if (sessionError) {
    return (
      <main class="notice">
        <h1>iapeer console</h1>
        <p role="alert">{sessionError}</p>
        <p>Run <code>iapeer console</code> and open the link it prints.</p>
      </main>
    );
  }

  const rows = fleet?.rows ?? [];
  const selectedRow = rows.find((r) => r.personality === selected) ?? null;
  const readOnly = session?.readOnly ?? true;
  const onResult = (text: string, ok: boolean) => setResult({ text, ok });
  const select = (p: string) => setSelected(p);

  return (
    <div class="layout">
      <header>
        <h1>iapeer console</h1>
        <span class={`link link-${link}`} role="status" aria-label="Connection">
          {link === 'live' ? '● live' : link === 'connecting' ? '◐ connecting' : '✕ connection lost, retrying'}
        </span>
        {session ? <span class="root" title="IAPEER_ROOT">{session.root}</span> : null}
        {readOnly && session ? <span class="badge">read-only</span> : null}
      </header>
      <div class="columns">
        <div class="col">
          <section aria-labelledby="attention-title">
            <h2 id="attention-title">Attention</h2>
            <AttentionList items={fleet?.attention ?? []} onSelect={setSelected} />
          </section>
          <section aria-labelledby="fleet-title">
            <h2 id="fleet-title">Fleet</h2>
            {fleet ? <FleetTable rows={rows} selected={selected} onSelect={select} /> : <p class="empty">Waiting for the supervisor…</p>}
          </section>
          {readOnly ? null : (
            <section aria-labelledby="send-title">
              <h2 id="send-title">Send</h2>
              <SendForm rows={rows} to={selected ?? ''} onTo={(p) => setSelected(p || null)} onResult={onResult} />
            </section>
          )}
          <output class={`result ${result ? (result.ok ? 'ok' : 'failed') : ''}`} aria-live="polite" data-testid="result">
            {result?.text ?? ''}
          </output>
        </div>
        <div class="col">
          {selectedRow ? <PeerDetail row={selectedRow} stream={decisions} readOnly={readOnly} onResult={onResult} onClose={() => setSelected(null)} /> : null}
          <section aria-labelledby="decisions-title">
            <h2 id="decisions-title">Decisions</h2>
            <DecisionStream decisions={decisions} peers={rows.map((r) => r.personality)} peer={filter.peer} ev={filter.ev} onFilter={(f) => setFilter((cur) => ({ ...cur, ...f }))} />
          </section>
        </div>
      </div>
    </div>
  );
}
