/**
 * A line parser for tmux control mode (`tmux -C`, tmux 3.3a "CONTROL MODE"): command
 * replies come as `%begin <time> <number> <flags>` … `%end|%error <time> <number> <flags>`
 * blocks (no notification is ever sent inside a block), everything else is a
 * notification: `%output %<pane> <octal-escaped bytes>`, `%exit [reason]`,
 * `%session-changed $<id> <name>`, `%window-close @<id>`, …
 *
 * Input is bytes: `%output` carries raw bytes with only bytes < 0x20 and `\` escaped as
 * `\ooo`, so a line is decoded as UTF-8 only once it is known not to be pane output.
 */
export type ControlEvent =
  /** A command reply. `flags` is 1 for commands this client wrote, 0 for the attach itself. */
  | { kind: 'block'; time: string; number: string; flags: string; ok: boolean; lines: string[] }
  | { kind: 'output'; pane: string; data: Buffer }
  | { kind: 'exit'; reason: string }
  | { kind: 'notification'; name: string; args: string };

export class ControlParser {
  private partial: Buffer[] = [];
  private block: { time: string; number: string; flags: string; lines: string[] } | null = null;

  /** Feeds a chunk of the client's stdout; returns the events completed by it, in order. */
  push(chunk: Buffer): ControlEvent[] {
    const events: ControlEvent[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl < 0) break;
      let line = chunk.subarray(start, nl);
      if (this.partial.length > 0) {
        line = Buffer.concat([...this.partial, line]);
        this.partial = [];
      }
      const ev = this.line(line);
      if (ev) events.push(ev);
      start = nl + 1;
    }
    if (start < chunk.length) this.partial.push(Buffer.from(chunk.subarray(start)));
    return events;
  }

  private line(raw: Buffer): ControlEvent | null {
    // tmux ends control lines with LF only; a CR would only come from a pane line inside a block
    if (this.block) {
      const text = raw.toString('utf8');
      const m = /^%(end|error) (\S+) (\S+) (\S+)$/.exec(text);
      // a block ends only on the guard with its own time and number: a captured pane line
      // reading "%end …" cannot end it early
      if (m && m[2] === this.block.time && m[3] === this.block.number) {
        const b = this.block;
        this.block = null;
        return { kind: 'block', time: b.time, number: b.number, flags: b.flags, ok: m[1] === 'end', lines: b.lines };
      }
      this.block.lines.push(text);
      return null;
    }
    if (raw.length > 8 && raw.subarray(0, 8).toString('latin1') === '%output ') {
      const sp = raw.indexOf(0x20, 8);
      if (sp < 0) return { kind: 'output', pane: raw.subarray(8).toString('latin1'), data: Buffer.alloc(0) };
      return { kind: 'output', pane: raw.subarray(8, sp).toString('latin1'), data: unescapeOutput(raw.subarray(sp + 1)) };
    }
    const text = raw.toString('utf8');
    const begin = /^%begin (\S+) (\S+) (\S+)$/.exec(text);
    if (begin) {
      this.block = { time: begin[1], number: begin[2], flags: begin[3], lines: [] };
      return null;
    }
    if (text === '%exit' || text.startsWith('%exit ')) return { kind: 'exit', reason: text.slice(6) };
    const n = /^%([a-z-]+) ?(.*)$/.exec(text);
    if (n) return { kind: 'notification', name: n[1], args: n[2] };
    return null; // not a control line (e.g. a bare error text before the protocol starts)
  }
}

const isOctal = (b: number | undefined) => b !== undefined && b >= 0x30 && b <= 0x37;

/** `%output` value → the pane's bytes: `\ooo` is one byte, everything else is literal. */
export function unescapeOutput(src: Buffer): Buffer {
  const out = Buffer.allocUnsafe(src.length);
  let o = 0;
  for (let i = 0; i < src.length; i++) {
    const b = src[i];
    if (b === 0x5c && isOctal(src[i + 1]) && isOctal(src[i + 2]) && isOctal(src[i + 3])) {
      out[o++] = ((src[i + 1] - 0x30) << 6) | ((src[i + 2] - 0x30) << 3) | (src[i + 3] - 0x30);
      i += 3;
    } else {
      out[o++] = b;
    }
  }
  return out.subarray(0, o);
}

/**
 * One argument for tmux's command parser, as a control client writes it: always
 * double-quoted, with `\`, `"`, `$` (variable expansion) and control characters escaped
 * (a raw LF would end the command line). `;`, `#`, `~`, `{` and `'` are literal inside
 * double quotes. Checked byte-exact with save-buffer for quotes, `;`, unicode, tabs and
 * 46 000-character bodies.
 */
export function quoteControlArg(arg: string): string {
  let out = '"';
  for (const ch of arg) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '$') out += '\\$';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\${c.toString(8).padStart(3, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** One control-mode command line from commands given as argv arrays (`a ; b`). */
export function controlLine(...commands: string[][]): string {
  return commands.map((cmd) => cmd.map((a, i) => (i === 0 ? a : quoteControlArg(a))).join(' ')).join(' ; ');
}
