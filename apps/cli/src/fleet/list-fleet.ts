/**
 * `iapeer list --fleet` (docs/fleet.md): every host's peers as its bridge last published
 * them to the roster, asked of this host's bridge.
 */
import type { FleetHost } from '@iapeer/contracts';
import { errorMessage, fleetEnabled, resolvePaths } from '@iapeer/core';
import { CliError } from '../cli-error';
import type { CliIO } from '../io';
import { serviceClient } from '../services';

export async function listFleet(io: CliIO, json: boolean): Promise<void> {
  if (!fleetEnabled(io.env)) throw new CliError('[FLEET_DISABLED] this host is not in a fleet: set IAPEER_NATS_URL and restart (`iapeer down && iapeer up`); see docs/fleet.md', 1);
  const { client, close } = serviceClient(resolvePaths(io.env), 'bridge', 1000);
  let hosts: FleetHost[];
  try {
    hosts = await client.roster.query();
  } catch (err) {
    throw new CliError(`[FLEET_DISABLED] the bridge does not answer: ${errorMessage(err)}`, 1);
  } finally {
    close();
  }
  if (json) return io.out(JSON.stringify(hosts, null, 2));
  if (hosts.length === 0) return io.out('no hosts in the fleet roster yet');
  for (const h of hosts) {
    io.out(`${h.host}${h.self ? ' (this host)' : ''}  ${h.up ? 'up' : 'DOWN'}  ${h.peers.length} peer(s)  key ${h.publicKey}`);
    const width = Math.max(0, ...h.peers.map((p) => p.name.length));
    for (const p of h.peers) io.out(`  ${`${p.name}@${h.host}`.padEnd(width + h.host.length + 1)}  ${p.state.padEnd(7)}  ${p.runtimes.join(', ')}`);
  }
}
