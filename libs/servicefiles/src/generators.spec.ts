import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolvePaths } from '@iapeer/core';
import { buildServiceJobSpecs } from './build-specs';
import { GOLDEN_ENV, goldenInfraSpec, goldenPaths, goldenServiceSpecs } from './fixtures.spec-helpers';
import { renderInfraPeerPlist, renderServicePlist } from './launchd-files';
import { lintPlist } from './plist-lint';
import { escapeXmlText, renderPlist } from './plist-xml';
import { renderJobFile, renderJobFiles } from './render-files';
import { classifyServiceFile } from './sentinel';
import { formatEnvironmentLine, quoteExecArg, renderInfraPeerUnit, renderServiceUnit } from './systemd-files';
import { lintUnit, unitValues } from './unit-lint';

const GOLDEN_DIR = path.join(__dirname, 'golden');

/** Compares with golden/<name>; `UPDATE_GOLDEN=1` rewrites them (review the diff before committing). */
function expectGolden(name: string, actual: string): void {
  const file = path.join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(file, actual);
  expect(actual).toBe(fs.readFileSync(file, 'utf8'));
}

const hasCommand = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

describe('launchd plists', () => {
  it.each(goldenServiceSpecs().map((s) => [s.service, s] as const))('%s plist matches its golden file', (service, spec) => {
    expectGolden(`com.iapeer.${service}.plist`, renderServicePlist(spec));
  });

  it('the infra peer plist matches its golden file', () => {
    expectGolden('com.iapeer.tg-bot.plist', renderInfraPeerPlist(goldenInfraSpec('darwin')));
  });

  it('every generated plist passes the strict DTD-structure check with the keys launchd needs', () => {
    const parsed = lintPlist(renderServicePlist(goldenServiceSpecs()[1])) as Record<string, unknown>;
    expect(parsed).toMatchObject({
      Label: 'com.iapeer.registry',
      'com.iapeer.managed': true,
      ProgramArguments: ['/usr/bin/node', '/opt/iapeer/dist/apps/registry/main.js'],
      RunAtLoad: true,
      KeepAlive: { SuccessfulExit: false },
      ThrottleInterval: 10,
      StandardOutPath: '/home/ada/iap root/logs/services/registry-stdout.log',
      StandardErrorPath: '/home/ada/iap root/logs/services/registry-stderr.log',
    });
    expect(parsed.EnvironmentVariables).toEqual({
      IAPEER_LAUNCHAGENTS_DIR: '/home/ada/Library/LaunchAgents',
      IAPEER_PORT: '9876',
      IAPEER_ROOT: '/home/ada/iap root',
      IAPEER_SYSTEMD_USER_DIR: '/home/ada/.config/systemd/user',
      PATH: '/usr/local/bin:/usr/bin:/bin',
    });
    const infra = lintPlist(renderInfraPeerPlist(goldenInfraSpec('darwin'))) as Record<string, unknown>;
    expect(infra.ProgramArguments).toEqual(['/usr/bin/node', '/opt/iapeer/dist/apps/cli/main.js', 'run-infra', 'tg-bot', 'telegram']);
    expect(infra.KeepAlive).toBe(true);
    expect(infra.WorkingDirectory).toBe('/home/ada/peers/tg-bot');
    expect(infra.EnvironmentVariables).toMatchObject({ PEER_PERSONALITY: 'tg-bot', PEER_RUNTIME: 'telegram', PEER_IDENTITY: 'telegram-tg-bot', TELEGRAM_RUNTIME_BIN: '/opt/telegram-runtime/bin/telegram-runtime' });
    expect(infra.StandardOutPath).toBe('/home/ada/iap root/logs/tg-bot/launchd-stdout.log');
  });

  it('escapes markup and drops control characters so hostile values still give a valid plist', () => {
    const xml = renderPlist({ Label: 'a<b>&"c"\u0007\u0000d', Nested: { List: ['x&y', 1, false], Empty: [] }, E: {} });
    const parsed = lintPlist(xml) as Record<string, unknown>;
    expect(parsed.Label).toBe('a<b>&"c"d');
    expect(parsed.Nested).toEqual({ List: ['x&y', 1, false], Empty: [] });
    expect(escapeXmlText('tab\tnew\nline')).toBe('tab\tnew\nline');
    expect(() => renderPlist({ n: 1.5 })).toThrow(/integers only/);
  });

  it('the strict checker rejects what the DTD forbids', () => {
    const ok = renderPlist({ A: 'x' });
    expect(() => lintPlist(ok.replace('<key>A</key>', ''))).toThrow(/key/);
    expect(() => lintPlist(ok.replace('<string>x</string>', '<string>x</string><string>y</string>'))).toThrow(/alternating/);
    expect(() => lintPlist(ok.replace('<string>x</string>', '<str>x</str>'))).toThrow(/not a plist value/);
    expect(() => lintPlist(ok.replace('<string>x</string>', '<string>a & b</string>'))).toThrow(/bare &/);
    expect(() => lintPlist(ok.replace('<plist version="1.0">', '<plist>'))).toThrow(/version/);
    expect(() => lintPlist(ok.replace('<key>A</key>\n\t<string>x</string>', '<key>A</key><true/><key>A</key><true/>'))).toThrow(/duplicate key/);
    expect(() => lintPlist(ok + '<x/>')).toThrow(/after <\/plist>/);
  });

  it('every generated plist validates: plutil -lint where it exists (macOS), the strict DTD-structure check everywhere', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iap-plist-'));
    for (const f of renderJobFiles(goldenPaths(), 'darwin', [...goldenServiceSpecs(), goldenInfraSpec('darwin')])) {
      expect(() => lintPlist(f.content)).not.toThrow();
      if (!hasCommand('plutil')) continue;
      const p = path.join(dir, path.basename(f.path));
      fs.writeFileSync(p, f.content);
      execFileSync('plutil', ['-lint', p]);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('systemd user units', () => {
  it.each(goldenServiceSpecs().map((s) => [s.service, s] as const))('iapeer-%s.service matches its golden file', (service, spec) => {
    expectGolden(`iapeer-${service}.service`, renderServiceUnit(spec));
  });

  it('the infra peer unit matches its golden file', () => {
    expectGolden('iapeer-peer-tg-bot.service', renderInfraPeerUnit(goldenInfraSpec('linux')));
  });

  it('units parse strictly and carry restart policy, start limits, ordering and the sentinel', () => {
    const [logd, registry, supervisor, router] = goldenServiceSpecs().map((s) => lintUnit(renderServiceUnit(s)));
    expect(unitValues(logd, 'Unit', 'After')).toEqual([]);
    expect(unitValues(registry, 'Unit', 'After')).toEqual(['iapeer-logd.service']);
    for (const u of [supervisor, router]) {
      expect(unitValues(u, 'Unit', 'After')[0]).toMatch(/^iapeer-logd\.service iapeer-registry\.service/);
      expect(unitValues(u, 'Unit', 'Wants')[0]).toMatch(/^iapeer-logd\.service iapeer-registry\.service/);
    }
    for (const u of [logd, registry, supervisor, router]) {
      expect(unitValues(u, 'Service', 'Restart')).toEqual(['on-failure']);
      expect(unitValues(u, 'Service', 'RestartSec')).toEqual(['10']);
      expect(unitValues(u, 'Unit', 'StartLimitIntervalSec')).toEqual(['300']);
      expect(unitValues(u, 'Unit', 'StartLimitBurst')).toEqual(['5']);
      expect(unitValues(u, 'Unit', 'X-IapeerManaged')).toEqual(['true']);
      expect(unitValues(u, 'Service', 'KillMode')).toEqual(['process']);
      expect(unitValues(u, 'Service', 'Environment')).toContain('"IAPEER_ROOT=/home/ada/iap root"');
    }
    expect(unitValues(registry, 'Service', 'ExecStart')).toEqual(['/usr/bin/node /opt/iapeer/dist/apps/registry/main.js']);
    const infra = lintUnit(renderInfraPeerUnit(goldenInfraSpec('linux')));
    expect(unitValues(infra, 'Service', 'ExecStart')).toEqual(['/usr/bin/node /opt/iapeer/dist/apps/cli/main.js run-infra tg-bot telegram']);
    expect(unitValues(infra, 'Service', 'Restart')).toEqual(['always']);
    expect(unitValues(infra, 'Service', 'Environment')).toEqual(expect.arrayContaining(['"PEER_IDENTITY=telegram-tg-bot"', '"PEER_PERSONALITY=tg-bot"', '"PEER_RUNTIME=telegram"']));
    expect(unitValues(infra, 'Service', 'StandardOutput')).toEqual(['append:/home/ada/iap root/logs/tg-bot/systemd-stdout.log']);
  });

  it('quotes ExecStart words and Environment values the way systemd unquotes them', () => {
    expect(quoteExecArg('/usr/bin/node')).toBe('/usr/bin/node');
    expect(quoteExecArg('/a b/c')).toBe('"/a b/c"');
    expect(() => quoteExecArg('/x\\')).toThrow(/backslash/);
    expect(quoteExecArg('50%$X"y')).toBe('"50%%$$X\\"y"');
    expect(formatEnvironmentLine('K', 'a "b" 100% c\\d')).toBe('Environment="K=a \\"b\\" 100%% c\\\\d"');
    expect(() => formatEnvironmentLine('K', 'two\nlines')).toThrow(/newline/);
    expect(() => formatEnvironmentLine('1BAD', 'x')).toThrow(/invalid environment variable name/);
  });

  it('the strict unit reader rejects malformed units', () => {
    expect(() => lintUnit('Key=1\n[Unit]\n')).toThrow(/before the first section/);
    expect(() => lintUnit('[Unit]\nDescription=x\n[Service]\nExecStart=/x \\\n[Install]\n')).toThrow(/continuation/);
    expect(() => lintUnit('[Unit]\nBogus=1\n[Service]\n[Install]\n')).toThrow(/unknown key Bogus/);
    expect(() => lintUnit('[Unit]\n[Service]\nnot a directive\n[Install]\n')).toThrow(/Key=Value/);
  });

  it('every generated unit validates: systemd-analyze verify with no warning where it exists, the strict reader everywhere', () => {
    // real files, so verify can check that ExecStart's program and the working directory exist
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iap unit-'));
    const env = { ...GOLDEN_ENV, HOME: dir, IAPEER_ROOT: path.join(dir, 'root 100%'), IAPEER_SYSTEMD_USER_DIR: path.join(dir, 'units') };
    const paths = resolvePaths(env);
    const dist = path.join(dir, 'dist apps');
    for (const s of ['logd', 'registry', 'supervisor', 'router', 'cli']) {
      fs.mkdirSync(path.join(dist, s), { recursive: true });
      fs.writeFileSync(path.join(dist, s, 'main.js'), '');
    }
    fs.mkdirSync(path.join(dir, 'peer'));
    const specs = [
      ...buildServiceJobSpecs({ paths, env, nodePath: process.execPath, distAppsDir: dist }),
      { ...goldenInfraSpec('linux'), cwd: path.join(dir, 'peer'), command: [process.execPath, path.join(dist, 'cli', 'main.js')] },
    ];
    const files = renderJobFiles(paths, 'linux', specs);
    fs.mkdirSync(paths.systemdUserDir, { recursive: true });
    for (const f of files) fs.writeFileSync(f.path, f.content);
    for (const f of files) expect(() => lintUnit(f.content)).not.toThrow();
    if (!hasCommand('systemd-analyze')) return;
    const res = spawnSync('systemd-analyze', ['verify', ...files.map((f) => f.path)], { encoding: 'utf8' });
    const ours = (res.stderr + res.stdout).split('\n').filter((l) => l.includes(paths.systemdUserDir));
    expect(ours).toEqual([]);
    expect(res.status).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('rendered files', () => {
  it('sit at the label path with 0644, or 0600 when a secret is baked in', () => {
    const paths = goldenPaths();
    const [logd] = goldenServiceSpecs();
    const plist = renderJobFile(paths, 'darwin', logd);
    expect(plist).toMatchObject({ label: 'com.iapeer.logd', path: '/home/ada/Library/LaunchAgents/com.iapeer.logd.plist', mode: 0o644, kind: 'service' });
    const unit = renderJobFile(paths, 'linux', goldenInfraSpec('linux'));
    expect(unit).toMatchObject({ label: 'iapeer-peer-tg-bot.service', path: '/home/ada/.config/systemd/user/iapeer-peer-tg-bot.service', kind: 'infra-peer' });
    const secret = renderJobFile(paths, 'linux', { ...logd, env: { ...logd.env, IAPEER_BEARER_TOKEN: 's3cret' } });
    expect(secret.mode).toBe(0o600);
  });

  it('carry the sentinel and their kind; a file without it is foreign', () => {
    const [plist, unit] = [renderServicePlist(goldenServiceSpecs()[0]), renderServiceUnit(goldenServiceSpecs()[0])];
    expect(classifyServiceFile(plist, 'plist')).toEqual({ owner: 'ours', kind: 'service' });
    expect(classifyServiceFile(unit, 'unit')).toEqual({ owner: 'ours', kind: 'service' });
    expect(classifyServiceFile(renderInfraPeerUnit(goldenInfraSpec('linux')), 'unit')).toEqual({ owner: 'ours', kind: 'infra-peer' });
    expect(classifyServiceFile(plist.replace('<key>com.iapeer.managed</key>\n\t<true/>', ''), 'plist')).toEqual({ owner: 'foreign' });
    expect(classifyServiceFile('[Service]\nExecStart=/bin/true\n', 'unit')).toEqual({ owner: 'foreign' });
    expect(classifyServiceFile(plist.replace('<key>com.iapeer.managed</key>\n\t<true/>', '<key>com.iapeer.managed</key>\n\t<false/>'), 'plist')).toEqual({ owner: 'foreign' });
  });
});
