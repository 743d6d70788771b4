import { z } from 'zod';
import { ALL_SERVICE_NAMES } from '@iapeer/core';
import { procedure, router } from './trpc';

export const HealthSchema = z
  .object({
    name: z.enum(ALL_SERVICE_NAMES),
    version: z.string(),
    pid: z.number().int().positive(),
    uptimeMs: z.number().nonnegative(),
    ready: z.boolean(),
    socket: z.string(),
  })
  .strict();
export type Health = z.infer<typeof HealthSchema>;

export type HealthHandler = () => Health | Promise<Health>;

/** Every service answers `health` the same way. */
export const healthProcedure = (handler: HealthHandler) => procedure.output(HealthSchema).query(() => handler());

/**
 * The part every service router shares: a client typed with it can ask `health` of any
 * service (a health probe that does not care which one it reaches).
 */
export const createHealthRouter = (handler: HealthHandler) => router({ health: healthProcedure(handler) });
export type HealthRouter = ReturnType<typeof createHealthRouter>;
