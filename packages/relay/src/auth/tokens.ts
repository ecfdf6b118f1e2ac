import { createHash, randomBytes } from 'node:crypto';

/**
 * A new random bearer token: 32 bytes from the CSPRNG, base64url (43 characters).
 *
 * @example
 * const token = newToken(); // give to the client, keep only hashToken(token)
 */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The form a token is stored in: sha256, hex. A leaked database then holds no usable
 * tokens; tokens are high-entropy, so a fast hash is enough (unlike passwords).
 *
 * @example
 * await store.createAgentSession({ tokenHash: hashToken(token), agentId, expiresAt });
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * A short random id for records (visitors, conversations): 16 bytes, base64url, which fits
 * the protocol's id alphabet `A-Za-z0-9_-`.
 *
 * @example
 * const id = newId(); // 'q3J1...'
 */
export function newId(): string {
  return randomBytes(16).toString('base64url');
}
