import type { Env, IapeerPaths } from '@iapeer/core';
import {
  createServiceManager as createHostManager, isHeldByServiceManager, jobFilePath, jobLabel, readJobPresence,
  type ManagedJob, type ManagerResult, type ServiceManager as HostManager, type ServicePlatform,
} from '@iapeer/servicefiles';
import type { ServiceManager, ServiceManagerAction } from '../core/ports';

/** The servicefiles platform for this host: launchd on macOS, systemd --user elsewhere. */
export const servicePlatformOf = (platform: NodeJS.Platform): ServicePlatform => (platform === 'darwin' ? 'darwin' : 'linux');

/** The job of an always-on peer: `com.iapeer.<p>` (plist) or `iapeer-peer-<p>.service` (unit). */
export function infraJob(paths: IapeerPaths, platform: ServicePlatform, personality: string): ManagedJob {
  return { label: jobLabel(platform, 'infra-peer', personality), file: jobFilePath(paths, platform, 'infra-peer', personality) };
}

/** The host manager's answer in the three words stop/start report. */
function toAction<O extends 'bootout' | 'bootstrap'>(done: O, r: ManagerResult): ServiceManagerAction<O> {
  if (r.outcome === 'skipped-sandbox') return { outcome: 'skipped-sandbox' };
  if (r.outcome === 'failed') return { outcome: 'failed', detail: r.detail };
  return { outcome: done, detail: r.outcome };
}

export interface SupervisorServiceManagerOptions {
  platform?: NodeJS.Platform;
  /** The host manager (libs/servicefiles); the recording sandbox twin under IAPEER_TEST_SANDBOX=1 by default. */
  manager?: HostManager;
}

/**
 * H4 (§7.3) over libs/servicefiles: a peer whose job file (this platform's plist or unit,
 * named exactly as `iapeer create --runtime telegram|notifier` writes it) exists is the
 * service manager's. Ours when it carries the iapeer sentinel; a service's own file at a
 * colliding launchd label (a peer named `logd`) is not the peer's job. Nothing here runs
 * launchctl/systemctl itself: the servicefiles manager does (a recorded no-op in the sandbox).
 */
export function createServiceManager(paths: IapeerPaths, env: Env, opts: SupervisorServiceManagerOptions = {}): ServiceManager {
  const platform = servicePlatformOf(opts.platform ?? process.platform);
  const manager = opts.manager ?? createHostManager({ platform, env, paths });
  return {
    isManaged: (p) => isHeldByServiceManager(paths, platform, p),
    ownership(p) {
      const presence = readJobPresence(paths, platform, 'infra-peer', p);
      if (presence.state === 'missing') return 'none';
      if (presence.state === 'foreign') return 'foreign';
      return presence.kind === 'service' ? 'none' : 'ours';
    },
    describeJob: (p) => infraJob(paths, platform, p),
    bootout: async (p) => toAction('bootout', await manager.stop(infraJob(paths, platform, p))),
    bootstrap: async (p) => toAction('bootstrap', await manager.start(infraJob(paths, platform, p), { changed: false })),
  };
}
