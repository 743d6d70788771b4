import { execFile } from 'node:child_process';
import { IapeerError } from '@iapeer/core';

/** Runs one tmux command line against one server socket; resolves with stdout. */
export type TmuxRunner = (socket: string, args: string[], opts?: { input?: string; env?: NodeJS.ProcessEnv }) => Promise<string>;

export interface TmuxFailure {
  args: string[];
  stderr: string;
  exitCode: number | null;
}

/**
 * tmux reads an argument ending in `;` as a command separator (docs/notes/stack.md "tmux"):
 * escape the final `;` so it stays literal (`x;` → `x\;`, read back by tmux as `x;`).
 */
export function escapeTmuxArg(arg: string): string {
  return arg.endsWith(';') ? `${arg.slice(0, -1)}\\;` : arg;
}

/** argv for a chain of commands in one tmux invocation (`a ; b`), every real argument escaped. */
export function chainArgs(...commands: string[][]): string[] {
  const out: string[] = [];
  commands.forEach((cmd, i) => {
    if (i > 0) out.push(';');
    for (const a of cmd) out.push(escapeTmuxArg(a));
  });
  return out;
}

/**
 * The production runner: `execFile` with an argument array (never a shell string),
 * `-f /dev/null` so a user's ~/.tmux.conf never changes our servers, `-u` so
 * captures keep UTF-8 whatever the locale. A failure is an IapeerError TMUX_FAILED
 * whose message carries tmux's own stderr.
 */
export function createExecRunner(tmuxBin: string, baseEnv: NodeJS.ProcessEnv): TmuxRunner {
  return (socket, args, opts = {}) =>
    new Promise((resolve, reject) => {
      const argv = ['-u', '-f', '/dev/null', '-S', socket, ...args];
      const child = execFile(tmuxBin, argv, { env: opts.env ?? baseEnv, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        const failure: TmuxFailure = { args, stderr: String(stderr ?? '').trim(), exitCode: typeof err.code === 'number' ? err.code : null };
        const verb = args[0] ?? '';
        const why = failure.stderr || (err.code === 'ENOENT' ? `${tmuxBin} not found on PATH (install tmux or set tmuxBin)` : err.message);
        reject(new IapeerError('TMUX_FAILED', `tmux ${verb} failed: ${why} (socket ${socket})`, { cause: err, data: { ...failure } }));
      });
      // tmux may exit (no server, dead pane) before reading stdin: the EPIPE is not the
      // failure, tmux's exit status and stderr (reported above) are
      child.stdin?.on('error', () => undefined);
      if (opts.input !== undefined) child.stdin?.end(opts.input);
      else child.stdin?.end();
    });
}

/** tmux's stderr when a server or session is simply not there (as opposed to a real failure). */
export function isAbsentError(err: unknown): boolean {
  const stderr = String((err as any)?.data?.stderr ?? '');
  return /no server running|error connecting to|can't find (session|pane|window)|no such file or directory|connection refused|session not found/i.test(stderr);
}

/** The server itself is gone (no socket, or nothing listening on it). */
export function isServerDeadError(err: unknown): boolean {
  const stderr = String((err as any)?.data?.stderr ?? '');
  return /no server running|error connecting to|connection refused/i.test(stderr);
}
