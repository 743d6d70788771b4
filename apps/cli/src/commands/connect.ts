import readline from 'node:readline/promises';
import type { Command } from 'commander';
import { CliError } from '../cli-error';
import type { CliIO } from '../io';
import { formatOpRow, supervisorClient } from '../lifecycle/supervisor';
import { withRegistry } from '../peers/registry-client';
import { stripPeerEnv } from '../peers/resolve-runtime';
import { connectTelegram, type RestartRow } from '../telegram/connect-telegram';

/** Reads one line from the terminal (the token is not echoed back anywhere else). */
async function askOnTerminal(prompt: string): Promise<string> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  try {
    return await rl.question(prompt);
  } finally {
    rl.close();
  }
}

const FAILED = new Set(['refused-foreign-launchd', 'failed']);

/** `iapeer connect telegram <peer> [--token <t>]` (docs/behaviour.md §10). */
export function registerConnect(program: Command, io: CliIO): void {
  const connect = program.command('connect').description('connect a peer to a channel (telegram)');
  connect
    .command('telegram <peer>')
    .description("give a peer a Telegram bot: store the bot token, set the peer's face interfaces.telegram.bot, restart the telegram router peer when the token is new or changed")
    .option('--token <token>', 'the bot token from @BotFather (asked for on a terminal when absent)')
    .action(async (peer: string, opts: { token?: string }) => {
      const env = stripPeerEnv(io.env);
      await withRegistry({ ...io, env }, async (registry, paths) => {
        const r = await connectTelegram(
          {
            paths,
            getPeer: (personality) => registry.get.query({ personality }),
            listPeers: async () => (await registry.list.query()).peers,
            setFace: async (p, face) => {
              await registry.init.mutate({ cwd: p.cwd, interfaces: { telegram: face } });
            },
            restart: async (personality): Promise<RestartRow[]> => {
              const { client, close } = supervisorClient({ ...io, env });
              try {
                const stopped = await client.stop.mutate({ personality, runtime: 'telegram' });
                const started = await client.start.mutate({ personality, runtime: 'telegram' });
                return [...stopped, ...started];
              } finally {
                close();
              }
            },
            ask: io.stdinIsTTY ? askOnTerminal : undefined,
          },
          peer,
          opts.token,
        );
        if (r.token === 'unchanged' && r.face === 'unchanged') {
          io.out(`${r.peer}: already connected to telegram bot "${r.alias}" with this token — no change`);
          return;
        }
        io.out(`telegram bot "${r.alias}": token ${r.token === 'unchanged' ? 'unchanged' : r.token === 'changed' ? 'changed' : 'stored'} (${r.envFile})`);
        if (r.face === 'set') io.out(`${r.peer}: face interfaces.telegram.bot = "${r.alias}"`);
        for (const row of r.restarted) io.out(formatOpRow(row));
        if (r.noRouter) io.out('no telegram router peer is registered to restart; create one with `iapeer create <name> --runtime telegram`');
        io.out(`connected ${r.peer} to telegram bot "${r.alias}"`);
        const failed = r.restarted.filter((row) => FAILED.has(row.outcome));
        if (failed.length > 0) throw new CliError(`the token is stored, but restarting the telegram router failed (${failed.map((f) => f.personality).join(', ')}); run \`iapeer stop <p> telegram\` then \`iapeer start <p> telegram\``, 1);
      });
    });
}
