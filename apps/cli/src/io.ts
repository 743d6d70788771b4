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
