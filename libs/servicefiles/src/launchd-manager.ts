import { IapeerError } from '@iapeer/core';
import { describeFailure, type CommandRunner } from './command-runner';
import type { ManagedJob, ManagerResult, ServiceManager } from './service-manager';

export interface LaunchdDeps {
  run: CommandRunner;
  /** The user's uid (process.getuid); launchctl targets are never aimed at uid 0 (docs/behaviour.md §12). */
  uid: () => number | undefined;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

/** Bootstrap back-off (docs/behaviour.md §7.10): launchd refuses a bootstrap right after a bootout for a while. */
export const BOOTSTRAP_BACKOFF_MS: readonly number[] = [0, 2000, 5000, 15000];
/** How long a booted-out job may stay listed before we give up waiting. */
export const BOOTOUT_SETTLE_MS = 10_000;
const POLL_MS = 500;

/**
 * launchd through `launchctl` in the `gui/<uid>` domain. A restart is bootout then
 * bootstrap, never `kickstart` (launch constraints after a binary swap, §7.10).
 */
export function createLaunchdManager(deps: LaunchdDeps): ServiceManager {
  const domain = (strict: boolean) => {
    const uid = deps.uid();
    if (uid === undefined || (strict && uid === 0)) {
      if (!strict) return 'gui/<uid>';
      throw new IapeerError('INVALID_INPUT', `refusing to aim launchctl at uid ${uid ?? 'unknown'}: run iapeer as the logged-in user, not root`);
    }
    return `gui/${uid}`;
  };
  const cmds = (strict: boolean) => {
    const d = domain(strict);
    return {
      print: (j: ManagedJob) => ['launchctl', 'print', `${d}/${j.label}`],
      bootstrap: (j: ManagedJob) => ['launchctl', 'bootstrap', d, j.file],
      bootout: (j: ManagedJob) => ['launchctl', 'bootout', `${d}/${j.label}`],
    };
  };
  const isListed = async (j: ManagedJob) => (await deps.run(cmds(true).print(j))).code === 0;
  const waitUnlisted = async (j: ManagedJob) => {
    const deadline = deps.now() + BOOTOUT_SETTLE_MS;
    while (await isListed(j)) {
      if (deps.now() >= deadline) return false;
      await deps.sleep(POLL_MS);
    }
    return true;
  };

  return {
    kind: 'launchd',
    sandboxed: false,
    async reload() {
      return { outcome: 'not-needed', detail: 'launchd reads a plist at bootstrap' };
    },
    async start(job, { changed }): Promise<ManagerResult> {
      const c = cmds(true);
      const listed = await isListed(job);
      if (listed && !changed) return { outcome: 'already-loaded' };
      if (listed) {
        const out = await deps.run(c.bootout(job));
        if (out.code !== 0 && (await isListed(job))) return { outcome: 'failed', detail: describeFailure(c.bootout(job), out) };
        if (!(await waitUnlisted(job))) return { outcome: 'failed', detail: `${job.label} is still listed ${BOOTOUT_SETTLE_MS / 1000}s after bootout; run \`launchctl bootout ${domain(true)}/${job.label}\` by hand` };
      }
      let last = '';
      for (const delay of BOOTSTRAP_BACKOFF_MS) {
        if (delay > 0) await deps.sleep(delay);
        const out = await deps.run(c.bootstrap(job));
        if (out.code === 0) return { outcome: listed ? 'restarted' : 'loaded' };
        last = describeFailure(c.bootstrap(job), out);
        if (await isListed(job)) return { outcome: listed ? 'restarted' : 'loaded', detail: 'listed after a failed bootstrap (another bootstrap won the race)' };
      }
      return { outcome: 'failed', detail: `${last}; manual rescue: \`launchctl bootstrap ${domain(true)} ${job.file}\`` };
    },
    async stop(job) {
      const c = cmds(true);
      if (!(await isListed(job))) return { outcome: 'not-loaded' };
      const out = await deps.run(c.bootout(job));
      if (out.code === 0 || !(await isListed(job))) return { outcome: 'unloaded' };
      return { outcome: 'failed', detail: describeFailure(c.bootout(job), out) };
    },
    async query(job) {
      const out = await deps.run(cmds(true).print(job));
      if (out.spawnError) return 'unknown';
      if (out.code !== 0) return 'not-loaded';
      return /^\s*state = running\s*$/m.test(out.stdout) ? 'running' : 'loaded';
    },
    describe(action, job, opts) {
      const c = cmds(false);
      if (action === 'reload' || !job) return [];
      if (action === 'query') return [c.print(job)];
      if (action === 'stop') return [c.print(job), c.bootout(job)];
      return opts?.changed ? [c.print(job), c.bootout(job), c.bootstrap(job)] : [c.print(job), c.bootstrap(job)];
    },
  };
}
