import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '@iapeer/core';
import { deliver } from '../deliver';
import { bootUntilReady, traceEarlySubmit } from '../testing/agent-session';
import { CODEX_DEV_BIN, makeRealCliWorld, readAllUnder, type RealCliWorld } from '../testing/real-cli';
import { waitFor } from '../testing/temp-home';
import { createCodexAdapter } from './codex-adapter';
import { CODEX_BOOT_DIALOGS } from './codex-dialogs';
import { codexSessionsDir } from './codex-sessions';

/**
 * Issue 14 item 6 against the REAL Codex 0.169.0: codex draws its composer ~9–10 s
 * before its session has started, and an Enter in its first seconds is held ("Waiting
 * for startup"), then submitted by codex itself once started. deliver() must call that
 * delivered (the 4 s submit window alone said NOT delivered), and it must land once.
 * The send goes out the moment the composer first shows — before the adapter would
 * call it ready (its header's `permissions:` row) — because that is when codex holds.
 * The peer cwd is not a git repo, so no trust dialog comes after that first composer.
 * The cancel of a held submit that never lands: held-submit.spec.ts on real screens.
 */
jest.setTimeout(240_000);

const COMPOSER = /^› (?!\d+\.)/m;
const MARK = 'codex-startup-late-landing-4b1e';
const ENVELOPE = ['<iap-message from="ada" runtime="claude" topic="startup">', `<![CDATA[${MARK} body`, ']]>', '</iap-message>'].join('\n');

describe('deliver × real Codex the moment its composer first shows', () => {
  const adapter = createCodexAdapter();
  let world: RealCliWorld;
  afterAll(async () => {
    await world?.close();
  });

  it('codex holds the submit until it has started; deliver reports it delivered, and it lands exactly once', async () => {
    world = makeRealCliWorld('codex', { IAPEER_CODEX_BIN: CODEX_DEV_BIN, OPENAI_API_KEY: 'sk-iapeer-test-dummy-key-000000' });
    const identity = world.ctx().identity;
    const paneLog = path.join(world.sb.paths.paneLogDir, `${identity}.log`);
    const userMessages = (): string[] =>
      readAllUnder(codexSessionsDir(world.sb.env))
        .split('\n')
        .filter((l) => l.includes(MARK))
        .map((l) => JSON.parse(l))
        .filter((r) => r.type === 'response_item' && r.payload?.role === 'user')
        .flatMap((r) => r.payload.content.map((c: { text?: string }) => c.text ?? ''));
    await world.spawn(adapter, world.ctx());
    const firstComposer = { ...adapter, isInputReady: (pane: string) => COMPOSER.test(pane) && !CODEX_BOOT_DIALOGS.some((d) => d.match.test(pane)) };
    const boot = await bootUntilReady(world.tmux, identity, firstComposer, 90_000);
    expect(adapter.isInputReady(boot.pane)).toBe(false); // codex has not even loaded its config

    const res = await deliver({ tmux: world.tmux, identity, adapter, text: ENVELOPE, cfg: loadConfig(world.sb.env), paneLog, cwd: world.cwd, env: world.sb.env });

    traceEarlySubmit('codex, first composer', fs.readFileSync(paneLog, 'utf8'), 'delivered');
    expect(res).toEqual({ ok: true, confirmedBy: 'input-cleared' });
    // the submit was held by codex (the case the old fixed submit window called NOT
    // delivered); how long it was held depends on the machine, so no timing is asserted
    expect(fs.readFileSync(paneLog, 'utf8')).toContain('Waiting for startup');
    await waitFor(() => userMessages().length > 0, 'the envelope in the codex rollout', 30_000);
    expect(userMessages()).toEqual([ENVELOPE]);
  });
});
