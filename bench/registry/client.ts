import type { RegistryRouter } from '@iapeer/contracts';
import { connect, iapeerCodeOf } from '@iapeer/rpc';
import { baselineUpsert } from './baseline-writer';

/** What one client process reports on stdout (one JSON line) when its run ends. */
export interface ClientReport {
  acks: number;
  elocked: number;
  otherFailures: number;
  /** True when the client stopped early because a write failed (the original's writers died). */
  died: boolean;
  firstError?: string;
}

export interface ClientArgs {
  mode: 'service' | 'baseline';
  target: string; // socket path (service) or root dir (baseline)
  id: number;
  startAt: number;
  durationMs: number;
  inflight: number;
}

const PEERS_PER_CLIENT = 16;

/** Runs one client until its deadline; every upsert is acknowledged only after its fsync. */
export async function runClient(a: ClientArgs): Promise<ClientReport> {
  const report: ClientReport = { acks: 0, elocked: 0, otherFailures: 0, died: false };
  while (Date.now() < a.startAt) await new Promise((r) => setTimeout(r, Math.max(1, a.startAt - Date.now())));
  const deadline = a.startAt + a.durationMs;
  let seq = 0;
  const nextPeer = () => {
    const n = seq++;
    return { personality: `b${a.id}-${n % PEERS_PER_CLIENT}`, description: `write ${n} of client ${a.id}` };
  };
  if (a.mode === 'baseline') {
    const files = { peersFile: `${a.target}/peers-profiles.json`, peersLock: `${a.target}/peers-profiles.lock` };
    while (Date.now() < deadline) {
      const { personality, description } = nextPeer();
      try {
        await baselineUpsert(files, personality, description);
        report.acks++;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ELOCKED') report.elocked++;
        else report.otherFailures++;
        report.died = true; // the original's writer threw out of updatePeersIndex: that writer is gone
        report.firstError = (err as Error).message;
        break;
      }
    }
    return report;
  }
  const { client, close } = connect<RegistryRouter>({ service: 'registry', socketPath: a.target });
  const worker = async () => {
    while (Date.now() < deadline && !report.died) {
      const { personality, description } = nextPeer();
      try {
        await client.upsert.mutate({ personality, runtime: 'claude', cwd: `/bench/${personality}`, description });
        report.acks++;
      } catch (err) {
        const code = iapeerCodeOf(err);
        if (/ELOCKED/.test((err as Error).message)) report.elocked++;
        else report.otherFailures++;
        report.died = true;
        report.firstError = `${code}: ${(err as Error).message}`;
      }
    }
  };
  await Promise.all(Array.from({ length: a.inflight }, worker));
  close();
  return report;
}
