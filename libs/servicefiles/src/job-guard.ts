import fs from 'node:fs';
import { IapeerError, type IapeerPaths } from '@iapeer/core';
import type { JobKind, ServicePlatform } from './job-spec';
import { jobFilePath, jobLabel } from './labels';
import { classifyServiceFile } from './sentinel';

/** What sits at a job's label: nothing, an iapeer file (and of which kind), or a foreign file. */
export type JobPresence = { state: 'missing' } | { state: 'ours'; kind: JobKind | undefined } | { state: 'foreign' };

export function readJobPresence(paths: IapeerPaths, platform: ServicePlatform, kind: JobKind, name: string): JobPresence {
  let text: string;
  try {
    text = fs.readFileSync(jobFilePath(paths, platform, kind, name), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
    throw err;
  }
  const own = classifyServiceFile(text, platform === 'darwin' ? 'plist' : 'unit');
  return own.owner === 'foreign' ? { state: 'foreign' } : { state: 'ours', kind: own.kind };
}

/**
 * H4 (docs/behaviour.md §7.3): a peer with a job file at its label — ours or foreign — is held by
 * the host's service manager; the supervisor never wakes, reaps, sweeps or drains it.
 * A service's own file at a colliding launchd label does not count.
 */
export function isHeldByServiceManager(paths: IapeerPaths, platform: ServicePlatform, personality: string): boolean {
  const p = readJobPresence(paths, platform, 'infra-peer', personality);
  return p.state === 'foreign' || (p.state === 'ours' && p.kind !== 'service');
}

/**
 * The fleet guard for stop/start/new/compact/remove of an always-on peer: throws
 * FOREIGN_SERVICE_FILE when the file at its label has no iapeer sentinel. Returns the
 * presence otherwise so the caller can act through the manager.
 */
export function assertPeerJobNotForeign(paths: IapeerPaths, platform: ServicePlatform, personality: string): JobPresence {
  const p = readJobPresence(paths, platform, 'infra-peer', personality);
  if (p.state === 'foreign' || (p.state === 'ours' && p.kind === 'service')) {
    const file = jobFilePath(paths, platform, 'infra-peer', personality);
    throw new IapeerError(
      'FOREIGN_SERVICE_FILE',
      `refused-foreign: ${file} (label ${jobLabel(platform, 'infra-peer', personality)}) is not an iapeer always-on peer job (no sentinel); iapeer never stops, starts or rewrites it — manage it by hand or move it away`,
      { data: { path: file, personality } },
    );
  }
  return p;
}
