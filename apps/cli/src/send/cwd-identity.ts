/**
 * The sender a CLI `send` defaults to (`--from` absent): the peer whose folder is
 * the cwd, `<runtime>-<personality>` from `<cwd>/.iapeer/peer-profile.json`. The
 * runtime follows docs/behaviour.md §2.5: the PEER_IDENTITY prefix (inside a session),
 * then the profile's default_runtime, then PEER_RUNTIME.
 */
import { parseIdentity } from '@iapeer/core';
import { profileDefaultRuntime, profilePath, readPeerProfile } from '@iapeer/profiles';
import { CliError } from '../cli-error';

export function resolveCwdIdentity(cwd: string, env: NodeJS.ProcessEnv, verb = 'send'): string {
  const file = profilePath(cwd);
  const read = readPeerProfile(cwd);
  if (read.state !== 'ok') {
    const why = read.state === 'missing' ? 'there is no peer profile' : `the peer profile is unreadable (${read.reason})`;
    throw new CliError(`no --from given and ${why} at ${file}; pass --from <runtime>-<personality> or run it in a peer's folder`, 1, verb);
  }
  const personality = read.profile.personality ?? '';
  const session = env.PEER_IDENTITY ? parseIdentity(env.PEER_IDENTITY) : null;
  const runtime = (session?.personality === personality ? session.runtime : undefined) ?? profileDefaultRuntime(read.profile) ?? env.PEER_RUNTIME;
  const identity = `${runtime ?? ''}-${personality}`;
  if (!runtime || !parseIdentity(identity)) {
    throw new CliError(`cannot tell the sender from ${file} (personality ${JSON.stringify(personality)}, runtime ${JSON.stringify(runtime)}); pass --from <runtime>-<personality>`, 1, verb);
  }
  return identity;
}
