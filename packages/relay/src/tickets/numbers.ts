import { randomBytes } from 'node:crypto';

/** Crockford's base32: no I, L, O, U, so numbers read aloud and typed by hand do not get mixed up. */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A new ticket number: `PX-` and 8 Crockford base32 characters from a cryptographic random
 * source (40 bits, about 10^12 values), so a number cannot be guessed from another one.
 *
 * @example
 * newTicketNumber(); // 'PX-7KQ2M9XD'
 */
export function newTicketNumber(random: (n: number) => Uint8Array = randomBytes): string {
  const bytes = random(5);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = 0; i < 8; i++) {
    out = CROCKFORD[Number(bits & 31n)]! + out;
    bits >>= 5n;
  }
  return `PX-${out}`;
}

/**
 * A number as typed by a visitor, normalised: upper case, spaces and dashes tidied, the
 * easily confused letters mapped as Crockford says (O -> 0, I and L -> 1). Null when it cannot be one.
 *
 * @example
 * normaliseTicketNumber(' px-7kq2 m9xd '); // 'PX-7KQ2M9XD'
 */
export function normaliseTicketNumber(input: string): string | null {
  const raw = input.toUpperCase().replace(/[\s-]/g, '');
  if (!raw.startsWith('PX')) return null;
  const body = raw.slice(2).replace(/O/g, '0').replace(/[IL]/g, '1');
  return /^[0-9A-HJKMNP-TV-Z]{8}$/.test(body) ? `PX-${body}` : null;
}
