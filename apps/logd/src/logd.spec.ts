import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import type { LogdRouter, TailItem } from '@iapeer/contracts';
import { connect, iapeerCodeOf } from '@iapeer/rpc';
import { startService, type RunningService } from '@iapeer/service-runtime';
import { makeSandbox, waitFor, type Sandbox } from '@iapeer/testing';
import { buildLogdService } from './service';

const TS = '2026-01-01T00:00:00.000Z';

describe('logd append, query and tail over its socket', () => {
  let sb: Sandbox;
  let running: RunningService;
  let rpc: ReturnType<typeof connect<LogdRouter>>;

  async function start(env: Record<string, string> = {}) {
    sb = makeSandbox({ IAPEER_LIFECYCLE_LOG_MAX_BYTES: '400', IAPEER_LIFECYCLE_LOG_KEEP: '3', ...env });
    running = await startService({ name: 'logd', env: sb.env, logger: pino({ level: 'silent' }), build: buildLogdService });
    rpc = connect<LogdRouter>({ service: 'logd', socketPath: sb.paths.serviceSocket('logd') });
  }
  afterEach(async () => {
    rpc.close();
    await running.stop();
    sb.cleanup();
  });

  const lifecycle = () => fs.readFileSync(path.join(sb.paths.eventLogDir, 'lifecycle.log'), 'utf8');

  it('appends lines in order, answers query with filters, and drops the supervise non-decisions', async () => {
    await start();
    const lines = [
      `ts=${TS} ev=wake personality=boris identity=claude-boris mode=fresh`,
      `ts=${TS} ev=supervise identity=claude-boris action=alive`,
      `ts=${TS} ev=supervise identity=codex-ann action=skipped-launchd`,
      `ts=2026-01-01T00:00:05.000Z ev=supervise identity=codex-ann action=reaped-idle outcome=resume-eligible`,
    ];
    const r = await rpc.client.append.mutate({ producer: 'p1', seq: 0, entries: [{ log: 'lifecycle', lines }] });
    expect(r).toEqual({ written: 2, duplicate: 0 });
    expect(lifecycle()).toBe(`${lines[0]}\n${lines[3]}\n`);
    expect(fs.statSync(path.join(sb.paths.eventLogDir, 'lifecycle.log')).mode & 0o777).toBe(0o600);

    expect((await rpc.client.query.query({ log: 'lifecycle', ev: 'supervise' })).lines).toEqual([lines[3]]);
    expect((await rpc.client.query.query({ log: 'lifecycle', identity: 'boris' })).lines).toEqual([lines[0]]);
    expect((await rpc.client.query.query({ log: 'lifecycle', since: '2026-01-01T00:00:01Z' })).lines).toEqual([lines[3]]);
    expect((await rpc.client.query.query({ log: 'lifecycle', n: 1 })).lines).toEqual([lines[3]]);
  });

  it('lets the non-decisions through with IAPEER_SUPERVISE_LOG_VERBOSE=yes', async () => {
    await start({ IAPEER_SUPERVISE_LOG_VERBOSE: 'yes' });
    const line = `ts=${TS} ev=supervise identity=claude-boris action=alive`;
    await rpc.client.append.mutate({ producer: 'p1', seq: 0, entries: [{ log: 'lifecycle', lines: [line] }] });
    expect(lifecycle()).toBe(`${line}\n`);
  });

  it('drops a batch it already applied (same producer and seq), and one replayed after a restart', async () => {
    await start();
    const batch = { producer: 'p1', seq: 0, entries: [{ log: 'lifecycle' as const, lines: [`ts=${TS} ev=a`, `ts=${TS} ev=b`] }] };
    await rpc.client.append.mutate(batch);
    expect(await rpc.client.append.mutate({ ...batch, retry: true })).toEqual({ written: 0, duplicate: 2 });
    // a fresh logd remembers p1's high-water mark (its journal): the retry is dropped, the next batch lands
    rpc.close();
    await running.stop();
    running = await startService({ name: 'logd', env: sb.env, logger: pino({ level: 'silent' }), build: buildLogdService });
    rpc = connect<LogdRouter>({ service: 'logd', socketPath: sb.paths.serviceSocket('logd') });
    expect(await rpc.client.append.mutate({ ...batch, retry: true })).toEqual({ written: 0, duplicate: 2 });
    expect(await rpc.client.append.mutate({ producer: 'p1', seq: 1, entries: [{ log: 'lifecycle', lines: [`ts=${TS} ev=c`] }] })).toEqual({ written: 1, duplicate: 0 });
    expect(lifecycle()).toBe(`ts=${TS} ev=a\nts=${TS} ev=b\nts=${TS} ev=c\n`);
  });

  it('refuses a split line or an unknown log with a coded error and writes nothing', async () => {
    await start();
    const bad = rpc.client.append.mutate({ producer: 'p', seq: 0, entries: [{ log: 'lifecycle', lines: [`ts=${TS} ev=ok`, `ts=${TS} ev=a\nts=x`] }] });
    await expect(bad).rejects.toThrow(/line 2 for log lifecycle contains a line break/);
    await bad.catch((e) => expect(iapeerCodeOf(e)).toBe('INVALID_INPUT'));
    const unknown = rpc.client.query.query({ log: 'nope' });
    await unknown.catch((e) => expect(iapeerCodeOf(e)).toBe('LOG_UNKNOWN'));
    await expect(unknown).rejects.toThrow(/no log named "nope"; use one of lifecycle, delivery/);
    expect(fs.existsSync(path.join(sb.paths.eventLogDir, 'lifecycle.log'))).toBe(false);
  });

  it('tails new lines and resumes from a position across rotation', async () => {
    await start();
    const items: TailItem[] = [];
    const sub = rpc.client.tail.subscribe({ log: 'lifecycle' }, { onData: (d) => items.push(d) });
    const started = await rpc.client.query.query({ log: 'lifecycle', n: 1 });
    expect(started.end).toBe(0);
    const mk = (i: number) => `ts=${TS} ev=n seq=${i}`;
    // the subscription may start after the first append; send until it has seen one item
    await rpc.client.append.mutate({ producer: 'p', seq: 0, entries: [{ log: 'lifecycle', lines: [mk(0)] }] });
    await waitFor(() => items.length > 0, 'the tail to deliver the first line');
    const resumeAt = items[items.length - 1].pos;
    sub.unsubscribe();
    const later = Array.from({ length: 25 }, (_, i) => mk(i + 1)); // 40 bytes each: 10 lines a file at 400 bytes
    await rpc.client.append.mutate({ producer: 'p', seq: 1, entries: [{ log: 'lifecycle', lines: later }] });
    expect(fs.existsSync(path.join(sb.paths.eventLogDir, 'lifecycle.log.2'))).toBe(true);
    const resumed: string[] = [];
    let skipped = 0;
    const sub2 = rpc.client.tail.subscribe({ log: 'lifecycle', from: resumeAt }, { onData: (d) => (resumed.push(...d.lines), (skipped += d.skipped)) });
    await waitFor(() => resumed.includes(mk(25)), 'the resumed tail to reach the last line');
    sub2.unsubscribe();
    // the 26 lines fill .2, .1 and the base: nothing was rotated away, so nothing skipped or repeated
    expect(skipped).toBe(0);
    expect(resumed).toEqual(later);
  });
});
