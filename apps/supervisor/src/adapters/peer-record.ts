import fs from 'node:fs';
import path from 'node:path';
import { isKnownIntelligence, normalizeIntelligence, defaultIntelligence, type Intelligence } from '@iapeer/core';
import type { PeerRecord } from '../core/ports';

/**
 * The registry record as the registry service is expected to answer it (§4.1 field
 * names). GUESSED until the registry contract lands: adjust here, and only here.
 */
export interface RegistryPeerWire {
  personality: string;
  default_runtime?: string;
  runtime?: string;
  runtimes?: string[];
  description?: string;
  intelligence?: string;
  cwd: string;
  interfaces?: Record<string, unknown>;
}

/** The local-profile-only fields (`<cwd>/.iapeer/peer-profile.json`, the source of truth). */
interface LocalProfile {
  initial_prompt?: unknown;
  wake_policy?: unknown;
  interfaces?: unknown;
}

function readLocalProfile(cwd: string): LocalProfile {
  try {
    const raw = JSON.parse(fs.readFileSync(path.join(cwd, '.iapeer', 'peer-profile.json'), 'utf8'));
    return raw && typeof raw === 'object' ? (raw as LocalProfile) : {};
  } catch {
    return {}; // a missing or unreadable profile means no seed, no policy: the registry record still wakes it
  }
}

function toIntelligence(raw: string | undefined, runtime: string): Intelligence {
  return raw && isKnownIntelligence(raw) ? normalizeIntelligence(raw) : defaultIntelligence(runtime);
}

/** Registry record + local profile → the supervisor's PeerRecord. */
export function toPeerRecord(wire: RegistryPeerWire): PeerRecord {
  const defaultRuntime = wire.default_runtime ?? wire.runtime ?? wire.runtimes?.[0] ?? '';
  const runtimes = [...new Set([defaultRuntime, ...(wire.runtimes ?? [])].filter(Boolean))];
  const local = readLocalProfile(wire.cwd);
  const interfaces = (local.interfaces && typeof local.interfaces === 'object' ? local.interfaces : wire.interfaces) as Record<string, unknown> | undefined;
  return {
    personality: wire.personality,
    defaultRuntime,
    runtimes,
    cwd: wire.cwd,
    description: wire.description ?? '',
    intelligence: toIntelligence(wire.intelligence, defaultRuntime),
    interfaces,
    initialPrompt: typeof local.initial_prompt === 'string' && local.initial_prompt.trim() ? local.initial_prompt : undefined,
    wakePolicy: local.wake_policy === 'ephemeral' ? 'ephemeral' : undefined,
  };
}
