import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkFile, diskRepo, headingsOf, RepoFiles, scannedFiles } from './doc-refs';

const ROOT = path.resolve(__dirname, '../..');
const SCANNED = ['apps', 'libs', 'docs', 'bench', 'tools', 'README.md', 'CONTRIBUTING.md', 'jest.preset.js', 'eslint.config.mjs'];
/** The resolver, its fixtures and the rewrite script necessarily spell out broken and old references. */
const EXEMPT = new Set(['tools/doc-refs/doc-refs.ts', 'tools/doc-refs/doc-refs.spec.ts', 'tools/rewrite-doc-refs.mjs']);

/** A repository held in memory: the resolver on fixture text. */
function fixtureRepo(files: Record<string, string>): RepoFiles {
  const dirs = new Set(Object.keys(files).flatMap((f) => f.split('/').slice(0, -1).map((_, i, a) => a.slice(0, i + 1).join('/'))));
  return { exists: (p) => p in files || dirs.has(p) || p === '.', read: (p) => files[p] };
}

const repo = fixtureRepo({
  'docs/behaviour.md': '# Behaviour\n## 7. Lifecycle\n### 7.4 Wake or spawn\n### 7.10 Always-on peers\n',
  'docs/notes/stack.md': '# Stack\n## 2. tRPC over a Unix socket\n## tmux 3.3a\n',
  'docs/notes/tmux.md': '# tmux\n## Delivery: wait on the pane\n## Delivery: wait on the pane\n',
  'README.md': '# iapeer\n',
});
const refs = (file: string, text: string) => checkFile(repo, file, text).map((b) => b.ref);

describe('doc reference resolver (fixtures)', () => {
  it('a bare § cites docs/behaviour.md; a § right after a *.md cites that file', () => {
    expect(refs('apps/x/a.ts', '/** wakeOrSpawn (§7.4, §7.10) */')).toEqual([]);
    expect(refs('apps/x/a.ts', '// see docs/notes/stack.md §2 and docs/behaviour.md §7.4/§7.10')).toEqual([]);
    expect(refs('apps/x/a.ts', '/** (§7.5) */')).toEqual(['§7.5']);
    expect(refs('apps/x/a.ts', '// docs/notes/stack.md §7.4')).toEqual(['§7.4']);
    expect(refs('apps/x/a.ts', '// docs/notes/nope.md §2')).toEqual(['docs/notes/nope.md §2', 'docs/notes/nope.md']);
  });

  it('a *.md path must exist beside the citing file or from the root; peer-folder and product names are not citations', () => {
    expect(refs('docs/notes/a.md', 'see docs/notes/tmux.md, tmux.md and ../../README.md')).toEqual([]);
    expect(refs('apps/x/a.ts', '// see docs/notes/tmxu.md')).toEqual(['docs/notes/tmxu.md']);
    expect(refs('apps/x/a.ts', "// reads <cwd>/.iapeer/IAPEER.md, then CLAUDE.md and <identity>.system-prompt.md\nconst seed = 'Read TODO.md';")).toEqual([]);
    expect(refs('docs/a.md', '| `.system-prompt.md` | the composed prompt |')).toEqual([]);
  });

  it('a quoted heading after a *.md must be part of a heading of that file', () => {
    expect(refs('libs/x/a.ts', '// docs/notes/stack.md "tmux"')).toEqual([]);
    expect(refs('libs/x/a.ts', '// docs/notes/stack.md "Jest traps"')).toEqual(['docs/notes/stack.md "Jest traps"']);
  });

  it('markdown links resolve, anchors included (GitHub slugs, repeats numbered)', () => {
    expect(refs('README.md', '[t](docs/notes/tmux.md#delivery-wait-on-the-pane-1) [b](docs/behaviour.md#74-wake-or-spawn) [d](docs/notes/)')).toEqual([]);
    expect(refs('README.md', '[t](docs/notes/tmux.md#delivery-wait-on-the-pane-2)')).toEqual(['docs/notes/tmux.md#delivery-wait-on-the-pane-2']);
    expect(refs('README.md', '[gone](docs/gone.md) [web](https://example.com/x.md) `[text](path#anchor)`')).toEqual(['docs/gone.md']);
  });

  it('the design brief is not cited by name', () => {
    expect(refs('apps/x/a.ts', '// per BEHAVIOUR §7.4')).toEqual(['BEHAVIOUR']);
    expect(refs('docs/a.md', 'measured in STACK.md')).toEqual(['STACK.md', 'STACK.md']);
  });

  it('numbers headings as written: "## 7. Lifecycle" is 7, "### 7.10 …" is 7.10', () => {
    expect(headingsOf('## 7. Lifecycle\n### 7.10 Infra\n```\n## 9. in a fence\n```\n').map((h) => h.number)).toEqual(['7', '7.10']);
  });
});

describe('tools/rewrite-doc-refs.mjs', () => {
  const script = path.join(ROOT, 'tools/rewrite-doc-refs.mjs');
  const run = (root: string, ...args: string[]) => spawnSync(process.execPath, [script, '--root', root, ...args], { encoding: 'utf8' });

  it('rewrites citations of the brief into the docs, and a second run changes nothing', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'iap-docrefs-'));
    fs.mkdirSync(path.join(root, 'libs/x'), { recursive: true });
    const file = path.join(root, 'libs/x/a.ts');
    fs.writeFileSync(file, '/** wake (BEHAVIOUR §7.4, BEHAVIOUR.md §8.2/§8.4); STACK.md "tmux"; ARCHITECTURE "owns / calls"; STYLE §4 */\n');
    expect(run(root, '--check').status).toBe(1);
    expect(run(root).stdout).toContain('rewrote libs/x/a.ts');
    const once = fs.readFileSync(file, 'utf8');
    expect(once).toBe('/** wake (docs/behaviour.md §7.4, docs/behaviour.md §8.2/§8.4); docs/notes/stack.md "tmux"; docs/architecture.md "Seams"; CONTRIBUTING.md "House style" */\n');
    expect(checkFile(diskRepo(ROOT), 'libs/x/a.ts', once)).toEqual([]);
    const again = run(root, '--check');
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('0 file(s) to rewrite');
  });
});

describe('every reference in the repository resolves inside it', () => {
  const files = scannedFiles(ROOT, SCANNED).filter((f) => !EXEMPT.has(f));
  const disk = diskRepo(ROOT);

  it('scans the code and the docs', () => {
    expect(files).toEqual(expect.arrayContaining(['README.md', 'CONTRIBUTING.md', 'docs/behaviour.md', 'docs/architecture.md']));
    expect(files.some((f) => f.startsWith('apps/') && f.endsWith('.ts'))).toBe(true);
  });

  it('has no broken § or *.md reference', () => {
    const broken = files.flatMap((f) => checkFile(disk, f, disk.read(f) ?? ''));
    expect(broken.map((b) => `${b.file}:${b.line}: ${b.ref} (${b.why})`)).toEqual([]);
  });
});
