/**
 * Short example strings a JavaScript regular expression matches, for judging manifest
 * patterns at load (manifest-patterns.ts). Covers the syntax manifests use: literals,
 * escapes, classes, `.`, groups, alternation, quantifiers and anchors. Every
 * alternative is taken, and each quantifier its minimum and one more, so the examples
 * are the pattern's shortest shapes. Anything else (backreferences, `\p{…}`, a class
 * it cannot read) makes it give up: `null`, "cannot tell". Callers keep only the
 * examples the real RegExp matches (anchors and lookarounds are not simulated here).
 */

const MAX_EXAMPLES = 256;

class GiveUp extends Error {}

/** null when the pattern uses syntax this does not follow, or has too many shapes to list. */
export function patternExamples(source: string): string[] | null {
  try {
    const p = new Parser(source);
    const out = p.alternation();
    if (p.i < source.length) return null;
    return out;
  } catch (err) {
    if (err instanceof GiveUp) return null;
    throw err;
  }
}

/** Up to two members of a character class: a non-whitespace one and a whitespace one. */
const CANDIDATES = ['a', 'A', '0', '_', '-', '.', '❯', '>', '$', ' ', '\t', '\n'];
function classMembers(body: string): string[] {
  let re: RegExp;
  try {
    re = new RegExp(`^[${body}]$`);
  } catch {
    throw new GiveUp();
  }
  const literal = [...body.replace(/\\./g, '')].filter((c) => c !== '^' && c !== '-' && c !== ']');
  const members = [...new Set([...CANDIDATES, ...literal])].filter((c) => re.test(c));
  const solid = members.find((c) => /\S/.test(c));
  const space = members.find((c) => /\s/.test(c));
  const picked = [solid, space].filter((c): c is string => c !== undefined);
  if (picked.length === 0) throw new GiveUp();
  return picked;
}

function product(a: string[], b: string[]): string[] {
  const out: string[] = [];
  for (const x of a) for (const y of b) out.push(x + y);
  if (out.length > MAX_EXAMPLES) throw new GiveUp();
  return out;
}

function repeat(options: string[], min: number, max: number): string[] {
  const counts = [min, Math.min(max, min + 1)].filter((n, i, all) => all.indexOf(n) === i);
  const out: string[] = [];
  for (const n of counts) {
    let acc = [''];
    for (let k = 0; k < n; k++) acc = product(acc, options);
    out.push(...acc);
  }
  return [...new Set(out)];
}

const ESCAPES: Record<string, string[]> = {
  d: ['0'],
  D: ['a'],
  w: ['a'],
  W: ['-', ' '],
  s: [' ', '\n'],
  S: ['a'],
  n: ['\n'],
  t: ['\t'],
  r: ['\r'],
  f: ['\f'],
  v: ['\v'],
  '0': ['\0'],
};

class Parser {
  i = 0;
  constructor(private readonly s: string) {}

  alternation(): string[] {
    const out = [...this.sequence()];
    while (this.s[this.i] === '|') {
      this.i++;
      out.push(...this.sequence());
      if (out.length > MAX_EXAMPLES) throw new GiveUp();
    }
    return [...new Set(out)];
  }

  private sequence(): string[] {
    let acc = [''];
    while (this.i < this.s.length && this.s[this.i] !== '|' && this.s[this.i] !== ')') {
      const atom = this.atom();
      acc = product(acc, this.quantified(atom));
    }
    return acc;
  }

  private quantified(atom: string[]): string[] {
    const c = this.s[this.i];
    let range: [number, number] | null = null;
    if (c === '*') range = [0, Infinity];
    else if (c === '+') range = [1, Infinity];
    else if (c === '?') range = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.s.slice(this.i));
      if (m) {
        const min = Number(m[1]);
        range = [min, m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3])];
        this.i += m[0].length - 1;
      }
    }
    if (!range) return atom;
    this.i++;
    if (this.s[this.i] === '?') this.i++; // lazy: the same strings
    return repeat(atom, range[0], range[1]);
  }

  private atom(): string[] {
    const c = this.s[this.i++];
    if (c === '^' || c === '$') return [''];
    if (c === '.') return ['a'];
    if (c === '\\') return this.escape();
    if (c === '[') return this.charClass();
    if (c === '(') return this.group();
    return [c];
  }

  private escape(): string[] {
    const c = this.s[this.i++];
    if (c === undefined) throw new GiveUp();
    if (c === 'b' || c === 'B') return [''];
    if (c in ESCAPES) return ESCAPES[c];
    const hex = /^(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4})/.exec(this.s.slice(this.i - 1));
    if (hex) {
      this.i += hex[0].length - 1;
      return [String.fromCharCode(parseInt(hex[0].slice(1), 16))];
    }
    // backreferences, \p{…}, \c, \k<…>: not followed
    if (/[1-9pPkcux]/.test(c)) throw new GiveUp();
    return [c];
  }

  private charClass(): string[] {
    const start = this.i;
    let j = this.i;
    if (this.s[j] === '^') j++;
    if (this.s[j] === ']') j++; // a leading ] is a literal
    while (j < this.s.length && this.s[j] !== ']') j += this.s[j] === '\\' ? 2 : 1;
    if (j >= this.s.length) throw new GiveUp();
    this.i = j + 1;
    return classMembers(this.s.slice(start, j));
  }

  private group(): string[] {
    let lookaround = false;
    if (this.s[this.i] === '?') {
      const head = this.s.slice(this.i, this.i + 3);
      if (head.startsWith('?:')) this.i += 2;
      else if (/^\?[=!]/.test(head) || /^\?<[=!]/.test(head)) {
        lookaround = true;
        this.i += head.startsWith('?<') ? 3 : 2;
      } else if (head.startsWith('?<')) {
        const end = this.s.indexOf('>', this.i);
        if (end < 0) throw new GiveUp();
        this.i = end + 1;
      } else throw new GiveUp();
    }
    const inner = this.alternation();
    if (this.s[this.i] !== ')') throw new GiveUp();
    this.i++;
    // a lookaround consumes nothing; whether it holds is left to the real RegExp
    return lookaround ? [''] : inner;
  }
}
