import path from 'node:path';
import { IapeerError } from '@iapeer/core';

/** sun_path is 108 bytes on Linux and 104 on macOS, both including the trailing NUL. */
export function maxSocketPathBytes(platform: NodeJS.Platform = process.platform): number {
  return platform === 'darwin' || platform === 'freebsd' ? 103 : 107;
}

/** `<sockDir>/tmux-iap-<identity>.sock` (docs/behaviour.md §2.4). */
export function tmuxSocketPath(sockDir: string, identity: string): string {
  return path.join(sockDir, `tmux-iap-${identity}.sock`);
}

/** The identity of a socket file name, or null when the name is not ours. */
export function identityOfSocketName(name: string): string | null {
  const m = /^tmux-iap-(.+)\.sock$/.exec(name);
  return m ? m[1] : null;
}

/**
 * A socket path that does not fit sun_path makes tmux fail with a confusing
 * "File name too long" (or silently truncate on some systems): refuse it up front
 * and say how to fix it.
 */
export function assertSocketPathFits(socket: string, platform: NodeJS.Platform = process.platform): void {
  const bytes = Buffer.byteLength(socket);
  const max = maxSocketPathBytes(platform);
  if (bytes <= max) return;
  throw new IapeerError(
    'TMUX_SOCKET_PATH_TOO_LONG',
    `tmux socket path is ${bytes} bytes, over the ${max}-byte Unix socket limit: ${socket}. ` +
      'Set IAPEER_SOCK_DIR (or IAPEER_ROOT) to a shorter directory, e.g. /tmp/iap',
    { data: { socket, bytes, max } },
  );
}
