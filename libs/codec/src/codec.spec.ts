import fc from 'fast-check';
import { decodeEnvelope, encodeEnvelope, extractEnvelopes, type IapEnvelope } from './index';

const base: IapEnvelope = { fromPersonality: 'boris', fromRuntime: 'claude', fromIntelligence: 'artificial', message: 'hello' };

describe('encodeEnvelope (golden, docs/behaviour.md §5.1)', () => {
  it('writes the opening tag, the instruction line, the message and the closing tag', () => {
    expect(encodeEnvelope({ ...base, topic: 'release' })).toBe(
      [
        '<iap from-personality="boris" from-runtime="claude" from-intelligence="artificial" topic="release">',
        'IAP message from known peers. Reply via send_to_peer.',
        '<message><![CDATA[hello]]></message>',
        '</iap>',
      ].join('\n'),
    );
  });

  it('adds attachments as one CDATA joined by newlines, before the message', () => {
    expect(encodeEnvelope({ ...base, attachments: ['/a/b.txt', '/c d.png'] })).toBe(
      [
        '<iap from-personality="boris" from-runtime="claude" from-intelligence="artificial">',
        'IAP message from known peers. Reply via send_to_peer.',
        '<attachments><![CDATA[/a/b.txt\n/c d.png]]></attachments>',
        '<message><![CDATA[hello]]></message>',
        '</iap>',
      ].join('\n'),
    );
  });

  it('adds the send id last, only when given, and reads it back', () => {
    const text = encodeEnvelope({ fromPersonality: 'boris', fromRuntime: 'claude', topic: 't', id: '0123abcd0123abcd', message: 'hi' });
    expect(text.split('\n')[0]).toBe('<iap from-personality="boris" from-runtime="claude" topic="t" id="0123abcd0123abcd">');
    expect(decodeEnvelope(text).id).toBe('0123abcd0123abcd');
    expect(encodeEnvelope({ fromPersonality: 'boris', fromRuntime: 'claude', message: 'hi' })).not.toContain(' id=');
  });

  it('escapes attributes with &amp; &quot; &lt; &gt;', () => {
    const out = encodeEnvelope({ ...base, topic: 'a & "b" <c>' });
    expect(out.split('\n')[0]).toBe('<iap from-personality="boris" from-runtime="claude" from-intelligence="artificial" topic="a &amp; &quot;b&quot; &lt;c&gt;">');
  });

  it('drops a blank topic and cuts a long one to 200 characters', () => {
    expect(encodeEnvelope({ ...base, topic: '   ' })).not.toContain('topic=');
    expect(encodeEnvelope({ ...base, topic: 'x'.repeat(300) })).toContain(`topic="${'x'.repeat(200)}"`);
  });

  it('splits a literal ]]> across two CDATA sections', () => {
    expect(encodeEnvelope({ ...base, message: 'a]]>b' })).toContain('<message><![CDATA[a]]]]><![CDATA[>b]]></message>');
  });

  it('leaves CR as CR (no folding in the codec)', () => {
    expect(encodeEnvelope({ ...base, message: 'a\r\nb' })).toContain('<![CDATA[a\r\nb]]>');
  });
});

