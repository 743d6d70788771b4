import fs from 'node:fs';
import type { ActivityReading } from '@iapeer/contracts';
import { CLI_BIN, readFakeTranscript, waitFor } from '@iapeer/testing';
import { field, installMisbehavingRuntime, startLifecycleWorld, type LifecycleWorld } from './support/lifecycle-world';
import { outerTmux, tmuxOn } from './support/outer-tmux';

// docs/behaviour.md §6.4 / §7.6 / §7.9 end to end: every activity state of a real session
// (the fake agent in real tmux, read by the supervisor over its control connection), the
// query and the subscription over the supervisor socket, `iapeer list`, a send into a
// dialog refused with nothing pasted, a human attached through a real pty (an outer tmux
// running `tmux attach`) holding the session against the idle reap, and `iapeer attach`
// bracketed by ev=attach … ev=attach-end.
describe('activity state of live sessions (real services, real tmux, a real attached client)', () => {
  let w: LifecycleWorld;
  let bobCwd: string;
  const BOB = 'slow-bob';
  const outer = (...args: string[]) => outerTmux(w.sb.dir, ...args);
  const peerTmux = (...args: string[]) => tmuxOn(w.sb.paths.tmuxSocket(BOB), args);
  const stateOf = async () => (await w.sup.client.activity.query({ identity: BOB })).state;
  /** The query reads `want`, and the subscription's latest change says it too while it stands. */
  const waitState = async (want: string) => {
    await waitFor(async () => ((await stateOf()) === want ? want : null), `${BOB} to read ${want}`, 10_000, 50);
    await waitFor(() => (changes.at(-1)?.state === want ? true : null), `the subscription to stream ${want} (streamed: ${changes.map((c) => c.state).join(' ')})`, 5_000, 20);
  };
  const send = (message: string) => w.cli(['send', 'bob', '--from', 'fake-alice', '--message', message, '--json']);
  const changes: ActivityReading[] = [];
  let unsubscribe: () => void = () => undefined;

  beforeAll(async () => {
    w = await startLifecycleWorld({ IAPEER_IDLE_SECS: '1' });
    // bob's agent takes 1.5 s to show its prompt: long enough to be seen booting
    installMisbehavingRuntime(w.sb, 'slow', { bootDelayMs: 1500 });
    await w.createPeer('alice');
    bobCwd = await w.createPeer('bob', { runtime: 'slow' });
    await new Promise<void>((resolve) => {
      const sub = w.sup.client.activityChanges.subscribe({ identities: [BOB] }, { onStarted: () => resolve(), onData: (r) => changes.push(r), onError: () => resolve() });
      unsubscribe = () => sub.unsubscribe();
    });
  });
  afterAll(async () => {
    unsubscribe();
    try {
      outer('kill-server');
    } catch {
      // no outer server left
    }
    await w.close();
  });

  it('asleep reads dead; a wake reads booting, then ready once the prompt shows', async () => {
    expect(await w.sup.client.activity.query({ identity: BOB })).toMatchObject({ identity: BOB, state: 'dead', humans: 0 });
    const sending = send('hello bob');
    await waitState('booting');
    const r = await sending;
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, woke: true });
    await waitState('ready');
  });

  it('`iapeer list` shows a live session\'s state; --json rows gain `state`', async () => {
    const table = await w.cli(['list']);
    expect(table.stdout).toMatch(/^bob +\[slow\] +artificial +● slow ready  last-active:slow$/m);
    const rows = JSON.parse((await w.cli(['list', '--json'])).stdout) as Array<{ personality: string; runtimes: unknown[] }>;
    expect(rows.find((x) => x.personality === 'bob')!.runtimes).toEqual([{ runtime: 'slow', status: 'live', state: 'ready' }]);
    expect(rows.find((x) => x.personality === 'alice')!.runtimes).toEqual([{ runtime: 'fake', status: 'asleep' }]);
  });

  it('a turn at work reads busy (its "esc to interrupt" line); Escape ends it: ready', async () => {
    const r = await send('work on it FAKE:busy');
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, woke: false });
    await waitState('busy');
    expect((await w.cli(['list'])).stdout).toMatch(/● slow busy  last-active:slow$/m);
    await w.tmux.sendKeys(BOB, ['Escape']);
    await waitState('ready');
  });

  it('a dialog reads waiting; a send to it is held (queued, nothing pasted) and lands once the dialog is answered', async () => {
    await send('ask me FAKE:dialog');
    await waitState('waiting');
    const before = readFakeTranscript(bobCwd).length;
    const r = await send('this would answer the dialog');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, queued: true, queuedBy: 'composer', queueDepth: 1, note: expect.stringContaining('a dialog is on screen that a paste would answer (waitingPattern)') });
    // nothing reached the agent: no message, no dialog answered by a paste
    expect(readFakeTranscript(bobCwd).slice(before)).toEqual([]);
    expect(await stateOf()).toBe('waiting');
    await w.tmux.sendKeys(BOB, ['Enter']); // the human answer
    // the dialog was answered by the human's Enter, then the held message landed as its own turn
    const after = await waitFor(() => {
      const t = readFakeTranscript(bobCwd).slice(before);
      return t.length >= 2 ? t : null;
    }, 'the dialog answer and the held message');
    expect(after[0]).toEqual({ type: 'dialog-answered', how: 'enter' });
    expect(JSON.stringify(after[1])).toContain('this would answer the dialog');
    await waitState('ready');
  });

  it('a human attached with text in the composer reads held; the idle reap skips the attached session', async () => {
    // a real terminal client: an outer tmux session whose pane runs `tmux attach` on bob's server
    outer('new-session', '-d', '-s', 'human', '-x', '200', '-y', '50', '--', 'tmux', '-S', w.sb.paths.tmuxSocket(BOB), 'attach', '-t', `=${BOB}`);
    await waitFor(async () => ((await w.sup.client.activity.query({ identity: BOB })).humans === 1 ? true : null), 'the human client to attach');
    expect(await stateOf()).toBe('ready'); // attached, composer empty: still ready
    outer('send-keys', '-t', 'human', '-l', 'half typed by a human');
    await waitState('held');
    expect(await w.sup.client.activity.query({ identity: BOB })).toMatchObject({ state: 'held', humans: 1 });
    // idle for > IAPEER_IDLE_SECS, but a human is at the terminal: never reaped. Ticks before
    // the idle time is up say `alive`; the first tick past it decides
    const decided = await waitFor(
      async () => {
        const o = (await w.sup.client.tick.mutate()).outcomes.find((x) => x.identity === BOB);
        return o && o.action !== 'alive' ? o : null;
      },
      'a tick past the idle time to decide about the attached session',
      10_000,
      100,
    );
    expect(decided).toMatchObject({ action: 'skipped-attached' });
    expect(await w.tmux.isAlive(BOB)).toBe(true);
    // the human clears the input and leaves: ready again, then reaped as idle
    outer('send-keys', '-t', 'human', ...Array(25).fill('BSpace'));
    await waitState('ready');
    outer('kill-server');
    await waitFor(async () => ((await w.sup.client.activity.query({ identity: BOB })).humans === 0 ? true : null), 'the human client to go');
  });

  it('`iapeer attach` is bracketed by ev=attach … ev=attach-end in lifecycle.log', async () => {
    // the CLI needs a terminal: run it in an outer tmux pane; detach the human client after
    const envArgs = Object.entries(w.sb.env).filter(([k, v]) => v !== undefined && k !== 'TMUX').map(([k, v]) => `${k}=${v}`);
    outer('new-session', '-d', '-s', 'cli', '-x', '200', '-y', '50', '--', '/usr/bin/env', '-i', ...envArgs, process.execPath, CLI_BIN, 'attach', 'bob');
    await w.waitLifecycle((all) => all.find((l) => field(l, 'ev') === 'attach' && field(l, 'identity') === BOB), 'ev=attach');
    const human = await waitFor(() => peerTmux('list-clients', '-F', '#{client_control_mode} #{client_name}').split('\n').find((l) => l.startsWith('0 ')), 'the CLI\'s tmux client');
    peerTmux('detach-client', '-t', human.slice(2));
    const end = await w.waitLifecycle((all) => all.find((l) => field(l, 'ev') === 'attach-end' && field(l, 'identity') === BOB), 'ev=attach-end');
    expect(end).toMatch(/^ts=\S+ ev=attach-end identity=slow-bob code=0$/);
    const lines = (await w.lifecycle(BOB)).filter((l) => /ev=attach/.test(l));
    expect(lines.map((l) => field(l, 'ev'))).toEqual(['attach', 'attach-end']);
    expect(lines[0]).toMatch(/^ts=\S+ ev=attach identity=slow-bob$/);
    try {
      outer('kill-server');
    } catch {
      // the CLI pane already exited with the outer server
    }
  });

  it('the pane\'s process gone reads dead', async () => {
    const pid = Number(peerTmux('display-message', '-p', '-t', `=${BOB}:0.0`, '#{pane_pid}').trim());
    process.kill(pid, 'SIGKILL');
    await waitState('dead');
  });

  it('the subscription saw every change, in order, each once', async () => {
    await waitFor(() => (changes.at(-1)?.state === 'dead' && changes.length > 1 ? true : null), 'the dead change on the subscription');
    const seq = changes.map((c) => c.state).filter((s, i, a) => i === 0 || a[i - 1] !== s);
    const order = ['dead', 'booting', 'ready', 'busy', 'ready', 'waiting', 'ready', 'held', 'ready', 'dead'];
    // each expected state appears, in this order (transient `unknown` readings mid-redraw may sit between)
    let at = 0;
    for (const s of seq) if (s === order[at]) at++;
    expect({ at, seq }).toEqual({ at: order.length, seq });
    expect(fs.existsSync(w.sb.paths.tmuxSocket(BOB))).toBe(true);
  });
});
