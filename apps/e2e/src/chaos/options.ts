import { SERVICE_NAMES, type ServiceName } from '@iapeer/core';

/** How long and how hard the chaos run is; every knob has an env override for longer local runs. */
export interface ChaosOptions {
  /** Seconds of sending under fire (the drain and audit come after). */
  seconds: number;
  /** Fleet size: fake-agent peers. */
  peers: number;
  /** Concurrent senders, each a registered peer identity. */
  clients: number;
  /** A fault every [min, max] ms (uniformly random). */
  faultEveryMs: [number, number];
  /** Share of faults that kill an agent session instead of a service. */
  agentFaultShare: number;
  /** How long a failing send keeps being retried with its key after the storm ends. */
  drainMs: number;
  /** Services the monkey may kill (CHAOS_SERVICES=router,supervisor to focus). */
  services: ServiceName[];
  /** Seed of the run's random choices (printed, so a run can be replayed). */
  seed: number;
}

const num = (raw: string | undefined, fallback: number) => {
  const n = Number(raw);
  return raw !== undefined && Number.isFinite(n) && n > 0 ? n : fallback;
};

export function chaosOptionsFromEnv(env: NodeJS.ProcessEnv, defaultSeconds: number): ChaosOptions {
  return {
    seconds: num(env.CHAOS_SECONDS, defaultSeconds),
    peers: num(env.CHAOS_PEERS, 20),
    clients: num(env.CHAOS_CLIENTS, 4),
    faultEveryMs: [num(env.CHAOS_FAULT_MIN_MS, 2000), num(env.CHAOS_FAULT_MAX_MS, 5000)],
    agentFaultShare: env.CHAOS_AGENT_SHARE !== undefined ? Number(env.CHAOS_AGENT_SHARE) : 0.3,
    services: env.CHAOS_SERVICES ? SERVICE_NAMES.filter((n) => env.CHAOS_SERVICES!.split(',').includes(n)) : [...SERVICE_NAMES],
    drainMs: num(env.CHAOS_DRAIN_MS, 90_000),
    seed: num(env.CHAOS_SEED, Date.now() % 2 ** 31),
  };
}

/** A small seeded PRNG (mulberry32): the run's choices are reproducible from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
