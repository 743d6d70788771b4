import { createLogSender } from './batch-sender';

describe('createLogSender scheduling', () => {
  it('pumps on the next loop turn with a ref\'d immediate (an unref\'d one waited for unrelated I/O when the loop was idle)', async () => {
    const appended: unknown[] = [];
    const logd = { append: async (input: unknown) => (appended.push(input), { written: 1, duplicate: 0 }), close: () => undefined };
    const sender = createLogSender({ socketPath: '/nonexistent', source: 'test', logd });
    const spy = jest.spyOn(global, 'setImmediate');
    try {
      sender.push('lifecycle', 'ts=x ev=y');
      const immediate = spy.mock.results[0]?.value as NodeJS.Immediate;
      expect(immediate.hasRef()).toBe(true);
    } finally {
      spy.mockRestore();
    }
    expect(await sender.flush(1000)).toBe(true);
    expect(appended).toHaveLength(1);
    await sender.close(100);
  });
});
