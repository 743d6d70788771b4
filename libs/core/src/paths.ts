import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';

export type Env = Readonly<Record<string, string | undefined>>;

/** The five services; each owns one socket under state/iapeer/sock (the console also serves HTTP on loopback). */
export const SERVICE_NAMES = ['logd', 'registry', 'supervisor', 'router', 'console'] as const;
/** Services that run only when configured: the bridge when IAPEER_NATS_URL is set (docs/fleet.md). */
export const OPTIONAL_SERVICE_NAMES = ['bridge'] as const;
export const ALL_SERVICE_NAMES = [...SERVICE_NAMES, ...OPTIONAL_SERVICE_NAMES] as const;
export type ServiceName = (typeof ALL_SERVICE_NAMES)[number];

/** Linux allows ~107 bytes in a socket path (macOS 104); stay under this. */
export const MAX_SOCKET_PATH = 100;

/** Every path iapeer uses, derived from IAPEER_ROOT / IAPEER_SOCK_DIR / HOME (docs/behaviour.md §3.1). */
export interface IapeerPaths {
  home: string;
  root: string;
  /** True when root came from the default (`~/.iapeer`), not IAPEER_ROOT. */
  isDefaultRoot: boolean;
  peersFile: string;
  peersLock: string;
  stateDir: string;
  serviceStateDir: string;
  serviceSockDir: string;
  routerJson: string;
  lifecycleDir: string;
  logsDir: string;
  eventLogDir: string;
  paneLogDir: string;
  runtimesDir: string;
  peersDir: string;
  cacheDir: string;
  pluginsDir: string;
  /** tmux sockets, one per live identity (§2.4). */
  sockDir: string;
  launchAgentsDir: string;
  systemdUserDir: string;
  serviceSocket(name: ServiceName): string;
  tmuxSocket(identity: string): string;
  peerStateFile(identity: string, suffix: string): string;
}

export function resolveHome(env: Env = process.env): string {
  return env.HOME && env.HOME.length > 0 ? env.HOME : os.homedir();
}

/** The real `~/.iapeer`, ignoring IAPEER_ROOT: what the sandbox flag protects. */
export function realDefaultRoot(env: Env = process.env): string {
  return path.join(resolveHome(env), '.iapeer');
}

export function resolvePaths(env: Env = process.env): IapeerPaths {
  const home = resolveHome(env);
  const isDefaultRoot = !env.IAPEER_ROOT;
  const root = path.resolve(env.IAPEER_ROOT || path.join(home, '.iapeer'));
  const sockDir = env.IAPEER_SOCK_DIR ? path.resolve(env.IAPEER_SOCK_DIR) : env.IAPEER_ROOT ? path.join(root, 'socks') : '/tmp';
  const stateDir = path.join(root, 'state');
  const serviceStateDir = path.join(stateDir, 'iapeer');
  const lifecycleDir = path.join(stateDir, 'lifecycle');
  const logsDir = path.join(root, 'logs');
  const preferredSockDir = path.join(serviceStateDir, 'sock');
  const serviceSockDir = fitsSocketPath(path.join(preferredSockDir, 'supervisor.sock'))
    ? preferredSockDir
    : shortSocketDir(root);
  return {
    home,
    root,
    isDefaultRoot,
    peersFile: path.join(root, 'peers-profiles.json'),
    peersLock: path.join(root, 'peers-profiles.lock'),
    stateDir,
    serviceStateDir,
    serviceSockDir,
    routerJson: path.join(serviceStateDir, 'router.json'),
    lifecycleDir,
    logsDir,
    eventLogDir: path.join(logsDir, 'iapeer'),
    paneLogDir: path.join(logsDir, 'lifecycle'),
    runtimesDir: path.join(root, 'runtimes'),
    peersDir: path.join(root, 'peers'),
    cacheDir: path.join(root, 'cache'),
    pluginsDir: path.join(root, 'plugins'),
    sockDir,
    launchAgentsDir: env.IAPEER_LAUNCHAGENTS_DIR ? path.resolve(env.IAPEER_LAUNCHAGENTS_DIR) : path.join(home, 'Library', 'LaunchAgents'),
    systemdUserDir: env.IAPEER_SYSTEMD_USER_DIR ? path.resolve(env.IAPEER_SYSTEMD_USER_DIR) : path.join(home, '.config', 'systemd', 'user'),
    serviceSocket: (name) => path.join(serviceSockDir, `${name}.sock`),
    tmuxSocket: (identity) => path.join(sockDir, `tmux-iap-${identity}.sock`),
    peerStateFile: (identity, suffix) => path.join(lifecycleDir, `${identity}.${suffix}`),
  };
}

function fitsSocketPath(p: string): boolean {
  return Buffer.byteLength(p) <= MAX_SOCKET_PATH;
}

/** A deep IAPEER_ROOT would overflow sun_path: fall back to a short per-root dir in the OS temp dir. */
function shortSocketDir(root: string): string {
  const digest = createHash('sha256').update(root).digest('hex').slice(0, 12);
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  return path.join('/tmp', `iapeer-${uid}-${digest}`);
}
