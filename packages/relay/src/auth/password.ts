import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt cost parameters. N must be a power of two. */
export interface ScryptParams {
  /** CPU/memory cost. @default 16384 */
  N: number;
  /** Block size. @default 8 */
  r: number;
  /** Parallelism. @default 1 */
  p: number;
}

/** The cost used for new hashes: about 16 MiB and tens of milliseconds per hash. */
export const DEFAULT_SCRYPT_PARAMS: ScryptParams = { N: 16384, r: 8, p: 1 };

const KEY_BYTES = 32;
const SALT_BYTES = 16;
// Bounds on parameters read back from a stored hash: a hash string from a config file must
// not be able to make verification allocate gigabytes or spin for minutes.
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

function derive(password: string, salt: Buffer, params: ScryptParams, keyLen: number): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    // The async form runs in the libuv pool, so a login does not stall every socket.
    scrypt(password.normalize('NFC'), salt, keyLen, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/**
 * Hash a password with scrypt, a deliberately slow key-derivation function. The result is
 * self-describing: `scrypt$N$r$p$saltB64$hashB64`.
 *
 * @example
 * const stored = await hashPassword('correct horse battery staple');
 * await verifyPassword('correct horse battery staple', stored); // true
 */
export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT_PARAMS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, params, KEY_BYTES);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

const B64 = /^[A-Za-z0-9+/]+={0,2}$/;

function parseHash(stored: string): ParsedHash | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [, n, r, p, salt, key] = parts as [string, string, string, string, string, string];
  const num = (s: string) => (/^[1-9][0-9]{0,7}$/.test(s) ? Number(s) : NaN);
  const params = { N: num(n), r: num(r), p: num(p) };
  if (!(params.N > 1 && params.N <= MAX_N && (params.N & (params.N - 1)) === 0)) return null;
  if (!(params.r >= 1 && params.r <= MAX_R && params.p >= 1 && params.p <= MAX_P)) return null;
  if (!B64.test(salt) || !B64.test(key)) return null;
  const saltBuf = Buffer.from(salt, 'base64');
  const keyBuf = Buffer.from(key, 'base64');
  if (saltBuf.length < 8 || keyBuf.length < 16 || keyBuf.length > 128) return null;
  return { params, salt: saltBuf, key: keyBuf };
}

/**
 * True when `stored` is a hash string `verifyPassword` can check (used to validate config).
 *
 * @example
 * isPasswordHash('hunter2'); // false
 */
export function isPasswordHash(stored: string): boolean {
  return parseHash(stored) !== null;
}

/**
 * Check a password against a stored hash in constant time. Fails closed: a malformed or
 * unsupported hash string verifies nothing (returns false, never throws).
 *
 * @example
 * if (!(await verifyPassword(body.password, agent.passwordHash))) return unauthorized();
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  try {
    const key = await derive(password, parsed.salt, parsed.params, parsed.key.length);
    return timingSafeEqual(key, parsed.key);
  } catch {
    return false;
  }
}
