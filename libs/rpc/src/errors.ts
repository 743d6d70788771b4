import { TRPCClientError } from '@trpc/client';
import { IapeerError, isIapeerError, type ErrorCode } from '@iapeer/core';

/**
 * The typed "service unavailable" error: names the service, its socket and how to
 * start it. `mutationLost` says the call may or may not have run.
 */
export function unavailableError(
  opts: { service: string; socketPath: string; retryMs: number },
  cause: Error,
  mutationLost = false,
): IapeerError {
  const reason = (cause as NodeJS.ErrnoException).code ?? cause.message;
  const what = mutationLost
    ? `lost the connection to the ${opts.service} service during a call (it may or may not have been applied; retry it with the same idempotency key)`
    : `the ${opts.service} service is not answering on ${opts.socketPath} (${reason}${reason === 'ENOENT' ? ': not running' : `, retried for ${opts.retryMs} ms`})`;
  return new IapeerError('SERVICE_UNAVAILABLE', `${what}; start it with \`iapeer up\` (or \`iapeer service install\`), then check \`iapeer status\``, {
    cause,
    data: { service: opts.service, socketPath: opts.socketPath },
  });
}

/** The stable iapeer code of any error: local, from a socket, or unknown. */
export function iapeerCodeOf(err: unknown): ErrorCode | undefined {
  if (isIapeerError(err)) return err.code;
  if (err instanceof TRPCClientError) {
    if (isIapeerError(err.cause)) return err.cause.code;
    const code = (err.data as { iapeerCode?: ErrorCode } | undefined)?.iapeerCode;
    if (code) return code;
  }
  if (err && typeof err === 'object' && 'cause' in err) return iapeerCodeOf((err as { cause: unknown }).cause);
  return undefined;
}

/** Details a service attached to a coded error (`data.details` on the wire). */
export function errorDetailsOf(err: unknown): Record<string, unknown> | undefined {
  if (isIapeerError(err)) return err.data;
  if (err instanceof TRPCClientError) return (err.data as { details?: Record<string, unknown> } | undefined)?.details;
  return undefined;
}

/** The typed error for a frame that broke the protocol or the frame limit (ndjson.ts). */
export function badFrameError(what: string, data?: Record<string, unknown>): IapeerError {
  return new IapeerError('BAD_FRAME', `${what}; the rpc protocol is one JSON frame per line (docs/notes/rpc-frames.md)`, { data });
}

/** The typed error of a call on a client that was closed: it is failed, never replayed on a new socket. */
export function clientClosedError(opts: { service: string; socketPath: string }): IapeerError {
  return new IapeerError(
    'CLIENT_CLOSED',
    `the client of the ${opts.service} service (${opts.socketPath}) was closed with this call in flight; it was not answered (a mutation may or may not have been applied)`,
    { data: { service: opts.service, socketPath: opts.socketPath } },
  );
}
