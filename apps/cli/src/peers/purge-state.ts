import fs from 'node:fs';
import path from 'node:path';
import { parseIdentity, type IapeerPaths } from '@iapeer/core';

/**
 * `purgeIdentityState` (docs/behaviour.md §7.2): delete every `<identity>.*` entry of the peer in
 * the lifecycle dir — any runtime, declared or not — and its tmux command logs, so a new
 * peer with the same name inherits nothing (no old `.stopped`). The identity is everything
 * before the first dot and must parse to this personality: `claude-bob` never matches
 * `claude-bob2.*` nor `claude-bob-x.*`. Returns the removed paths.
 */
export function purgeIdentityState(paths: IapeerPaths, personality: string): string[] {
  const removed: string[] = [];
  const owned = (identity: string) => parseIdentity(identity)?.personality === personality;
  let entries: string[] = [];
  try {
    entries = fs.readdirSync(paths.lifecycleDir);
  } catch {
    // no lifecycle dir yet: nothing to purge
  }
  for (const name of entries) {
    const dot = name.indexOf('.');
    if (dot <= 0 || !owned(name.slice(0, dot))) continue;
    const p = path.join(paths.lifecycleDir, name);
    fs.rmSync(p, { recursive: true, force: true });
    removed.push(p);
  }
  const cmdlogs = path.join(paths.eventLogDir, 'tmux-cmdlog');
  let logDirs: string[] = [];
  try {
    logDirs = fs.readdirSync(cmdlogs);
  } catch {
    // no tmux command logs were ever kept
  }
  for (const identity of logDirs.filter(owned)) {
    const p = path.join(cmdlogs, identity);
    fs.rmSync(p, { recursive: true, force: true });
    removed.push(p);
  }
  return removed;
}
