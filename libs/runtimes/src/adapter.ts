import type { Intelligence } from '@iapeer/core';
import type { TmuxDriver } from '@iapeer/tmux';
import type { ScreenRules } from './screen/screen-state';

/**
 * One runtime adapter interface for every kind of peer runtime (docs/behaviour.md §7.8,
 * docs/architecture.md "Runtimes"). `tui` runtimes run an interactive agent in tmux and are
 * woken/reaped by the supervisor; `router` runtimes (telegram, notifier) are always-on
 * and held by the host's service manager.
 */
export type RuntimeKind = 'tui' | 'router';

export interface LaunchContext {
  cwd: string;
  identity: string;
  personality: string;
  /** Path of the composed system prompt file, when the runtime uses one. */
  systemPromptFile?: string;
  resume: boolean;
  /** The sandbox/test HOME etc. Adapters read env from here, never process.env. */
  env: Record<string, string | undefined>;
}

export interface BootDialog {
  /** Matched against the captured pane text. */
  match: RegExp;
  /** tmux key names sent when it matches, e.g. ['Up', 'Enter']. */
  keys: string[];
  /** A name for logs/tests ("api-key-confirm", "trust-folder"…). */
  name: string;
}

export interface RuntimeAdapter {
  name: string;
  kind: RuntimeKind;
  /** argv (argv[0] = program) for a fresh or resumed session. */
  buildArgv(ctx: LaunchContext): string[];
  /** Extra env for the session (the identity ABI is added by the tmux driver, last). */
  buildEnv(ctx: LaunchContext): Record<string, string>;
  bootDialogs: BootDialog[];
  /** True when the pane shows the agent taking input (prompt glyph / ready marker). */
  isInputReady(pane: string): boolean;
  promptGlyph: string;
  /** How its screen reads as ready / busy / waiting (§6.4); absent = always `unknown` (router runtimes). */
  screen?: ScreenRules;
  /** Whether a resume is possible in cwd; `ref` names what would be resumed (e.g. transcript uuid). */
  resolveResume(cwd: string, env: Record<string, string | undefined>): { ok: true; ref?: string } | { ok: false; reason: string };
  /** Newest activity time in ms (transcript / activity glob / pane log), or null. */
  lastActivityMs(args: { cwd: string; paneLog: string; env: Record<string, string | undefined> }): number | null;
  /**
   * Whether the runtime's own record of submitted messages (its transcript) holds
   * `needle`. The router asks after a keyed send whose outcome is unknown (it was killed
   * mid-delivery, or the wake it asked for was cut off): a message already there is not
   * delivered again. null: this runtime keeps no record iapeer can read.
   */
  transcriptHolds?(args: { cwd: string; paneLog: string; env: Record<string, string | undefined> }, needle: string): boolean | null;
  /**
   * How many "compaction done" records the runtime's transcript holds now (claude: a
   * `compact_boundary` system record; codex: `context_compacted`); compact waits for it to
   * grow (§6.5). null: this runtime keeps no record iapeer can read.
   */
  compactions?(args: { cwd: string; paneLog: string; env: Record<string, string | undefined> }): number | null;
  /**
   * A screen on which the agent has taken the Enter but holds the submit until it has
   * finished starting (codex right after boot: "Waiting for startup · esc cancel"; it
   * submits by itself once started). deliver() then waits up to `graceMs` more for the
   * landing instead of calling it NOT delivered, and if it never lands, cancels the
   * held submit with `cancelKeys` so that "NOT delivered" stays true (§6.3).
   */
  submitQueued?: SubmitQueued;
  /** Control keys (§6.5). */
  controls: { interrupt: string[]; compact: { text: string; keys: string[] } };
  /** Launch refuses a peer of another intelligence (§7.8 step 1: telegram requires `natural`). */
  requiresIntelligence?: Intelligence;
}

export interface SubmitQueued {
  /** Matched against the captured pane. */
  match: RegExp;
  /** How long a held submit may take to land before it is cancelled. */
  graceMs: number;
  /** tmux key names that cancel the held submit (the text stays in the input row). */
  cancelKeys: string[];
}

/** The outcome of launch() (§7.8). */
export type LaunchResult = { status: 'READY'; identity: string } | { status: 'FAILED'; reason: string; paneTail?: string };

/** The outcome of a verified delivery (§6.3). */
export type DeliveryResult = { ok: true; confirmedBy: 'input-cleared' | 'activity' | 'router-sent' } | { ok: false; reason: string };

export type { TmuxDriver };
