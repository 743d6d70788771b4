import { performance } from 'node:perf_hooks';
import { summarize } from '../lib/result';
import type { Caller } from './modes';

export interface Plan {
  warmup: number;
  calls: number;
  concurrency: number;
  throughputMs: number;
}

export interface ClientFigures {
  latencyUs: ReturnType<typeof summarize>;
  /** CPU time (user + system) the client process spent per sequential call. */
  clientCpuUsPerCall: number;
  wallUsPerCall: number;
  throughput: { concurrency: number; calls: number; seconds: number; callsPerSec: number };
}

/** Sequential latency (one call in flight), then throughput with `concurrency` calls in flight. */
export async function measure(caller: Caller, plan: Plan): Promise<ClientFigures> {
  for (let i = 0; i < plan.warmup; i++) await caller.call();
  const samples = new Array<number>(plan.calls);
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  for (let i = 0; i < plan.calls; i++) {
    const t0 = performance.now();
    await caller.call();
    samples[i] = (performance.now() - t0) * 1000;
  }
  const cpu = process.cpuUsage(cpu0);
  const cpuUsPerCall = (cpu.user + cpu.system) / plan.calls;
  const wallUsPerCall = ((performance.now() - wall0) * 1000) / plan.calls;

  let done = 0;
  const t0 = performance.now();
  const end = t0 + plan.throughputMs;
  await Promise.all(
    Array.from({ length: plan.concurrency }, async () => {
      while (performance.now() < end) {
        await caller.call();
        done++;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  return { latencyUs: summarize(samples), clientCpuUsPerCall: cpuUsPerCall, wallUsPerCall, throughput: { concurrency: plan.concurrency, calls: done, seconds, callsPerSec: done / seconds } };
}
