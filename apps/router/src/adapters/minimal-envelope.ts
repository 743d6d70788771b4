/**
 * TEMPORARY — replace with `buildEnvelope` from @iapeer/codec at merge (branch `tmux`).
 * A minimal BEHAVIOUR §5.1 encoder so the router can run before the codec lands;
 * it lives behind the EnvelopeBuilder port, so the swap is one line in service.ts.
 */
import { IAP_INSTRUCTION, MAX_TOPIC_LEN } from '@iapeer/core';
import type { EnvelopeBuilder, EnvelopeInput } from '../ports';

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const cdata = (s: string) => `<![CDATA[${s.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;

export function buildMinimalEnvelope(input: EnvelopeInput): string {
  const attrs = [
    `from-personality="${escapeAttr(input.fromPersonality)}"`,
    `from-runtime="${escapeAttr(input.fromRuntime)}"`,
    `from-intelligence="${escapeAttr(input.fromIntelligence)}"`,
  ];
  const topic = input.topic?.trim().slice(0, MAX_TOPIC_LEN);
  if (topic) attrs.push(`topic="${escapeAttr(topic)}"`);
  const lines = [`<iap ${attrs.join(' ')}>`, IAP_INSTRUCTION];
  if (input.attachments?.length) lines.push(`<attachments>${cdata(input.attachments.join('\n'))}</attachments>`);
  lines.push(`<message>${cdata(input.message)}</message>`, '</iap>');
  return lines.join('\n');
}

export const minimalEnvelopeBuilder: EnvelopeBuilder = { build: buildMinimalEnvelope };
