import { isRuntime, parseIdentity } from '@iapeer/core';
import { peerProfileOrUndefined, profileDefaultRuntime } from '@iapeer/profiles';

/**
 * The runtime `init` asks for when `--runtime` is absent, in the order of docs/behaviour.md §2.5:
 * the PEER_IDENTITY prefix, then the folder's profile default (undefined: the registry
 * keeps it), then PEER_RUNTIME, then autodetection (codex / claude session variables).
 * Undefined in the end: the registry refuses with RUNTIME_UNRESOLVED (no silent default).
 */
export function resolveInitRuntime(cwd: string, env: NodeJS.ProcessEnv): string | undefined {
  const fromIdentity = env.PEER_IDENTITY ? parseIdentity(env.PEER_IDENTITY)?.runtime : undefined;
  if (fromIdentity) return fromIdentity;
  if (profileHasDefault(cwd)) return undefined;
  if (env.PEER_RUNTIME && isRuntime(env.PEER_RUNTIME)) return env.PEER_RUNTIME;
  if (env.CODEX_THREAD_ID || env.CODEX_SANDBOX) return 'codex';
  if (env.CLAUDECODE === '1' || env.CLAUDE_CODE_SESSION_ID) return 'claude';
  return undefined;
}

function profileHasDefault(cwd: string): boolean {
  // no readable profile: the registry reports an invalid one itself
  const profile = peerProfileOrUndefined(cwd);
  return profile !== undefined && isRuntime(profileDefaultRuntime(profile));
}

/** `create` works on a new folder: the caller's own PEER_* identity must not leak into it (§12). */
export function stripPeerEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('PEER_')));
}
