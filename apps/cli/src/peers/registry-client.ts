import { resolvePaths, type IapeerPaths } from '@iapeer/core';
import type { CliIO } from '../io';
import { serviceClient } from '../services';

/** Runs `fn` with a registry client for the CLI's root, closing the socket afterwards. */
export async function withRegistry<T>(io: CliIO, fn: (registry: ReturnType<typeof serviceClient<'registry'>>['client'], paths: IapeerPaths) => Promise<T>): Promise<T> {
  const paths = resolvePaths(io.env);
  const c = serviceClient(paths, 'registry');
  try {
    return await fn(c.client, paths);
  } finally {
    c.close();
  }
}
