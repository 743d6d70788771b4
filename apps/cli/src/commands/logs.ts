import type { Command } from 'commander';
import type { TailInput } from '@iapeer/contracts';
import { LOG_NAMES, resolvePaths, type IapeerPaths } from '@iapeer/core';
import { iapeerCodeOf } from '@iapeer/rpc';
import { CliError, errorLine } from '../cli-error';
import type { CliIO } from '../io';
import { serviceClient } from '../services';

interface LogsOptions {
  follow?: boolean;
  peer?: string;
  ev?: string;
  lines: string;
}

/** Waits between re-subscribe attempts while logd restarts. */
const RECONNECT_MS = [50, 100, 250, 500, 1000] as const;

export function registerLogs(program: Command, io: CliIO): void {
  program
    .command('logs')
    .description('print the last lines of an iapeer log (lifecycle, delivery, exits or a service), optionally following it')
    .argument('[log]', `one of ${LOG_NAMES.join(', ')}`, 'lifecycle')
    .option('-f, --follow', 'keep printing new lines as they are written (survives a logd restart)')
    .option('--peer <p>', 'only lines about this peer (identity, personality, caller, to or via)')
    .option('--ev <e>', 'only lines with this ev (wake, supervise, delivery, …)')
    .option('-n, --lines <N>', 'how many of the last lines to print', '20')
    .action(async (log: string, opts: LogsOptions) => {
      if (!(LOG_NAMES as readonly string[]).includes(log)) throw new CliError(`unknown log "${log}"; use one of ${LOG_NAMES.join(', ')}`, 2);
      const n = Number(opts.lines);
      if (!Number.isInteger(n) || n < 0 || n > 100_000) throw new CliError(`-n expects a whole number from 0 to 100000, got "${opts.lines}"`, 2);
      const paths = resolvePaths(io.env);
      const filters = { ev: opts.ev, identity: opts.peer };
      const rpc = serviceClient(paths, 'logd');
      let end: number;
      try {
        const result = await rpc.client.query.query({ log, n: Math.max(n, 1), ...filters });
        for (const line of n === 0 ? [] : result.lines) io.out(line);
        end = result.end;
      } finally {
        rpc.close();
      }
      if (opts.follow) await follow(paths, io, { log, from: end, ...filters });
    });
}

/** Prints tail items until SIGINT/SIGTERM; a lost logd is re-subscribed from the last position. */
async function follow(paths: IapeerPaths, io: CliIO, input: TailInput): Promise<void> {
  let from = input.from;
  let attempt = 0;
  let stopped = false;
  let current: { unsubscribe(): void; close(): void } | undefined;
  let failure: Error | undefined;
  const stop = () => {
    stopped = true;
    current?.unsubscribe();
    current?.close();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  while (!stopped) {
    const ended = await new Promise<'lost' | 'done'>((resolve) => {
      const rpc = serviceClient(paths, 'logd', 0);
      const sub = rpc.client.tail.subscribe(
        { ...input, from },
        {
          onStarted: () => (attempt = 0),
          onData: (item) => {
            if (item.skipped > 0) io.err(errorLine('logs', `${item.skipped} bytes of ${input.log}.log were rotated away before they could be shown`));
            for (const line of item.lines) io.out(line);
            from = item.pos;
          },
          onError: (err) => {
            rpc.close();
            if (iapeerCodeOf(err) === 'SERVICE_UNAVAILABLE') return resolve('lost');
            failure = err as Error;
            resolve('done');
          },
          onComplete: () => {
            rpc.close();
            resolve(stopped ? 'done' : 'lost'); // logd stopped the stream: it is shutting down
          },
        },
      );
      current = { unsubscribe: () => sub.unsubscribe(), close: () => (rpc.close(), resolve('done')) };
    });
    if (ended === 'done') break;
    if (attempt === 0) io.err(errorLine('logs', 'logd is not answering; waiting for it to come back…'));
    await new Promise((r) => setTimeout(r, RECONNECT_MS[Math.min(attempt++, RECONNECT_MS.length - 1)]));
  }
  if (failure) throw new CliError(failure.message, 1);
}
