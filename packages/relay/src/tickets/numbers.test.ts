import { describe, expect, it } from 'vitest';
import { newTicketNumber, normaliseTicketNumber } from './numbers.js';

describe('ticket numbers', () => {
  it('are PX- and 8 Crockford base32 characters, from 40 random bits', () => {
    expect(newTicketNumber(() => new Uint8Array([0, 0, 0, 0, 0]))).toBe('PX-00000000');
    expect(newTicketNumber(() => new Uint8Array([255, 255, 255, 255, 255]))).toBe('PX-ZZZZZZZZ');
    const seen = new Set(Array.from({ length: 2000 }, () => newTicketNumber()));
    expect(seen.size).toBe(2000);
    for (const n of seen) expect(n).toMatch(/^PX-[0-9A-HJKMNP-TV-Z]{8}$/);
  });

  it('normalises what a visitor types, and refuses what cannot be a number', () => {
    expect(normaliseTicketNumber(' px-7kq2 m9xd ')).toBe('PX-7KQ2M9XD');
    expect(normaliseTicketNumber('PX-0O1IL000')).toBe('PX-00111000');
    expect(normaliseTicketNumber('PX-7KQ2M9X')).toBeNull();
    expect(normaliseTicketNumber('AB-7KQ2M9XD')).toBeNull();
    expect(normaliseTicketNumber('PX-7KQ2M9XU')).toBeNull(); // U is not in the alphabet
    expect(normaliseTicketNumber('../../etc')).toBeNull();
  });
});
