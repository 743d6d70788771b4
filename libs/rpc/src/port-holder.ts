/**
 * Who holds a TCP port on 127.0.0.1, and the one PORT_IN_USE error both `iapeer up`
 * (before it starts anything) and the router (when its listen fails) give.
 * An iapeer router answers `GET /.well-known/iapeer` with its root and pid, so a
 * second root can name the first one instead of a bare EADDRINUSE.
 */
import http from 'node:http';
import net from 'node:net';
import { IapeerError } from '@iapeer/core';

export const IAPEER_WELL_KNOWN_PATH = '/.well-known/iapeer';

/** What `/.well-known/iapeer` answers. */
export interface IapeerIdentityDoc {
  service: 'iapeer-router' | 'iapeer-console';
  root: string;
  pid: number;
  version: string;
}

export type PortHolder = { kind: 'iapeer'; root: string; pid: number; service?: IapeerIdentityDoc['service'] } | { kind: 'other' };

/** Resolves true when nothing listens on host:port (we could bind it), false on EADDRINUSE. */
export function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' ? resolve(false) : reject(err)));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/** Asks the holder whether it is an iapeer router (half a second at most; anything else is "other"). */
export function identifyPortHolder(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<PortHolder> {
  return new Promise((resolve) => {
    const req = http.get({ host, port, path: IAPEER_WELL_KNOWN_PATH, timeout: timeoutMs, headers: { host: `${host}:${port}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body = body.length < 4096 ? body + c : body));
      res.on('end', () => {
        try {
          const doc = JSON.parse(body) as Partial<IapeerIdentityDoc>;
          if (res.statusCode === 200 && doc.service === 'iapeer-router' && typeof doc.root === 'string' && typeof doc.pid === 'number') {
            return resolve({ kind: 'iapeer', root: doc.root, pid: doc.pid });
          }
          if (res.statusCode === 200 && doc.service === 'iapeer-console' && typeof doc.root === 'string' && typeof doc.pid === 'number') {
            return resolve({ kind: 'iapeer', root: doc.root, pid: doc.pid, service: doc.service });
          }
        } catch {
          // not JSON: not an iapeer router
        }
        resolve({ kind: 'other' });
      });
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve({ kind: 'other' }));
  });
}

/** Which listener could not bind: the router's MCP port (the default) or the console's. */
export interface PortUse {
  label: string;
  envVar: string;
}
export const MCP_PORT_USE: PortUse = { label: 'MCP port', envVar: 'IAPEER_PORT' };
export const CONSOLE_PORT_USE: PortUse = { label: 'console port', envVar: 'IAPEER_CONSOLE_PORT' };

export function portInUseError(port: number, holder: PortHolder, host = '127.0.0.1', use: PortUse = MCP_PORT_USE): IapeerError {
  const what = holder.kind === 'iapeer' && holder.service === 'iapeer-console' ? 'console' : 'router';
  const who = holder.kind === 'iapeer' ? `the iapeer ${what} of another root, ${holder.root} (pid ${holder.pid})` : 'another process (not an iapeer router)';
  const stop = holder.kind === 'iapeer' ? `, or stop that root with \`IAPEER_ROOT=${holder.root} iapeer down\`` : '';
  return new IapeerError('PORT_IN_USE', `the ${use.label} ${host}:${port} is in use by ${who}; set ${use.envVar} to a free port (e.g. \`${use.envVar}=${port === 65535 ? port - 1 : port + 1} iapeer up\`)${stop}`, {
    data: { port, holder },
  });
}

/** Throws PORT_IN_USE (naming the holder) when host:port is taken; port 0 is always free. */
export async function assertPortFree(port: number, host = '127.0.0.1'): Promise<void> {
  if (port === 0 || (await portIsFree(port, host))) return;
  throw portInUseError(port, await identifyPortHolder(port, host), host);
}
