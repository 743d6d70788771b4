import { IAP_INSTRUCTION, IapeerError, MAX_TOPIC_LEN, isKnownIntelligence, normalizeIntelligence, type Intelligence } from '@iapeer/core';
import { indexOutsideCdata, readCdataRun, wrapCdata } from './cdata';

/** The fields of one IAP envelope (docs/behaviour.md §5.1). */
export interface IapEnvelope {
  fromPersonality: string;
  fromRuntime: string;
  /** Dropped by the decoder when the raw value is unknown. */
  fromIntelligence?: Intelligence | string;
  topic?: string;
  /**
   * The send's id (set for a send with an idempotency key): lets the router find a
   * message that already landed before it retries a send whose outcome it lost.
   */
  id?: string;
  attachments?: string[];
  message: string;
}

/** `&amp; &quot; &lt; &gt;` (amp first, so nothing is escaped twice). */
export function escapeAttr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function unescapeAttr(value: string): string {
  return value.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * Builds the envelope: the opening tag, the fixed instruction line, optional
 * `<attachments>`, `<message>`, `</iap>`, joined by `\n`. No CR→LF folding here (§5.2).
 */
export function encodeEnvelope(env: IapEnvelope): string {
  const attrs: [string, string][] = [
    ['from-personality', env.fromPersonality],
    ['from-runtime', env.fromRuntime],
  ];
  if (env.fromIntelligence !== undefined) attrs.push(['from-intelligence', env.fromIntelligence]);
  const topic = (env.topic ?? '').trim().slice(0, MAX_TOPIC_LEN);
  if (topic.length > 0) attrs.push(['topic', topic]);
  if (env.id !== undefined && env.id.length > 0) attrs.push(['id', env.id]);
  const lines = [`<iap ${attrs.map(([k, v]) => `${k}="${escapeAttr(v)}"`).join(' ')}>`, IAP_INSTRUCTION];
  if (env.attachments && env.attachments.length > 0) lines.push(`<attachments>${wrapCdata(env.attachments.join('\n'))}</attachments>`);
  lines.push(`<message>${wrapCdata(env.message)}</message>`, '</iap>');
  return lines.join('\n');
}

/** Parses one envelope; throws ENVELOPE_INVALID naming what is missing. */
export function decodeEnvelope(text: string): IapEnvelope {
  const start = text.indexOf('<iap ');
  if (start < 0) throw invalid('no opening <iap …> tag', text);
  const tagEnd = text.indexOf('>', start);
  if (tagEnd < 0) throw invalid('the opening <iap …> tag is not closed', text);
  const attrs = parseAttrs(text.slice(start + 5, tagEnd));
  const fromPersonality = attrs.get('from-personality');
  const fromRuntime = attrs.get('from-runtime');
  if (!fromPersonality) throw invalid('the from-personality attribute is missing', text);
  if (!fromRuntime) throw invalid('the from-runtime attribute is missing', text);
  const body = text.slice(tagEnd + 1);
  const message = readElement(body, 'message');
  if (message === null) throw invalid('the <message> element is missing', text);
  const out: IapEnvelope = { fromPersonality, fromRuntime, message };
  const intelligence = attrs.get('from-intelligence');
  if (intelligence !== undefined && isKnownIntelligence(intelligence)) out.fromIntelligence = normalizeIntelligence(intelligence);
  const topic = attrs.get('topic');
  if (topic !== undefined) out.topic = topic;
  const id = attrs.get('id');
  if (id !== undefined) out.id = id;
  const attachments = readElement(body, 'attachments');
  if (attachments !== null) {
    const list = attachments.split('\n').map((s) => s.trim()).filter(Boolean);
    if (list.length > 0) out.attachments = list;
  }
  return out;
}

function parseAttrs(src: string): Map<string, string> {
  const attrs = new Map<string, string>();
  for (const m of src.matchAll(/([a-z][a-z-]*)="([^"]*)"/g)) attrs.set(m[1], unescapeAttr(m[2]));
  return attrs;
}

/** The CDATA-aware content of `<name>…</name>` in `body`, or null when absent. */
function readElement(body: string, name: string): string | null {
  const open = indexOutsideCdata(body, `<${name}>`);
  if (open < 0) return null;
  const from = open + name.length + 2;
  const close = indexOutsideCdata(body, `</${name}>`, from);
  if (close < 0) return null;
  return readCdataRun(body.slice(from, close));
}

function invalid(what: string, text: string): IapeerError {
  return new IapeerError('ENVELOPE_INVALID', `not an IAP envelope: ${what} (got ${JSON.stringify(text.slice(0, 80))}…)`, { data: { what } });
}
