import type { Env, IapeerConfig, Intelligence } from '@iapeer/core';
import { errorMessage, PEER_TOKEN_ENV_VAR } from '@iapeer/core';
import type { TmuxDriver } from '@iapeer/tmux';
import type { LaunchContext, LaunchResult, RuntimeAdapter } from './adapter';
import { realClock, type Clock } from './clock';
import { deliver, type DeliveryConfig } from './deliver';
import { DialogGate } from './dialog-gate';
import type { LaunchEnv } from './launch-env';
import { paneTail } from './pane-text';
import { openPaneWatch } from './pane-watch';

export interface LaunchSpec extends LaunchContext {
  /** `<root>/logs/lifecycle/<identity>.log` (pipe-pane target). */
  paneLog: string;
  /** The peer's intelligence, for the adapter's intelligence gate (§7.8 step 1). */
  intelligence?: Intelligence;
  /**
   * The session token minted for this spawn (libs/tokens `mintSessionToken`), handed to
   * the session as IAPEER_PEER_TOKEN (issue 9). Never taken from `env`: an inherited
   * token (a launch from inside another session) is stripped.
   */
  sessionToken?: string;
  /**
   * The peer's `.iapeer/runtimes/<rt>/launch.env` (§3.3, read by the caller before anything
   * changes, so a bad line refuses the wake): its keys go into the session env after the
   * base env, its PEER_START_ARGS after the runtime's argv.
   */
  launchEnv?: Pick<LaunchEnv, 'env' | 'startArgs'>;
}

export type LaunchConfig = DeliveryConfig & Pick<IapeerConfig, 'bootDeadlineSecs' | 'readyGateSecs'>;

export interface LaunchArgs {
  spec: LaunchSpec;
  adapter: RuntimeAdapter;
  /** Delivered once the agent takes input; empty/undefined = a bare bring-up. */
  firstMessage?: string;
  tmux: TmuxDriver;
  cfg: LaunchConfig;
  clock?: Clock;
  /** Boot-loop capture interval when the pane is silent (pane output wakes it sooner). @default 250 */
  bootPollMs?: number;
  /** Ready-gate activity poll interval. @default 200 */
  readyPollMs?: number;
  /** Before the same boot dialog is answered again (see DialogGate). @default 2000 */
  dialogRetryMs?: number;
}

/**
 * Env never handed to a peer: a parent agent's or tmux's own markers (§7.8 step 4), and
 * a parent session's token (it would let the child call as the parent, issue 9).
 */
const STRIPPED = /^(TMUX|TMUX_PANE|CLAUDECODE|CLAUDE_CODE_.*|PEER_PERSONALITY|PEER_RUNTIME|PEER_IDENTITY|IAPEER_PEER_TOKEN)$/;

/**
 * Base env (stripped), then launch.env, then the adapter's extras (§7.8 step 4); the driver
 * writes the identity ABI last. launch.env comes after the strip on purpose: a peer may set
 * a `CLAUDE_CODE_*` of its own there, while one inherited from a parent agent never leaks.
 */
export function composeSessionEnv(base: Env, extras: Record<string, string>, launchEnv: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined && !STRIPPED.test(k)) env[k] = v;
  return { ...env, ...launchEnv, ...extras };
}

/**
 * Brings up one session (docs/behaviour.md §7.8): intelligence gate, pre-clean, spawn with
 * pipe-pane; for TUI runtimes the boot loop (answer dialogs, wait for input-ready within
 * the boot deadline), verified delivery of the first message, then the ready gate.
 * Never throws for an agent that misbehaves: that is a FAILED result with a reason.
 * A failed session is left in place for inspection; the caller decides to kill it.
 */
