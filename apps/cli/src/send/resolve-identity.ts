/**
 * `resolveIdentity` (docs/behaviour.md §2.1, §2.5): who the CLI speaks as when no
 * `--from` is given, with the identity ABI checked first.
 */
import { IapeerError, parseIdentity } from '@iapeer/core';
import { profileDefaultRuntime, profilePath, readPeerProfile } from '@iapeer/profiles';
import { CliError } from '../cli-error';

/**
 * The session variables must agree with each other: a set PEER_IDENTITY must be
 * `<PEER_RUNTIME>-<PEER_PERSONALITY>` for whichever of those is set too (a launched session has all
 * three, written last; a mismatch means one was overridden by hand). Answers the
 * personality the session claims (PEER_PERSONALITY, else the PEER_IDENTITY half), if any.
 */
export function assertSessionIdentity(env: NodeJS.ProcessEnv): string | undefined {
  const { PEER_IDENTITY: identity, PEER_RUNTIME: runtime, PEER_PERSONALITY: personality } = env;
  const parsed = identity ? parseIdentity(identity) : null;
  if (parsed && ((runtime && runtime !== parsed.runtime) || (personality && personality !== parsed.personality))) {
    throw new IapeerError(
      'IDENTITY_MISMATCH',
      `PEER_IDENTITY=${identity} is not PEER_RUNTIME-PEER_PERSONALITY (${runtime || parsed.runtime}-${personality || parsed.personality}); the session's identity variables were changed — unset the one set by hand, or pass --from`,
      { data: { identity, runtime, personality } },
    );
  }
  return personality || parsed?.personality;
}

/**
 * The identity of the session a self-call (`self-fresh`, `self-done`) runs in: a set,
 * valid PEER_IDENTITY that agrees with PEER_RUNTIME / PEER_PERSONALITY; else exit 1.
 */
export function ownSessionIdentity(env: NodeJS.ProcessEnv): string {
  const identity = env.PEER_IDENTITY;
  if (!identity) throw new CliError('PEER_IDENTITY is not set — run this from inside a peer session', 1);
  if (!parseIdentity(identity)) throw new CliError(`PEER_IDENTITY ${JSON.stringify(identity)} is invalid — expected <runtime>-<personality>, e.g. claude-bob`, 1);
  assertSessionIdentity(env);
  return identity;
}

/**
 * The sender a CLI `send` defaults to (`--from` absent): the peer whose folder is the
 * cwd, `<runtime>-<personality>` from `<cwd>/.iapeer/peer-profile.json`. A session of
 * another peer (PEER_PERSONALITY, or PEER_IDENTITY's personality, not the profile's) is
 * refused rather than sending in this folder's name. The runtime: the PEER_IDENTITY
 * prefix, then the profile's default_runtime, then PEER_RUNTIME.
 */
export function resolveIdentity(cwd: string, env: NodeJS.ProcessEnv): string {
  const claimed = assertSessionIdentity(env);
  const file = profilePath(cwd);
  const read = readPeerProfile(cwd);
  if (read.state !== 'ok') {
    const why = read.state === 'missing' ? 'there is no peer profile' : `the peer profile is unreadable (${read.reason})`;
    throw new CliError(`no --from given and ${why} at ${file}; pass --from <runtime>-<personality> or run it in a peer's folder`, 1);
  }
  const personality = read.profile.personality ?? '';
  if (claimed !== undefined && claimed !== personality) {
    throw new IapeerError(
      'IDENTITY_MISMATCH',
      `this session is peer "${claimed}" but ${file} is peer ${JSON.stringify(personality)}; refusing to send in another peer's name — run it from "${claimed}"'s folder or pass --from`,
      { data: { claimed, personality, cwd } },
    );
  }
  const session = env.PEER_IDENTITY ? parseIdentity(env.PEER_IDENTITY) : null;
  const runtime = session?.runtime ?? profileDefaultRuntime(read.profile) ?? env.PEER_RUNTIME;
  const identity = `${runtime ?? ''}-${personality}`;
  if (!runtime || !parseIdentity(identity)) {
    throw new CliError(`cannot tell the sender from ${file} (personality ${JSON.stringify(personality)}, runtime ${JSON.stringify(runtime)}); pass --from <runtime>-<personality>`, 1);
  }
  return identity;
}
