import fs from 'node:fs';
import path from 'node:path';
import type { IapeerPaths } from '@iapeer/core';
import { keeperDir } from './pidfile';

/**
 * The reason a service refused to start (it exited with EXIT_NO_RESTART and the keeper
 * logged `refused`), read back from the keeper's files so `up` can say it at once:
 * the service's last `failed to start:` line in `<service>.out`. Undefined while none.
 * Only events after `sinceMs` count (keeper.events is appended across runs).
 */
export function readRefusal(paths: IapeerPaths, sinceMs: number): string | undefined {
  let events: string;
  try {
    events = fs.readFileSync(path.join(keeperDir(paths), 'keeper.events'), 'utf8');
  } catch {
    return undefined; // the keeper has not logged anything yet
  }
  for (const line of events.split('\n').reverse()) {
    let e: { ts?: string; ev?: string; service?: string };
    try {
      e = JSON.parse(line) as typeof e;
    } catch {
      continue; // the empty tail, or a line being written
    }
    if (!e.ts || Date.parse(e.ts) < sinceMs) return undefined;
    if (e.ev !== 'refused' || !e.service) continue;
    return lastFailure(path.join(keeperDir(paths), `${e.service}.out`)) ?? `${e.service} refused to start; see ${keeperDir(paths)}/${e.service}.out`;
  }
  return undefined;
}

function lastFailure(file: string): string | undefined {
  try {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const hit = lines.reverse().find((l) => l.includes(': failed to start: '));
    // `iapeer router: failed to start: [PORT_IN_USE] …` → the part after "failed to start: "
    return hit?.slice(hit.indexOf(': failed to start: ') + ': failed to start: '.length);
  } catch {
    return undefined;
  }
}
