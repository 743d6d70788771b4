import { IapeerError, parseIdentity, type Env, type IapeerConfig } from '@iapeer/core';
import type { TmuxDriver } from '@iapeer/tmux';
import type { DeliveryResult, RuntimeAdapter } from './adapter';
import { realClock, type Clock } from './clock';
import { awaitHeldSubmit } from './held-submit';
import { inputCleared, lastNonEmptyLine, paneTail, showsPaste } from './pane-text';
import { openPaneWatch, waitForPane } from './pane-watch';

export type DeliveryConfig = Pick<IapeerConfig, 'submitTimeoutMs' | 'pasteVisibleMs' | 'submitWindowMs' | 'livenessGraceMs' | 'pasteSettleMs'>;

export interface DeliverArgs {
  tmux: TmuxDriver;
  identity: string;
  adapter: RuntimeAdapter;
  /** The envelope (or any text) to deliver. */
  text: string;
  cfg: DeliveryConfig;
  /** The pipe-pane log: its changes wake the waits when the driver has no %output stream. */
  paneLog?: string;
  /** The peer's cwd: enables the activity fallback (§6.3 step 4). */
  cwd?: string;
  env?: Env;
  clock?: Clock;
  /** Fallback capture interval when the pane log is silent. @default 25 */
  pollMs?: number;
}

/**
 * Text as a terminal can carry it: CRLF/CR become LF (the transport folds, not the codec,
 * §5.2) and other control characters are dropped — an ESC in a body could end the
 * bracketed paste early and inject keys.
 */
export function terminalSafe(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

/**
 * Verified delivery into a live session (docs/behaviour.md §6.3). Resolves only when the submit
 * is confirmed (the input row cleared, or the activity signal advanced); otherwise throws
 * DELIVERY_NOT_CONFIRMED ("… message NOT delivered") or SESSION_NOT_LIVE. A false failure
 * is preferred over a false success.
 */
export async function deliver(args: DeliverArgs): Promise<DeliveryResult & { ok: true }> {
  const { tmux, identity, adapter, cfg } = args;
  const clock = args.clock ?? realClock;
  const who = describePeer(identity);
  const text = terminalSafe(args.text);
  if (text.trim().length === 0) throw new IapeerError('INVALID_INPUT', `refusing to deliver an empty message to ${who}`);
  const notLive = async () =>
    new IapeerError('SESSION_NOT_LIVE', `${who} has no live session: message NOT delivered`, { data: { identity, gone: await tmux.classifyGone(identity).catch(() => null) } });

  if (adapter.kind === 'router') {
    if (!(await tmux.isAlive(identity))) throw await notLive();
    // §6.3 step 5: routers read a raw paste and a C-j; there is no input row to verify.
    await tmux.paste(identity, text, { raw: true });
    await clock.sleep(cfg.pasteSettleMs);
    await tmux.sendKeys(identity, ['C-j']);
    return { ok: true, confirmedBy: 'router-sent' };
  }

  const activityArgs = args.cwd ? { cwd: args.cwd, paneLog: args.paneLog ?? '', env: args.env ?? {} } : null;
  const baseline = activityArgs ? adapter.lastActivityMs(activityArgs) : null;
  const glyphs = [adapter.promptGlyph];
  const evidence = lastNonEmptyLine(text);
  const started = clock.now();
  const watch = await openPaneWatch(tmux, identity, args.paneLog);
  const wait = (accept: (pane: string) => boolean, timeoutMs: number) =>
    waitForPane({ tmux, identity, accept, timeoutMs, watch, clock, pollMs: args.pollMs ?? 25, settleFirst: true });
  let why: string;
  let lastPane = '';
  try {
    // The liveness check runs alongside the paste (one round trip saved): a paste into a
    // dead pane writes nothing, and a paste into an absent session fails; either way the
    // caller gets SESSION_NOT_LIVE and nothing was delivered.
    watch.reset();
    const [alive, pasted] = await Promise.all([tmux.isAlive(identity), tmux.paste(identity, text).then(() => null, (err: unknown) => err)]);
    if (!alive) throw await notLive();
    if (pasted) throw pasted;
    const shown = await wait((pane) => showsPaste(pane, glyphs, evidence), cfg.pasteVisibleMs);
    lastPane = shown.pane;
    if (shown.ok) {
      // §6.3 step 3.2: Enter, then a window for the input row to clear; again until the total timeout.
      const landed = (pane: string) => inputCleared(pane, glyphs, evidence);
      const held = adapter.submitQueued;
      const holds = (pane: string) => held?.match.test(pane) ?? false;
      let heldWhy: string | null = null;
      while (clock.now() - started < cfg.submitTimeoutMs) {
        watch.reset();
        await tmux.sendKeys(identity, ['Enter']);
        const left = cfg.submitTimeoutMs - (clock.now() - started);
        const cleared = await wait((pane) => landed(pane) || holds(pane), Math.max(0, Math.min(cfg.submitWindowMs, left)));
        lastPane = cleared.pane;
        if (landed(lastPane)) return { ok: true, confirmedBy: 'input-cleared' };
        if (held && holds(lastPane)) {
          // Taken but held (codex still starting): it lands later by itself, so wait for that, not the submit window.
          const outcome = await awaitHeldSubmit({ tmux, identity, held, landed, wait, reset: () => watch.reset() });
          lastPane = outcome.pane;
          if (outcome.landed) return { ok: true, confirmedBy: 'input-cleared' };
          heldWhy = outcome.why;
          break;
        }
      }
      why = heldWhy ?? `Enter did not clear the input row within ${cfg.submitTimeoutMs} ms`;
    } else {
      // Never confirm by "input cleared" when the paste was never seen: it may simply not have landed.
      await tmux.sendKeys(identity, ['Enter']);
      why = `the pasted text never showed in the input area within ${cfg.pasteVisibleMs} ms`;
    }
  } finally {
    watch.close();
  }

  if (activityArgs) {
    // §6.3 step 4: an advance (of whatever size) of the activity signal past the pre-paste baseline.
    const deadline = clock.now() + cfg.livenessGraceMs;
    for (;;) {
      const now = adapter.lastActivityMs(activityArgs);
      if (now !== null && (baseline === null || now > baseline)) return { ok: true, confirmedBy: 'activity' };
      if (clock.now() >= deadline) break;
      await clock.sleep(100);
    }
    why += `, and no activity within ${cfg.livenessGraceMs} ms`;
  }
  const state = tmux.inspect ? await tmux.inspect(identity).catch(() => null) : null;
  if (state?.state === 'dead') why += `; the agent exited (status ${state.exitStatus ?? '?'})`;
  if (state?.state === 'absent') why += `; the session is gone (${state.gone})`;
  throw new IapeerError('DELIVERY_NOT_CONFIRMED', `${who} is listed live but did not accept the message (${why}): message NOT delivered`, {
    data: { identity, paneTail: paneTail(lastPane) },
  });
}

/** `peer "<p>" (<rt>)` as the §6 error texts name a target. */
export function describePeer(identity: string): string {
  const id = parseIdentity(identity);
  return id ? `peer "${id.personality}" (${id.runtime})` : `session "${identity}"`;
}
