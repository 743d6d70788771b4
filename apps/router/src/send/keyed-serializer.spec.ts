import { createKeyedSerializer } from './keyed-serializer';

describe('createKeyedSerializer', () => {
  it('runs tasks of one key one at a time, in order, and forgets idle keys', async () => {
    const s = createKeyedSerializer();
    const log: string[] = [];
    let running = 0;
    const task = (name: string) => async () => {
      running++;
      expect(running).toBe(1);
      log.push(`start ${name}`);
      await new Promise((r) => setImmediate(r));
      log.push(`end ${name}`);
      running--;
      return name;
    };
    const results = await Promise.all(['a', 'b', 'c'].map((n) => s.run('k', task(n))));
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    await new Promise((r) => setImmediate(r));
    expect(s.busyKeys()).toEqual([]);
  });

  it('a failing task does not fail the next one', async () => {
    const s = createKeyedSerializer();
    const failed = s.run('k', async () => {
      throw new Error('boom');
    });
    const next = s.run('k', async () => 'fine');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('fine');
  });
});
