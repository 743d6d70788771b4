import fs from 'node:fs';
import path from 'node:path';
import { readFakeTranscript } from '@iapeer/testing';
import type { Fault } from './monkey';
import { CHAOS_ID_RE, type SendRecord } from './senders';

/** Where each send id landed: personality → count, over every transcript. */
export function countLandings(peerCwds: Map<string, string>): Map<string, Map<string, number>> {
  const landed = new Map<string, Map<string, number>>();
  for (const [personality, cwd] of peerCwds) {
    for (const r of readFakeTranscript(cwd)) {
      if (r.type !== 'message' || !r.text) continue;
      for (const m of r.text.matchAll(CHAOS_ID_RE)) {
        const at = landed.get(m[1]) ?? new Map<string, number>();
        at.set(personality, (at.get(personality) ?? 0) + 1);
        landed.set(m[1], at);
      }
    }
  }
  return landed;
}

export interface DeliveryAudit {
  /** ok sends found nowhere, plus sends never acknowledged ok. */
  lost: string[];
  /** Sends found more than once (or in a transcript other than their target's). */
  duplicated: string[];
  /** Ids in transcripts that no client ever sent (must be none). */
  strangers: string[];
}

/** Every ok send is in its target's transcript exactly once and nowhere else. */
export function auditDeliveries(sends: SendRecord[], landed: Map<string, Map<string, number>>): DeliveryAudit {
  const lost: string[] = [];
  const duplicated: string[] = [];
  for (const s of sends) {
    const at = landed.get(s.id);
    const total = at ? [...at.values()].reduce((a, b) => a + b, 0) : 0;
    if (!s.ok || total === 0) lost.push(s.id);
    if (total > 1 || (at && total === 1 && !at.has(s.target))) duplicated.push(s.id);
  }
  const known = new Set(sends.map((s) => s.id));
  return { lost, duplicated, strangers: [...landed.keys()].filter((id) => !known.has(id)) };
}

/** The registry file parses, and holds every peer of the fleet. */
export function auditRegistry(peersFile: string, personalities: string[]): string[] {
  const problems: string[] = [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(peersFile, 'utf8'));
  } catch (err) {
    return [`${peersFile} is not valid JSON: ${(err as Error).message}`];
  }
  const text = JSON.stringify(parsed);
  for (const p of personalities) if (!text.includes(`"${p}"`)) problems.push(`${peersFile} lost peer "${p}"`);
  return problems;
}

/** The supervisor's decisions about a dead session (§7.6, §7.9). */
const DEATH_DECISIONS = /\bev=supervise\b.*\baction=(reaped-gone|needs-eager-fresh|skipped-stopped)\b/;

export function readLifecycleLines(eventLogDir: string): string[] {
  if (!fs.existsSync(eventLogDir)) return [];
  return fs
    .readdirSync(eventLogDir)
    .filter((f) => f.startsWith('lifecycle.log'))
    .flatMap((f) => fs.readFileSync(path.join(eventLogDir, f), 'utf8').split('\n'))
    .filter(Boolean);
}

/**
 * Agent deaths with no decision line: each death must be matched by its own
 * `ev=supervise` line for that identity, logged at or after the death.
 */
export function unloggedDeaths(faults: Fault[], lines: string[]): Fault[] {
  const decisions = new Map<string, number[]>();
  for (const line of lines) {
    if (!DEATH_DECISIONS.test(line)) continue;
    const id = /\bidentity=(\S+)/.exec(line)?.[1];
    const ts = Date.parse(/^ts=(\S+)/.exec(line)?.[1] ?? '');
    if (!id || !Number.isFinite(ts)) continue;
    decisions.set(id, [...(decisions.get(id) ?? []), ts]);
  }
  for (const list of decisions.values()) list.sort((a, b) => a - b);
  const missing: Fault[] = [];
  const deaths = faults.filter((f): f is Extract<Fault, { kind: 'agent' }> => f.kind === 'agent').sort((a, b) => a.at - b.at);
  for (const d of deaths) {
    const list = decisions.get(d.identity) ?? [];
    // ts has ms precision; allow the same millisecond
    const i = list.findIndex((ts) => ts >= d.at - 1);
    if (i < 0) missing.push(d);
    else list.splice(i, 1);
  }
  return missing;
}

/** Processes whose environment names this root (services, tmux servers, agents). */
export function processesOfRoot(root: string): Array<{ pid: number; cmd: string }> {
  const found: Array<{ pid: number; cmd: string }> = [];
  const needle = Buffer.from(`IAPEER_ROOT=${root}\0`);
  // Linux only (the CI host); elsewhere the socket check below still runs
  if (!fs.existsSync('/proc')) return found;
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const environ = fs.readFileSync(`/proc/${pid}/environ`);
      if (environ.includes(needle)) found.push({ pid, cmd: fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim() });
    } catch {
      // gone meanwhile, or another user's process: not ours either way
    }
  }
  return found;
}

/** Socket files left in the root (service sockets and tmux sockets). */
export function socketsUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isSocket()) out.push(p);
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}
