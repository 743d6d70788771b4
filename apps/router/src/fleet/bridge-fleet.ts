/**
 * FleetPort over the bridge's socket. A bridge error keeps its code across the hop (the
 * sender sees FLEET_HOST_DOWN, or the remote router's WAKE_FAILED…); a bridge that does
 * not answer is FLEET_DISABLED: nothing was forwarded.
 */
import type { BridgeRouter } from '@iapeer/contracts';
import { ERROR_CODES, IapeerError, errorMessage, type ErrorCode, type IapeerPaths } from '@iapeer/core';
import { connect, iapeerCodeOf } from '@iapeer/rpc';
import type { FleetPort } from './fleet-port';

export function createBridgeFleet(paths: IapeerPaths, host: string): FleetPort & { close(): void } {
  const { client, close } = connect<BridgeRouter>({ service: 'bridge', socketPath: paths.serviceSocket('bridge'), retryMs: 1000 });
  return {
    host,
    close,
    async forward(input) {
      try {
        return await client.forward.mutate(Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as typeof input);
      } catch (err) {
        const code = iapeerCodeOf(err);
        if (code === 'SERVICE_UNAVAILABLE') {
          throw new IapeerError('FLEET_DISABLED', `the bridge of this host does not answer (${errorMessage(err)}); message NOT sent — start it with IAPEER_NATS_URL set (\`iapeer up\`)`);
        }
        const known = code !== undefined && code in ERROR_CODES ? (code as ErrorCode) : 'INTERNAL';
        throw new IapeerError(known, errorMessage(err), { cause: err });
      }
    },
  };
}
