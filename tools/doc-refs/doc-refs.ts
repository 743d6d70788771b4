/**
 * Finds the references the repository's text makes to its own documents and says which
 * ones do not resolve. The conventions (also in CONTRIBUTING.md "Citing the docs"):
 * - `§7.4` cites a numbered heading (`## 7. …`, `### 7.4 …`). It belongs to the
 *   `*.md` named right before it (`docs/notes/stack.md §2`, `docs/behaviour.md §8.2/§8.4`);
 *   a `§` with no document right before it cites docs/behaviour.md.
 * - `docs/notes/tmux.md`, `README.md`: a path relative to the citing file's folder or
 *   to the repository root. In code only comment lines are read (string literals are
 *   data: a fixture may name `TODO.md`); paths into a peer folder (`<cwd>/.iapeer/IAPEER.md`)
 *   and the product's own file names (IAPEER.md, CLAUDE.md, AGENTS.md) are not citations.
 * - `docs/architecture.md "Runtimes"`: the quoted text must be part of a heading of that file.
 * - Markdown links `[x](path#anchor)`: the path must exist and the anchor must be a
 *   heading's GitHub slug.
 * - The design brief's document names (upper-case BEHAVIOUR, ARCHITECTURE, STACK, STYLE)
 *   must not appear at all: what they held lives in docs/.
 */
import fs from 'node:fs';
import path from 'node:path';

export const DEFAULT_SECTION_DOC = 'docs/behaviour.md';

/** File names a peer folder or an agent owns: text may name them without citing a repo doc. */
const PRODUCT_FILE_NAMES = new Set(['IAPEER.md', 'CLAUDE.md', 'AGENTS.md']);
const REPO_DIRS = new Set(['docs', 'bench', 'apps', 'libs', 'tools', '.', '..']);
const BRIEF_NAMES = /\b(BEHAVIOUR|ARCHITECTURE|STACK|STYLE)(\.md)?\b/;

export interface BrokenRef {
  file: string;
  line: number;
  ref: string;
  why: string;
}

/** Read access to the repository, so the resolver can run on fixture text. */
export interface RepoFiles {
  exists(relPath: string): boolean;
  read(relPath: string): string | undefined;
}

export function diskRepo(root: string): RepoFiles {
  return {
    exists: (p) => fs.existsSync(path.join(root, p)),
    read: (p) => {
      const abs = path.join(root, p);
      return fs.existsSync(abs) && fs.statSync(abs).isFile() ? fs.readFileSync(abs, 'utf8') : undefined;
    },
  };
}

interface Heading {
  text: string;
  number?: string;
  slug: string;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes, -1 -2 for repeats. */
export function headingsOf(markdown: string): Heading[] {
  const seen = new Map<string, number>();
  const out: Heading[] = [];
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) continue;
    const m = /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const text = m[1];
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    const number = /^(\d+(?:\.\d+)*)(?:[.\s]|$)/.exec(text)?.[1];
    out.push({ text, number, slug: n === 0 ? base : `${base}-${n}` });
  }
  return out;
}

