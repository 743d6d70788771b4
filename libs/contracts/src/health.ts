import { z } from 'zod';
import { SERVICE_NAMES } from '@iapeer/core';
import { procedure } from './trpc';

export const HealthSchema = z
  .object({
    name: z.enum(SERVICE_NAMES),
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
