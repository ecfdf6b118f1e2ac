import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PREVIEW_CHARS, previewOf } from './types.js';

/** The plain definition: collapse whitespace, trim, cut by code points. previewOf must agree. */
function reference(text: string): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  return chars.length <= PREVIEW_CHARS ? chars.join('') : chars.slice(0, PREVIEW_CHARS - 1).join('') + '…';
}

describe('previewOf', () => {
  it('collapses whitespace and cuts long texts by code points', () => {
    expect(previewOf('Where  is\nmy deposit? ')).toBe('Where is my deposit?');
    expect(previewOf('\tok')).toBe('ok');
    const emoji = '😀'.repeat(PREVIEW_CHARS);
    expect(previewOf(emoji)).toBe(emoji);
    expect(previewOf(emoji + 'x')).toBe('😀'.repeat(PREVIEW_CHARS - 1) + '…');
    expect(previewOf('a'.repeat(PREVIEW_CHARS + 1))).toBe('a'.repeat(PREVIEW_CHARS - 1) + '…');
  });

  it('agrees with the plain definition on any text', () => {
    const piece = fc.constantFrom('a', 'é', ' ', '  ', '\n', '\t', '\u00a0', '😀', '提', 'ё', '\u2028');
    const text = fc.array(piece, { maxLength: 2 * PREVIEW_CHARS + 10 }).map((parts) => parts.join(''));
    fc.assert(fc.property(fc.oneof(text, fc.string({ unit: 'grapheme', maxLength: 300 })), (t) => previewOf(t) === reference(t)), { numRuns: 2000 });
  });
});