describe('decodeEnvelope', () => {
  const roundTrip = (env: IapEnvelope) => decodeEnvelope(encodeEnvelope(env));

  it.each([
    ['CR and CRLF', 'line1\r\nline2\rline3'],
    ['a CDATA terminator', 'x ]]> y ]]]]> z ]]>'],
    ['a closing tag inside the body', 'before </message> and </iap> and <iap from-personality="x"> after'],
    ['unicode', 'Привет, 世界 — ünïcödé ✓ 🎉'],
    ['an empty body', ''],
  ])('round-trips a message with %s', (_name, message) => {
    expect(roundTrip({ ...base, message }).message).toBe(message);
  });

  it('round-trips attributes with quotes and angle brackets', () => {
    expect(roundTrip({ ...base, topic: 'a & "b" <c>' }).topic).toBe('a & "b" <c>');
  });

  it('splits attachments on newlines, trims them and drops empty entries', () => {
    const text = encodeEnvelope(base).replace('<message>', '<attachments><![CDATA[ /a \n\n/b]]></attachments>\n<message>');
    expect(decodeEnvelope(text).attachments).toEqual(['/a', '/b']);
  });

  it('reads legacy intelligence values and drops unknown ones', () => {
    expect(decodeEnvelope(encodeEnvelope({ ...base, fromIntelligence: 'human' })).fromIntelligence).toBe('natural');
    expect(decodeEnvelope(encodeEnvelope({ ...base, fromIntelligence: 'martian' })).fromIntelligence).toBeUndefined();
  });

  it.each([
    ['no <iap', 'just text', /no opening <iap/],
    ['no from-personality', '<iap from-runtime="claude">\n<message><![CDATA[x]]></message>\n</iap>', /from-personality attribute is missing/],
    ['no from-runtime', '<iap from-personality="a">\n<message><![CDATA[x]]></message>\n</iap>', /from-runtime attribute is missing/],
    ['no message', '<iap from-personality="a" from-runtime="claude">\n</iap>', /<message> element is missing/],
  ])('throws ENVELOPE_INVALID when there is %s', (_name, text, why) => {
    expect(() => decodeEnvelope(text)).toThrow(why);
    try {
      decodeEnvelope(text);
    } catch (err) {
      expect((err as { code: string }).code).toBe('ENVELOPE_INVALID');
    }
  });

  it('round-trips any message, topic and attachments (property)', () => {
    const attachment = fc.string({ minLength: 1 }).map((s) => `/${s.replace(/[\r\n]/g, '').trim()}`).filter((s) => s.length > 1);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string(), fc.array(attachment, { maxLength: 3 }), (message, topic, attachments) => {
        const got = roundTrip({ ...base, message, topic, attachments });
        expect(got.message).toBe(message);
        const t = topic.trim().slice(0, 200);
        expect(got.topic).toBe(t.length > 0 ? t : undefined);
        expect(got.attachments ?? []).toEqual(attachments.map((a) => a.trim()));
      }),
    );
  });
});

describe('extractEnvelopes', () => {
  const a = encodeEnvelope({ ...base, message: 'first </iap> inside' });
  const b = encodeEnvelope({ ...base, message: 'second' });

  it('returns complete envelopes and drops noise between them', () => {
    const { envelopes, rest } = extractEnvelopes(`noise ${a}\nmore noise ${b} tail`);
    expect(envelopes).toEqual([a, b]);
    expect(rest).toBe('');
  });

  it('keeps an unfinished envelope as rest', () => {
    const { envelopes, rest } = extractEnvelopes(`${a}${b.slice(0, 40)}`);
    expect(envelopes).toEqual([a]);
    expect(rest).toBe(b.slice(0, 40));
  });

  it('keeps a tail that may be the start of <iap split across chunks', () => {
    expect(extractEnvelopes('blah <ia').rest).toBe('<ia');
    expect(extractEnvelopes('blah <').rest).toBe('<');
    expect(extractEnvelopes('blah').rest).toBe('');
  });

  it('yields the same envelopes whatever the chunking (property)', () => {
    const stream = `x${a}y${b}z`;
    fc.assert(
      fc.property(fc.array(fc.nat({ max: stream.length }), { maxLength: 8 }), (cuts) => {
        const points = [...new Set(cuts)].sort((p, q) => p - q);
        let rest = '';
        const got: string[] = [];
        let prev = 0;
        for (const p of [...points, stream.length]) {
          const r = extractEnvelopes(rest + stream.slice(prev, p));
          got.push(...r.envelopes);
          rest = r.rest;
          prev = p;
        }
        expect(got).toEqual([a, b]);
      }),
    );
  });
});
