import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { errorMessage, resolvePaths } from '@iapeer/core';
import { CliError } from '../cli-error';
import type { CliIO } from '../io';
import { serviceClient } from '../services';

/** The program that hands a URL to the desktop's browser, or null where there is none (a headless box, ssh). */
export function browserOpener(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string | null {
  if (platform === 'darwin') return 'open';
  if (platform === 'linux' && (env.DISPLAY || env.WAYLAND_DISPLAY)) return 'xdg-open';
  return null;
}

/**
 * `iapeer console [--open]`: asks the console service for a one-time login link and
 * prints it (docs/behaviour.md "The console"). The link logs one browser in; print
 * another for the next one.
 */
export function registerConsole(program: Command, io: CliIO): void {
  program
    .command('console')
    .description('print a one-time login link to the fleet console (a live web page on 127.0.0.1); --open opens it in a browser')
    .option('--open', 'open the link in the desktop browser when there is one')
    .option('--read-only', 'a login whose page shows everything and offers no action')
    .option('--json', 'print {url, base, expiresAt, readOnly}')
    .action(async (opts: { open?: boolean; json?: boolean; readOnly?: boolean }) => {
      const { client, close } = serviceClient(resolvePaths(io.env), 'console');
      try {
        const r = await client.login.mutate(opts.readOnly ? { readOnly: true } : undefined);
        if (opts.json) io.out(JSON.stringify(r));
        else {
          io.out(r.url);
          io.err(`one-time link to the iapeer console${r.readOnly ? ' (read-only)' : ''}; valid for ${Math.round((r.expiresAt - Date.now()) / 60_000)} minutes`);
        }
        if (opts.open) {
          const opener = browserOpener(io.env);
          if (!opener) io.err('no desktop browser here (no DISPLAY): open the link on this machine by hand');
          else spawn(opener, [r.url], { stdio: 'ignore', detached: true }).on('error', (err) => io.err(`could not run ${opener}: ${errorMessage(err)}`)).unref();
        }
      } catch (err) {
        throw new CliError(errorMessage(err), 1);
      } finally {
        close();
      }
    });
}
