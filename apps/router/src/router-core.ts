/**
 * The router's transport-free core: what the tRPC procedures and the MCP tool call.
 * Built from ports; the service wires production adapters, tests in-memory twins.
 */
import type { AwaitQueuedInput, AwaitQueuedResult } from '@iapeer/contracts';
import type { CallerAuthenticator, RequestHeaders } from './caller/caller-authenticator';
import { singleHeader } from './caller/caller-authenticator';
import { resolveCaller } from './caller/resolve-caller';
import { routeControl, type ControlDeps, type ControlRequest, type ControlResult } from './control/route-control';
import { remoteCaller } from './fleet/remote-caller';
import { MCP_SEND_FIELDS } from './mcp/send-to-peer-tool';
import { handleSend, type SendPipelineDeps } from './send/handle-send';
import type { RouteResult } from './send/route-send';
import type { FleetDeliverInput } from '@iapeer/contracts';

export interface RouterCore {
  /** tRPC/CLI send: `from` is trusted by socket permissions but must be a registered identity. */
  send(input: { from: string } & Record<string, unknown>): Promise<RouteResult>;
  /** MCP send_to_peer: the caller comes from the request headers. */
  sendFromMcp(headers: RequestHeaders, args: unknown): Promise<RouteResult>;
  control(req: ControlRequest): Promise<ControlResult>;
  /** `iapeer send --wait`: a long poll on one composer-held message (§6.4). */
  awaitQueued(input: AwaitQueuedInput): Promise<AwaitQueuedResult>;
  /** A message from a peer on another host, vouched for by this host's bridge (docs/fleet.md). */
  fleetSend(input: FleetDeliverInput): Promise<RouteResult>;
}

/** A long poll blocks at most this long when the caller names no timeout. */
const AWAIT_DEFAULT_MS = 20_000;

export function createRouterCore(deps: SendPipelineDeps & { authenticator: CallerAuthenticator } & Pick<ControlDeps, 'jobs' | 'compactWait'>): RouterCore {
  return {
    send({ from, ...args }) {
      return handleSend({ path: 'cli', claimed: from, authenticate: () => resolveCaller(from, deps.directory, 'from'), args }, deps);
    },
    sendFromMcp(headers, args) {
      return handleSend(
        {
          path: 'mcp',
          claimed: singleHeader(headers, 'x-iapeer-identity'),
          authenticate: () => deps.authenticator.authenticate(headers),
          args: args ?? {},
          fields: MCP_SEND_FIELDS,
        },
        deps,
      );
    },
    control: (req) => routeControl(req, deps),
    async awaitQueued({ id, timeoutMs }) {
      if (!deps.composer) return { status: 'unknown' };
      return deps.composer.awaitOutcome(id, timeoutMs ?? AWAIT_DEFAULT_MS);
    },
    fleetSend({ from, ...args }) {
      const claimed = `${from.identity}@${from.host}`;
      return handleSend({ path: 'fleet', claimed, authenticate: async () => remoteCaller(from), args }, deps);
    },
  };
}
