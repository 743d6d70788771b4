import type { RuntimeAdapter } from '../adapter';
import type { RawTmux } from './raw-tmux';

/**
 * TEST-ONLY boot loop and verified submit, the shape of §7.8 step 10 and §6.3, so the
 * adapters can be exercised against the real CLIs before libs/tmux's launch() and
 * deliver() land. Everything polls a condition against a deadline; nothing sleeps
 * for a fixed time.
 */

const POLL_MS = 100;
/** How long a dialog may stay on screen after its answer before it is answered again (§7.8 loops every 2 s). */
const DIALOG_SETTLE_MS = 2000;

function pause(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The input area: from the last row that starts with the prompt glyph to the bottom. */
export function inputArea(pane: string, glyph: string): string {
  const rows = pane.split('\n');
  for (let i = rows.length - 1; i >= 0; i--) if (rows[i].startsWith(glyph)) return rows.slice(i).join('\n');
  return '';
}

/** What shows in the input area once `text` is pasted: its last line, or the TUI's placeholder for a long paste. */
function showsPasted(area: string, text: string): boolean {
  const last = text.split('\n').map((l) => l.trim()).filter(Boolean).pop() ?? '';
  return area.includes(last) || /\[Pasted (text|Content)/.test(area);
}

export interface BootOutcome {
  /** Names of the dialogs answered, in order. */
  answered: string[];
  pane: string;
}

/** Answers boot dialogs with the adapter's keys until it reports input-ready, or throws with the pane. */
export async function bootUntilReady(tmux: RawTmux, identity: string, adapter: RuntimeAdapter, timeoutMs: number): Promise<BootOutcome> {
  const started = Date.now();
  const deadline = started + timeoutMs;
  const answered: string[] = [];
  const timeline: string[] = [];
  let pane = '';
  while (Date.now() < deadline) {
    if (!(await tmux.isAlive(identity))) throw new Error(`${adapter.name} exited during boot; pane:\n${pane}`);
    pane = await tmux.capture(identity);
    const dialog = adapter.bootDialogs.find((d) => d.match.test(pane));
    if (dialog) {
      answered.push(dialog.name);
      timeline.push(`${Date.now() - started}ms ${dialog.name}`);
      await tmux.sendKeys(identity, dialog.keys);
      // Give the TUI time to act before judging again, so one screen is not answered twice.
      // "The pane changed" is no signal: codex animates its logo on the sign-in screens.
      const actBy = Date.now() + DIALOG_SETTLE_MS;
      while (Date.now() < actBy && dialog.match.test(await tmux.capture(identity))) await pause(POLL_MS);
      continue;
    }
    if (adapter.isInputReady(pane)) {
      timeline.push(`${Date.now() - started}ms ready`);
      if (process.env.IAPEER_TEST_BOOT_TRACE) process.stderr.write(`[boot ${adapter.name}] ${timeline.join(' → ')}\n`);
      return { answered, pane };
    }
    await pause(POLL_MS);
  }
  throw new Error(`${adapter.name} never became ready within ${timeoutMs} ms (answered: ${answered.join(', ') || 'none'}); pane:\n${pane}`);
}

/**
 * Pastes `text` bracketed, waits until it shows in the input area, then presses Enter
 * until the input area no longer shows it. Returns the pane after the submit.
 */
export async function pasteAndSubmit(tmux: RawTmux, identity: string, adapter: RuntimeAdapter, text: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  await tmux.paste(identity, text);
  let pane = '';
  while (!showsPasted(inputArea((pane = await tmux.capture(identity)), adapter.promptGlyph), text)) {
    if (Date.now() > deadline) throw new Error(`pasted text never showed in the input area; pane:\n${pane}`);
    await pause(POLL_MS);
  }
  return submitUntilCleared(tmux, identity, adapter, (area) => showsPasted(area, text), deadline);
}

/** Types a control command (`/compact`) literally, then sends its keys until the input area is clear of it. */
export async function typeAndSubmit(tmux: RawTmux, identity: string, adapter: RuntimeAdapter, text: string, keys: string[], timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  await tmux.typeText(identity, text);
  let pane = '';
  while (!inputArea((pane = await tmux.capture(identity)), adapter.promptGlyph).includes(text)) {
    if (Date.now() > deadline) throw new Error(`typed text never showed in the input area; pane:\n${pane}`);
    await pause(POLL_MS);
  }
  return submitUntilCleared(tmux, identity, adapter, (area) => area.split('\n')[0].includes(text), deadline, keys);
}

async function submitUntilCleared(
  tmux: RawTmux,
  identity: string,
  adapter: RuntimeAdapter,
  stillThere: (area: string) => boolean,
  deadline: number,
  keys: string[] = ['Enter'],
): Promise<string> {
  let pane = '';
  const started = Date.now();
  let presses = 0;
  while (Date.now() < deadline) {
    presses++;
    await tmux.sendKeys(identity, keys);
    const windowEnd = Math.min(deadline, Date.now() + 1500);
    while (Date.now() < windowEnd) {
      pane = await tmux.capture(identity);
      if (!stillThere(inputArea(pane, adapter.promptGlyph))) {
        if (process.env.IAPEER_TEST_BOOT_TRACE) process.stderr.write(`[submit ${adapter.name}] cleared after ${Date.now() - started}ms, ${presses} press(es)\n`);
        return pane;
      }
      await pause(POLL_MS);
    }
  }
  throw new Error(`the input area never cleared after submit; pane:\n${pane}`);
}

/** With IAPEER_TEST_BOOT_TRACE: how codex took a submit before its start, read from the pane log. */
export function traceEarlySubmit(label: string, paneLogText: string, outcome: string): void {
  if (!process.env.IAPEER_TEST_BOOT_TRACE) return;
  const how = [/Waiting for startup/.test(paneLogText) ? 'held ("Waiting for startup")' : '', /Queued follow-up inputs/.test(paneLogText) ? 'queued as a follow-up' : ''].filter(Boolean).join(' + ') || 'taken at once';
  process.stderr.write(`[early submit ${label}] ${how} → ${outcome}\n`);
}
