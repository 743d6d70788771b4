/**
 * The router's one fleet hook (docs/fleet.md): decides whether a send leaves this host,
 * and hands it to the bridge. Refusals come before the pending mark (no trace on disk).
 */
import { HOST_NAME_RE, IapeerError, splitFleetTarget } from '@iapeer/core';
import type { ResolvedCaller } from '../caller/resolve-caller';
import type { PeerDirectory } from '../ports';
import type { SendAttempt } from '../send/idempotency';
import type { RouteResult } from '../send/route-send';
import { sendErrors } from '../send/send-errors';
import type { SendRequest } from '../send/validate-send';
import type { FleetPort } from './fleet-port';

/** A remote send: to one named host, or to whichever single remote host has the name. */
export type RemoteHost = { kind: 'named'; host: string } | { kind: 'any' };

/** `bob@B` → the args with `bob` and the host B (none when B is this host). Other args pass through. */
export function splitHostArg(args: unknown, fleet: FleetPort | undefined): { args: unknown; host?: string } {
  const personality = (args as { personality?: unknown } | null)?.personality;
  if (typeof personality !== 'string' || !personality.includes('@')) return { args };
  const { personality: name, host } = splitFleetTarget(personality);
  if (!host || !HOST_NAME_RE.test(host)) throw sendErrors.invalid(`invalid host in ${JSON.stringify(personality)}: expected <peer>@<host>, the host ^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$`);
  const rest = { ...(args as Record<string, unknown>), personality: name };
  if (fleet && host === fleet.host) return { args: rest };
  if (!fleet) throw new IapeerError('FLEET_DISABLED', `"${personality}" is on another host, and this host is not in a fleet (IAPEER_NATS_URL is not set); message NOT delivered`);
  return { args: rest, host };
}

/** Where the send goes: a named remote host, any remote host (the name is not local), or here. */
export async function remoteHostOf(host: string | undefined, personality: string, fleet: FleetPort | undefined, directory: PeerDirectory): Promise<RemoteHost | undefined> {
  if (host) return { kind: 'named', host };
  if (!fleet || (await directory.get(personality))) return undefined;
  return { kind: 'any' };
}

export async function forwardRemote(caller: ResolvedCaller, req: SendRequest, where: RemoteHost, fleet: FleetPort, attempt?: SendAttempt): Promise<RouteResult> {
  // a path is only meaningful on the host that named it: no file crosses the wire
  if (req.attachments?.length) throw sendErrors.invalid('attachments are paths on this host; a send to another host cannot carry them — put the content in the message');
  attempt?.starting();
  return fleet.forward({
    from: caller.identity,
    personality: req.personality,
    host: where.kind === 'named' ? where.host : undefined,
    runtime: req.runtime,
    message: req.message,
    topic: req.topic,
    sendId: attempt?.id,
    queue: req.queue,
  });
}
