import fs from 'node:fs';
import path from 'node:path';
import { buildServiceJobSpecs } from './build-specs';
import { goldenInfraSpec, makeTempRoot, type TempRoot } from './fixtures.spec-helpers';
import type { ServicePlatform } from './job-spec';
import { assertPeerJobNotForeign, isHeldByServiceManager, readJobPresence } from './job-guard';
import { jobFilePath } from './labels';
import { renderJobFile } from './render-files';
import { writeServiceFiles } from './write-files';

describe.each(['darwin', 'linux'] as ServicePlatform[])('fleet guard and H4 (%s)', (platform) => {
  let sb: TempRoot;
  beforeEach(() => (sb = makeTempRoot()));
  afterEach(() => sb.cleanup());

  it('a peer with no job file is neither held nor refused', () => {
    expect(readJobPresence(sb.paths, platform, 'infra-peer', 'tg-bot')).toEqual({ state: 'missing' });
    expect(isHeldByServiceManager(sb.paths, platform, 'tg-bot')).toBe(false);
    expect(assertPeerJobNotForeign(sb.paths, platform, 'tg-bot')).toEqual({ state: 'missing' });
  });

  it('our always-on job holds the peer and may be managed', () => {
    writeServiceFiles([renderJobFile(sb.paths, platform, { ...goldenInfraSpec(platform), cwd: sb.paths.home })]);
    expect(isHeldByServiceManager(sb.paths, platform, 'tg-bot')).toBe(true);
    expect(assertPeerJobNotForeign(sb.paths, platform, 'tg-bot')).toEqual({ state: 'ours', kind: 'infra-peer' });
  });

  it('a foreign job holds the peer (never woken) and is refused for stop/start', () => {
    const file = jobFilePath(sb.paths, platform, 'infra-peer', 'tg-bot');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'persistent-peer fleet job\n');
    expect(isHeldByServiceManager(sb.paths, platform, 'tg-bot')).toBe(true);
    expect(() => assertPeerJobNotForeign(sb.paths, platform, 'tg-bot')).toThrow(expect.objectContaining({ code: 'FOREIGN_SERVICE_FILE', message: expect.stringContaining('refused-foreign') }));
  });

  it("a service's own job never makes a same-named peer held", () => {
    const [logd] = buildServiceJobSpecs({ paths: sb.paths, env: sb.env, nodePath: '/usr/bin/node', distAppsDir: '/opt/d' });
    writeServiceFiles([renderJobFile(sb.paths, platform, logd)]);
    expect(isHeldByServiceManager(sb.paths, platform, 'logd')).toBe(false);
  });
});
