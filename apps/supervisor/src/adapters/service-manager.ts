import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { MANAGED_SENTINEL_KEY, type Env, type IapeerPaths } from '@iapeer/core';
import type { ServiceManager } from '../core/ports';

export const plistPath = (paths: Pick<IapeerPaths, 'launchAgentsDir'>, p: string) => path.join(paths.launchAgentsDir, `com.iapeer.${p}.plist`);
export const unitPath = (paths: Pick<IapeerPaths, 'systemdUserDir'>, p: string) => path.join(paths.systemdUserDir, `iapeer-peer-${p}.service`);

function run(cmd: string, args: string[]): Promise<boolean> {
  return new Promise((resolve) => execFile(cmd, args, { timeout: 15_000 }, (err) => resolve(!err)));
}

/**
 * H4 (§7.3): a peer with `com.iapeer.<p>.plist` (launchd) or `iapeer-peer-<p>.service`
 * (systemd user) is the service manager's. Ours when the file carries the
 * `com.iapeer.managed` sentinel. launchctl/systemctl are never run in the test sandbox
 * and never aimed at uid 0.
 */
export function createServiceManager(paths: Pick<IapeerPaths, 'launchAgentsDir' | 'systemdUserDir'>, env: Env, platform: NodeJS.Platform = process.platform): ServiceManager {
  const files = (p: string) => [plistPath(paths, p), unitPath(paths, p)];
  const sandboxed = env.IAPEER_TEST_SANDBOX === '1';
  const uid = typeof process.getuid === 'function' ? process.getuid() : -1;
  const control = async (p: string, action: 'stop' | 'start'): Promise<boolean> => {
    if (platform === 'darwin') {
      if (uid <= 0) return false;
      return action === 'stop'
        ? run('launchctl', ['bootout', `gui/${uid}/com.iapeer.${p}`])
        : run('launchctl', ['bootstrap', `gui/${uid}`, plistPath(paths, p)]);
    }
    return run('systemctl', ['--user', action, `iapeer-peer-${p}.service`]);
  };
  return {
    isManaged: (p) => files(p).some((f) => fs.existsSync(f)),
    ownership(p) {
      const found = files(p).filter((f) => fs.existsSync(f));
      if (found.length === 0) return 'none';
      return found.every((f) => fs.readFileSync(f, 'utf8').includes(MANAGED_SENTINEL_KEY)) ? 'ours' : 'foreign';
    },
    async bootout(p) {
      if (sandboxed) return 'skipped-sandbox';
      return (await control(p, 'stop')) ? 'bootout' : 'failed';
    },
    async bootstrap(p) {
      if (sandboxed) return 'skipped-sandbox';
      return (await control(p, 'start')) ? 'bootstrap' : 'failed';
    },
  };
}
