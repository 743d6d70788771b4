import fs from 'node:fs';
import { makeSandbox, runCli, waitFor, type Sandbox } from '@iapeer/testing';
import { SERVICE_NAMES } from '@iapeer/core';
import { readKeeper, isAlive } from '../up/pidfile';

/** One row of `iapeer status --json` (the fields these tests read). */
interface StatusRow {
  name: string;
  up: boolean;
  health?: { ready: boolean; pid: number };
}

// The issue-2 walkthrough on real processes and sockets: up, status, a SIGKILLed
// service comes back, down leaves nothing behind.
describe('iapeer up / status / down', () => {
  let sb: Sandbox;
  beforeAll(() => (sb = makeSandbox()));
  afterAll(async () => {
    await runCli(['down'], sb.env);
    sb.cleanup();
  });

  it('brings up four healthy services and lists them', async () => {
    const up = await runCli(['up'], sb.env);
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
    for (const name of SERVICE_NAMES) expect(up.stdout).toMatch(new RegExp(`${name}\\s+ready\\s+pid \\d+\\s+${sb.paths.serviceSocket(name)}`));
    const status = await runCli(['status', '--json'], sb.env);
    expect(status.code).toBe(0);
    const parsed = JSON.parse(status.stdout);
    expect(parsed.services.map((s: StatusRow) => [s.name, s.up, s.health?.ready])).toEqual(SERVICE_NAMES.map((n) => [n, true, true]));
  });

  it('a second `up` reports the running services instead of starting more', async () => {
    const again = await runCli(['up'], sb.env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('iapeer is already up');
  });

  it('restarts a service killed with SIGKILL', async () => {
    const before = readKeeper(sb.paths)!;
    const victim = before.children.registry!;
    process.kill(victim, 'SIGKILL');
    const pid = await waitFor(async () => {
      const s = JSON.parse((await runCli(['status', '--json'], sb.env)).stdout);
      const reg = s.services.find((x: StatusRow) => x.name === 'registry');
      return reg?.up && reg.health && reg.health.pid !== victim ? reg.health.pid : undefined;
    }, 'registry to come back with a new pid');
    expect(pid).not.toBe(victim);
    expect((await runCli(['status'], sb.env)).code).toBe(0);
  });

  it('down stops every process and removes every socket; status then exits 1', async () => {
    const rec = readKeeper(sb.paths)!;
    const down = await runCli(['down'], sb.env);
    expect(down.code).toBe(0);
    expect(down.stdout).toContain('iapeer stopped');
    expect(isAlive(rec.pid)).toBe(false);
    for (const pid of Object.values(rec.children)) expect(isAlive(pid)).toBe(false);
    for (const name of SERVICE_NAMES) expect(fs.existsSync(sb.paths.serviceSocket(name))).toBe(false);
    const status = await runCli(['status'], sb.env);
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/registry\s+down\s+the registry service is not answering/);
  });

  it('rejects unknown verbs with a usage error (exit 2)', async () => {
    const r = await runCli(['frobnicate'], sb.env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
  });
});