export async function launch(args: LaunchArgs): Promise<LaunchResult> {
  const { spec, adapter, tmux, cfg } = args;
  const clock = args.clock ?? realClock;
  const id = spec.identity;

  if (adapter.requiresIntelligence && spec.intelligence && spec.intelligence !== adapter.requiresIntelligence) {
    return failed(`runtime "${adapter.name}" requires intelligence=${adapter.requiresIntelligence}, peer "${spec.personality}" is ${spec.intelligence} — refusing to launch`);
  }
  try {
    await tmux.kill(id);
    const extra = spec.launchEnv ?? { env: {}, startArgs: [] };
    // the adapter sees launch.env too: a key it reads (OPENAI_API_KEY, IAPEER_CODEX_BIN) set there wins
    const ctx = { ...spec, env: { ...spec.env, ...extra.env } };
    const env = composeSessionEnv(spec.env, adapter.buildEnv(ctx), extra.env);
    if (spec.sessionToken) env[PEER_TOKEN_ENV_VAR] = spec.sessionToken;
    await tmux.spawn({ identity: id, cwd: spec.cwd, argv: [...adapter.buildArgv(ctx), ...extra.startArgs], env, paneLog: spec.paneLog });
  } catch (err) {
    return failed(`spawn-failed: ${errorMessage(err)}`);
  }
  if (adapter.kind === 'router') return { status: 'READY', identity: id };

  const activity = { cwd: spec.cwd, paneLog: spec.paneLog, env: spec.env };
  const baseline = adapter.lastActivityMs(activity);
  const deadline = clock.now() + cfg.bootDeadlineSecs * 1000;
  const answered: string[] = [];
  const gate = new DialogGate(args.dialogRetryMs ?? 2000);
  const watch = await openPaneWatch(tmux, id, spec.paneLog);
  let pane = '';
  try {
    for (;;) {
      if (!(await tmux.isAlive(id))) {
        pane = await tmux.capture(id).catch(() => pane);
        const state = tmux.inspect ? await tmux.inspect(id).catch(() => null) : null;
        const how = state?.state === 'dead' ? `exited with status ${state.exitStatus ?? '?'}` : 'session vanished';
        return failed(`session-died-during-boot (${how})`, pane);
      }
      pane = await tmux.capture(id);
      const dialog = adapter.bootDialogs.find((d) => d.match.test(pane));
      const answerNow = gate.shouldAnswer(dialog?.name ?? null, clock.now());
      if (dialog) {
        if (answerNow) {
          await tmux.sendKeys(id, dialog.keys);
          answered.push(dialog.name);
        }
      } else if (adapter.isInputReady(pane)) {
        break;
      }
      const left = deadline - clock.now();
      if (left <= 0) {
        const dialogs = answered.length > 0 ? `; dialogs answered: ${answered.join(', ')}` : '';
        return failed(`never-became-ready (no input prompt within ${cfg.bootDeadlineSecs}s${dialogs}); pane tail: ${paneTail(pane)}`, pane);
      }
      await watch.next(Math.min(args.bootPollMs ?? 250, left));
    }
  } finally {
    watch.close();
  }

  if (!args.firstMessage || args.firstMessage.trim().length === 0) return { status: 'READY', identity: id };
  try {
    const res = await deliver({ tmux, identity: id, adapter, text: args.firstMessage, cfg, paneLog: spec.paneLog, cwd: spec.cwd, env: spec.env, clock });
    if (res.confirmedBy === 'activity') return { status: 'READY', identity: id };
  } catch (err) {
    return failed(`first-message-not-delivered: ${errorMessage(err)}`, await tmux.capture(id).catch(() => pane));
  }
  // §7.8 step 11: the ready gate — the agent's activity must move past the pre-boot baseline.
  const gateEnd = clock.now() + cfg.readyGateSecs * 1000;
  for (;;) {
    const now = adapter.lastActivityMs(activity);
    if (now !== null && (baseline === null || now > baseline)) return { status: 'READY', identity: id };
    if (clock.now() >= gateEnd) return failed(`model-did-not-process-task (no activity within ${cfg.readyGateSecs}s)`, await tmux.capture(id).catch(() => pane));
    await clock.sleep(args.readyPollMs ?? 200);
  }
}

function failed(reason: string, pane?: string): LaunchResult {
  return pane === undefined ? { status: 'FAILED', reason } : { status: 'FAILED', reason, paneTail: paneTail(pane) };
}
