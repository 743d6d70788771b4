import type { Decision } from '@iapeer/contracts';
import { fieldSummary } from './format';

interface Props {
  decisions: Decision[];
  peers: string[];
  peer: string;
  ev: string;
  onFilter(f: { peer?: string; ev?: string }): void;
}

/** Lifecycle and delivery decisions as they are written (their fields; never a message body). */
export function DecisionStream({ decisions, peers, peer, ev, onFilter }: Props) {
  const evs = [...new Set(decisions.map((d) => d.ev))].sort();
  const shown = decisions.filter((d) => (!peer || d.peer === peer || d.fields.caller?.endsWith(`-${peer}`)) && (!ev || d.ev === ev)).slice(-200).reverse();
  return (
    <div>
      <div class="filters">
        <label>
          <span id="filter-peer-label">Peer</span>
          <select aria-labelledby="filter-peer-label" value={peer} onChange={(e) => onFilter({ peer: (e.target as HTMLSelectElement).value })}>
            <option value="">all</option>
            {peers.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span id="filter-ev-label">Event</span>
          <select aria-labelledby="filter-ev-label" value={ev} onChange={(e) => onFilter({ ev: (e.target as HTMLSelectElement).value })}>
            <option value="">all</option>
            {evs.map((x) => (
              <option key={x} value={x}>
                {x}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ol class="decisions" aria-label="Decisions, newest first">
        {shown.map((d) => (
          <li key={d.id} data-ev={d.ev} data-peer={d.peer ?? ''} class={`log-${d.log}`}>
            <time dateTime={d.ts}>{d.ts.slice(11, 23)}</time> <span class="ev">{d.ev}</span> <span class="peer">{d.peer ?? ''}</span> <span class="fields">{fieldSummary(d.fields)}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}
