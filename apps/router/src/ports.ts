/**
 * The router's ports: every side effect routeSend/routeControl need, as small
 * interfaces. Production adapters live in ./adapters (one file each); unit tests
 * use the in-memory twins in ./testing. Nothing here imports another service.
 */
import type { ArmResult, ControlCommandName, EnqueueInput, EnqueueResult, Peer, WakeInput, WakeResultWire } from '@iapeer/contracts';
import type { EventLog } from '@iapeer/logclient';

/**
 * The part of the registry's `Peer` the router reads: where a target lives, its runtimes,
 * its nature (for the envelope) and its public interfaces (the telegram guard).
 */
export type RoutedPeer = Pick<Peer, 'personality' | 'default_runtime' | 'runtimes' | 'intelligence' | 'cwd' | 'interfaces'> & {
  /** The profile's `wake_policy` (§2.1): an `ephemeral` target's messages are queued (§7.7), an ephemeral caller's reply arms it. */
  wakePolicy?: 'ephemeral';
};

/** Read side of the registry service. */
export interface PeerDirectory {
  /** The record, or null when the personality is not registered. */
  get(personality: string): Promise<RoutedPeer | null>;
}

/** What the supervisor answers to a wake (its contract's result, code and reason included). */
export type WakeOutcome = WakeResultWire;

/** A wake as the router asks for it: the envelope is the boot first-message. */
export type WakeRequest = Pick<WakeInput, 'personality' | 'runtime' | 'topic' | 'resume' | 'origin'> & { task: string };

/** The supervisor service as the router sees it. */
export interface SupervisorPort {
  wake(req: WakeRequest): Promise<WakeOutcome>;
  /** Adds a topic to the live session's topic set (`ev=topic-note`). Best-effort. */
  noteTopic(args: { identity: string; topic: string }): Promise<void>;
  /** §7.7: puts a message in an ephemeral worker's FIFO (on disk before it answers). */
  enqueue(req: EnqueueRequest): Promise<EnqueueResult>;
  /** §7.7: `.ephemeral-armed` for an ephemeral caller whose message was delivered. */
  arm(args: { identity: string; origin: 'outbound' | 'self-done' }): Promise<ArmResult>;
  /**
   * §6.5: true when the identity has no live session and a clean park (`.idle-reaped`), so
   * `compact` resumes it first. Absent: nothing is ever resumed for a compact.
   */
  parked?(identity: string): Promise<boolean>;
}

/** A message for an ephemeral worker: the contract's `enqueue` input. */
export type EnqueueRequest = EnqueueInput;

/** Liveness of tmux sessions (docs/behaviour.md §6.1). */
export interface SessionProbe {
  isLive(identity: string): Promise<boolean>;
  /**
   * A check without a tmux round trip, for the hot path: false only when `identity`
   * certainly has no session (no tmux socket). True means "deliver, and let the verified
   * delivery confirm it" — a delivery that finds no session says `notLive` and pastes nothing.
   */
  mayBeLive(identity: string): Promise<boolean>;
  /** Runtimes in which `personality` has a live session, sorted. */
  liveRuntimes(personality: string): Promise<string[]>;
}

/** Where a message or a control command goes. */
export interface DeliveryTarget {
  personality: string;
  runtime: string;
  identity: string;
  cwd: string;
}

/** §6.3: `ok` means the text landed in the live session; a false failure beats a false success. */
export type DeliverOutcome =
  | { ok: true }
  /** `notLive`: there was no live session when the delivery began, so nothing was pasted. */
  | { ok: false; reason: string; notLive?: boolean };

export type ControlCommand = ControlCommandName;

/** The terminal side: verified delivery and control keys (libs/runtimes + libs/tmux at merge). */
export interface TerminalPort {
  deliver(target: DeliveryTarget, text: string): Promise<DeliverOutcome>;
  /** 'unsupported' for runtimes without control (routers: §6.5). */
  control(target: DeliveryTarget, command: ControlCommand): Promise<'done' | 'unsupported'>;
  /** Whether the target's transcript already holds a message with this send id; null: cannot tell. */
  landed?(target: DeliveryTarget, sendId: string): Promise<boolean | null>;
  /**
   * What a paste would run into right now (§6.4): the screen read by the runtime's rules
   * plus attached humans, one control-connection round trip. Absent: no gate.
   */
  screenState?(target: DeliveryTarget): Promise<{ state: 'ready' | 'busy' | 'waiting' | 'held' | 'unknown'; why: string }>;
  /**
   * How many compaction-done records the target's transcript holds (§6.5); compact waits
   * for the count to grow. null: the runtime keeps no record iapeer can read.
   */
  compactions?(target: DeliveryTarget): Promise<number | null>;
  /**
   * Which session is there now (`pid:<pane pid>`), null when none runs: a held message
   * whose session token changed was meant for a session that is gone (§6.4).
   */
  sessionToken?(target: DeliveryTarget): Promise<string | null>;
  /** Submits a paste an interrupted delivery left in the input area; true when there was one. */
  submitLeftover?(target: DeliveryTarget): Promise<boolean>;
}

/** The sender as the envelope shows it (docs/behaviour.md §5.1). */
export interface EnvelopeInput {
  fromPersonality: string;
  fromRuntime: string;
  fromIntelligence: string;
  topic?: string;
  attachments?: string[];
  message: string;
  /** The send id of a keyed send (the envelope's `id` attribute). */
  id?: string;
}

/** Builds the IAP envelope (libs/codec `buildEnvelope` at merge). */
export interface EnvelopeBuilder {
  build(input: EnvelopeInput): string;
}

export interface Clock {
  now(): number;
}

/**
 * The host's service-manager job files (§7.3): a peer with a foreign job at its label (a
 * plist or unit without the iapeer sentinel) is not iapeer's to interrupt or compact.
 */
export interface JobOwnership {
  /** The foreign job at the peer's label, or null when there is none or it is ours. */
  foreignJob(personality: string): { file: string; label: string } | null;
}

/** Everything routeSend needs. `supervisor` absent = no wake (a miss is "offline"). */
export interface RouteDeps {
  directory: PeerDirectory;
  sessions: SessionProbe;
  terminal: TerminalPort;
  envelope: EnvelopeBuilder;
  supervisor?: SupervisorPort;
  events: Pick<EventLog, 'emit'>;
  clock: Clock;
}
