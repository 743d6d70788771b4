import type { FleetRow } from '@iapeer/contracts';
import { STATE_LABEL, clockTime, mainIdentity } from './format';

interface Props {
  rows: FleetRow[];
  selected: string | null;
  onSelect(personality: string): void;
}

/** One row per peer; every runtime's state in the Runtimes cell, the main one in State. */
export function FleetTable({ rows, selected, onSelect }: Props) {
  if (rows.length === 0) return <p class="empty">No peers registered yet (<code>iapeer create &lt;name&gt;</code>).</p>;
  return (
    <table class="fleet" aria-label="Fleet">
      <thead>
        <tr>
          <th scope="col">Peer</th>
          <th scope="col">State</th>
          <th scope="col">Runtimes</th>
          <th scope="col">Last active</th>
          <th scope="col">Topic</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const main = mainIdentity(row);
          const state = main?.state ?? 'asleep';
          return (
            <tr key={row.personality} data-peer={row.personality} data-state={state} class={row.personality === selected ? 'selected' : ''}>
              <th scope="row">
                <button type="button" class="link" aria-label={`Show ${row.personality}`} aria-pressed={row.personality === selected} onClick={() => onSelect(row.personality)}>
                  {row.personality}
                </button>
              </th>
              <td class={`state state-${state}`} title={main?.why}>
                {STATE_LABEL[state]}
              </td>
              <td class="runtimes">
                {row.identities.map((i) => (
                  <span key={i.runtime} class={`chip state-${i.state}`} title={`${i.identity}: ${i.why}`}>
                    {i.runtime} {STATE_LABEL[i.state].split(' ')[0]}
                    {i.queueDepth > 0 ? ` · ${i.queueDepth} queued` : ''}
                  </span>
                ))}
              </td>
              <td>{clockTime(main?.lastActivityMs ?? null)}</td>
              <td class="topic">{main?.topic ?? ''}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
