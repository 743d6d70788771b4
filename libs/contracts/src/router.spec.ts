import { ControlInputSchema, ControlResultSchema, SendInputSchema, SendResultSchema } from './router';

const fieldsOf = (r: { success: boolean; error?: { issues: unknown[] } }) => JSON.stringify(r.error?.issues ?? []);

describe('router contract: send', () => {
  const input = { from: 'claude-boris', personality: 'alice', message: 'hi' };
  const full = { ...input, runtime: 'codex', topic: 'release', attachments: ['/a'], idempotencyKey: 'k1' };
  it('accepts the minimal and the full input', () => {
    expect(SendInputSchema.parse(input)).toEqual(input);
    expect(SendInputSchema.parse(full)).toEqual(full);
  });
  it.each([
    [{ ...input, extra: 1 }, 'extra'],
    [{ personality: 'alice', message: 'hi' }, 'from'],
    [{ ...input, message: 3 }, 'message'],
    [{ ...input, attachments: '/a' }, 'attachments'],
    [{ ...input, idempotencyKey: 7 }, 'idempotencyKey'],
  ])('rejects %j naming %s', (bad, field) => {
    const r = SendInputSchema.safeParse(bad);
    expect(r.success).toBe(false);
    expect(fieldsOf(r)).toContain(field);
  });

  const result = { ok: true, delivered_to: { personality: 'alice', runtime: 'claude' }, woke: false, ts: '2026-01-01T00:00:00.000Z' };
  it('accepts the §6.2 success shape', () => expect(SendResultSchema.parse(result)).toEqual(result));
  it('accepts a queued result (§7.7): queued, queuedBy and queueDepth together', () => {
    const queued = { ...result, queued: true, queuedBy: 'ephemeral', queueDepth: 2 };
    expect(SendResultSchema.parse(queued)).toEqual(queued);
    expect(SendResultSchema.parse({ ...queued, queuedBy: 'composer' }).queuedBy).toBe('composer');
  });
  it.each([
    [{ ...result, ok: false }, 'ok'],
    [{ ...result, ts: 'yesterday' }, 'ts'],
    [{ ...result, delivered_to: { personality: 'alice' } }, 'runtime'],
    [{ ...result, queued: true }, 'queued'],
    [{ ...result, queueDepth: 1 }, 'queued'],
    [{ ...result, queued: true, queuedBy: 'ephemeral', queueDepth: 0 }, 'queueDepth'],
    [{ ...result, queued: true, queuedBy: 'mailbox', queueDepth: 1 }, 'queuedBy'],
  ])('rejects result %j naming %s', (bad, field) => {
    const r = SendResultSchema.safeParse(bad);
    expect(r.success).toBe(false);
    expect(fieldsOf(r)).toContain(field);
  });
});

describe('router contract: control', () => {
  it('accepts interrupt and compact, with or without a runtime', () => {
    expect(ControlInputSchema.parse({ personality: 'alice', command: 'interrupt' })).toEqual({ personality: 'alice', command: 'interrupt' });
    expect(ControlInputSchema.parse({ personality: 'alice', runtime: 'codex', command: 'compact' }).runtime).toBe('codex');
  });
  it.each([
    [{ personality: 'alice', command: 'restart' }, 'command'],
    [{ personality: 'alice', command: 'interrupt', force: true }, 'force'],
    [{ command: 'interrupt' }, 'personality'],
  ])('rejects %j naming %s', (bad, field) => {
    const r = ControlInputSchema.safeParse(bad);
    expect(r.success).toBe(false);
    expect(fieldsOf(r)).toContain(field);
  });
  it('checks the result shape', () => {
    const ok = { ok: true, controlled: { personality: 'alice', runtime: 'claude' }, command: 'compact', ts: '2026-01-01T00:00:00.000Z' };
    expect(ControlResultSchema.parse(ok)).toEqual(ok);
    expect(ControlResultSchema.safeParse({ ...ok, command: 'stop' }).success).toBe(false);
  });
});
