/** Pure helpers of the driver: the pane-state line, the env a pane inherits, shell quoting. */
import type { PaneState } from './driver';

const STRIPPED_ENV = /^(TMUX|TMUX_PANE|CLAUDECODE|CLAUDE_CODE_.*)$/;

export function withoutNestedTmux(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  return envWithout(env, (k) => STRIPPED_ENV.test(k));
}

/**
 * A spawned session's env minus tmux's own markers only: the caller composed it (launch()
 * strips a parent agent's CLAUDECODE/CLAUDE_CODE_* from the supervisor's env, but keeps
 * the ones a peer sets in its launch.env, behaviour §3.3).
 */
export function withoutTmuxMarkers(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  return envWithout(env, (k) => k === 'TMUX' || k === 'TMUX_PANE');
}

/** The set entries of `env` whose key is not `dropped`. */
function envWithout(env: Record<string, string | undefined>, dropped: (key: string) => boolean): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && !dropped(k)) out[k] = v;
  return out;
}

/** One PANE_FORMAT line → the pane's state (a status that is not there yet is null). */
export function parsePaneState(out: string): PaneState {
  const [dead, status, signal, pid] = out.trim().split(' ');
  if (dead === '1') return { state: 'dead', exitStatus: toInt(status), exitSignal: toInt(signal) };
  return { state: 'running', pid: toInt(pid) };
}

function toInt(s: string | undefined): number | null {
  if (s === undefined || s === '') return null;
  const n = Number.parseInt(s, 10);
  return Number.isFinite(n) ? n : null;
}

/** POSIX single-quoting for the one shell string tmux requires (the pipe-pane command). */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
