export { encodeEnvelope, decodeEnvelope, escapeAttr, unescapeAttr, type IapEnvelope } from './envelope';
export { extractEnvelopes } from './extract';
export { wrapCdata } from './cdata';
