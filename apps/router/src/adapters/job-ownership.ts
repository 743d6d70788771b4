/**
 * The fleet guard's view of the host's service-manager job files (§7.3), over
 * libs/servicefiles: the file at a peer's label (`com.iapeer.<p>.plist` on macOS,
 * `iapeer-peer-<p>.service` elsewhere) is foreign when it lacks the iapeer sentinel, or
 * when it is one of iapeer's own service jobs sitting at a peer's label.
 */
import type { IapeerPaths } from '@iapeer/core';
import { jobFilePath, jobLabel, readJobPresence, type ServicePlatform } from '@iapeer/servicefiles';
import type { JobOwnership } from '../ports';

export function createJobOwnership(paths: IapeerPaths, platform: NodeJS.Platform = process.platform): JobOwnership {
  const sp: ServicePlatform = platform === 'darwin' ? 'darwin' : 'linux';
  return {
    foreignJob(personality) {
      const p = readJobPresence(paths, sp, 'infra-peer', personality);
      const foreign = p.state === 'foreign' || (p.state === 'ours' && p.kind === 'service');
      return foreign ? { file: jobFilePath(paths, sp, 'infra-peer', personality), label: jobLabel(sp, 'infra-peer', personality) } : null;
    },
  };
}
