import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { makeSandbox, waitFor, type Sandbox } from '@iapeer/testing';
import { killAllServers, spawnSleeper } from '../test/real-tmux';
import { createTmuxLiveness } from './tmux-liveness';

// Real tmux, one isolated server per identity under the sandbox's sockDir.
describe('tmux liveness adapter (real tmux)', () => {
  let sb: Sandbox;
  beforeAll(() => (sb = makeSandbox()));
  afterAll(() => {
    killAllServers(sb.paths);
    sb.cleanup();
  });

  it('sees a live session, lists it, kills it (server and socket gone) and classifies the death', async () => {
    const t = createTmuxLiveness(sb.paths);
    spawnSleeper(sb.paths, 'claude-bob');
    spawnSleeper(sb.paths, 'codex-amy');
    expect(await t.isAlive('claude-bob')).toBe(true);
    expect(await t.isAlive('claude-nobody')).toBe(false);
    expect(await t.listLive()).toEqual(['claude-bob', 'codex-amy']);
    await t.kill('claude-bob');
    expect(await t.isAlive('claude-bob')).toBe(false);
    expect(fs.existsSync(sb.paths.tmuxSocket('claude-bob'))).toBe(false);
    expect(await t.classifyGone('claude-bob')).toBe('server-dead');
    await t.kill('claude-bob'); // a no-op when absent
    expect(await t.listLive()).toEqual(['codex-amy']);
  });

  it('a dead pane under remain-on-exit is not alive, and with the server still answering the death is session-gone', async () => {
    const t = createTmuxLiveness(sb.paths);
    spawnSleeper(sb.paths, 'claude-cat', ['sh', '-c', 'sleep 600']);
    const sock = sb.paths.tmuxSocket('claude-cat');
    execFileSync('tmux', ['-S', sock, 'set-option', '-g', 'remain-on-exit', 'on']);
    execFileSync('tmux', ['-S', sock, 'respawn-pane', '-k', '-t', '=claude-cat:', 'true']);
    await waitFor(async () => !(await t.isAlive('claude-cat')), 'the pane to be dead');
    expect(await t.classifyGone('claude-cat')).toBe('session-gone');
    await t.kill('claude-cat');
    expect(fs.existsSync(sock)).toBe(false);
  });
});
