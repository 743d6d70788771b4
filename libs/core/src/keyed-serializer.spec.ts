import fc from 'fast-check';
import { createKeyedSerializer } from './keyed-serializer';

const tick = () => new Promise((r) => setImmediate(r));

describe('createKeyedSerializer', () => {
  it('runs tasks of one key one at a time, in order, and forgets idle keys', async () => {
    const s = createKeyedSerializer();
    const log: string[] = [];
    let running = 0;
    const task = (name: string) => async () => {
      running++;
      expect(running).toBe(1);
      log.push(`start ${name}`);
      await tick();
      log.push(`end ${name}`);
      running--;
      return name;
    };
    const all = Promise.all(['a', 'b', 'c'].map((n) => s.run('k', task(n))));
    expect(s.busy('k')).toBe(true);
    expect(await all).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    await tick();
    expect(s.busyKeys()).toEqual([]);
    expect(s.busy('k')).toBe(false);
  });

  it('runs different keys in parallel', async () => {
    const s = createKeyedSerializer();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const a = s.run('a', () => gate.then(() => 'a'));
    // b does not wait for a's gate
    await expect(s.run('b', async () => 'b')).resolves.toBe('b');
    expect(s.busy('a')).toBe(true);
    release();
    await expect(a).resolves.toBe('a');
  });

  it('a failing task (rejecting or throwing synchronously) does not fail the next one', async () => {
    const s = createKeyedSerializer();
    const failed = s.run('k', async () => {
      throw new Error('boom');
    });
    const threw = s.run('k', () => {
      throw new Error('sync boom');
    });
    const next = s.run('k', async () => 'fine');
    await expect(failed).rejects.toThrow('boom');
    await expect(threw).rejects.toThrow('sync boom');
    await expect(next).resolves.toBe('fine');
  });

  it('never overlaps two tasks of one key and keeps per-key FIFO order (random schedules)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.nat(3), fc.boolean()), { maxLength: 30 }), async (plan) => {
        const s = createKeyedSerializer();
        const active = new Map<string, number>();
        const started: Record<string, number[]> = {};
        const runs = plan.map(([key, waits, fails], i) =>
          s
            .run(key, async () => {
              active.set(key, (active.get(key) ?? 0) + 1);
              expect(active.get(key)).toBe(1);
              (started[key] ??= []).push(i);
              for (let w = 0; w < waits; w++) await tick();
              active.set(key, active.get(key)! - 1);
              if (fails) throw new Error(`task ${i}`);
              return i;
            })
            .catch(() => -1),
        );
        await Promise.all(runs);
        for (const order of Object.values(started)) expect(order).toEqual([...order].sort((x, y) => x - y));
        await tick();
        expect(s.busyKeys()).toEqual([]);
      }),
      { numRuns: 50 },
    );
  });
});
