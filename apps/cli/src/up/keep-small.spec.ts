import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rotateIfOver } from './keep-small';

describe('rotateIfOver (the keeper files stay bounded)', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iap-keep-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('leaves a small file alone, moves a big one to .1 (replacing the older), ignores a missing one', () => {
    const f = path.join(dir, 'router.out');
    rotateIfOver(f, 10);
    fs.writeFileSync(f, 'small');
    rotateIfOver(f, 10);
    expect(fs.readdirSync(dir)).toEqual(['router.out']);
    fs.writeFileSync(f, 'x'.repeat(11));
    fs.writeFileSync(`${f}.1`, 'older');
    rotateIfOver(f, 10);
    expect(fs.readdirSync(dir).sort()).toEqual(['router.out.1']);
    expect(fs.readFileSync(`${f}.1`, 'utf8')).toBe('x'.repeat(11));
  });
});
