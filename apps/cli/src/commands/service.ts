import type { Command } from 'commander';
import type { CliIO } from '../io';
import { runServiceInstall } from '../service/install';
import { runServiceStatus } from '../service/status';
import { runServiceUninstall } from '../service/uninstall';

interface ServiceOpts {
  dryRun?: boolean;
  platform?: string;
  json?: boolean;
}

export function registerService(program: Command, io: CliIO): void {
  const service = program
    .command('service')
    .description('run each service under launchd (macOS) or systemd --user (Linux) so it restarts on its own');
  service
    .command('install')
    .description('write one plist/unit per service (only when changed; never over a foreign file) and start them')
    .option('--dry-run', 'print what would be written and run; change nothing')
    .option('--platform <platform>', 'darwin or linux (default: this machine)')
    .action((opts: ServiceOpts) => runServiceInstall(io, opts));
  service
    .command('uninstall')
    .description('stop the services and remove their plists/units (foreign files are left alone)')
    .option('--dry-run', 'print what would be removed and run; change nothing')
    .option('--platform <platform>', 'darwin or linux (default: this machine)')
    .action((opts: ServiceOpts) => runServiceUninstall(io, opts));
  service
    .command('status')
    .description("show each service's file (missing/ours/stale/foreign) and its state in the service manager")
    .option('--platform <platform>', 'darwin or linux (default: this machine)')
    .option('--json', 'print one JSON object')
    .action((opts: ServiceOpts) => runServiceStatus(io, opts));
}
