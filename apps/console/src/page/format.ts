import type { FleetIdentity, FleetRow, FleetState } from '@iapeer/contracts';

/** Glyph and word for a state: never colour alone (screen readers, colour blindness). */
export const STATE_LABEL: Record<FleetState, string> = {
  ready: '● ready',
  busy: '● busy',
  waiting: '● waiting',
  held: '● held',
  booting: '◐ booting',
  dead: '✕ dead',
  unknown: '? unknown',
  asleep: '○ asleep',
  stopped: '✕ stopped',
  'crash-looped': '⚠ crash-looped',
};

const RESTING: readonly FleetState[] = ['asleep', 'stopped', 'crash-looped', 'dead'];

/** The identity a row is summed up by: a live one first, else the default runtime's. */
export function mainIdentity(row: FleetRow): FleetIdentity | undefined {
  return row.identities.find((i) => !RESTING.includes(i.state)) ?? row.identities.find((i) => i.runtime === row.defaultRuntime) ?? row.identities[0];
}

export function clockTime(ms: number | null): string {
  if (ms === null) return '—';
  const d = new Date(ms);
  const sameDay = d.toDateString() === new Date().toDateString();
  return sameDay ? d.toLocaleTimeString([], { hour12: false }) : d.toLocaleString([], { hour12: false });
}

/** A decision line's fields as `k=v`, the ones the header already shows left out. */
export function fieldSummary(fields: Record<string, string>): string {
  return Object.entries(fields)
    .filter(([k]) => k !== 'ev')
    .map(([k, v]) => `${k}=${/\s/.test(v) ? JSON.stringify(v) : v}`)
    .join(' ');
}
