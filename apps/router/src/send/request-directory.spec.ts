import type { RoutedPeer } from '../ports';
import { createRequestDirectory } from './request-directory';

const record = (personality: string): RoutedPeer => ({ personality, default_runtime: 'claude', runtimes: ['claude'], intelligence: 'artificial', cwd: `/p/${personality}` });

describe('createRequestDirectory', () => {
  it('looks each personality up once per request; a prefetch is what get() returns', async () => {
    const asked: string[] = [];
    const dir = createRequestDirectory({ get: async (p) => (asked.push(p), record(p)) });
    dir.prefetch('alice');
    expect(asked).toEqual(['alice']);
    expect(await dir.get('alice')).toEqual(record('alice'));
    expect(await dir.get('alice')).toEqual(record('alice'));
    expect(asked).toEqual(['alice']);
  });

  it('ignores what is not a plausible name (validation refuses it later)', () => {
    const asked: unknown[] = [];
    const dir = createRequestDirectory({ get: async (p) => (asked.push(p), null) });
    for (const v of [undefined, '', 42, 'x'.repeat(65), { p: 1 }]) dir.prefetch(v);
    expect(asked).toEqual([]);
  });

  it('a failed prefetch that is never awaited is not an unhandled rejection; an awaited one fails', async () => {
    const dir = createRequestDirectory({ get: async () => Promise.reject(new Error('registry down')) });
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    try {
      dir.prefetch('bob');
      await new Promise((r) => setImmediate(r));
      expect(unhandled).not.toHaveBeenCalled();
      await expect(dir.get('bob')).rejects.toThrow('registry down');
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });
});
