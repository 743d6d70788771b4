import fs from 'node:fs';
import path from 'node:path';
import { FakeWorld } from '../test/fake-world';
import { newPeer } from './fresh-ops';
import { wakeOrSpawn } from './wake';

/** A peer's `.iapeer/runtimes/<rt>/launch.env` in a wake (§3.3, §7.8 step 4). */
describe('wake and launch.env', () => {
  let w: FakeWorld;
  const write = (rt: string, text: string) => {
    const file = path.join(w.peers.get('bob')!.cwd, '.iapeer', 'runtimes', rt, 'launch.env');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
  };
  beforeEach(() => {
    w = new FakeWorld();
    w.addPeer({ personality: 'bob', runtimes: ['claude', 'codex'] });
  });
  afterEach(() => w.cleanup());

  it('hands the runtime’s launch.env to the launch: env keys and PEER_START_ARGS', async () => {
    write('claude', 'export MODEL_HINT="fast one"\nPEER_START_ARGS=--model opus\n');
    write('codex', 'OTHER=1\n');
    expect(await wakeOrSpawn(w.deps(), { personality: 'bob', task: 'x' })).toMatchObject({ status: 'READY' });
    expect(w.launches[0].spec.launchEnv).toEqual({ env: { MODEL_HINT: 'fast one' }, startArgs: ['--model', 'opus'] });
  });

  it('no file: an empty launch.env', async () => {
    await wakeOrSpawn(w.deps(), { personality: 'bob', task: 'x' });
    expect(w.launches[0].spec.launchEnv).toEqual({ env: {}, startArgs: [] });
  });

  it('a bad line refuses the wake with LAUNCH_ENV_INVALID naming file and line, and consumes no marker', async () => {
    const file = write('claude', 'OK=1\nnot a pair\n');
    w.markers.set('claude-bob', 'idle-reaped', new Date(w.now));
    w.markers.set('claude-bob', 'fresh-next', new Date(w.now));
    const r = await wakeOrSpawn(w.deps(), { personality: 'bob', task: 'x' });
    const reason = `${file} line 2: expected KEY=VALUE (or export KEY=VALUE); nothing was launched — fix or remove the line`;
    expect(r).toEqual({ status: 'FAILED', code: 'LAUNCH_ENV_INVALID', identity: 'claude-bob', reason });
    expect(w.launches).toHaveLength(0);
    expect(w.markers.has('claude-bob', 'idle-reaped')).toBe(true);
    expect(w.markers.has('claude-bob', 'fresh-next')).toBe(true);
    expect(w.events.rendered('wake')).toEqual([`ev=wake personality=bob identity=claude-bob runtime=claude mode=refused cause=launch-env-invalid reason=${JSON.stringify(reason)} origin=send`]);
  });

  it('a live session is still reached: launch.env matters only to a launch', async () => {
    write('claude', 'broken\n');
    w.enrol('claude-bob');
    expect(await wakeOrSpawn(w.deps(), { personality: 'bob', task: 'x' })).toMatchObject({ status: 'READY', woke: false });
  });

  it('`new` with a bad launch.env keeps the session it would replace and its markers', async () => {
    write('claude', 'PEER_IDENTITY=claude-evil\n');
    w.enrol('claude-bob');
    w.markers.set('claude-bob', 'new-eager', new Date(w.now));
    const r = await newPeer(w.deps(), { personality: 'bob' });
    expect(r).toMatchObject({ status: 'FAILED', code: 'LAUNCH_ENV_INVALID' });
    expect(r.status === 'FAILED' && r.reason).toMatch(/line 1: PEER_IDENTITY cannot be set in launch\.env: the identity ABI is set by iapeer for every session; nothing was launched/);
    expect(w.kills).toEqual([]);
    expect(w.live.has('claude-bob')).toBe(true);
    expect(w.markers.has('claude-bob', 'new-eager')).toBe(true);
    expect(w.markers.readSession('claude-bob')).not.toBeNull();
  });
});
