import fs from 'node:fs';
import path from 'node:path';
import type { HostFacts, SupervisedPeer } from './ports';

/** One file of a prompt layer: its display path (HOME shown as `~`) and its text. */
export interface PromptBlock {
  marker: string;
  content: string;
}

export interface PeerSummary {
  personality: string;
  runtime: string;
  runtimes: string[];
  description: string;
  intelligence: string;
}

export interface PromptLayers {
  personality: string;
  description: string;
  peerCwd: string;
  facts: HostFacts;
  doctrine: PromptBlock[];
  peers: PeerSummary[];
  domain: PromptBlock[];
  fragments: PromptBlock[];
}

/** A JSON string literal byte-compatible with jq `@json`: like JSON.stringify, plus DEL escaped. */
export function jqJson(value: string): string {
  return JSON.stringify(value).replace(/\x7f/g, '\\u007f');
}

/** Strips trailing newlines; a file that is empty or only newlines yields nothing. */
function body(content: string): string {
  return content.replace(/\n+$/, '');
}

function renderBlock(b: PromptBlock): string | null {
  const text = body(b.content);
  if (text.trim() === '') return null;
  return `<!-- ${b.marker} -->\n${text}`;
}

function renderFrontMatter(l: PromptLayers): string {
  const rows: [string, string][] = [
    ['personality', l.personality],
    ['description', l.description],
    ['peer-cwd', l.peerCwd],
    ['platform', l.facts.platform],
    ['os_version', l.facts.osVersion],
    ['user', l.facts.user],
    ['hostname', l.facts.hostname],
    ['today', l.facts.today],
  ];
  return ['---', ...rows.map(([k, v]) => `${k}: ${jqJson(v)}`), '---'].join('\n');
}

function renderPeers(peers: PeerSummary[]): string {
  const sorted = [...peers].sort((a, b) => (a.personality < b.personality ? -1 : a.personality > b.personality ? 1 : 0));
  const entries = sorted.map((p) =>
    [
      p.description ? `- ${p.personality} — ${p.description}` : `- ${p.personality}`,
      `  runtime: ${p.runtime}`,
      `  runtimes: ${p.runtimes.join(', ')}`,
      `  intelligence: ${p.intelligence}`,
    ].join('\n'),
  );
  return ['## Known peers', '', ...entries].join('\n');
}

/**
 * The system prompt of §5.4: front matter, doctrine (global then local), known peers,
 * domain files, fragments; blocks joined by exactly one blank line, one trailing newline.
 */
export function composeSystemPrompt(l: PromptLayers): string {
  const blocks: string[] = [renderFrontMatter(l)];
  for (const b of l.doctrine) {
    const r = renderBlock(b);
    if (r) blocks.push(r);
  }
  blocks.push(renderPeers(l.peers));
  for (const b of [...l.domain, ...l.fragments]) {
    const r = renderBlock(b);
    if (r) blocks.push(r);
  }
  return blocks.join('\n\n') + '\n';
}

// ── reading the layers from disk ─────────────────────────────────────────────

export function displayPath(p: string, home: string): string {
  return home && (p === home || p.startsWith(home + path.sep)) ? '~' + p.slice(home.length) : p;
}

function readBlock(file: string, home: string): PromptBlock | null {
  try {
    return { marker: displayPath(file, home), content: fs.readFileSync(file, 'utf8') };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** `*.md` files directly in dir (case-insensitive), minus IAPEER.md, sorted by name. */
function markdownIn(dir: string, home: string, excludeDoctrine: boolean): PromptBlock[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw err;
  }
  return names
    .filter((n) => /\.md$/i.test(n) && !(excludeDoctrine && n.toLowerCase() === 'iapeer.md'))
    .sort()
    .map((n) => readBlock(path.join(dir, n), home))
    .filter((b): b is PromptBlock => b !== null);
}

export function toPeerSummary(p: SupervisedPeer): PeerSummary {
  return { personality: p.personality, runtime: p.default_runtime, runtimes: p.runtimes, description: p.description, intelligence: p.intelligence };
}

/**
 * Reads the layers for one peer; null means a bare session (no `<cwd>/.iapeer/IAPEER.md`).
 * `globalRoot` is the iapeer root (`~/.iapeer`), `localRoot` is `<cwd>/.iapeer`.
 */
export function gatherPromptLayers(args: { globalRoot: string; home: string; peer: SupervisedPeer; peers: SupervisedPeer[]; facts: HostFacts }): PromptLayers | null {
  const localRoot = path.join(args.peer.cwd, '.iapeer');
  const localDoctrine = path.join(localRoot, 'IAPEER.md');
  if (!fs.existsSync(localDoctrine)) return null;
  const roots = [args.globalRoot, localRoot];
  return {
    personality: args.peer.personality,
    description: args.peer.description,
    peerCwd: args.peer.cwd,
    facts: args.facts,
    doctrine: roots.map((r) => readBlock(path.join(r, 'IAPEER.md'), args.home)).filter((b): b is PromptBlock => b !== null),
    peers: args.peers.map(toPeerSummary),
    domain: roots.flatMap((r) => markdownIn(r, args.home, true)),
    fragments: roots.flatMap((r) => markdownIn(path.join(r, 'fragments'), args.home, false)),
  };
}
