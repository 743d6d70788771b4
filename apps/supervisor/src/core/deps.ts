import type { IapeerConfig, KeyedSerializer } from '@iapeer/core';
import type { EphemeralQueue } from './ephemeral-queue';
import type { ExitSpool } from './exits';
import type { MarkerStore } from './markers';
import type { ActivityProbe, AdapterRegistry, LaunchEnvReader, ScreenProbe, Clock, EventLog, HostFacts, LaunchPhase, Launcher, Liveness, PeerDirectory, ServiceManager } from './ports';
import type { WithWakeLock } from './wake-lock';

export type SupervisorConfig = Pick<
  IapeerConfig,
  'idleSecs' | 'crashLoopMax' | 'crashLoopWindowSecs' | 'bootDeadlineSecs' | 'readyGateSecs' | 'superviseLogVerbose' | 'ephemeralQuietSecs' | 'ephemeralUnarmedIdleSecs'
>;

/** Everything the decision core needs, passed in; nothing below reads process.env or Date.now(). */
export interface SupervisorDeps {
  markers: MarkerStore;
  /** The ephemeral workers' FIFOs (§7.7), beside the markers. */
  queue: EphemeralQueue;
  directory: PeerDirectory;
  liveness: Liveness;
  launcher: Launcher;
  adapters: AdapterRegistry;
  activity: ActivityProbe;
  serviceManager: ServiceManager;
  events: EventLog;
  clock: Clock;
  hostFacts: () => HostFacts;
  config: SupervisorConfig;
  paths: { root: string; home: string; paneLogDir: string; eventLogDir: string };
  /** The env handed to adapters (HOME, sandbox flags); never process.env below main. */
  env: Record<string, string | undefined>;
  wakeLock: WithWakeLock;
  /** Serialises the evaluation of one identity between the tick and a wake's heal. */
  evalLock: KeyedSerializer;
  /** One drain at a time per identity (an enqueue's kick versus the tick's pass). */
  drainLock: KeyedSerializer;
  cwdExists(cwd: string): boolean;
  /** A peer's launch.env (§3.3); absent: the file under the peer's folder (libs/runtimes readLaunchEnv). */
  launchEnv?: LaunchEnvReader;
  /** The pane-died hooks' records, shipped to exits.log by the tick; absent: none are shipped. */
  exitSpool?: ExitSpool;
  /** Screens and attached humans of live sessions (§6.4); absent: activity reads `unknown`, nothing is skipped for a human. */
  screens?: ScreenProbe;
  /** Identities whose launch is running now (`booting`); createSupervisor fills it. */
  launching?: Set<string>;
  /** Launch progress, for a CLI waiting on a wake. */
  onPhase?: (identity: string, phase: LaunchPhase) => void;
}
