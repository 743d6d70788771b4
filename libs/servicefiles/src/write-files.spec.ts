import fs from 'node:fs';
import path from 'node:path';
import { buildServiceJobSpecs } from './build-specs';
import type { ServiceFile, ServicePlatform } from './job-spec';
import { renderJobFile, renderJobFiles } from './render-files';
import { goldenInfraSpec, makeTempRoot, type TempRoot } from './fixtures.spec-helpers';
import { applyRemovePlan, inspectServiceFile, planInstall, planRemove, writeServiceFileOrThrow, writeServiceFiles } from './write-files';

const FOREIGN_PLIST = '<?xml version="1.0"?>\n<plist version="1.0"><dict><key>Label</key><string>com.iapeer.registry</string></dict></plist>\n';
const FOREIGN_UNIT = '[Unit]\nDescription=someone else\n[Service]\nExecStart=/bin/true\n';

describe.each(['darwin', 'linux'] as ServicePlatform[])('service file writer (%s)', (platform) => {
  let sb: TempRoot;
  let files: ServiceFile[];
  beforeEach(() => {
    sb = makeTempRoot();
    files = renderJobFiles(sb.paths, platform, buildServiceJobSpecs({ paths: sb.paths, env: sb.env, nodePath: process.execPath, distAppsDir: '/opt/iapeer/dist/apps' }));
  });
  afterEach(() => sb.cleanup());

  it('writes every file once with its mode, then reports unchanged and keeps the mtime', () => {
    const first = writeServiceFiles(files);
    expect(first.map((r) => r.outcome)).toEqual(['written', 'written', 'written', 'written', 'written']);
    for (const f of files) {
      expect(fs.readFileSync(f.path, 'utf8')).toBe(f.content);
      expect(fs.statSync(f.path).mode & 0o777).toBe(0o644);
    }
    const old = new Date('2001-02-03T04:05:06Z');
    for (const f of files) fs.utimesSync(f.path, old, old);
    const second = writeServiceFiles(files);
    expect(second.map((r) => [r.outcome, r.changed])).toEqual(files.map(() => ['unchanged', false]));
    for (const f of files) expect(fs.statSync(f.path).mtime.getTime()).toBe(old.getTime());
  });

  it('rewrites only the file whose content changed', () => {
    writeServiceFiles(files);
    const changed = files.map((f, i) => (i === 2 ? { ...f, content: f.content.replace('10', '11') } : f));
    expect(planInstall(changed).map((p) => p.action)).toEqual(['unchanged', 'unchanged', 'update', 'unchanged', 'unchanged']);
    expect(writeServiceFiles(changed).map((r) => r.outcome)).toEqual(['unchanged', 'unchanged', 'written', 'unchanged', 'unchanged']);
    expect(fs.readFileSync(files[2].path, 'utf8')).toBe(changed[2].content);
  });

  it('never overwrites a foreign file at our label (the fleet guard) and still writes the others', () => {
    const registry = files[1];
    fs.mkdirSync(path.dirname(registry.path), { recursive: true });
    const foreign = platform === 'darwin' ? FOREIGN_PLIST : FOREIGN_UNIT;
    fs.writeFileSync(registry.path, foreign);
    const results = writeServiceFiles(files);
    expect(results.map((r) => r.outcome)).toEqual(['written', 'refused-foreign', 'written', 'written', 'written']);
    expect(results[1].reason).toMatch(/without the iapeer sentinel.*never overwrites it/);
    expect(fs.readFileSync(registry.path, 'utf8')).toBe(foreign);
    expect(() => writeServiceFileOrThrow(registry)).toThrow(expect.objectContaining({ code: 'FOREIGN_SERVICE_FILE' }));
    expect(inspectServiceFile(registry).status).toBe('foreign');
    expect(planRemove([registry])[0].action).toBe('refused-foreign');
    applyRemovePlan(planRemove([registry]));
    expect(fs.readFileSync(registry.path, 'utf8')).toBe(foreign);
  });

  it('refuses an iapeer file of the other kind at a colliding label', () => {
    const infra = renderJobFile(sb.paths, platform, { ...goldenInfraSpec(platform), personality: 'logd' });
    writeServiceFiles(files);
    const [res] = writeServiceFiles([infra]);
    if (platform === 'darwin') {
      // com.iapeer.logd is the logd service's label: a peer named logd must not take it over
      expect(res.outcome).toBe('refused-foreign');
      expect(res.reason).toMatch(/holds an iapeer service job/);
    } else {
      expect(res.outcome).toBe('written'); // systemd names differ: iapeer-peer-logd.service
    }
  });

  it('status tells missing, ours and stale apart; remove deletes only ours', () => {
    expect(inspectServiceFile(files[0]).status).toBe('missing');
    writeServiceFiles(files);
    expect(inspectServiceFile(files[0]).status).toBe('ours');
    expect(inspectServiceFile({ ...files[0], content: files[0].content + '\n' }).status).toBe('stale');
    const plans = applyRemovePlan(planRemove(files));
    expect(plans.map((p) => p.action)).toEqual(files.map(() => 'remove'));
    for (const f of files) expect(fs.existsSync(f.path)).toBe(false);
    expect(planRemove(files).map((p) => p.action)).toEqual(files.map(() => 'missing'));
  });

  it('leaves no temp file behind', () => {
    writeServiceFiles(files);
    const dir = path.dirname(files[0].path);
    expect(fs.readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
