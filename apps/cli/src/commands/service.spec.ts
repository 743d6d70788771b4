import fs from 'node:fs';
import path from 'node:path';
import { SERVICE_NAMES } from '@iapeer/core';
import { lintPlist, lintUnit, readServiceManagerJournal, serviceManagerJournalPath } from '@iapeer/servicefiles';
import { makeSandbox, runCli, type Sandbox } from '@iapeer/testing';

// `iapeer service …` through the real CLI bundle in a sandbox: files land in the
// sandbox's LaunchAgents/systemd dirs and every launchctl/systemctl call is only journaled.
describe.each([
  ['linux', (sb: Sandbox) => SERVICE_NAMES.map((s) => path.join(sb.paths.systemdUserDir, `iapeer-${s}.service`))],
  ['darwin', (sb: Sandbox) => SERVICE_NAMES.map((s) => path.join(sb.paths.launchAgentsDir, `com.iapeer.${s}.plist`))],
] as const)('iapeer service --platform %s', (platform, filesOf) => {
  let sb: Sandbox;
  beforeEach(() => (sb = makeSandbox()));
  afterEach(() => sb.cleanup());
  const journal = () => readServiceManagerJournal(serviceManagerJournalPath(sb.paths));
  const cli = (...args: string[]) => runCli(['service', ...args, '--platform', platform], sb.env);

  it('--dry-run prints the plan and touches nothing', async () => {
    const res = await cli('install', '--dry-run');
    expect(res.code).toBe(0);
    for (const f of filesOf(sb)) expect(res.stdout).toContain(`would create      ${path.basename(f)}`);
    expect(res.stdout).toMatch(platform === 'linux' ? /would run: systemctl --user enable --now iapeer-registry\.service/ : /would run: launchctl bootstrap gui\/\S+ \S+com\.iapeer\.registry\.plist/);
    for (const f of filesOf(sb)) expect(fs.existsSync(f)).toBe(false);
    expect(fs.existsSync(serviceManagerJournalPath(sb.paths))).toBe(false);
  });

  it('install writes valid files and journals the manager calls; a second install changes nothing', async () => {
    const first = await cli('install');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    for (const f of filesOf(sb)) {
      const text = fs.readFileSync(f, 'utf8');
      if (platform === 'darwin') expect(lintPlist(text)).toMatchObject({ 'com.iapeer.managed': true, ProgramArguments: [process.execPath, expect.stringMatching(/dist\/apps\/\w+\/main\.js$/)] });
      else expect(lintUnit(text).get('Service')).toContainEqual(['Environment', `"IAPEER_ROOT=${sb.root}"`]);
      expect(first.stdout).toMatch(new RegExp(`written\\s+${path.basename(f).replace(/\./g, '\\.')}\\s+skipped-sandbox`));
    }
    const starts = journal().filter((e) => e.action === 'start');
    expect(starts.map((e) => [e.label, e.state])).toEqual(filesOf(sb).map((f) => [path.basename(f).replace(/\.plist$/, ''), 'skipped-sandbox']));

    const old = new Date('2001-01-01T00:00:00Z');
    for (const f of filesOf(sb)) fs.utimesSync(f, old, old);
    const second = await cli('install');
    expect(second.code).toBe(0);
    expect(second.stdout.match(/unchanged/g)).toHaveLength(SERVICE_NAMES.length);
    for (const f of filesOf(sb)) expect(fs.statSync(f).mtime.getTime()).toBe(old.getTime());
  });

  it('refuses a foreign file at a service label, installs the rest, exits 1, and uninstall leaves it too', async () => {
    const [, registry] = filesOf(sb);
    fs.mkdirSync(path.dirname(registry), { recursive: true });
    fs.writeFileSync(registry, 'not ours\n');
    const res = await cli('install');
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/registry: .* exists without the iapeer sentinel .* never overwrites it/);
    expect(fs.readFileSync(registry, 'utf8')).toBe('not ours\n');
    expect(journal().filter((e) => e.action === 'start').map((e) => e.label)).not.toContain(platform === 'linux' ? 'iapeer-registry.service' : 'com.iapeer.registry');

    const status = JSON.parse((await cli('status', '--json')).stdout);
    expect(status.services.map((s: { service: string; file: string }) => [s.service, s.file])).toEqual([['logd', 'ours'], ['registry', 'foreign'], ['supervisor', 'ours'], ['router', 'ours'], ['console', 'ours']]);

    const un = await cli('uninstall');
    expect(un.code).toBe(1);
    expect(fs.readFileSync(registry, 'utf8')).toBe('not ours\n');
    expect(filesOf(sb).filter((f) => fs.existsSync(f))).toEqual([registry]);
    expect(journal().filter((e) => e.action === 'stop')).toHaveLength(SERVICE_NAMES.length - 1);
  });

  it('status reports missing files, then ours with the manager state', async () => {
    const before = JSON.parse((await cli('status', '--json')).stdout);
    expect(before.services.map((s: { file: string; manager: string }) => [s.file, s.manager])).toEqual(SERVICE_NAMES.map(() => ['missing', '-']));
    await cli('install');
    const after = await cli('status');
    expect(after.code).toBe(0);
    for (const s of SERVICE_NAMES) expect(after.stdout).toMatch(new RegExp(`${s}\\s+ours\\s+\\S+\\s+skipped-sandbox`));
  });
});

describe('iapeer service guards', () => {
  let sb: Sandbox;
  beforeEach(() => (sb = makeSandbox()));
  afterEach(() => sb.cleanup());

  it('an unknown platform is a usage error (exit 2) that names the choices', async () => {
    const res = await runCli(['service', 'install', '--platform', 'windows'], sb.env);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('pass --platform darwin|linux');
  });

  it('under the sandbox, refuses the default unit directory', async () => {
    const env = { ...sb.env };
    delete env.IAPEER_SYSTEMD_USER_DIR;
    const res = await runCli(['service', 'install', '--platform', 'linux'], env);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('set IAPEER_SYSTEMD_USER_DIR to a temporary directory');
    expect(fs.existsSync(path.join(sb.home, '.config', 'systemd'))).toBe(false);
  });
});
