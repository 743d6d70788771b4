import { z } from 'zod';

/**
 * `<peer cwd>/.iapeer/peer-profile.json`: the peer's own profile, the source of truth
 * the registry record is a projection of. Known fields are typed; anything else (foreign
 * plugin sections such as `expansion` or `notifier`) is kept as it is, because the
 * writer merges over the existing file and never drops what it does not know.
 *
 * Values are the on-disk ones: `intelligence` may be a legacy word (`human`,
 * `scripted`), `runtime` is the legacy mirror of `default_runtime` older writers kept,
 * and `personality` may be absent in a hand-started profile (init fills it from the
 * folder name). Name and runtime syntax is checked by whoever projects the profile,
 * so each bad value gets its own coded error.
 */
export const PeerProfileSchema = z.looseObject({
  personality: z.string().optional(),
  default_runtime: z.string().optional(),
  /** Legacy mirror of default_runtime: read when default_runtime is absent, still written for older readers. */
  runtime: z.string().optional(),
  /** Default runtime first once the registry wrote it. */
  runtimes: z.array(z.string()).optional(),
  description: z.string().optional(),
  /** Raw: `artificial` | `natural` | `absent`, or legacy `human` | `scripted`; empty means the runtime default. */
  intelligence: z.string().optional(),
  /** Seed of every fresh session. */
  initial_prompt: z.string().optional(),
  /** Public routing passport, e.g. `interfaces.telegram.bot`. */
  interfaces: z.record(z.string(), z.unknown()).optional(),
  /** `ephemeral`, or absent for an ordinary peer. */
  wake_policy: z.string().optional(),
});
export type PeerProfile = z.infer<typeof PeerProfileSchema>;

/** The profile's place inside a peer folder. */
export const PEER_PROFILE_RELPATH = '.iapeer/peer-profile.json';
