import fs from 'node:fs';
import { makeSandbox } from './sandbox';
import { waitFor } from './wait-for';

describe('sandbox', () => {
  it('isolates root and HOME and strips ambient PEER_*/IAPEER_* variables', () => {
    process.env.PEER_IDENTITY = 'claude-leak';
    const sb = makeSandbox();
    delete process.env.PEER_IDENTITY;
    expect(sb.env.PEER_IDENTITY).toBeUndefined();
    expect(sb.env.HOME).toBe(sb.home);
    expect(sb.paths.root).toBe(sb.root);
    expect(sb.env.IAPEER_TEST_SANDBOX).toBe('1');
    expect(fs.existsSync(sb.home)).toBe(true);
    sb.cleanup();
    expect(fs.existsSync(sb.dir)).toBe(false);
  });
});

describe('waitFor', () => {
  it('returns the first truthy value', async () => {
    let n = 0;
    expect(await waitFor(() => (++n >= 3 ? n : 0), 'n to reach 3', 1000, 1)).toBe(3);
  });
  it('throws naming what it waited for', async () => {
    await expect(waitFor(() => false, 'the impossible', 50, 5)).rejects.toThrow('timed out after 50 ms waiting for the impossible');
  });
});
