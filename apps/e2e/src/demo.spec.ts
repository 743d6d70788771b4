import fs from 'node:fs';
import { makeSandbox, runCli, type Sandbox } from '@iapeer/testing';

// The README's first command, minus `npm ci`: `iapeer up` then `iapeer demo` on a root,
// with no real agent installed. The demo must run to the end and show bob's reply.
describe('iapeer demo', () => {
  let sb: Sandbox;
  beforeAll(() => (sb = makeSandbox()));
  afterAll(async () => {
    await runCli(['stop', '--all'], sb.env);
    await runCli(['down'], sb.env);
    sb.cleanup();
  });

  it('refuses to run before `iapeer up`, saying so', async () => {
    const r = await runCli(['demo'], sb.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('start the services with `iapeer up` first');
  });

  it('creates two peers, wakes bob with a message, shows his reply, the list and how to attach', async () => {
    expect((await runCli(['up'], sb.env)).code).toBe(0);
    const r = await runCli(['demo'], sb.env, { timeoutMs: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('created peer "alice" (demo)');
    expect(r.stdout).toContain('delivered to bob (demo)');
    expect(r.stdout).toMatch(/alice received: Re: hello alice, bob here\. I read your message \(37 chars\)/);
    expect(r.stdout).toMatch(/alice\s+\[demo\].*● demo/);
    expect(r.stdout).toMatch(/bob\s+\[demo\].*● demo/);
    expect(r.stdout).toContain('iapeer attach bob');
    expect(fs.existsSync(`${sb.paths.runtimesDir}/demo/runtime.json`)).toBe(true);
  });

  it('is safe to run twice (peers are updated, not duplicated)', async () => {
    const r = await runCli(['demo'], sb.env, { timeoutMs: 120_000 });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('updated peer "alice" (demo)');
  });
});
