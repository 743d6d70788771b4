import fs from 'node:fs';
import type { Peer } from '@iapeer/contracts';
import { isIapeerError } from '@iapeer/core';
import { makeSandbox, type Sandbox } from '@iapeer/testing';
import { CliError } from '../cli-error';
import { botEnvPath, readBotEnv } from './bot-env';
import { connectTelegram, type ConnectTelegramDeps, type RestartRow } from './connect-telegram';

// connect telegram's flow with its ports as parameters (the registry and supervisor calls
// are covered end to end in apps/e2e/src/cli-runtime-verbs.spec.ts); the bot file is real.
const TOKEN = '123456789:AAbbccddeeffgghhiijjkkllmmnnooppqq';
const OTHER = '123456789:ZZbbccddeeffgghhiijjkkllmmnnooppqq';

describe('connectTelegram', () => {
  let sb: Sandbox;
  let peers: Map<string, Peer>;
  let restarts: string[];
  let faces: Array<[string, Record<string, unknown>]>;

  const peer = (personality: string, default_runtime = 'claude'): Peer => ({
    personality, default_runtime, runtimes: [default_runtime], description: '', intelligence: default_runtime === 'telegram' ? 'natural' : 'artificial', intelligence_raw: '', cwd: `/w/${personality}`,
  });

  const deps = (over: Partial<ConnectTelegramDeps> = {}): ConnectTelegramDeps => ({
    paths: sb.paths,
    getPeer: async (p) => peers.get(p) ?? null,
    listPeers: async () => [...peers.values()],
    setFace: async (p, face) => {
      faces.push([p.personality, face]);
      peers.set(p.personality, { ...p, interfaces: { ...p.interfaces, telegram: face } });
    },
    restart: async (p): Promise<RestartRow[]> => {
      restarts.push(p);
      return [{ personality: p, runtime: 'telegram', outcome: 'bootout' }, { personality: p, runtime: 'telegram', outcome: 'bootstrap' }];
    },
    ...over,
  });

  beforeEach(() => {
    sb = makeSandbox();
    peers = new Map([['scout', peer('scout')], ['human', peer('human', 'telegram')]]);
    restarts = [];
    faces = [];
  });
  afterEach(() => sb.cleanup());

  it('first connect: token stored 0600 under runtimes/telegram/bots/<personality>/.env, face set, the telegram router restarted', async () => {
    const r = await connectTelegram(deps(), 'scout', TOKEN);
    const file = botEnvPath(sb.paths, 'scout');
    expect(r).toMatchObject({ peer: 'scout', alias: 'scout', envFile: file, token: 'stored', face: 'set', noRouter: false });
    expect(readBotEnv(file).get('TELEGRAM_BOT_TOKEN')).toBe(TOKEN);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(faces).toEqual([['scout', { bot: 'scout' }]]);
    expect(restarts).toEqual(['human']);
  });

  it('the same token again is a no-op: nothing written, nothing restarted', async () => {
    await connectTelegram(deps(), 'scout', TOKEN);
    const mtime = fs.statSync(botEnvPath(sb.paths, 'scout')).mtimeMs;
    restarts = [];
    faces = [];
    const r = await connectTelegram(deps(), 'scout', TOKEN);
    expect(r).toMatchObject({ token: 'unchanged', face: 'unchanged', restarted: [] });
    expect(fs.statSync(botEnvPath(sb.paths, 'scout')).mtimeMs).toBe(mtime);
    expect([restarts, faces]).toEqual([[], []]);
  });

  it('a changed token replaces it, keeps the other keys of the file, and restarts the router', async () => {
    await connectTelegram(deps(), 'scout', TOKEN);
    fs.appendFileSync(botEnvPath(sb.paths, 'scout'), 'TELEGRAM_BOT_USERNAME=scout_bot\n');
    restarts = [];
    const r = await connectTelegram(deps(), 'scout', OTHER);
    expect(r).toMatchObject({ token: 'changed', face: 'unchanged' });
    expect(Object.fromEntries(readBotEnv(botEnvPath(sb.paths, 'scout')))).toEqual({ TELEGRAM_BOT_TOKEN: OTHER, TELEGRAM_BOT_ALIAS: 'scout', TELEGRAM_BOT_USERNAME: 'scout_bot' });
    expect(restarts).toEqual(['human']);
  });

  it('no telegram router peer: stored and said, nothing to restart', async () => {
    peers.delete('human');
    const r = await connectTelegram(deps(), 'scout', TOKEN);
    expect(r).toMatchObject({ token: 'stored', noRouter: true, restarted: [] });
  });

  it('a bad token is TELEGRAM_TOKEN_INVALID, never echoed, and changes nothing', async () => {
    const secretish = 'abc:short-secret-text';
    const err = await connectTelegram(deps(), 'scout', secretish).catch((e) => e);
    expect(isIapeerError(err) && err.code).toBe('TELEGRAM_TOKEN_INVALID');
    expect(err.message).not.toContain(secretish);
    expect(fs.existsSync(botEnvPath(sb.paths, 'scout'))).toBe(false);
    expect([faces, restarts]).toEqual([[], []]);
  });

  it('an unregistered peer is PEER_NOT_FOUND; no --token and no terminal is a usage error (2)', async () => {
    const missing = await connectTelegram(deps(), 'ghost', TOKEN).catch((e) => e);
    expect(isIapeerError(missing) && missing.code).toBe('PEER_NOT_FOUND');
    const noTty = await connectTelegram(deps(), 'scout', undefined).catch((e) => e);
    expect(noTty).toBeInstanceOf(CliError);
    expect([noTty.exitCode, noTty.message]).toEqual([2, 'no --token given and no terminal to ask on; pass --token <bot token from @BotFather>']);
  });

  it('on a terminal it asks for the token (trimmed) when --token is absent', async () => {
    const prompts: string[] = [];
    const r = await connectTelegram(deps({ ask: async (q) => (prompts.push(q), `  ${TOKEN}\n`) }), 'scout', undefined);
    expect(prompts).toEqual(['Telegram bot token for "scout" (from @BotFather): ']);
    expect(r.token).toBe('stored');
    expect(readBotEnv(botEnvPath(sb.paths, 'scout')).get('TELEGRAM_BOT_TOKEN')).toBe(TOKEN);
  });
});
