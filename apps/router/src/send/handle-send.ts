/**
 * The send pipeline every entry point uses (MCP tool, tRPC `send`): authenticate
 * the caller, validate, dedupe by idempotency key, routeSend, and write exactly one
 * delivery.log line whatever happened.
 */
import type { ResolvedCaller } from '../caller/resolve-caller';
import type { FleetPort } from '../fleet/fleet-port';
import { forwardRemote, remoteHostOf, splitHostArg } from '../fleet/forward-remote';
import { buildDeliveryLine, type SendPath } from './delivery-line';
import type { IdempotencyStore } from './idempotency';
import { createRequestDirectory } from './request-directory';
import { routeSend, type RouteResult, type RouteSendDeps } from './route-send';
import { validateSend } from './validate-send';

export interface SendCall {
  path: SendPath;
  /** The identity the caller claims (header or --from), for the log line. */
  claimed: string | undefined;
  /** Resolves the claimed identity (and, for MCP, any token check); throws CALLER_UNKNOWN. */
  authenticate: () => Promise<ResolvedCaller>;
  args: unknown;
  /** Fields this entry point accepts (the MCP tool has no idempotencyKey). @default SEND_FIELDS */
  fields?: readonly string[];
}

export interface SendPipelineDeps extends RouteSendDeps {
  idempotency: IdempotencyStore;
  /** Present when this host is in a fleet (IAPEER_NATS_URL): remote targets go to the bridge. */
  fleet?: FleetPort;
}

/**
 * §7.7 arm-on-outbound: an ephemeral worker whose message was accepted (delivered, or
 * queued for another worker; not held for a human's composer) has sent its reply, so the
 * supervisor may end its session once it is quiet. Best-effort: the message already
 * landed, and a worker left unarmed is still bounded by the unarmed reap.
 */
async function armEphemeralCaller(caller: ResolvedCaller, result: RouteResult, deps: SendPipelineDeps): Promise<void> {
  if (caller.record.wakePolicy !== 'ephemeral' || result.queuedBy === 'composer' || !deps.supervisor) return;
  await deps.supervisor.arm({ identity: caller.identity, origin: 'outbound' }).catch(() => undefined);
}

export async function handleSend(call: SendCall, deps: SendPipelineDeps): Promise<RouteResult> {
  const started = deps.clock.now();
  let result: RouteResult | undefined;
  let replayed = false;
  let error: unknown;
  // the target's registry lookup runs while the caller is checked (a read: a refusal still changes nothing)
  const directory = createRequestDirectory(deps.directory);
  directory.prefetch((call.args as { personality?: unknown } | null)?.personality);
  try {
    const caller = await call.authenticate();
    // a message that came over the fleet is delivered here: it never hops on
    const fleet = call.path === 'fleet' ? undefined : deps.fleet;
    const target = splitHostArg(call.args, fleet);
    const req = validateSend(target.args, call.fields);
    const remote = await remoteHostOf(target.host, req.personality, fleet, directory);
    // the key's fingerprint names the host: the same key for bob and bob@B is a different send
    const keyed = remote?.kind === 'named' ? { ...req, personality: `${req.personality}@${remote.host}` } : req;
    ({ result, replayed } = await deps.idempotency.once(caller.identity, keyed, (attempt) =>
      remote && fleet ? forwardRemote(caller, req, remote, fleet, attempt) : routeSend(caller, req, { ...deps, directory }, attempt),
    ));
    if (!replayed) await armEphemeralCaller(caller, result, deps);
    return result;
  } catch (err) {
    error = err;
    throw err;
  } finally {
    deps.events.emit('delivery', buildDeliveryLine({ path: call.path, caller: call.claimed, args: call.args, ms: deps.clock.now() - started, result, replayed, error }));
  }
}
