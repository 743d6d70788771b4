/**
 * @nats-io/transport-node re-exports the NATS core through a subpath export
 * (`@nats-io/nats-core/internal`) that this repo's `moduleResolution: node` cannot see,
 * so TypeScript would type those names as missing. The values come from transport-node
 * (as at run time), their types from nats-core's own declarations.
 */
import * as transport from '@nats-io/transport-node';
import type * as core from '@nats-io/nats-core/lib/mod';

const nats = transport as unknown as typeof core & { connect: typeof transport.connect };
export const { headers, nanos, credsAuthenticator, nkeyAuthenticator } = nats;
export const connect = transport.connect as unknown as (opts: core.ConnectionOptions) => Promise<core.NatsConnection>;
export type NatsConnection = core.NatsConnection;
export type Subscription = core.Subscription;
