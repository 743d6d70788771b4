/** Where a command writes; tests pass buffers, main passes the process streams. */
export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  isTTY: boolean;
  /** stdin is a terminal (what `tmux attach` needs). Absent = not known, e.g. a unit test's IO. */
  stdinIsTTY?: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export const processIO = (): CliIO => ({
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
  isTTY: Boolean(process.stdout.isTTY),
  stdinIsTTY: Boolean(process.stdin.isTTY),
  env: process.env,
  cwd: process.cwd(),
});

/**
 * A reader that went away (`iapeer list | head -1`) closes our stdout: the next write
 * fails with EPIPE. That is the reader's choice, not our failure: end quietly, exit 0.
 * Installed once by main, for every verb. Any other stream error is rethrown.
 */
export function endQuietlyOnClosedPipe(streams: NodeJS.WritableStream[] = [process.stdout, process.stderr], exit: (code: number) => void = (c) => process.exit(c)): void {
  for (const stream of streams) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      exit(0);
    });
  }
}
