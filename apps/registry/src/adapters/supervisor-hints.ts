import type { SupervisorRouter } from '@iapeer/contracts';
import { errorMessage } from '@iapeer/core';
import type { RpcClient } from '@iapeer/rpc';

/** What the supervisor knows of peers: the folders its session markers name. */
export interface PeerHints {
  /** Folders of peers the supervisor has markers for (absolute). */
  cwds: string[];
  /** Set when the supervisor could not be asked; the rebuild goes on without it. */
  unavailable?: string;
}

/** How long a rebuild waits for the supervisor (it may itself be waiting on us). */
const HINTS_TIMEOUT_MS = 3000;

/**
 * Asks the supervisor's `state` (over its typed contract) for every identity it has
 * markers for and the folder each session ran in: a rebuild of a damaged registry
 * file unions those folders in. Best effort: a supervisor that is down or slow only
 * costs one source, never the rebuild.
 */
export function supervisorHints(client: RpcClient<SupervisorRouter>['client']): () => Promise<PeerHints> {
  return async () => {
    let timer: NodeJS.Timeout | undefined;
    try {
      const states = await Promise.race([
        client.state.query({}),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${HINTS_TIMEOUT_MS} ms`)), HINTS_TIMEOUT_MS);
        }),
      ]);
      const cwds = states.map((s) => s.markers.session?.cwd).filter((c): c is string => typeof c === 'string' && c.startsWith('/'));
      return { cwds: [...new Set(cwds)] };
    } catch (err) {
      return { cwds: [], unavailable: errorMessage(err) };
    } finally {
      clearTimeout(timer);
    }
  };
}
