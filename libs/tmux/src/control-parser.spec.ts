import { ControlParser, controlLine, quoteControlArg, unescapeOutput } from './control-parser';

// Fixture: what `tmux -u -C attach` printed on tmux 3.3a for an attach, two commands, an
// error, pane output (octal escapes, raw UTF-8) and the server going away.
const FIXTURE = [
  '%begin 1796451458 266 0',
  '%end 1796451458 266 0',
  '%session-changed $0 claude-x',
  '%begin 1796451458 271 1',
  'hi',
  '%end 1796451458 270 1', // a pane line that only looks like a guard (other number)
  '%end 1796451458 271 1',
  '%output %0 abc\\015\\012caf\u00e9 \\134n\\033[1m',
  '%begin 1796451459 274 1',
  'parse error: unknown command: bogus',
  '%error 1796451459 274 1',
  '%window-renamed @0 sh[dead]',
  '%exit server exited unexpectedly',
  '',
].join('\n');

describe('ControlParser', () => {
  it('splits replies, notifications and pane output, whatever the chunking', () => {
    const whole = new ControlParser().push(Buffer.from(FIXTURE, 'utf8'));
    const bytes = Buffer.from(FIXTURE, 'utf8');
    const p = new ControlParser();
    const oneByOne = [...bytes].flatMap((b) => p.push(Buffer.from([b])));
    expect(oneByOne).toEqual(whole);
    expect(whole).toEqual([
      { kind: 'block', time: '1796451458', number: '266', flags: '0', ok: true, lines: [] },
      { kind: 'notification', name: 'session-changed', args: '$0 claude-x' },
      { kind: 'block', time: '1796451458', number: '271', flags: '1', ok: true, lines: ['hi', '%end 1796451458 270 1'] },
      { kind: 'output', pane: '%0', data: Buffer.from('abc\r\ncaf\u00e9 \\n\u001b[1m', 'utf8') },
      { kind: 'block', time: '1796451459', number: '274', flags: '1', ok: false, lines: ['parse error: unknown command: bogus'] },
      { kind: 'notification', name: 'window-renamed', args: '@0 sh[dead]' },
      { kind: 'exit', reason: 'server exited unexpectedly' },
    ]);
  });

  it('reads a bare %exit and keeps a split UTF-8 character whole', () => {
    const p = new ControlParser();
    const line = Buffer.from('%output %3 \u00fc\n%exit\n', 'utf8');
    const cut = line.indexOf(0xc3) + 1; // inside the two bytes of ü
    expect([...p.push(line.subarray(0, cut)), ...p.push(line.subarray(cut))]).toEqual([
      { kind: 'output', pane: '%3', data: Buffer.from('\u00fc', 'utf8') },
      { kind: 'exit', reason: '' },
    ]);
  });
});

describe('unescapeOutput', () => {
  it('turns \\ooo into one byte and leaves everything else (a lone backslash too)', () => {
    expect(unescapeOutput(Buffer.from('a\\134b\\012\\0x\\'))).toEqual(Buffer.from('a\\b\n\\0x\\'));
  });
});

describe('quoteControlArg / controlLine', () => {
  it('double-quotes with \\, ", $ and control characters escaped', () => {
    expect(quoteControlArg('a;b "q" \'s\' $HOME \\n\n\t\u0001 é')).toBe('"a;b \\"q\\" \'s\' \\$HOME \\\\n\\n\\t\\001 é"');
    expect(quoteControlArg('')).toBe('""');
  });
  it('joins commands with " ; " and leaves the command names bare', () => {
    expect(controlLine(['send-keys', '-t', '=x:0.0', 'a;'], ['display-message', '-p', 'ok'])).toBe('send-keys "-t" "=x:0.0" "a;" ; display-message "-p" "ok"');
  });
});
