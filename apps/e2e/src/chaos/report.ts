import { SERVICE_NAMES } from '@iapeer/core';
import type { ChaosReport } from './run-chaos';

export interface ChaosSummary {
  seconds: number;
  seed: number;
  peers: number;
  clients: number;
  sends: number;
  /** Sends that were ok on their first attempt. */
  okFirstTry: number;
  /** Sends that needed more than one attempt (all retried with their key). */
  retried: number;
  attempts: number;
  errorsByCode: Record<string, number>;
  duplicates: number;
  lost: number;
  strangers: number;
  kills: Record<string, number>;
  unloggedDeaths: number;
  registryProblems: number;
  leftProcesses: number;
  leftSockets: number;
}

export function summarizeChaos(r: ChaosReport): ChaosSummary {
  const errorsByCode: Record<string, number> = {};
  for (const s of r.sends) for (const code of s.errors) errorsByCode[code] = (errorsByCode[code] ?? 0) + 1;
  const kills: Record<string, number> = Object.fromEntries([...SERVICE_NAMES, 'agent'].map((k) => [k, 0]));
  for (const f of r.faults) kills[f.kind === 'service' ? f.service : 'agent']++;
  return {
    seconds: Math.round(r.seconds),
    seed: r.options.seed,
    peers: r.options.peers,
    clients: r.options.clients,
    sends: r.sends.length,
    okFirstTry: r.sends.filter((s) => s.ok && s.attempts === 1).length,
    retried: r.sends.filter((s) => s.attempts > 1).length,
    attempts: r.sends.reduce((a, s) => a + s.attempts, 0),
    errorsByCode,
    duplicates: r.delivery.duplicated.length,
    lost: r.delivery.lost.length,
    strangers: r.delivery.strangers.length,
    kills,
    unloggedDeaths: r.unloggedDeaths.length,
    registryProblems: r.registryProblems.length,
    leftProcesses: r.leftProcesses.length,
    leftSockets: r.leftSockets.length,
  };
}

/** The summary as a plain two-column table. */
export function formatChaosTable(s: ChaosSummary): string {
  const rows: [string, string | number][] = [
    ['seconds', s.seconds],
    ['seed', s.seed],
    ['peers / clients', `${s.peers} / ${s.clients}`],
    ['sends', s.sends],
    ['ok first try', s.okFirstTry],
    ['retried (same key)', s.retried],
    ['attempts', s.attempts],
    ...Object.entries(s.errorsByCode).map(([code, n]): [string, number] => [`  failed attempts ${code}`, n]),
    ['duplicates', s.duplicates],
    ['lost', s.lost],
    ...Object.entries(s.kills).map(([k, n]): [string, number] => [`kills ${k}`, n]),
    ['deaths without a decision line', s.unloggedDeaths],
    ['registry problems', s.registryProblems],
    ['processes left', s.leftProcesses],
    ['sockets left', s.leftSockets],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n');
}
