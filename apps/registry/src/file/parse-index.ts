import {
  PEERS_SCHEMA_VERSION, defaultIntelligence, errorMessage, isKnownIntelligence, isPersonality, isRuntime,
} from '@iapeer/core';
import { RECORD_KEYS, clampDescription, emptyIndex, orderRuntimes, type StoredPeer, type PeersIndex } from './peer-record';

/** What a read gives: every record that reads cleanly, plus what is wrong with the rest. */
export interface ParsedIndex {
  index: PeersIndex;
  /** Non-fatal notes (newer version, re-clamped description, dropped invalid runtime). */
  warnings: string[];
  /** Fatal problems: when non-empty the file must not be rewritten (it would lose data). */
  problems: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The read rules of docs/behaviour.md §4.2, made tolerant: instead of throwing on the first bad
 * record, every readable record is kept and every problem is listed, so reads answer
 * what they can while writes are refused.
 */
export function parseIndex(text: string | null): ParsedIndex {
  const warnings: string[] = [];
  const problems: string[] = [];
  const index = emptyIndex();
  if (text === null) return { index, warnings, problems };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    problems.push(`not valid JSON (${errorMessage(err)})`);
    return { index, warnings, problems };
  }
  if (!isObject(raw)) {
    problems.push('the top level is not a JSON object');
    return { index, warnings, problems };
  }
  const { version, peers, ...extra } = raw;
  index.extra = extra;
  if (version !== undefined && (typeof version !== 'number' || !Number.isInteger(version) || version < 1)) {
    problems.push(`"version" is ${JSON.stringify(version)}, expected a positive integer`);
    return { index, warnings, problems };
  }
  // older versions migrate by bumping the number; a newer one is read for the fields we know
  index.version = Math.max(typeof version === 'number' ? version : PEERS_SCHEMA_VERSION, PEERS_SCHEMA_VERSION);
  if (index.version > PEERS_SCHEMA_VERSION) {
    warnings.push(`peers-profiles.json has schema version ${index.version}, newer than ${PEERS_SCHEMA_VERSION}: only known fields are read (unknown ones are kept on write)`);
  }
  if (peers === undefined) return { index, warnings, problems };
  if (!Array.isArray(peers)) {
    problems.push('"peers" is not an array');
    return { index, warnings, problems };
  }
  peers.forEach((entry, i) => {
    const rec = parseRecord(entry, i, warnings, problems);
    if (!rec) return;
    if (index.peers.has(rec.personality)) {
      problems.push(`peers[${i}]: duplicate personality "${rec.personality}"`);
      return;
    }
    index.peers.set(rec.personality, rec);
  });
  return { index, warnings, problems };
}

function parseRecord(entry: unknown, i: number, warnings: string[], problems: string[]): StoredPeer | null {
  const at = `peers[${i}]`;
  if (!isObject(entry)) {
    problems.push(`${at} is not an object`);
    return null;
  }
  const { personality, default_runtime, runtime, runtimes, description, intelligence, cwd, interfaces } = entry;
  if (!isPersonality(personality)) {
    problems.push(`${at}: invalid personality ${JSON.stringify(personality)}`);
    return null;
  }
  const who = `${at} ("${personality}")`;
  const def = default_runtime ?? runtime;
  if (!isRuntime(def)) {
    problems.push(`${who}: invalid default_runtime ${JSON.stringify(def)}`);
    return null;
  }
  if (typeof cwd !== 'string' || cwd.length === 0) {
    problems.push(`${who}: missing cwd`);
    return null;
  }
  if (interfaces !== undefined && !isObject(interfaces)) {
    problems.push(`${who}: "interfaces" is not an object`);
    return null;
  }
  let raw = typeof intelligence === 'string' ? intelligence.trim() : '';
  if (raw === '') raw = defaultIntelligence(def); // healed to the runtime default (§4.2)
  else if (!isKnownIntelligence(raw)) {
    problems.push(`${who}: unknown intelligence ${JSON.stringify(intelligence)}`);
    return null;
  }
  const listed = Array.isArray(runtimes) ? runtimes.filter((r): r is string => typeof r === 'string') : [];
  const valid = listed.filter((r) => isRuntime(r));
  if (valid.length !== listed.length) warnings.push(`${who}: ignored invalid runtimes ${JSON.stringify(listed.filter((r) => !isRuntime(r)))}`);
  const clamped = clampDescription(typeof description === 'string' ? description : '');
  if (clamped.warning) warnings.push(`${who}: ${clamped.warning}`);
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(entry)) if (!(RECORD_KEYS as readonly string[]).includes(k)) extra[k] = v;
  const rec: StoredPeer = {
    personality,
    default_runtime: def,
    runtimes: orderRuntimes(def, valid),
    description: clamped.description,
    intelligence: raw,
    cwd,
    extra,
  };
  if (interfaces !== undefined) rec.interfaces = interfaces;
  return rec;
}
