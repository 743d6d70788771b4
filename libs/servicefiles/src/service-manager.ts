/**
 * The port over the host's service manager (launchd or systemd --user). Nothing else
 * in iapeer runs launchctl or systemctl. With IAPEER_TEST_SANDBOX=1 the sandbox
 * implementation records each call and returns `skipped-sandbox`.
 */

/** A job the manager is told about: its label (launchd) or unit name (systemd) and its file. */
export interface ManagedJob {
  label: string;
  file: string;
}

/**
 * Result of one manager action:
 * - `loaded`: bootstrapped / enabled and started;
 * - `already-loaded`: it was loaded and its file did not change;
 * - `restarted`: it was loaded and its file changed, so it was reloaded;
 * - `unloaded`: booted out / disabled and stopped;
 * - `not-loaded`: nothing to unload;
 * - `reloaded`: the manager re-read its files (systemd daemon-reload);
 * - `not-needed`: the manager has no such step (launchd has no daemon-reload);
 * - `skipped-sandbox`: IAPEER_TEST_SANDBOX=1, recorded and not run;
 * - `failed`: see `detail`.
 */
export type ManagerOutcome = 'loaded' | 'already-loaded' | 'restarted' | 'unloaded' | 'not-loaded' | 'reloaded' | 'not-needed' | 'skipped-sandbox' | 'failed';

export interface ManagerResult {
  outcome: ManagerOutcome;
  detail?: string;
}

/**
 * What the manager says about a job:
 * launchd `running` / `loaded` (listed, not running) / `not-loaded`;
 * systemd `active` / `activating` / `deactivating` / `inactive` / `failed`;
 * `skipped-sandbox` under the test sandbox; `unknown` when the query itself failed.
 */
export type JobState = 'running' | 'loaded' | 'not-loaded' | 'active' | 'activating' | 'deactivating' | 'inactive' | 'failed' | 'skipped-sandbox' | 'unknown';

export interface ServiceManager {
  readonly kind: 'launchd' | 'systemd';
  /** True when every call is a recorded no-op (IAPEER_TEST_SANDBOX=1). */
  readonly sandboxed: boolean;
  /** Re-read unit files after writing them (systemd `daemon-reload`; launchd: `not-needed`). */
  reload(): Promise<ManagerResult>;
  /** Load and start; `changed` says the file was just rewritten, so a loaded job is restarted. */
  start(job: ManagedJob, opts: { changed: boolean }): Promise<ManagerResult>;
  /** Stop and unload (launchd `bootout`, systemd `disable --now`). */
  stop(job: ManagedJob): Promise<ManagerResult>;
  /** Current state, for `status`. */
  query(job: ManagedJob): Promise<JobState>;
  /** The argv each action runs, for `--dry-run` and the sandbox journal. */
  describe(action: 'reload' | 'start' | 'stop' | 'query', job?: ManagedJob, opts?: { changed: boolean }): string[][];
}
