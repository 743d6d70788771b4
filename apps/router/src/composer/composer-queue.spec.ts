import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { memoryQueueFs } from '../testing/in-memory-ports';
import { ComposerQueue, type ComposerItem } from './composer-queue';
import { nodeQueueFs } from './queue-fs';

const target = (identity = 'claude-bob') => ({ personality: identity.split('-')[1], runtime: identity.split('-')[0], identity, cwd: '/peers/bob' });
const item = (id: string, extra: Partial<ComposerItem> = {}): ComposerItem => ({
  id,
  target: target(),
  envelope: `<iap>${id}</iap>`,
  sender: 'claude-alice',
  kind: 'send',
  at: 1000,
  token: 'pid:1',
  because: 'held',
  ...extra,
});

describe('ComposerQueue (pure logic over an injected fs)', () => {
  it('is FIFO per target, counts depth, lists only targets with held messages', () => {
    const files = new Map<string, string>();
    const q = new ComposerQueue('/q', memoryQueueFs(files));
    expect(q.enqueue(item('a'))).toEqual({ depth: 1, duplicate: false });
    expect(q.enqueue(item('b'))).toEqual({ depth: 2, duplicate: false });
    expect(q.enqueue(item('c', { target: target('codex-bob') }))).toEqual({ depth: 1, duplicate: false });
    expect([...files.keys()].sort()).toEqual(['/q/claude-bob/000001.json', '/q/claude-bob/000002.json', '/q/codex-bob/000001.json']);
    expect(q.identities()).toEqual(['claude-bob', 'codex-bob']);
    expect(q.head('claude-bob')?.id).toBe('a');
    q.remove(q.head('claude-bob')!);
    expect(q.head('claude-bob')?.id).toBe('b');
    // numbering continues after the last one left: the new message goes behind b
    q.enqueue(item('d'));
    expect(q.items('claude-bob').map((i) => i.id)).toEqual(['b', 'd']);
    q.remove(q.head('codex-bob')!);
    expect(q.identities()).toEqual(['claude-bob']);
    expect(q.find('d')?.target.identity).toBe('claude-bob');
    expect(q.find('a')).toBeNull();
  });

  it('a keyed send already held is not queued twice', () => {
    const q = new ComposerQueue('/q', memoryQueueFs(new Map()));
    q.enqueue(item('k1', { sendId: 'k1' }));
    expect(q.enqueue(item('k1', { sendId: 'k1', at: 2000 }))).toEqual({ depth: 1, duplicate: true });
    expect(q.items('claude-bob')).toHaveLength(1);
  });

  it('update rewrites the item in place (the attempted mark survives a restart)', () => {
    const files = new Map<string, string>();
    const q = new ComposerQueue('/q', memoryQueueFs(files));
    q.enqueue(item('a'));
    q.update({ ...q.head('claude-bob')!, attempted: true });
    expect(new ComposerQueue('/q', memoryQueueFs(files)).head('claude-bob')).toMatchObject({ id: 'a', attempted: true });
  });

  it('a file that is not a queue item is reported and set aside; the rest drains', () => {
    const files = new Map<string, string>();
    const corrupt: string[] = [];
    const q = new ComposerQueue('/q', memoryQueueFs(files), (f) => corrupt.push(f));
    q.enqueue(item('a'));
    q.enqueue(item('b'));
    files.set('/q/claude-bob/000001.json', '{"half":');
    expect(q.head('claude-bob')?.id).toBe('b');
    expect(corrupt).toEqual(['/q/claude-bob/000001.json']);
    expect(files.has('/q/claude-bob/000001.json')).toBe(false);
  });

  it('on disk: whole files 0600 in 0700 folders, stray temp files of a killed write are not items, a new process reads the same queue', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'composer-q-'));
    try {
      const q = new ComposerQueue(path.join(dir, 'composer-queue'), nodeQueueFs);
      q.enqueue(item('a'));
      // a write cut off by SIGKILL leaves its temp file beside the items
      fs.writeFileSync(path.join(dir, 'composer-queue', 'claude-bob', '.000002.json.123.x.tmp'), '{"id":');
      const again = new ComposerQueue(path.join(dir, 'composer-queue'), nodeQueueFs);
      expect(again.items('claude-bob').map((i) => i.id)).toEqual(['a']);
      expect(again.enqueue(item('b')).depth).toBe(2);
      const file = path.join(dir, 'composer-queue', 'claude-bob', '000001.json');
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
      expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ id: 'a', sender: 'claude-alice', because: 'held' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
