/**
 * The human's terminal in the awareness tests: tmux run with TMUX unset (a test may itself
 * run inside tmux), either on the peer's own socket or on an "outer" server in the
 * sandbox whose pane runs `tmux attach` to the peer (the outer pane is the human's pty).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export function envWithoutTmux(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.TMUX;
  return env;
}

/** A tmux command on `socket` (no nested-tmux env); `bare` skips the user's config. */
export function tmuxOn(socket: string, args: string[], bare = false): string {
  return execFileSync('tmux', [...(bare ? ['-f', '/dev/null'] : []), '-S', socket, ...args], { env: envWithoutTmux(), encoding: 'utf8' });
}

/** The outer server of a sandbox: `<sandbox dir>/outer.sock`, no config. */
export function outerTmux(sandboxDir: string, ...args: string[]): string {
  return tmuxOn(path.join(sandboxDir, 'outer.sock'), args, true);
}
