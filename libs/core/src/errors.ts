import { ERROR_CODES, type ErrorCode } from './error-codes';

const BRAND = Symbol.for('iapeer.error');

export interface IapeerErrorOptions {
  cause?: unknown;
  data?: Record<string, unknown>;
}

/**
 * The local error of every iapeer lib: a stable `code` from ERROR_CODES and a message
 * that says what happened, with which input, and what to do. Branch on `code`
 * (or `isIapeerError`), never on message text.
 */
export class IapeerError extends Error {
  readonly code: ErrorCode;
  readonly data: Record<string, unknown>;
  readonly [BRAND] = true;

  constructor(code: ErrorCode, message: string, opts: IapeerErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'IapeerError';
    this.code = code;
    this.data = opts.data ?? {};
  }

  /** The tRPC code this error is answered with over a socket. */
  get wireCode(): string {
    return ERROR_CODES[this.code].wire;
  }
}

/** Works across bundled copies, unlike instanceof. */
export function isIapeerError(err: unknown): err is IapeerError {
  return typeof err === 'object' && err !== null && (err as Record<PropertyKey, unknown>)[BRAND] === true;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The IapeerError an error carries, wherever it is: the error itself, a remote error
 * whose wire data holds an `iapeerCode` (a tRPC client error from another service), or
 * anywhere down its `cause` chain. A service handler that calls another service thus
 * answers with the typed code it got (SERVICE_UNAVAILABLE while that service restarts)
 * instead of INTERNAL. Undefined when no code is found.
 */
export function findIapeerError(err: unknown, depth = 0): IapeerError | undefined {
  if (depth > 8 || typeof err !== 'object' || err === null) return undefined;
  if (isIapeerError(err)) return err;
  const data = (err as { data?: { iapeerCode?: unknown; details?: unknown } }).data;
  const code = data?.iapeerCode;
  if (typeof code === 'string' && code !== 'INTERNAL' && Object.prototype.hasOwnProperty.call(ERROR_CODES, code)) {
    const details = typeof data?.details === 'object' && data.details !== null ? (data.details as Record<string, unknown>) : {};
    return new IapeerError(code as ErrorCode, errorMessage(err), { cause: err, data: details });
  }
  return findIapeerError((err as { cause?: unknown }).cause, depth + 1);
}

/**
 * The exit status of a service that refused to start for a reason a restart cannot fix
 * (a taken port). The keeper does not restart it; `up`
 * shows the service's last stderr line instead of waiting for health.
 */
export const EXIT_NO_RESTART = 78;

/** Error codes that make a service exit with EXIT_NO_RESTART. */
export const NO_RESTART_CODES: readonly ErrorCode[] = ['PORT_IN_USE'];
