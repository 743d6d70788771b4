import type { Peer } from '@iapeer/contracts';
import type { Intelligence } from '@iapeer/core';
import type { EventLog } from '@iapeer/logclient';
import type { LaunchResult, RuntimeAdapter } from '@iapeer/runtimes';
import type { TmuxDriver } from '@iapeer/tmux';

/**
 * The side effects of the supervisor, each behind a small port. The decision core
 * (wake, tick, operations) only sees these; production adapters live in ../adapters
 * and tests pass in-memory ones.
 */

/**
 * A peer as the supervisor needs it: the registry's `Peer` (the fields a wake and the
 * system prompt read) plus the two fields only the peer's own profile holds.
 */
export type SupervisedPeer = Pick<Peer, 'personality' | 'default_runtime' | 'runtimes' | 'cwd' | 'description' | 'intelligence' | 'interfaces'> & {
  /** Seed of every fresh session (§2.1), the profile's `initial_prompt`. */
  initialPrompt?: string;
  /** The profile's `wake_policy`: `ephemeral` or absent (§2.1). */
  wakePolicy?: 'ephemeral';
};

/** Registry lookups (the registry service plus `<cwd>/.iapeer/peer-profile.json`). */
export interface PeerDirectory {
  get(personality: string): Promise<SupervisedPeer | null>;
  list(): Promise<SupervisedPeer[]>;
}

/** The part of the tmux driver the supervisor uses to see and end sessions. */
export type Liveness = Pick<TmuxDriver, 'isAlive' | 'kill' | 'classifyGone' | 'listLive'>;

/** Phases a launch goes through, streamed to a waiting CLI spinner. */
export type LaunchPhase = 'pre-clean' | 'spawning' | 'booting' | 'answering-dialogs' | 'delivering' | 'ready-gate';

/** Everything launch() needs for one session (§7.8). */
export interface LaunchSpec {
  identity: string;
  personality: string;
  runtime: string;
  cwd: string;
  intelligence: Intelligence;
  resume: boolean;
  systemPromptFile?: string;
  /** `<root>/logs/lifecycle/<identity>.log`. */
  paneLog: string;
  bootDeadlineSecs: number;
  readyGateSecs: number;
  /** The peer's launch.env for this runtime (§3.3): extra env, and args after the runtime's argv. */
  launchEnv?: { env: Record<string, string>; startArgs: string[] };
}

/** Reads `<cwd>/.iapeer/runtimes/<rt>/launch.env`; throws LAUNCH_ENV_INVALID for a bad line. */
export interface LaunchEnvReader {
  read(cwd: string, runtime: string): { env: Record<string, string>; startArgs: string[]; file: string };
}

export interface Launcher {
  launch(spec: LaunchSpec, adapter: RuntimeAdapter, firstMessage: string, opts?: { onPhase?: (phase: LaunchPhase) => void }): Promise<LaunchResult>;
}

export interface AdapterRegistry {
  /** The adapter of a built-in or manifest runtime; null when unknown or its manifest is invalid. */
  get(runtime: string): RuntimeAdapter | null;
  /** Why the manifest of `runtime` was refused at load (path, field, reason, fix); null when it was not. */
  problem?(runtime: string): string | null;
}

/** The newest activity time of a live session in epoch ms, or null when the runtime has no proxy. */
export interface ActivityProbe {
  lastActivityMs(session: { identity: string; runtime: string; cwd: string }): Promise<number | null>;
}

/**
 * One look at a live session's terminal (the tmux driver's `observe`, over the control
 * connection: no spawn): its screen and how many human terminals are attached.
 */
export interface ScreenProbe {
  observe(identity: string): Promise<{ screen: string; humans: number }>;
  /** The pane's output as it happens (control-mode %output); null when it cannot be had. */
  onOutput?(identity: string, listener: () => void): Promise<(() => void) | null>;
}

/** What a stop/start through the host's service manager did; `detail` says why it failed. */
export interface ServiceManagerAction<O extends string> {
  outcome: O | 'skipped-sandbox' | 'failed';
  detail?: string;
}

/** The host's service manager (launchd plist or systemd user unit) for peers it holds (§7.3). */
export interface ServiceManager {
  /** True when the peer's job file (`com.iapeer.<p>.plist` / `iapeer-peer-<p>.service`) exists: H4, never touch. */
  isManaged(personality: string): boolean;
  /** Managed and ours (the iapeer sentinel) versus a foreign file at our label. */
  ownership(personality: string): 'none' | 'ours' | 'foreign';
  /** The label and file of the peer's job, for messages. */
  describeJob(personality: string): { label: string; file: string };
  /** Stop/start the service-manager job of an infra peer (launchd bootout/bootstrap, systemd disable --now / enable --now). */
  bootout(personality: string): Promise<ServiceManagerAction<'bootout'>>;
  bootstrap(personality: string): Promise<ServiceManagerAction<'bootstrap'>>;
}

export interface Clock {
  now(): number;
}

/** Host facts for the system prompt's front matter (§5.4). */
export interface HostFacts {
  platform: string;
  osVersion: string;
  user: string;
  hostname: string;
  /** Local date, YYYY-MM-DD. */
  today: string;
}

export type { EventLog, RuntimeAdapter, LaunchResult };
