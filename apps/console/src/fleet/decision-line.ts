/**
 * A decision-log line as the page sees it. The decision logs never carry a message
 * body (only its length); fields that could, under any future name, are dropped here
 * too, so the console cannot leak one even if a writer starts logging it.
 */
import type { Decision } from '@iapeer/contracts';
import { parseIdentity } from '@iapeer/core';
import { parseLogfmt } from '@iapeer/logclient';

const BODY_FIELDS = new Set(['message', 'msg', 'body', 'text', 'task', 'envelope', 'content']);

/** The personality a line is about: its personality, identity, or a delivery's target. */
export function peerOfFields(f: Record<string, string>): string | undefined {
  if (f.personality) return f.personality;
  if (f.identity) return parseIdentity(f.identity)?.personality ?? undefined;
  if (f.to) return f.to;
  return undefined;
}

export function toDecision(id: number, log: 'lifecycle' | 'delivery', line: string): Decision | null {
  let raw: Record<string, string>;
  try {
    raw = parseLogfmt(line);
  } catch {
    return null;
  }
  if (!raw.ev) return null;
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (!BODY_FIELDS.has(k) && k !== 'ts') fields[k] = v;
  const peer = peerOfFields(raw);
  return { id, log, ts: raw.ts ?? new Date().toISOString(), ev: raw.ev, ...(peer ? { peer } : {}), fields };
}

/** True when a delivery line reports a send that did not land. */
export const isFailedDelivery = (d: Decision) => d.log === 'delivery' && d.fields.ok === 'false';
