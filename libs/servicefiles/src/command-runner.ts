import { spawn } from 'node:child_process';

export interface CommandResult {
  /** Exit code; null when killed by a signal or never started. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Set when the program could not be started (e.g. ENOENT). */
  spawnError?: string;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** @default 30000 */
  timeoutMs?: number;
}

/** Runs a program from an argv array (never a shell string). The seam tests replace. */
export type CommandRunner = (argv: readonly string[], opts?: RunOptions) => Promise<CommandResult>;

/** The production runner: spawn, collect output, kill on timeout; never rejects. */
export const runCommand: CommandRunner = (argv, opts = {}) =>
  new Promise((resolve) => {
    const [cmd, ...args] = argv;
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let settled = false;
    const done = (r: CommandResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      stderr += `\n(killed after ${opts.timeoutMs ?? 30_000} ms)`;
    }, opts.timeoutMs ?? 30_000);
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.once('error', (err) => done({ code: null, stdout, stderr, spawnError: err.message }));
    child.once('close', (code) => done({ code, stdout, stderr }));
  });

/** `<cmd> exited 3: <last stderr line>` for reports. */
export function describeFailure(argv: readonly string[], r: CommandResult): string {
  if (r.spawnError) return `${argv[0]} could not start: ${r.spawnError}`;
  const tail = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-1)[0] ?? '';
  return `\`${argv.join(' ')}\` exited ${r.code ?? 'by signal'}${tail ? `: ${tail}` : ''}`;
}
