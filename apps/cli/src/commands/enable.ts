import { errorLine } from '../cli-error';
import type { Command } from 'commander';
import type { CliIO } from '../io';

export function registerEnable(program: Command, io: CliIO): void {
  program
    .command('enable <plugin> [peer]')
    .description("install and enable a capability plugin for each claude/codex runtime of a peer (default: this folder's peer), then run its setup")
    .option('--no-setup', "skip the plugin's declared setup step")
    .action(async (plugin: string, peer: string | undefined, opts: { setup: boolean }) => {
      // loaded on use: the plugin manifest schema brings zod, which no other verb's start-up needs
      const { enablePlugin } = await import('../enable/run-enable');
      const report = await enablePlugin(io, { plugin, peer, noSetup: !opts.setup });
      io.out(`enable ${report.plugin} → ${report.peer.personality} (${report.peer.cwd})`);
      for (const i of report.installs) {
        io.out(`  ${i.runtime}: ${i.state} (${i.scope})`);
        if (i.detail) io.err(errorLine('enable', `${i.runtime}: ${i.detail}`));
      }
      for (const rt of report.skipped) io.out(`  ${rt}: skipped (takes no plugins)`);
      io.out(`enable ${report.plugin} setup ${report.setup.state}${report.setup.detail && report.setup.state !== 'failed' ? ` (${report.setup.detail})` : ''}`);
      if (report.setup.state === 'failed') io.err(errorLine('enable', `setup failed (the install is kept): ${report.setup.detail}`));
      if (report.installs.some((i) => i.state === 'failed') || report.setup.state === 'failed') process.exitCode = 1;
    });
}
