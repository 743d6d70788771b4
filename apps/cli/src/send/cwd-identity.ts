/**
 * The sender a CLI `send` defaults to (`--from` absent): the peer whose folder is
 * the cwd, `<runtime>-<personality>` from `<cwd>/.iapeer/peer-profile.json`. The
 * runtime follows docs/behaviour.md §2.5: the PEER_IDENTITY prefix (inside a session),
 * then the profile's default_runtime, then PEER_RUNTIME.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseIdentity } from '@iapeer/core';
import { CliError } from '../cli-error';

export function resolveCwdIdentity(cwd: string, env: NodeJS.ProcessEnv, verb = 'send'): string {
  const file = path.join(cwd, '.iapeer', 'peer-profile.json');
  let profile: { personality?: unknown; default_runtime?: unknown; runtime?: unknown };
  try {
    profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'there is no peer profile' : `the peer profile is unreadable (${(err as Error).message})`;
    throw new CliError(`no --from given and ${why} at ${file}; pass --from <runtime>-<personality> or run it in a peer's folder`, 1, verb);
  }
  const personality = typeof profile.personality === 'string' ? profile.personality : '';
  const session = env.PEER_IDENTITY ? parseIdentity(env.PEER_IDENTITY) : null;
  const runtime =
    (session?.personality === personality ? session.runtime : undefined) ??
    (typeof profile.default_runtime === 'string' ? profile.default_runtime : undefined) ??
    (typeof profile.runtime === 'string' ? profile.runtime : undefined) ??
    env.PEER_RUNTIME;
  const identity = `${runtime ?? ''}-${personality}`;
  if (!runtime || !parseIdentity(identity)) {
    throw new CliError(`cannot tell the sender from ${file} (personality ${JSON.stringify(personality)}, runtime ${JSON.stringify(runtime)}); pass --from <runtime>-<personality>`, 1, verb);
  }
  return identity;
}
