/**
 * The host's ed25519 key (an nkey user seed, `SU…`, under state/iapeer/bridge/host.nk,
 * 0600): created on first start, it signs every message this host forwards and every
 * answer it gives. Other hosts verify with its public key (`U…`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createUser, fromPublic, fromSeed, type KeyPair } from '@nats-io/nkeys';

export interface HostKey {
  publicKey: string;
  seed: Uint8Array;
  sign(data: string): string;
}

export function loadOrCreateHostKey(file: string): HostKey {
  let pair: KeyPair;
  if (fs.existsSync(file)) {
    pair = fromSeed(new TextEncoder().encode(fs.readFileSync(file, 'utf8').trim()));
  } else {
    pair = createUser();
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // wx: two bridges racing on one root never overwrite each other's key
    fs.writeFileSync(file, new TextDecoder().decode(pair.getSeed()) + '\n', { mode: 0o600, flag: 'wx' });
  }
  const seed = pair.getSeed();
  return {
    publicKey: pair.getPublicKey(),
    seed,
    sign: (data) => Buffer.from(pair.sign(new TextEncoder().encode(data))).toString('base64'),
  };
}

/** False for a bad key, a bad signature, or any malformed input: a forgery is never an exception. */
export function verifySignature(publicKey: string, data: string, signature: string | undefined): boolean {
  if (!signature) return false;
  try {
    return fromPublic(publicKey).verify(new TextEncoder().encode(data), Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
