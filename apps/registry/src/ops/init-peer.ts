import fs from 'node:fs';
import path from 'node:path';
import {
  IapeerError, assertPersonality, assertRuntime, isPersonality, normalizeIntelligence, normalizeName,
} from '@iapeer/core';
import type { InitInput, Peer } from '@iapeer/contracts';
import { ensureLocalScaffold } from '@iapeer/storage';
import type { Operation } from '../file/commit-queue';
import { clampDescription, toPeer } from '../file/peer-record';
import { profileDefaultRuntime, profilePath, readPeerProfile, writePeerProfile } from '@iapeer/profiles';
import { discoverPeerRuntimes, mergeProfile, recordFromProfile } from '../profile/profile-merge';
import { sameRecord } from './merge-record';
import { assertOwnership } from './ownership';
import { assertCwd } from './validate-input';

export interface InitResult {
  peer: Peer;
  created: boolean;
  profilePath: string;
  profileCreated: boolean;
  warnings: string[];
}

/**
 * Make a folder a peer: the registry service writes `<cwd>/.iapeer/peer-profile.json`
 * (merged over the raw existing JSON), the local scaffold, and the registry record
 * projected from that profile — all inside one queued operation, so the 1:1 checks and
 * the writes see the same registry state.
 */
export function initOperation(input: InitInput): Operation<InitResult> {
  const cwd = assertCwd(input.cwd);
  if (!isDirectory(cwd)) {
    throw new IapeerError('INVALID_INPUT', `folder ${cwd} does not exist; create it first, or use \`iapeer create <name>\``, { data: { cwd } });
  }
  const explicitName = input.personality === undefined ? undefined : assertPersonality(input.personality);
  const runtimeArg = input.runtime === undefined ? undefined : assertRuntime(input.runtime);
  if (input.intelligence !== undefined) normalizeIntelligence(input.intelligence);
  const extraRuntimes = (input.runtimes ?? []).map((r) => assertRuntime(r));
  for (const [channel, face] of Object.entries(input.interfaces ?? {})) {
    if (typeof face !== 'object' || face === null || Array.isArray(face)) {
      throw new IapeerError('INVALID_INPUT', `interfaces.${channel} must be an object (e.g. {"bot": "<alias>"}), got ${JSON.stringify(face)}`, { data: { channel } });
    }
  }
  const warnings: string[] = [];
  let description: string | undefined;
  if (input.description !== undefined && input.description.trim() !== '') {
    const c = clampDescription(input.description);
    if (c.warning) warnings.push(c.warning);
    description = c.description;
  }
  return {
    apply(draft) {
      const profile = readPeerProfile(cwd);
      if (profile.state === 'invalid') {
        throw new IapeerError('INVALID_INPUT', `${profilePath(cwd)} is not a valid profile (${profile.reason}); fix it or move it away, then run init again`, { data: { cwd } });
      }
      const existingRaw = profile.state === 'ok' ? profile.profile : null;
      const personality = resolvePersonality(cwd, existingRaw?.personality, explicitName);
      const oldDefault = existingRaw ? profileDefaultRuntime(existingRaw) : undefined;
      const runtime = runtimeArg ?? (typeof oldDefault === 'string' ? assertRuntime(oldDefault) : undefined);
      // never a silent default (docs/behaviour.md §2.5): the caller resolved what it could
      if (runtime === undefined) {
        throw new IapeerError(
          'RUNTIME_UNRESOLVED',
          `no runtime for peer "${personality}" in ${cwd}: pass --runtime <name> (claude, codex, a manifest runtime), set PEER_RUNTIME, or give ${profilePath(cwd)} a default_runtime`,
          { data: { cwd, personality } },
        );
      }
      assertOwnership(draft.peers, personality, cwd);
      const merged = mergeProfile(
        existingRaw,
        {
          personality,
          runtime,
          runtimes: [...discoverPeerRuntimes(cwd, runtime), ...extraRuntimes],
          description,
          intelligence: input.intelligence,
          initial_prompt: input.initial_prompt,
          interfaces: input.interfaces,
        },
        normalizeIntelligence,
      );
      const existing = draft.peers.get(personality);
      const rec = recordFromProfile(cwd, merged, existing?.extra);
      if (typeof rec === 'string') throw new IapeerError('INVALID_INPUT', `${profilePath(cwd)}: ${rec}`, { data: { cwd } });
      const file = writePeerProfile(cwd, merged);
      ensureLocalScaffold(cwd);
      const changed = !sameRecord(existing, rec);
      if (changed) draft.peers.set(personality, rec);
      return {
        value: { peer: toPeer(rec), created: !existing, profilePath: file, profileCreated: existingRaw === null, warnings },
        changed,
      };
    },
  };
}

/**
 * The name comes from the existing profile, else from the folder name (§2.1); an
 * explicit name must agree, and a folder holding a different peer is refused.
 */
function resolvePersonality(cwd: string, profileName: unknown, explicit: string | undefined): string {
  if (profileName !== undefined) {
    const name = assertPersonality(profileName);
    if (explicit !== undefined && explicit !== name) {
      throw new IapeerError('PERSONALITY_TAKEN', `folder ${cwd} holds a different peer ("${name}" in ${profilePath(cwd)}); refusing to make it "${explicit}" — use another folder`, {
        data: { cwd, holder: name, personality: explicit },
      });
    }
    return name;
  }
  const derived = normalizeName(path.basename(cwd));
  if (explicit !== undefined && explicit !== derived) {
    throw new IapeerError('INVALID_PERSONALITY', `peer name "${explicit}" must equal the normalized folder name "${derived}" of ${cwd} (personality and folder are 1:1)`, {
      data: { cwd, personality: explicit, derived },
    });
  }
  if (!isPersonality(derived)) {
    throw new IapeerError(
      'INVALID_PERSONALITY',
      `the folder name "${path.basename(cwd)}" normalizes to ${JSON.stringify(derived)}, which is not a valid peer name (^[a-z][a-z0-9-]{0,31}$); rename the folder, or create ${profilePath(cwd)} explicitly with a "personality"`,
      { data: { cwd, derived } },
    );
  }
  return derived;
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false; // missing: reported by the caller
  }
}
