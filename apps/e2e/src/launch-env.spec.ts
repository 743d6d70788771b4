import fs from 'node:fs';
import path from 'node:path';
import { field, linesWith, startLifecycleWorld, type LifecycleWorld } from './support/lifecycle-world';

// docs/behaviour.md §3.3 and §7.8 step 4 end to end: a peer's
// `.iapeer/runtimes/<rt>/launch.env` reaches the session it launches (env keys, and
// PEER_START_ARGS after the runtime's argv); a bad line refuses the wake with an error that
// names the file and the line, and nothing is launched or changed.
describe('launch.env and PEER_START_ARGS (real services, real tmux, the fake agent)', () => {
  let w: LifecycleWorld;
  const launchEnv = (cwd: string) => path.join(cwd, '.iapeer', 'runtimes', 'fake', 'launch.env');
  const write = (cwd: string, text: string) => {
    fs.mkdirSync(path.dirname(launchEnv(cwd)), { recursive: true });
    fs.writeFileSync(launchEnv(cwd), text);
  };
  /** What the fake agent was started with (FAKE_AGENT_SHOW_ENV): its argv and the env names asked for. */
  const started = (cwd: string) => JSON.parse(fs.readFileSync(path.join(cwd, 'fake-agent-start.json'), 'utf8'));
  const send = (to: string, message: string) => w.cli(['send', to, '--from', 'fake-alice', '--message', message]);

  beforeAll(async () => {
    w = await startLifecycleWorld();
    await w.createPeer('alice');
  });
  afterAll(() => w.close());

  it('the session sees launch.env keys in its environment and PEER_START_ARGS at the end of its argv', async () => {
    const cwd = await w.createPeer('bob');
    write(
      cwd,
      [
        '# settings of the fake runtime for bob',
        'export FAKE_AGENT_SHOW_ENV=GREETING,QUOTED,PEER_IDENTITY,PEER_START_ARGS',
        'GREETING="hello from launch.env"',
        "QUOTED='single # not a comment'",
        '',
        'PEER_START_ARGS="--alpha  --beta=2"',
      ].join('\n') + '\n',
    );
    const r = await send('bob', 'hi bob');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(started(cwd)).toEqual({
      argv: ['--alpha', '--beta=2'],
      // the identity ABI is iapeer's; PEER_START_ARGS is argv, never an env variable
      env: { GREETING: 'hello from launch.env', QUOTED: 'single # not a comment', PEER_IDENTITY: 'fake-bob', PEER_START_ARGS: null },
    });
  });

  it('a bad line: the send fails with LAUNCH_ENV_INVALID naming the file and line; no session, no marker consumed', async () => {
    const cwd = await w.createPeer('carl');
    write(cwd, 'GREETING=ok\nthis line is not a pair\n');
    const r = await send('carl', 'hi carl');
    expect(r.code).toBe(1);
    const reason = `${launchEnv(cwd)} line 2: expected KEY=VALUE (or export KEY=VALUE); nothing was launched — fix or remove the line`;
    expect(r.stderr.trim()).toBe(`iapeer send: peer "carl" offline and wake failed: ${reason}`);
    expect(await w.tmux.isAlive('fake-carl')).toBe(false);
    expect(fs.existsSync(path.join(cwd, 'fake-agent-start.json'))).toBe(false);
    expect(w.markers('fake-carl')).toEqual([]);
    const lines = await w.waitLifecycle((all) => {
      const l = linesWith(all, { ev: 'wake', cause: 'launch-env-invalid' });
      return l.length ? l : undefined;
    }, 'the refused wake in lifecycle.log', 'fake-carl');
    expect(field(lines[0], 'mode')).toBe('refused');
    expect(field(lines[0], 'reason')).toBe(reason);
  });

  it('a key iapeer owns is refused the same way (PEER_IDENTITY cannot be overridden)', async () => {
    const cwd = await w.createPeer('dora');
    write(cwd, 'export PEER_IDENTITY=fake-mallory\n');
    const r = await send('dora', 'hi dora');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${launchEnv(cwd)} line 1: PEER_IDENTITY cannot be set in launch.env: the identity ABI is set by iapeer for every session; nothing was launched`);
    expect(await w.tmux.isAlive('fake-dora')).toBe(false);
  });

  it('fixed, the same peer wakes', async () => {
    const cwd = path.join(w.sb.paths.peersDir, 'carl');
    write(cwd, 'GREETING=ok\nexport FAKE_AGENT_SHOW_ENV=GREETING\n');
    const r = await send('carl', 'hi again');
    expect(r.code).toBe(0);
    expect(started(cwd)).toEqual({ argv: [], env: { GREETING: 'ok' } });
  });
});
