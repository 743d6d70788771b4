import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const guard = path.join(__dirname, 'guard-clean.mjs');

function repo(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iap-release-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q');
  git('-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-q', '--allow-empty', '-m', 'init');
  return dir;
}

describe('prepublishOnly guard', () => {
  it('passes on a clean tree', () => {
    const r = spawnSync(process.execPath, [guard], { cwd: repo(), encoding: 'utf8' });
    expect(r.status).toBe(0);
  });

  it('refuses a dirty tree, naming the changes and the fix', () => {
    const dir = repo();
    fs.writeFileSync(path.join(dir, 'stray.txt'), 'x');
    const r = spawnSync(process.execPath, [guard], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('refusing to publish: the working tree has uncommitted changes');
    expect(r.stderr).toContain('stray.txt');
    expect(r.stderr).toContain('commit or stash them');
  });
});
