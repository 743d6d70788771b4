/**
 * An error the CLI reports with a chosen exit code (1 failure, 2 usage). With a
 * `verb`, main prints `iapeer <verb>: <message>` (docs/behaviour.md §10); else `iapeer: <message>`.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 1,
    readonly verb?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
