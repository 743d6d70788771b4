import { encodeEnvelope } from '@iapeer/codec';
import type { EnvelopeBuilder } from '../ports';

/** The IAP envelope of docs/behaviour.md §5.1, built once per send (libs/codec). */
export const codecEnvelopeBuilder: EnvelopeBuilder = {
  build: (input) =>
    encodeEnvelope({
      fromPersonality: input.fromPersonality,
      fromRuntime: input.fromRuntime,
      fromIntelligence: input.fromIntelligence,
      topic: input.topic,
      attachments: input.attachments,
      message: input.message,
      id: input.id,
    }),
};
