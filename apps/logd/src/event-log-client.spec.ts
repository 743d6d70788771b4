import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { startService, type RunningService } from '@iapeer/service-runtime';
import { makeSandbox, type Sandbox } from '@iapeer/testing';
import { createEventLog, parseLogfmt, type EventLogClient, type EventLogName } from '@iapeer/logclient';
import { buildLogdService } from './service';

// The client (libs/logclient) against the real logd service, in-process on a real socket.

describe('createEventLog: the EventLog port over logd', () => {
  let sb: Sandbox;
  let logd: RunningService | undefined;
  let events: EventLogClient;
  const startLogd = async () => {
    logd = await startService({ name: 'logd', env: sb.env, logger: pino({ level: 'silent' }), build: buildLogdService });
  };
  const lines = (log = 'lifecycle') => {
    const f = path.join(sb.paths.eventLogDir, `${log}.log`);
    return fs.existsSync(f) ? fs.readFileSync(f, 'utf8').split('\n').filter(Boolean) : [];
  };
  beforeEach(() => {
    sb = makeSandbox();
  });
  afterEach(async () => {
    await events.close();
    await logd?.stop();
    logd = undefined;
    sb.cleanup();
  });

  it('writes each event as one logfmt line, in order, in the log it names', async () => {
    await startLogd();
    events = createEventLog({ socketPath: sb.paths.serviceSocket('logd'), service: 'test', now: () => Date.parse('2026-03-04T05:06:07.089Z') });
    events.emit('lifecycle', { ev: 'wake', personality: 'boris', identity: 'claude-boris', mode: 'fresh', cause: undefined, reason: 'no session' });
    events.emit('delivery', { ev: 'delivery', caller: 'claude-ann', to: 'boris', ok: true, ms: 7 });
    events.emit('lifecycle', { ev: 'supervise', identity: 'claude-boris', action: 'reaped-idle' });
    await events.flush();
    expect(lines('lifecycle')).toEqual([
      'ts=2026-03-04T05:06:07.089Z ev=wake personality=boris identity=claude-boris mode=fresh reason="no session"',
      'ts=2026-03-04T05:06:07.089Z ev=supervise identity=claude-boris action=reaped-idle',
    ]);
    expect(lines('delivery')).toEqual(['ts=2026-03-04T05:06:07.089Z ev=delivery caller=claude-ann to=boris ok=true ms=7']);
  });

  it('buffers while logd is down and flushes in order when it comes up', async () => {
    events = createEventLog({ socketPath: sb.paths.serviceSocket('logd'), service: 'test', maxBackoffMs: 50 });
    for (let i = 0; i < 50; i++) events.emit('lifecycle', { ev: 'n', i });
    expect(events.pending()).toBe(50);
    await startLogd();
    await events.flush();
    expect(lines().map((l) => Number(parseLogfmt(l).i))).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('drops the oldest on overflow and says how many in the next line', async () => {
    events = createEventLog({ socketPath: sb.paths.serviceSocket('logd'), service: 'test', maxBuffered: 5, maxBackoffMs: 50 });
    for (let i = 0; i < 8; i++) events.emit('lifecycle', { ev: 'n', i });
    await new Promise((r) => setImmediate(r)); // let the tick move them to the bounded queue
    expect(events.droppedTotal()).toBeGreaterThanOrEqual(2);
    await startLogd();
    await events.flush();
    const got = lines().map(parseLogfmt);
    const dropped = got.reduce((n, f) => n + Number(f.dropped ?? 0), 0);
    expect(got.length + dropped).toBe(8);
    expect(got[0].dropped).toBeDefined();
    expect(got[got.length - 1].i).toBe('7'); // the newest survive
  });

  it('compacts a retry storm: a tight loop of the same event is one line with repeated=N', async () => {
    await startLogd();
    let t = 1_000;
    events = createEventLog({ socketPath: sb.paths.serviceSocket('logd'), service: 'test', now: () => t });
    for (let i = 0; i < 10_000; i++) events.emit('delivery', { ev: 'delivery', to: 'boris', ok: false, err: 'busy' });
    events.emit('delivery', { ev: 'delivery', to: 'ann', ok: true });
    await events.flush();
    expect(lines('delivery')).toEqual(['ts=1970-01-01T00:00:01.000Z ev=delivery to=boris ok=false err=busy repeated=10000', 'ts=1970-01-01T00:00:01.000Z ev=delivery to=ann ok=true']);

    // repeats after the first line was sent collect in one held line, released by the next different event
    t = 5_000;
    events.emit('lifecycle', { ev: 'wake', identity: 'x' });
    await new Promise((r) => setImmediate(r)); // the first line is handed to the sender
    for (let i = 0; i < 500; i++) {
      t++;
      events.emit('lifecycle', { ev: 'wake', identity: 'x' });
      if (i % 100 === 0) await new Promise((r) => setImmediate(r));
    }
    events.emit('lifecycle', { ev: 'other' });
    await events.flush();
    const got = lines('lifecycle').map(parseLogfmt);
    expect(got.map((f) => [f.ev, f.repeated])).toEqual([
      ['wake', undefined],
      ['wake', '500'],
      ['other', undefined],
    ]);
  });

  it('never throws into the caller, even for fields that throw', async () => {
    events = createEventLog({ socketPath: sb.paths.serviceSocket('logd'), service: 'test', flushTimeoutMs: 50 });
    const evil = Object.defineProperty({}, 'boom', { enumerable: true, get: () => { throw new Error('getter'); } });
    expect(() => events.emit('lifecycle', evil)).not.toThrow();
    // an unknown log name, as a caller without types could pass it
    expect(() => events.emit('nope' as EventLogName, { ev: 'x' })).not.toThrow();
    await expect(events.flush()).resolves.toBeUndefined(); // logd is down: flush gives up after its timeout
  });
});
