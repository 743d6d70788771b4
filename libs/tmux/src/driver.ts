/**
 * The tmux driver port: one tmux server per identity at `<sockDir>/tmux-iap-<identity>.sock`
 * (docs/behaviour.md §2.4), session name = identity. Implemented in this lib by
 * `createTmuxDriver`; the supervisor, router and CLI only see this interface.
 */
export interface SpawnSpec {
  identity: string;
  cwd: string;
  /** argv[0] is the program; never a shell string. */
  argv: string[];
  /** Child env; the identity ABI (PEER_PERSONALITY/RUNTIME/IDENTITY) is written last by the driver. */
  env: Record<string, string>;
  /** `pipe-pane` target: `<root>/logs/lifecycle/<identity>.log`. */
  paneLog: string;
  /** @default 220 */
  width?: number;
  /** @default 50 */
  height?: number;
}

/** Why a session is not there: the whole server died, or only the session ended. */
export type GoneClass = 'server-dead' | 'session-gone';

/**
 * What the session of one identity is doing right now.
 * - `running`: the session exists and its pane's process is alive.
 * - `dead`: the session exists but its process exited (remain-on-exit keeps it for inspection).
 * - `absent`: no such session; `gone` says whether the whole server died.
 */
export type PaneState =
  | { state: 'running'; pid: number | null }
  | { state: 'dead'; exitStatus: number | null; exitSignal: number | null }
  | { state: 'absent'; gone: GoneClass };

/** One look at a session: its screen and whether a human's terminal is attached. */
export interface PaneObservation {
  screen: string;
  /** Attached clients other than control-mode ones. */
  humans: number;
}

export interface PasteOptions {
  /** `paste-buffer -r`: keep LF as LF (router runtimes). Default: LF becomes CR, as a terminal paste. */
  raw?: boolean;
}

export interface TmuxDriver {
  spawn(spec: SpawnSpec): Promise<void>;
  /** True when the session exists and its pane is not dead. */
  isAlive(identity: string): Promise<boolean>;
  /** Identities with a live session (a socket counts only if its session name matches). */
  listLive(): Promise<string[]>;
  /** The visible pane text (plus `scrollback` lines of history). */
  capture(identity: string, opts?: { scrollback?: number }): Promise<string>;
  /** Loads text into a named buffer and pastes it bracketed; never send-keys of the raw body. */
  paste(identity: string, text: string, opts?: PasteOptions): Promise<void>;
  /** tmux key names, e.g. ['Enter'], ['Escape'], ['Up','Enter']. */
  sendKeys(identity: string, keys: string[]): Promise<void>;
  /** Kills the session; kill-server and socket removal when it was the last one. No-op when absent. */
  kill(identity: string): Promise<void>;
  /** For a session that is not alive: what happened to it. */
  classifyGone(identity: string): Promise<GoneClass>;
  /**
   * Optional: calls `listener` with the pane's output from now on (tmux control mode
   * %output); resolves with the unsubscribe, or null when no control connection can be
   * had (callers then watch the pane log). createTmuxDriver implements it.
   */
  onOutput?(identity: string, listener: (data: Buffer) => void): Promise<(() => void) | null>;
  /**
   * Optional: the visible pane text and the number of attached terminal clients that are
   * not control-mode clients (humans: iapeer's own connections are control clients), in
   * one round trip over the control connection. createTmuxDriver implements it.
   */
  observe?(identity: string): Promise<PaneObservation>;
  /** Optional: running / dead (with exit status) / absent in one call. createTmuxDriver implements it. */
  inspect?(identity: string): Promise<PaneState>;
}
