/**
 * `state/iapeer/router.json`, the discovery file (§3.2 shape plus `sockets`):
 * written atomically once the MCP listener is bound, removed on close.
 */
import fs from 'node:fs';
import { IAPEER_VERSION, SERVICE_NAMES, type IapeerPaths, type ServiceName } from '@iapeer/core';
import { writeFileAtomic } from '@iapeer/storage';

export interface RouterDiscovery {
  /** The router's tRPC socket. */
  sock: string;
  /** The MCP URL, e.g. `http://127.0.0.1:8765/mcp` (the bound port when IAPEER_PORT=0). */
  tcp: string | null;
  /** Every service socket, so a client needs only this file. */
  sockets: Record<ServiceName, string>;
  version: string;
  pid: number;
}

export function buildRouterDiscovery(paths: IapeerPaths, mcpUrl: string | null, pid: number): RouterDiscovery {
  const sockets = Object.fromEntries(SERVICE_NAMES.map((n) => [n, paths.serviceSocket(n)])) as Record<ServiceName, string>;
  return { sock: paths.serviceSocket('router'), tcp: mcpUrl, sockets, version: IAPEER_VERSION, pid };
}

export function writeRouterJson(paths: IapeerPaths, discovery: RouterDiscovery): void {
  writeFileAtomic(paths.routerJson, JSON.stringify(discovery, null, 2) + '\n');
}

/** Removes the file only if it is still ours (a newer router may have replaced it). */
export function removeRouterJson(paths: IapeerPaths, pid: number): void {
  try {
    const current = JSON.parse(fs.readFileSync(paths.routerJson, 'utf8')) as Partial<RouterDiscovery>;
    if (current.pid !== pid) return;
    fs.unlinkSync(paths.routerJson);
  } catch (err) {
    // already gone (or unreadable, then not ours to judge): nothing to clean up
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' && !(err instanceof SyntaxError)) throw err;
  }
}
