import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { composeSystemPrompt, gatherPromptLayers, jqJson, type PromptLayers } from './system-prompt';

const facts = { platform: 'darwin', osVersion: '15.3', user: 'ana', hostname: 'mac', today: '2026-03-01' };

describe('composeSystemPrompt (§5.4)', () => {
  it('lays out the five layers byte for byte: one blank line between blocks, one trailing newline', () => {
    const layers: PromptLayers = {
      personality: 'bob',
      description: 'reviews "code"',
      peerCwd: '/w/bob',
      facts,
      doctrine: [
        { marker: '~/.iapeer/IAPEER.md', content: 'Global rules.\n\n' },
        { marker: '/w/bob/.iapeer/IAPEER.md', content: 'Local rules.\n' },
      ],
      peers: [
        { personality: 'zed', runtime: 'codex', runtimes: ['codex'], description: 'ops', intelligence: 'artificial' },
        { personality: 'amy', runtime: 'telegram', runtimes: ['telegram'], description: '', intelligence: 'natural' },
      ],
      domain: [
        { marker: '~/.iapeer/style.md', content: 'Style.\n' },
        { marker: '/w/bob/.iapeer/empty.md', content: '\n\n' },
      ],
      fragments: [{ marker: '/w/bob/.iapeer/fragments/a.md', content: 'Frag A' }],
    };
    expect(composeSystemPrompt(layers)).toBe(
      [
        '---',
        'personality: "bob"',
        'description: "reviews \\"code\\""',
        'peer-cwd: "/w/bob"',
        'platform: "darwin"',
        'os_version: "15.3"',
        'user: "ana"',
        'hostname: "mac"',
        'today: "2026-03-01"',
        '---',
        '',
        '<!-- ~/.iapeer/IAPEER.md -->',
        'Global rules.',
        '',
        '<!-- /w/bob/.iapeer/IAPEER.md -->',
        'Local rules.',
        '',
        '## Known peers',
        '',
        '- amy',
        '  runtime: telegram',
        '  runtimes: telegram',
        '  intelligence: natural',
        '- zed — ops',
        '  runtime: codex',
        '  runtimes: codex',
        '  intelligence: artificial',
        '',
        '<!-- ~/.iapeer/style.md -->',
        'Style.',
        '',
        '<!-- /w/bob/.iapeer/fragments/a.md -->',
        'Frag A',
        '',
      ].join('\n'),
    );
  });

  it('front-matter values are jq @json literals: control chars, NUL and DEL escaped', () => {
    expect(jqJson('a\u0000b\u007fc\nd\te')).toBe('"a\\u0000b\\u007fc\\nd\\te"');
  });
});

describe('gatherPromptLayers', () => {
  const mk = () => fs.mkdtempSync(path.join(os.tmpdir(), 'iap-prompt-'));
  const peer = (cwd: string) => ({ personality: 'bob', default_runtime: 'claude', runtimes: ['claude'], cwd, description: 'd', intelligence: 'artificial' as const });

  it('is null (a bare session) without <cwd>/.iapeer/IAPEER.md, even with a global one', () => {
    const home = mk();
    const root = path.join(home, '.iapeer');
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, 'IAPEER.md'), 'g');
    const cwd = path.join(home, 'bob');
    fs.mkdirSync(cwd);
    expect(gatherPromptLayers({ globalRoot: root, home, peer: peer(cwd), peers: [], facts })).toBeNull();
  });

  it('reads doctrine, domain files (not IAPEER.md, any case) and fragments, sorted, global half first, HOME as ~', () => {
    const home = mk();
    const root = path.join(home, '.iapeer');
    const cwd = path.join(home, 'bob');
    const local = path.join(cwd, '.iapeer');
    for (const d of [path.join(root, 'fragments'), path.join(local, 'fragments')]) fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(path.join(root, 'IAPEER.md'), 'G');
    fs.writeFileSync(path.join(local, 'iapeer.MD'), 'not doctrine on a case-sensitive fs');
    fs.writeFileSync(path.join(local, 'IAPEER.md'), 'L');
    fs.writeFileSync(path.join(root, 'b.md'), 'gb');
    fs.writeFileSync(path.join(root, 'a.MD'), 'ga');
    fs.writeFileSync(path.join(root, 'notes.txt'), 'skip');
    fs.writeFileSync(path.join(local, 'z.md'), 'lz');
    fs.writeFileSync(path.join(root, 'fragments', 'f.md'), 'gf');
    fs.writeFileSync(path.join(local, 'fragments', 'e.md'), 'le');
    const l = gatherPromptLayers({ globalRoot: root, home, peer: peer(cwd), peers: [peer(cwd)], facts })!;
    expect(l.doctrine.map((b) => b.marker)).toEqual(['~/.iapeer/IAPEER.md', '~/bob/.iapeer/IAPEER.md']);
    expect(l.domain.map((b) => b.marker)).toEqual(['~/.iapeer/a.MD', '~/.iapeer/b.md', '~/bob/.iapeer/z.md']);
    expect(l.fragments.map((b) => b.marker)).toEqual(['~/.iapeer/fragments/f.md', '~/bob/.iapeer/fragments/e.md']);
    expect(l.peers).toEqual([{ personality: 'bob', runtime: 'claude', runtimes: ['claude'], description: 'd', intelligence: 'artificial' }]);
  });
});
