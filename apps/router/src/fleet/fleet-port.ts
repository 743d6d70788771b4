/**
 * The fleet as the router sees it (docs/fleet.md): a send to `name@otherhost`, or to a
 * name only a remote host has, is handed to this host's bridge, which answers with the
 * remote router's own RouteResult (or its typed error).
 */
import type { ForwardInput, SendResult } from '@iapeer/contracts';

export interface FleetPort {
  /** This host's fleet name (IAPEER_HOST): `name@<it>` is a local send. */
  host: string;
  forward(input: ForwardInput): Promise<SendResult>;
}
