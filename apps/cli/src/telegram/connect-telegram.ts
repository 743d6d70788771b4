import type { Peer } from '@iapeer/contracts';
import { IapeerError, type IapeerPaths } from '@iapeer/core';
import { CliError } from '../cli-error';
import { botEnvPath, readBotEnv, writeBotEnv } from './bot-env';

/** The shape @BotFather hands out: the bot's numeric id, a colon, a 30+ character secret. */
export const TELEGRAM_TOKEN_RE = /^\d{5,}:[A-Za-z0-9_-]{30,}$/;

/** A restart row, as the supervisor's stop/start answer it. */
export interface RestartRow {
  personality: string;
  runtime: string;
  outcome: string;
  reason?: string;
}

/**
 * The side effects of `connect telegram`, behind parameters (tests pass their own; no
 * network anywhere): reading peers and setting the face go to the registry, restarts to
 * the supervisor, the prompt to the terminal.
 */
export interface ConnectTelegramDeps {
  paths: IapeerPaths;
  getPeer(personality: string): Promise<Peer | null>;
  listPeers(): Promise<Peer[]>;
  /** Sets `interfaces.telegram` in the peer's profile and record (the registry's init). */
  setFace(peer: Peer, face: Record<string, unknown>): Promise<void>;
  /** Stop, then start, one always-on peer (its job). */
  restart(personality: string): Promise<RestartRow[]>;
  /** Asks the operator for the token; absent when there is no terminal. */
  ask?: (prompt: string) => Promise<string>;
}

export interface ConnectTelegramResult {
  peer: string;
  alias: string;
  envFile: string;
  token: 'stored' | 'changed' | 'unchanged';
  face: 'set' | 'unchanged';
  /** The telegram router peers restarted (a changed token only). */
  restarted: RestartRow[];
  /** Set when no telegram router peer is registered to restart. */
  noRouter: boolean;
}

/**
 * `iapeer connect telegram <peer> [--token]` (docs/behaviour.md §10): the bot alias is the
 * personality; its token goes to `runtimes/telegram/bots/<alias>/.env`, the peer gets the
 * face `interfaces.telegram.bot = <alias>` (what the telegram sender guard checks), and a
 * new or changed token restarts the telegram router peers (stop, then start) so they load
 * it. The same token and face again is a no-op.
 */
export async function connectTelegram(deps: ConnectTelegramDeps, personality: string, tokenArg: string | undefined): Promise<ConnectTelegramResult> {
  const peer = await deps.getPeer(personality);
  if (!peer) throw new IapeerError('PEER_NOT_FOUND', `peer "${personality}" is not registered; check \`iapeer list\``, { data: { personality } });
  let token = tokenArg;
  if (token === undefined) {
    if (!deps.ask) throw new CliError('no --token given and no terminal to ask on; pass --token <bot token from @BotFather>', 2);
    token = await deps.ask(`Telegram bot token for "${peer.personality}" (from @BotFather): `);
  }
  token = token.trim();
  if (!TELEGRAM_TOKEN_RE.test(token)) {
    // the token is a secret: the message names its shape, never its text
    throw new IapeerError('TELEGRAM_TOKEN_INVALID', `that is not a Telegram bot token (${token.length} characters; expected <digits>:<30+ letters, digits, _ or ->, as @BotFather gives it); nothing was changed`, {
      data: { personality },
    });
  }
  const alias = peer.personality;
  const envFile = botEnvPath(deps.paths, alias);
  const before = readBotEnv(envFile).get('TELEGRAM_BOT_TOKEN');
  const tokenState = before === token ? 'unchanged' : before === undefined ? 'stored' : 'changed';
  if (tokenState !== 'unchanged') writeBotEnv(envFile, { TELEGRAM_BOT_TOKEN: token, TELEGRAM_BOT_ALIAS: alias });

  const oldFace = peer.interfaces?.telegram;
  const faceObj = typeof oldFace === 'object' && oldFace !== null && !Array.isArray(oldFace) ? (oldFace as Record<string, unknown>) : {};
  const faceState = faceObj.bot === alias ? 'unchanged' : 'set';
  if (faceState === 'set') await deps.setFace(peer, { ...faceObj, bot: alias });

  const restarted: RestartRow[] = [];
  let noRouter = false;
  if (tokenState !== 'unchanged') {
    const routers = (await deps.listPeers()).filter((p) => p.default_runtime === 'telegram');
    noRouter = routers.length === 0;
    for (const r of routers) restarted.push(...(await deps.restart(r.personality)));
  }
  return { peer: peer.personality, alias, envFile, token: tokenState, face: faceState, restarted, noRouter };
}
