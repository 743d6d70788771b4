import type { Health } from '@iapeer/contracts';
import { activeServiceNames, errorMessage, type IapeerPaths, type ServiceName } from '@iapeer/core';
import { serviceClient } from '../services';

export type ProbeResult = { name: ServiceName; up: true; health: Health } | { name: ServiceName; up: false; reason: string };

/** Asks every service for `health`, concurrently; never throws. */
export async function probeAll(paths: IapeerPaths, retryMs = 300): Promise<ProbeResult[]> {
  return Promise.all(
    activeServiceNames(process.env).map(async (name): Promise<ProbeResult> => {
      const { client, close } = serviceClient(paths, name, retryMs);
      try {
        const health = await client.health.query();
        return { name, up: true, health };
      } catch (err) {
        return { name, up: false, reason: errorMessage(err) };
      } finally {
        close();
      }
    }),
  );
}

/** Polls until every service is healthy, the deadline passes, or `abort()` says stop. */
export async function waitHealthy(paths: IapeerPaths, deadlineMs: number, abort: () => string | undefined): Promise<ProbeResult[]> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const results = await probeAll(paths, 100);
    if (results.every((r) => r.up && r.health.ready)) return results;
    const why = abort();
    if (why || Date.now() > deadline) return results;
    await new Promise((r) => setTimeout(r, 50));
  }
}
