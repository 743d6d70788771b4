import { procedure, router } from '@iapeer/contracts';

/**
 * The trivial query the bench calls: built on the contracts' `procedure` (superjson
 * transformer, the error-mapping middleware) exactly as every service's router is.
 */
export const benchRouter = router({
  ping: procedure.query(() => ({ ok: true })),
});
export type BenchRouter = typeof benchRouter;

/** The raw baseline's frames carry the same envelope as the tRPC link, minus tRPC. */
export const RAW_RESPONSE = { type: 'data', data: { ok: true } } as const;
