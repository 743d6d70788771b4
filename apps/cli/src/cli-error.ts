/**
 * An error the CLI reports with a chosen exit code (1 failure, 2 usage). The message
 * says what happened and what to do; it never repeats the verb: run-cli prints every
 * failure as `iapeer <verb>: <message>` (docs/behaviour.md §10), whoever threw it.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * The one shape of an error line on stderr: `iapeer <verb>: <message>`. The verb is the
 * command path (`service install`, `connect telegram`) or, for the folder launch, the
 * runtime word (`iapeer claude`); `iapeer: ` only before any verb is known.
 */
export function errorLine(verb: string | undefined, message: string): string {
  return `iapeer${verb ? ` ${verb}` : ''}: ${message}`;
}
