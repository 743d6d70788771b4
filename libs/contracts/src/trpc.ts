import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { ERROR_CODES, findIapeerError, isIapeerError } from '@iapeer/core';

/**
 * The one tRPC instance every service contract is built on: superjson on the wire,
 * and `data.iapeerCode` / `data.details` on every error so clients branch on a stable
 * code across the socket.
 */
const t = initTRPC.create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const iapeerCode = isIapeerError(cause) ? cause.code : error.code === 'BAD_REQUEST' ? 'INVALID_INPUT' : 'INTERNAL';
    const details = isIapeerError(cause) ? cause.data : undefined;
    return { ...shape, data: { ...shape.data, iapeerCode, details, stack: undefined } };
  },
});

/**
 * IapeerErrors thrown by a handler become TRPCErrors with the registry's wire code —
 * including one carried by a failed call to another service (its client error holds
 * the code, or SERVICE_UNAVAILABLE when that service is down), so a caller sees the
 * typed reason and never a bare INTERNAL.
 */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  const cause = result.ok ? undefined : findIapeerError(result.error.cause);
  if (cause) throw new TRPCError({ code: ERROR_CODES[cause.code].wire as TRPCError['code'], message: cause.message, cause });
  return result;
});

export const router = t.router;
export const procedure = t.procedure.use(mapErrors);
export const createCallerFactory = t.createCallerFactory;
