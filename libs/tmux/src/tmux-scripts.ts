import fs from 'node:fs';
import path from 'node:path';
import { IapeerError } from '@iapeer/core';
import { shellQuote } from './pane-format';

/** The two plain scripts tmux runs for a session (libs/tmux/scripts, shipped as dist/tmux/). */
export const PANE_LOG_WRITER = 'pane-log-writer.sh';
export const EXIT_RECORD = 'exit-record.cjs';

/**
 * Where the scripts are: beside the bundles (`dist/apps/<app>/main.js` → `dist/tmux/`) or,
 * running from source, `libs/tmux/scripts/`. Looked up from `from` upwards, so a bundle
 * anywhere under the repo (a bench) finds them too.
 */
export function findScriptsDir(from: string = __dirname): string | null {
  for (let dir = from, i = 0; i < 6; i++, dir = path.dirname(dir)) {
    for (const cand of [path.join(dir, 'tmux'), path.join(dir, 'dist', 'tmux'), path.join(dir, 'scripts'), path.join(dir, 'libs', 'tmux', 'scripts')]) {
      if (fs.existsSync(path.join(cand, PANE_LOG_WRITER)) && fs.existsSync(path.join(cand, EXIT_RECORD))) return cand;
    }
  }
  return null;
}

export function requireScriptsDir(dir: string | null | undefined): string {
  if (dir) return dir;
  throw new IapeerError('INTERNAL', `the tmux helper scripts (${PANE_LOG_WRITER}, ${EXIT_RECORD}) are not beside this build: run \`node tools/build.mjs\` (it copies libs/tmux/scripts to dist/tmux/)`);
}

/**
 * The pipe-pane command: the rotating writer, a POSIX sh script exec'd in place of the
 * shell tmux starts (a live session costs a shell and one `head`, not a Node process).
 */
export function paneLogCommand(scriptsDir: string, file: string, maxBytes: number, keep: number): string {
  return `exec /bin/sh ${shellQuote(path.join(scriptsDir, PANE_LOG_WRITER))} ${shellQuote(file)} ${maxBytes} ${keep}`;
}

/**
 * The shell command of the pane-died hook, minus the per-death arguments the hook adds
 * from formats. Kept in a user option (`@iap_exit_cmd`) so the hook itself holds no path:
 * run-shell expands `#{@iap_exit_cmd}` and hands the result to sh as is.
 */
export function exitRecordCommand(args: { node: string; scriptsDir: string; tmuxBin: string; spool: string; identity: string; socket: string }): string {
  return [
    'exec',
    shellQuote(args.node),
    shellQuote(path.join(args.scriptsDir, EXIT_RECORD)),
    shellQuote(`--spool=${args.spool}`),
    shellQuote(`--identity=${args.identity}`),
    shellQuote(`--socket=${args.socket}`),
    shellQuote(`--tmux=${args.tmuxBin}`),
  ].join(' ');
}

/**
 * The pane-died hook: `run-shell true` first (its SIGCHLD makes the server reap a pane
 * process whose status it missed, see create-driver's REAP), then the record in the
 * background, with the dead pane's status, signal and id.
 */
export const PANE_DIED_HOOK = 'run-shell true ; run-shell -b "#{@iap_exit_cmd} --status=#{pane_dead_status} --signal=#{pane_dead_signal} --pane=#{pane_id}"';

/** The spool a session's exit records go to: `<paneLogDir>/<identity>.exits`. */
export function exitSpoolOf(paneLog: string, identity: string): string {
  return path.join(path.dirname(paneLog), `${identity}.exits`);
}
