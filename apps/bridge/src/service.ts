/**
 * The bridge service (docs/fleet.md): tRPC `health`/`roster`/`forward` on its socket;
 * on the NATS side the roster heartbeat and the inbound consumer. It starts answering
 * at once; NATS is reached in the background (and again after every outage), and a
 * forward while it is not connected fails fast with FLEET_UNAVAILABLE.
 */
import { createBridgeRouter, type BridgeRouter, type RegistryRouter, type RouterServiceRouter, type SupervisorRouter } from '@iapeer/contracts';
import { errorMessage } from '@iapeer/core';
import { connect } from '@iapeer/rpc';
import type { ServiceContext, ServiceParts } from '@iapeer/service-runtime';
import type { NatsConnection } from './nats-core';
import { loadFleetConfig } from './fleet-config';
import { forward } from './forward';
import { loadOrCreateHostKey } from './host-key';
import { consumeInbound } from './inbound';
import { connectNats, openLink, type NatsLink } from './nats-link';
import { publishEntry, readLocalPeers, readRoster } from './roster';
import { createHostKeys } from './trust';

export async function buildBridgeService(ctx: ServiceContext): Promise<ServiceParts<BridgeRouter>> {
  const { paths, logger } = ctx;
  const cfg = loadFleetConfig(ctx.env, paths);
  const key = loadOrCreateHostKey(cfg.seedFile);
  const clients: { close(): void }[] = [];
  const clientOf = <R extends RegistryRouter | SupervisorRouter | RouterServiceRouter>(name: 'registry' | 'supervisor' | 'router') => {
    const c = connect<R>({ service: name, socketPath: paths.serviceSocket(name), retryMs: 2000, waitForMissing: true });
    clients.push(c);
    return c.client;
  };
  const registry = clientOf<RegistryRouter>('registry');
  const supervisor = clientOf<SupervisorRouter>('supervisor');
  const router = clientOf<RouterServiceRouter>('router');

  let link: NatsLink | undefined;
  let nc: NatsConnection | undefined;
  let stopped = false;
  const keys = createHostKeys(cfg.pinnedKeys, () => link?.roster, (host) => logger.warn({ host }, 'roster key of a host changed; still trusting the first one seen'));
  logger.info({ host: cfg.host, nats: cfg.natsUrl, publicKey: key.publicKey, auth: cfg.auth.kind }, 'bridge starting');

  const heartbeat = async () => {
    if (!link || stopped) return;
    try {
      const peers = await readLocalPeers({
        list: async () => (await registry.list.query()).peers,
        states: () => supervisor.state.query({}),
      });
      await publishEntry(link.roster, { v: 1, host: cfg.host, publicKey: key.publicKey, updatedAt: Date.now(), heartbeatMs: cfg.heartbeatMs, peers });
    } catch (err) {
      logger.warn({ err: errorMessage(err) }, 'roster not refreshed');
    }
  };
  const timer = setInterval(() => void heartbeat(), cfg.heartbeatMs);

  const consumed = (async () => {
    try {
      nc = await connectNats(cfg, key);
      nc.closed().then((err: Error | void) => err && logger.error({ err: errorMessage(err) }, 'nats connection closed'));
      link = await openLink(nc, cfg.host);
      logger.info({ server: nc.getServer() }, 'fleet linked');
      await heartbeat();
      await consumeInbound(link, { host: cfg.host, key, keys, logger, deliver: (input) => router.fleetSend.mutate(input) }, () => stopped);
    } catch (err) {
      if (!stopped) logger.error({ err: errorMessage(err) }, 'fleet link failed');
      // the keeper restarts the bridge: a link that cannot open is not one to limp on without
      if (!stopped) process.exitCode = 1;
      if (!stopped) setTimeout(() => process.exit(1), 100).unref();
    }
  })();

  return {
    router: createBridgeRouter({
      health: ctx.health,
      roster: async () => {
        if (!link) return [];
        return readRoster(link.roster, cfg.host, Date.now());
      },
      forward: (input) => forward(input, { cfg, key, link: () => link, keys, now: () => Date.now() }),
    }),
    async stop() {
      stopped = true;
      clearInterval(timer);
      await nc?.drain().catch(() => undefined);
      await Promise.race([consumed, new Promise((r) => setTimeout(r, 1000))]);
      for (const c of clients) c.close();
    },
  };
}
