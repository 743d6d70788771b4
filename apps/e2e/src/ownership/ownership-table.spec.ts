import { allowed, canonicalPath, ownerOf, parseOwnershipTable, patternRegex } from './ownership-table';

// The matcher the file-ownership e2e judges with: patterns, first match, temp files, scaffold.
describe('ownership table matching', () => {
  const md = [
    '# t',
    '',
    '## File ownership',
    '',
    '| path | writer | what it is |',
    '|---|---|---|',
    '| `<root>/state/lifecycle/` | `scaffold` | |',
    '| `<root>/state/lifecycle/<identity>.*` | `supervisor` | markers |',
    '| `<root>/runtimes/demo/**` | `cli` | demo |',
    '| `<root>/runtimes/**` | `operator` | manifests |',
    '| `<root>/state/iapeer/service-manager.journal` | `cli` `supervisor` | sandbox |',
    '| `<cwd>/.mcp.json` | `cli` | mcp |',
    '| `<cwd>/**` | `agent` | the rest |',
    '',
    '## Next',
    '| `<root>/ignored` | `logd` | after the section |',
  ].join('\n');
  const rows = parseOwnershipTable(md);
  const scope = { root: '/r', peerFolders: ['/w/dave'] };
  const w = (proc: string, op: string, path: string) => ({ proc, pid: 1, op, path });

  it('parses the section only, with every writer of a row', () => {
    expect(rows.map((r) => r.pattern)).not.toContain('<root>/ignored');
    expect(rows.find((r) => r.pattern.endsWith('journal'))?.writers).toEqual(['cli', 'supervisor']);
    expect(() => parseOwnershipTable('# nothing')).toThrow(/no "## File ownership" section/);
  });

  it('<x> and * are one segment, dir/** includes dir, a trailing / is the directory itself', () => {
    expect(patternRegex('<root>/state/lifecycle/<identity>.*', { root: '/r' })!.test('/r/state/lifecycle/fake-a.session')).toBe(true);
    expect(patternRegex('<root>/state/lifecycle/<identity>.*', { root: '/r' })!.test('/r/state/lifecycle/x/fake-a.session')).toBe(false);
    expect(patternRegex('<root>/runtimes/demo/**', { root: '/r' })!.test('/r/runtimes/demo')).toBe(true);
    expect(patternRegex('<root>/runtimes/demo/**', { root: '/r' })!.test('/r/runtimes/demox')).toBe(false);
    expect(patternRegex('<root>/state/lifecycle/', { root: '/r' })!.test('/r/state/lifecycle')).toBe(true);
    expect(patternRegex('<cwd>/.mcp.json', { root: '/r' })).toBeNull();
  });

  it('the first matching row wins; peer-folder rows bind to the folder; temp files stand for their target', () => {
    expect(ownerOf(rows, '/r/runtimes/demo/runtime.json', scope)?.writers).toEqual(['cli']);
    expect(ownerOf(rows, '/r/runtimes/fake/runtime.json', scope)?.writers).toEqual(['operator']);
    expect(ownerOf(rows, '/w/dave/.mcp.json', scope)?.writers).toEqual(['cli']);
    expect(ownerOf(rows, '/w/dave/transcript.jsonl', scope)?.writers).toEqual(['agent']);
    expect(ownerOf(rows, '/r/unknown', scope)).toBeNull();
    expect(canonicalPath('/w/dave/..mcp.json.123.0f0e8a52-6b8d-4b0a-9c1e-1a2b3c4d5e6f.tmp')).toBe('/w/dave/.mcp.json');
    expect(canonicalPath('/r/logs/iapeer/.lifecycle.log.pos.tmp')).toBe('/r/logs/iapeer/.lifecycle.log.pos.tmp');
  });

  it('scaffold allows any service or the CLI to make the directory, never to write in its place', () => {
    const dir = ownerOf(rows, '/r/state/lifecycle', scope)!;
    expect(allowed(dir, w('router', 'mkdir', '/r/state/lifecycle'))).toBe(true);
    expect(allowed(dir, w('router', 'remove', '/r/state/lifecycle'))).toBe(false);
    expect(allowed(dir, w('agent', 'mkdir', '/r/state/lifecycle'))).toBe(false);
    const marker = ownerOf(rows, '/r/state/lifecycle/fake-a.stopped', scope)!;
    expect(allowed(marker, w('supervisor', 'remove', '/r/state/lifecycle/fake-a.stopped'))).toBe(true);
    expect(allowed(marker, w('cli', 'remove', '/r/state/lifecycle/fake-a.stopped'))).toBe(false);
  });
});