/** The lines worth reading for file citations: all of a markdown file outside fences, comments of code. */
function citationLines(file: string, text: string): Array<[number, string]> {
  const lines = text.split('\n');
  const out: Array<[number, string]> = [];
  if (file.endsWith('.md')) {
    let fenced = false;
    lines.forEach((l, i) => {
      if (/^\s*(```|~~~)/.test(l)) fenced = !fenced;
      else if (!fenced) out.push([i + 1, l]);
    });
    return out;
  }
  lines.forEach((l, i) => {
    const t = l.trimStart();
    if (/^(\*|\/\/|\/\*|#)/.test(t)) out.push([i + 1, l]);
    else {
      const at = l.indexOf(' // ');
      if (at >= 0) out.push([i + 1, l.slice(at)]);
    }
  });
  return out;
}

const MD_MENTION = /(?<![\w<>{}*./$-])((?:\.\.?\/)*(?:[\w.-]+\/)*[\w.-]*\w\.md)\b(?![\w/-])/g;
const SECTION = /§\s?(\d+(?:\.\d+)*)/g;
const QUOTED_HEADING = /([\w./-]+\.md)\s+"([^"\n]+)"/g;
const MD_LINK = /\[[^\]\n]*\]\(([^)\s]+)\)/g;

/** Whether a `*.md` mention names a repository document (and so must resolve). */
function isCitation(mention: string): boolean {
  if (/^\.[^./]/.test(mention)) return false; // a suffix or a hidden file (`.system-prompt.md`), not a document
  if (mention.includes('/')) return REPO_DIRS.has(mention.split('/')[0]);
  return !PRODUCT_FILE_NAMES.has(mention);
}

/** The repository path a mention resolves to: beside the citing file, else from the root. */
function resolvePath(repo: RepoFiles, fromFile: string, mention: string): string | undefined {
  const beside = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), mention));
  if (!beside.startsWith('..') && repo.exists(beside)) return beside;
  const fromRoot = path.posix.normalize(mention);
  if (!fromRoot.startsWith('..') && repo.exists(fromRoot)) return fromRoot;
  return undefined;
}

/** The document a `§` at `index` of `line` cites: the `*.md` right before it (past other `§`s), else the default. */
function sectionDoc(line: string, index: number): string | undefined {
  let before = line.slice(0, index);
  for (;;) {
    const trimmed = before.replace(/(\s|,|\/|&|\band\b|\bor\b)+$/, '');
    const prev = /§\s?\d+(?:\.\d+)*$/.exec(trimmed);
    if (!prev) {
      before = trimmed;
      break;
    }
    before = trimmed.slice(0, prev.index);
  }
  return /([\w./-]+\.md)$/.exec(before)?.[1];
}

export function checkFile(repo: RepoFiles, file: string, text: string): BrokenRef[] {
  const broken: BrokenRef[] = [];
  const headingCache = new Map<string, Heading[]>();
  const headings = (doc: string): Heading[] => {
    if (!headingCache.has(doc)) headingCache.set(doc, headingsOf(repo.read(doc) ?? ''));
    return headingCache.get(doc)!;
  };
  const all = text.split('\n');

  all.forEach((line, i) => {
    const brief = BRIEF_NAMES.exec(line);
    if (brief) broken.push({ file, line: i + 1, ref: brief[0], why: 'names a document of the design brief, which is not in the repository' });
    for (const m of line.matchAll(SECTION)) {
      const named = sectionDoc(line, m.index!);
      const doc = named ? resolvePath(repo, file, named) : DEFAULT_SECTION_DOC;
      if (!doc) {
        broken.push({ file, line: i + 1, ref: `${named} §${m[1]}`, why: `no file ${named}` });
      } else if (!headings(doc).some((h) => h.number === m[1])) {
        broken.push({ file, line: i + 1, ref: `§${m[1]}`, why: `${doc} has no heading numbered ${m[1]}` });
      }
    }
  });

  for (const [n, line] of citationLines(file, text)) {
    const prose = line.replace(MD_LINK, (s) => s.replace(/\]\([^)]*\)/, ']()')); // links are checked below
    for (const m of prose.matchAll(MD_MENTION)) {
      if (!isCitation(m[1])) continue;
      if (!resolvePath(repo, file, m[1])) broken.push({ file, line: n, ref: m[1], why: 'no such file beside it or at the repository root' });
    }
    for (const m of prose.matchAll(QUOTED_HEADING)) {
      const doc = resolvePath(repo, file, m[1]);
      if (!doc) continue; // already reported as a missing file
      const want = m[2].toLowerCase();
      if (!headings(doc).some((h) => h.text.toLowerCase().includes(want))) {
        broken.push({ file, line: n, ref: `${m[1]} "${m[2]}"`, why: `${doc} has no heading containing "${m[2]}"` });
      }
    }
    if (!file.endsWith('.md')) continue;
    // a link inside a code span is an example, not a link
    for (const m of line.replace(/`[^`]*`/g, '').matchAll(MD_LINK)) {
      const target = m[1];
      if (/^[a-z]+:/i.test(target)) continue;
      const [p, anchor] = target.split('#');
      const doc = p === '' ? file : resolvePath(repo, file, p.replace(/\/$/, '') || '.');
      if (!doc) {
        broken.push({ file, line: n, ref: target, why: 'link to a missing file' });
      } else if (anchor !== undefined && !headings(doc).some((h) => h.slug === anchor)) {
        broken.push({ file, line: n, ref: target, why: `${doc} has no heading with the anchor #${anchor}` });
      }
    }
  }
  return broken;
}

const SCANNED_EXT = /\.(ts|tsx|js|mjs|cjs|md|sh)$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'tmp', 'coverage', '.git']);

/** Every text file the reference rule covers, repository-relative. */
export function scannedFiles(root: string, tops: string[]): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    const abs = path.join(root, rel);
    if (fs.statSync(abs).isFile()) {
      if (SCANNED_EXT.test(rel)) out.push(rel);
      return;
    }
    for (const e of fs.readdirSync(abs)) if (!SKIPPED_DIRS.has(e)) walk(path.posix.join(rel, e));
  };
  for (const t of tops) if (fs.existsSync(path.join(root, t))) walk(t);
  return out.sort();
}
