import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { IapeerError, loadConfig } from '@iapeer/core';
import { deliver } from '../deliver';
import { composerAfterGlyph } from '../screen/screen-state';
import { bootUntilReady } from '../testing/agent-session';
import { CODEX_DEV_BIN, makeRealCliWorld, readAllUnder, type RealCliWorld } from '../testing/real-cli';
import { waitFor } from '../testing/temp-home';
import { createCodexAdapter } from './codex-adapter';
import { codexSessionsDir } from './codex-sessions';

/**
 * Issue 14 item 6 against the REAL Codex 0.169.0: codex draws its prompt ~9–10 s before
 * its session has started, and an Enter in that time is held ("Waiting for startup").
 * A message delivered the moment the prompt shows must be reported as what really
 * happens to it: delivered when it lands late (codex.real.spec.ts, step 2), and NOT
 * delivered only when it never does — here, with a grace shorter than the start.
 */
const BOOT_MS = 90_000;
jest.setTimeout(240_000);

const envelope = (mark: string) => ['<iap-message from="ada" runtime="claude" topic="startup">', `<![CDATA[${mark} body`, ']]>', '</iap-message>'].join('\n');
/** What codex prints once its session has started (a tip or the "To get started" help). */
const STARTED = /^ {2}(Tip: |To get started, describe a task)/m;

describe('deliver × real Codex right after its prompt shows', () => {
  const worlds: RealCliWorld[] = [];
  afterAll(async () => {
    for (const w of worlds) await w.close();
  });

  async function bootFresh(adapter: ReturnType<typeof createCodexAdapter>) {
    const world = makeRealCliWorld('codex', { IAPEER_CODEX_BIN: CODEX_DEV_BIN, OPENAI_API_KEY: 'sk-iapeer-test-dummy-key-000000' });
    worlds.push(world);
    execFileSync('git', ['init', '-q', world.cwd]);
    const identity = world.ctx().identity;
    await world.spawn(adapter, world.ctx());
    const boot = await bootUntilReady(world.tmux, identity, adapter, BOOT_MS);
    const paneLog = path.join(world.sb.paths.paneLogDir, `${identity}.log`);
    const userMessages = (mark: string): string[] =>
      readAllUnder(codexSessionsDir(world.sb.env))
        .split('\n')
        .filter((l) => l.includes(mark))
        .map((l) => JSON.parse(l))
        .filter((r) => r.type === 'response_item' && r.payload?.role === 'user')
        .flatMap((r) => r.payload.content.map((c: { text?: string }) => c.text ?? ''));
    const send = (text: string) => deliver({ tmux: world.tmux, identity, adapter, text, cfg: loadConfig(world.sb.env), paneLog, cwd: world.cwd, env: world.sb.env });
    return { world, identity, boot, paneLog, userMessages, send };
  }

  it('with a grace shorter than the start, it is NOT delivered and codex never submits it', async () => {
    const s = await bootFresh(createCodexAdapter({ startupGraceMs: 1000 }));
    expect(s.boot.pane).not.toMatch(STARTED);
    const mark = 'codex-startup-cancelled-9c2d';

    const err = await s.send(envelope(mark)).then(
      () => null,
      (e: unknown) => e,
    );

    expect(err).toBeInstanceOf(IapeerError);
    expect((err as IapeerError).code).toBe('DELIVERY_NOT_CONFIRMED');
    expect((err as IapeerError).message).toMatch(/held the submit for 1000 ms .*the held submit was cancelled \(Escape\).*message NOT delivered/);
    // Once codex has started, a held submit would go out at once (~0.1 s measured).
    // Absence cannot be polled: watch the input row keep the text for 3 s after the start.
    await waitFor(async () => STARTED.test(await s.world.tmux.capture(s.identity)), 'codex started', 60_000);
    const watchUntil = Date.now() + 3000;
    while (Date.now() < watchUntil) {
      const composer = composerAfterGlyph(await s.world.tmux.capture(s.identity), '›');
      expect(composer).toContain(mark);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(s.userMessages(mark)).toEqual([]);
  });
});
