// A producer process for the load and crash tests and the bench: emits `count`
// numbered events through createEventLog (the real client) and reports on stdout.
// argv[2] is JSON: { socketPath, id, count, log, maxBuffered?, pace?: 'backpressure' | number }.
//   pace 'backpressure': emit as fast as logd takes them (never overflow the buffer);
//   pace N: emit N events, then yield one timer tick, regardless of logd.
import { createEventLog, type EventLogName } from '@iapeer/logclient';

interface Args {
  socketPath: string;
  id: number;
  count: number;
  log: EventLogName;
  maxBuffered?: number;
  pace?: 'backpressure' | number;
}

const args = JSON.parse(process.argv[2]) as Args;
const events = createEventLog({ socketPath: args.socketPath, service: `producer${args.id}`, maxBuffered: args.maxBuffered, flushTimeoutMs: 60_000, maxBackoffMs: 100 });
const pad = 'x'.repeat(16);
const tick = () => new Promise((r) => setTimeout(r, 1));

async function main() {
  const startedAt = Date.now();
  const t0 = process.hrtime.bigint();
  const chunk = typeof args.pace === 'number' ? args.pace : 1000;
  let emitNs = 0n;
  for (let seq = 0; seq < args.count; ) {
    const end = Math.min(args.count, seq + chunk);
    const e0 = process.hrtime.bigint();
    for (; seq < end; seq++) events.emit(args.log, { ev: 'load', p: args.id, seq, pad });
    emitNs += process.hrtime.bigint() - e0;
    process.stdout.write(`progress ${seq}\n`);
    if (args.pace === 'backpressure' || args.pace === undefined) {
      while (events.pending() > 8 * chunk) await tick();
    } else await tick();
  }
  await events.close();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  process.stdout.write(`done ${JSON.stringify({ id: args.id, count: args.count, ms, startedAt, endedAt: Date.now(), emitNsPerEvent: Number(emitNs) / args.count, dropped: events.droppedTotal(), pending: events.pending() })}\n`);
}

main().catch((err) => {
  process.stderr.write(`producer failed: ${String(err)}\n`);
  process.exit(1);
});
