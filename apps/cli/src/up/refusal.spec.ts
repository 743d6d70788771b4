import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolvePaths } from '@iapeer/core';
import { keeperDir } from './pidfile';
import { readRefusal } from './refusal';

describe('readRefusal: why a service refused to start, from the keeper files', () => {
  let dir: string;
  let paths: ReturnType<typeof resolvePaths>;
  const events = (lines: object[]) => fs.writeFileSync(path.join(keeperDir(paths), 'keeper.events'), lines.map((l) => JSON.stringify(l) + '\n').join(''));
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iap-ref-'));
    paths = resolvePaths({ IAPEER_ROOT: path.join(dir, 'root'), HOME: dir });
    fs.mkdirSync(keeperDir(paths), { recursive: true });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('none while the keeper has not logged a refusal', () => {
    expect(readRefusal(paths, 0)).toBeUndefined();
    events([{ ts: new Date().toISOString(), ev: 'started', service: 'router', pid: 1 }]);
    expect(readRefusal(paths, 0)).toBeUndefined();
  });

  it('the service\'s last "failed to start:" line after a refusal', () => {
    fs.writeFileSync(path.join(keeperDir(paths), 'router.out'), 'iapeer router: failed to start: [PORT_IN_USE] old\nnoise\niapeer router: failed to start: [PORT_IN_USE] the MCP port 127.0.0.1:8765 is in use\n');
    events([
      { ts: new Date().toISOString(), ev: 'exited', service: 'router', code: 78, signal: null, state: 'gave-up' },
      { ts: new Date().toISOString(), ev: 'refused', service: 'router', code: 78 },
    ]);
    expect(readRefusal(paths, Date.now() - 5000)).toBe('[PORT_IN_USE] the MCP port 127.0.0.1:8765 is in use');
  });

  it('ignores a refusal logged before this `up` began', () => {
    events([{ ts: new Date(Date.now() - 60_000).toISOString(), ev: 'refused', service: 'router', code: 78 }]);
    expect(readRefusal(paths, Date.now() - 5000)).toBeUndefined();
  });

  it('points at the .out file when it holds no failure line', () => {
    events([{ ts: new Date().toISOString(), ev: 'refused', service: 'logd', code: 78 }]);
    expect(readRefusal(paths, 0)).toBe(`logd refused to start; see ${keeperDir(paths)}/logd.out`);
  });
});
