import type { RuntimeAdapter } from '@iapeer/runtimes';
import type { TmuxDriver } from '@iapeer/tmux';
import { buildMinimalEnvelope } from './minimal-envelope';
import { toPeerRecord } from './registry-directory';
import { createSupervisorPort } from './supervisor-client';
import { createTmuxSessionProbe, createTmuxTerminal } from './tmux-terminal';

describe('registry adapter (guessed shape)', () => {
  it('reads default_runtime, falls back to the legacy runtime mirror, keeps the default first', () => {
    expect(toPeerRecord({ personality: 'a', runtime: 'codex', runtimes: ['claude', 'codex'], cwd: '/a' })).toMatchObject({ default_runtime: 'codex', runtimes: ['codex', 'claude'], intelligence: 'artificial' });
    expect(toPeerRecord({ personality: 'a', default_runtime: 'claude', cwd: '/a', intelligence: 'human' })).toMatchObject({ runtimes: ['claude'], intelligence: 'human' });
  });
});

describe('supervisor adapter (guessed shape)', () => {
  it('sends wake without undefined keys and passes the outcome through', async () => {
    const seen: unknown[] = [];
    const port = createSupervisorPort({
      wake: { mutate: async (i) => (seen.push(i), { status: 'FAILED', reason: 'r', stopped: true }) },
      noteTopic: { mutate: async (i) => seen.push(i) },
    });
    expect(await port.wake({ personality: 'a', runtime: undefined, task: 't' })).toEqual({ status: 'FAILED', reason: 'r', stopped: true });
    await port.noteTopic({ identity: 'claude-a', topic: 'x' });
    expect(seen).toEqual([{ personality: 'a', task: 't' }, { identity: 'claude-a', topic: 'x' }]);
  });
});

describe('tmux terminal adapter', () => {
  const calls: string[] = [];
  const driver = {
    isAlive: async (id: string) => id === 'claude-a',
    listLive: async () => ['codex-a', 'claude-a', 'claude-b', 'junk'],
    paste: async (id: string, text: string) => void calls.push(`paste ${id} ${text}`),
    sendKeys: async (id: string, keys: string[]) => void calls.push(`keys ${id} ${keys.join(',')}`),
  } as unknown as TmuxDriver;
  const claude = { kind: 'tui', controls: { interrupt: ['Escape'], compact: { text: '/compact', keys: ['Enter'] } } } as unknown as RuntimeAdapter;
  const telegram = { kind: 'router' } as unknown as RuntimeAdapter;
  const adapterFor = (rt: string) => ({ claude, telegram })[rt as 'claude'];
  const target = { personality: 'a', runtime: 'claude', identity: 'claude-a', cwd: '/a' };

  it('lists the live runtimes of one personality, sorted', async () => {
    const probe = createTmuxSessionProbe(driver);
    expect(await probe.liveRuntimes('a')).toEqual(['claude', 'codex']);
    expect(await probe.isLive('claude-a')).toBe(true);
  });

  it('maps a verified delivery outcome and refuses a runtime without adapter', async () => {
    const t = createTmuxTerminal({ driver, adapterFor, deliver: async ({ text }) => (text === 'ok' ? { ok: true, confirmedBy: 'input-cleared' } : { ok: false, reason: 'not confirmed' }) });
    expect(await t.deliver(target, 'ok')).toEqual({ ok: true });
    expect(await t.deliver(target, 'no')).toEqual({ ok: false, reason: 'not confirmed' });
    expect(await t.deliver({ ...target, runtime: 'gemini' }, 'ok')).toMatchObject({ ok: false, reason: expect.stringContaining('runtime "gemini" has no adapter') });
  });

  it('interrupt sends Escape; compact types /compact then Enter; routers are unsupported', async () => {
    const slept: number[] = [];
    const t = createTmuxTerminal({ driver, adapterFor, deliver: async () => ({ ok: true, confirmedBy: 'activity' }), sleep: async (ms) => void slept.push(ms) });
    calls.length = 0;
    expect(await t.control(target, 'interrupt')).toBe('done');
    expect(await t.control(target, 'compact')).toBe('done');
    expect(calls).toEqual(['keys claude-a Escape', 'paste claude-a /compact', 'keys claude-a Enter']);
    expect(slept).toEqual([300]);
    expect(await t.control({ ...target, runtime: 'telegram' }, 'interrupt')).toBe('unsupported');
  });
});

describe('minimal envelope (temporary, §5.1)', () => {
  it('escapes attributes, splits ]]> and lays out the lines in order', () => {
    const env = buildMinimalEnvelope({ fromPersonality: 'b"o', fromRuntime: 'claude', fromIntelligence: 'artificial', topic: 'a<b', attachments: ['/x', '/y'], message: 'end ]]> here' });
    expect(env.split('\n')).toEqual([
      '<iap from-personality="b&quot;o" from-runtime="claude" from-intelligence="artificial" topic="a&lt;b">',
      'IAP message from known peers. Reply via send_to_peer.',
      '<attachments><![CDATA[/x',
      '/y]]></attachments>',
      '<message><![CDATA[end ]]]]><![CDATA[> here]]></message>',
      '</iap>',
    ]);
  });
});
