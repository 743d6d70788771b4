/** The console's own settings, read from the environment (the other services never need them). */
import { IapeerError, type Env } from '@iapeer/core';

export const DEFAULT_CONSOLE_PORT = 8766;

export interface ConsoleConfig {
  /** IAPEER_CONSOLE_PORT (default 8766; 0 picks a free port, as tests do). */
  port: number;
  /** IAPEER_CONSOLE_READ_ONLY=1: the page shows everything and offers no action. */
  readOnly: boolean;
}

export function loadConsoleConfig(env: Env): ConsoleConfig {
  const raw = env.IAPEER_CONSOLE_PORT;
  let port = DEFAULT_CONSOLE_PORT;
  if (raw !== undefined && raw !== '') {
    port = Number(raw);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new IapeerError('INVALID_INPUT', `IAPEER_CONSOLE_PORT=${JSON.stringify(raw)} is not a port: expected 0 to 65535 (default ${DEFAULT_CONSOLE_PORT})`);
    }
  }
  const ro = (env.IAPEER_CONSOLE_READ_ONLY ?? '').toLowerCase();
  return { port, readOnly: ro === '1' || ro === 'true' || ro === 'yes' };
}
