import { formatLogfmt, formatLogfmtValue } from './logfmt';
import { parseLogfmt } from './logfmt-parse';

const TS = '2026-01-02T03:04:05.678Z';

describe('logfmt formatter (docs/behaviour.md §7.9)', () => {
  it.each([
    ['bare word', 'alive', 'alive'],
    ['empty string', '', '""'],
    ['space', 'session no longer live', '"session no longer live"'],
    ['tab', 'a\tb', '"a\tb"'],
    ['newline is escaped so a line never splits', 'a\nb', '"a\\nb"'],
    ['equals sign', 'a=b', '"a=b"'],
    ['double quote', 'say "hi"', '"say \\"hi\\""'],
    ['quote without space', 'x"y', '"x\\"y"'],
    ['backslash alone stays bare', 'C:\\dir', 'C:\\dir'],
    ['backslash inside quotes is escaped', 'a \\ b', '"a \\\\ b"'],
    ['unicode', 'héllo', 'héllo'],
  ])('%s', (_what, input, expected) => {
    expect(formatLogfmtValue(input)).toBe(expected);
  });

  it('writes numbers and booleans bare', () => {
    expect(formatLogfmtValue(42)).toBe('42');
    expect(formatLogfmtValue(-1.5)).toBe('-1.5');
    expect(formatLogfmtValue(0)).toBe('0');
    expect(formatLogfmtValue(true)).toBe('true');
    expect(formatLogfmtValue(false)).toBe('false');
  });

  it('starts with ts=, keeps insertion order and skips undefined fields', () => {
    const line = formatLogfmt(TS, { ev: 'supervise', identity: 'claude-boris', action: 'reaped-gone', death: undefined, reason: 'session no longer live', outcome: 'fresh-next-msg' });
    expect(line).toBe(`ts=${TS} ev=supervise identity=claude-boris action=reaped-gone reason="session no longer live" outcome=fresh-next-msg`);
  });

  it('writes a delivery line with every kind of value', () => {
    const line = formatLogfmt(TS, { ev: 'delivery', path: 'cli', caller: 'claude-ann', to: 'boris', ok: false, woke: true, ms: 12, len: 0, topic: '', err: 'target "boris" = gone' });
    expect(line).toBe(`ts=${TS} ev=delivery path=cli caller=claude-ann to=boris ok=false woke=true ms=12 len=0 topic="" err="target \\"boris\\" = gone"`);
  });

  it('puts extra fields (repeated, dropped) last and ignores a caller ts field', () => {
    expect(formatLogfmt(TS, { ts: 'x', ev: 'wake' }, { repeated: 3 })).toBe(`ts=${TS} ev=wake repeated=3`);
  });

  it('parses back what it writes', () => {
    const fields = { ev: 'x', a: 'plain', b: '', c: 'with space', d: 'q"uo\\te', e: 'multi\nline', f: 7 };
    const back = parseLogfmt(formatLogfmt(TS, fields));
    expect(back).toEqual({ ts: TS, ev: 'x', a: 'plain', b: '', c: 'with space', d: 'q"uo\\te', e: 'multi\nline', f: '7' });
  });
});
