import type { PlistDict, PlistValue } from './plist-xml';

/**
 * A strict reader of XML property lists, checked against the structure of Apple's
 * PropertyList-1.0 DTD: the XML declaration, the plist DOCTYPE, `<plist version="1.0">`
 * holding exactly one value, dicts as strict key/value alternation with unique keys,
 * and only the DTD's value elements. Used where `plutil -lint` is not available (Linux).
 * Returns the parsed value or throws with the offset of the first problem.
 */
export function lintPlist(xml: string): PlistValue {
  const p = new Reader(xml);
  p.expectLiteral('<?xml version="1.0" encoding="UTF-8"?>');
  p.skipSpace();
  if (p.peekLiteral('<!DOCTYPE')) {
    p.expectLiteral('<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">');
    p.skipSpace();
  }
  p.expectLiteral('<plist version="1.0">');
  const value = p.readValue();
  p.skipSpace();
  p.expectLiteral('</plist>');
  p.skipSpace();
  if (!p.atEnd()) p.fail('content after </plist>');
  return value;
}

const TEXT_ELEMENTS = new Set(['string', 'integer', 'real', 'date', 'data']);
const FORBIDDEN_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

class Reader {
  private i = 0;
  constructor(private readonly s: string) {}

  fail(msg: string): never {
    throw new Error(`invalid plist at offset ${this.i} (${JSON.stringify(this.s.slice(this.i, this.i + 40))}): ${msg}`);
  }
  atEnd() {
    return this.i >= this.s.length;
  }
  skipSpace() {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }
  peekLiteral(lit: string) {
    return this.s.startsWith(lit, this.i);
  }
  expectLiteral(lit: string) {
    if (!this.peekLiteral(lit)) this.fail(`expected ${lit}`);
    this.i += lit.length;
  }

  /** Reads `<name>`, `<name/>` or `</name>` (no attributes inside plist values). */
  private readTag(): { name: string; closing: boolean; empty: boolean } {
    this.skipSpace();
    const m = /^<(\/?)([a-z]+)\s*(\/?)>/.exec(this.s.slice(this.i, this.i + 64));
    if (!m) this.fail('expected a tag');
    this.i += m[0].length;
    return { name: m[2], closing: m[1] === '/', empty: m[3] === '/' };
  }

  private readText(element: string): string {
    const end = this.s.indexOf('</', this.i);
    if (end < 0) this.fail(`unterminated <${element}>`);
    const raw = this.s.slice(this.i, end);
    if (raw.includes('<')) this.fail(`markup inside <${element}>`);
    if (FORBIDDEN_CHARS.test(raw)) this.fail(`control character inside <${element}>`);
    const text = raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);|&/g, (all, ent: string | undefined) => {
      if (ent === undefined) this.fail('bare & (must be &amp;)');
      if (ent.startsWith('#x')) return String.fromCodePoint(parseInt(ent.slice(2), 16));
      if (ent.startsWith('#')) return String.fromCodePoint(parseInt(ent.slice(1), 10));
      const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
      if (!(ent in named)) this.fail(`unknown entity &${ent};`);
      return named[ent];
    });
    this.i = end;
    this.expectLiteral(`</${element}>`);
    return text;
  }

  readValue(): PlistValue {
    const tag = this.readTag();
    if (tag.closing) this.fail(`unexpected </${tag.name}>`);
    switch (tag.name) {
      case 'true':
      case 'false':
        if (!tag.empty) this.fail(`<${tag.name}> must be empty (<${tag.name}/>)`);
        return tag.name === 'true';
      case 'dict':
        return tag.empty ? {} : this.readDictBody();
      case 'array':
        return tag.empty ? [] : this.readArrayBody();
      default:
        if (!TEXT_ELEMENTS.has(tag.name)) this.fail(`<${tag.name}> is not a plist value element`);
        if (tag.empty) return tag.name === 'string' || tag.name === 'data' ? '' : this.fail(`<${tag.name}/> needs content`);
        return this.readScalar(tag.name);
    }
  }

  private readScalar(name: string): PlistValue {
    const text = this.readText(name);
    if (name === 'integer') {
      if (!/^[+-]?[0-9]+$/.test(text)) this.fail(`<integer>${text}</integer> is not an integer`);
      return Number(text);
    }
    if (name === 'real' && !/^[+-]?([0-9]*\.)?[0-9]+([eE][+-]?[0-9]+)?$/.test(text)) this.fail(`bad <real>`);
    if (name === 'date' && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(text)) this.fail('bad <date>');
    return text;
  }

  private readDictBody(): PlistDict {
    const out: PlistDict = {};
    for (;;) {
      this.skipSpace();
      if (this.peekLiteral('</dict>')) {
        this.i += '</dict>'.length;
        return out;
      }
      const key = this.readTag();
      if (key.closing || key.empty || key.name !== 'key') this.fail('a dict holds <key> then a value, alternating');
      const name = this.readText('key');
      if (Object.prototype.hasOwnProperty.call(out, name)) this.fail(`duplicate key ${name}`);
      this.skipSpace();
      if (this.peekLiteral('</dict>') || this.peekLiteral('<key>')) this.fail(`key ${name} has no value`);
      out[name] = this.readValue();
    }
  }

  private readArrayBody(): PlistValue[] {
    const out: PlistValue[] = [];
    for (;;) {
      this.skipSpace();
      if (this.peekLiteral('</array>')) {
        this.i += '</array>'.length;
        return out;
      }
      out.push(this.readValue());
    }
  }
}
