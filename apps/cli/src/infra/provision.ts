import type { IapeerPaths } from '@iapeer/core';
import type { CliIO } from '../io';
import { installInfraJob } from './infra-job';

/**
 * After create/init of a telegram/notifier peer: write its own job and start it, and
 * say so. The output names the file and what the manager did, so a refusal or a
 * failed bootstrap is never silent.
 */
export async function provisionInfraPeer(io: CliIO, paths: IapeerPaths, peer: { personality: string; runtime: string; cwd: string }): Promise<void> {
  const r = await installInfraJob(paths, io.env, peer);
  if (r.warning) io.err(`warning: ${r.warning}`);
  const detail = r.started.detail ? ` — ${r.started.detail}` : '';
  io.out(`always-on job ${r.file.label}: ${r.written} (${r.file.path}); start: ${r.started.outcome}${detail}`);
  if (r.started.outcome === 'failed') process.exitCode = 1;
}
