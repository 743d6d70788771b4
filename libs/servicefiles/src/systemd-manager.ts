import { describeFailure, type CommandRunner } from './command-runner';
import type { JobState, ManagedJob, ServiceManager } from './service-manager';

const SYSTEMD_STATES: readonly JobState[] = ['active', 'activating', 'deactivating', 'inactive', 'failed'];

/** systemd through `systemctl --user`: the services are user units, never system ones. */
export function createSystemdManager(deps: { run: CommandRunner }): ServiceManager {
  const ctl = (...args: string[]) => ['systemctl', '--user', ...args];
  const isActive = async (job: ManagedJob): Promise<JobState> => {
    const out = await deps.run(ctl('is-active', job.label));
    if (out.spawnError) return 'unknown';
    const word = out.stdout.trim().split('\n')[0] as JobState;
    return SYSTEMD_STATES.includes(word) ? word : 'unknown';
  };
  const runAll = async (argvs: string[][]): Promise<string | undefined> => {
    for (const argv of argvs) {
      const out = await deps.run(argv);
      if (out.code !== 0) return describeFailure(argv, out);
    }
    return undefined;
  };

  return {
    kind: 'systemd',
    sandboxed: false,
    async reload() {
      const failure = await runAll([ctl('daemon-reload')]);
      return failure ? { outcome: 'failed', detail: failure } : { outcome: 'reloaded' };
    },
    async start(job, { changed }) {
      // enable --now does not restart a running unit: a rewritten unit needs an explicit restart
      const running = changed && (await isActive(job)) === 'active';
      const failure = await runAll(running ? [ctl('enable', job.label), ctl('restart', job.label)] : [ctl('enable', '--now', job.label)]);
      if (failure) return { outcome: 'failed', detail: failure };
      return { outcome: running ? 'restarted' : 'loaded' };
    },
    async stop(job) {
      const failure = await runAll([ctl('disable', '--now', job.label)]);
      return failure ? { outcome: 'failed', detail: failure } : { outcome: 'unloaded' };
    },
    query: isActive,
    describe(action, job, opts) {
      if (action === 'reload') return [ctl('daemon-reload')];
      if (!job) return [];
      if (action === 'query') return [ctl('is-active', job.label)];
      if (action === 'stop') return [ctl('disable', '--now', job.label)];
      return opts?.changed ? [ctl('is-active', job.label), ctl('enable', job.label), ctl('restart', job.label)] : [ctl('enable', '--now', job.label)];
    },
  };
}
