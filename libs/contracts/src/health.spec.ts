import { HealthSchema } from './health';

describe('HealthSchema', () => {
  const valid = { name: 'registry', version: '0.3.0', pid: 42, uptimeMs: 10, ready: true, socket: '/r/state/iapeer/sock/registry.sock' };
  it('accepts a valid answer', () => expect(HealthSchema.parse(valid)).toEqual(valid));
  it.each([
    [{ ...valid, name: 'web' }, 'name'],
    [{ ...valid, pid: -1 }, 'pid'],
    [{ ...valid, extra: 1 }, 'extra'],
    [{ ...valid, ready: 'yes' }, 'ready'],
  ])('rejects %j naming the field at fault', (bad, field) => {
    const r = HealthSchema.safeParse(bad);
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error!.issues)).toContain(field);
  });
});
