import { describe, expect, it } from 'vitest';
import { backoffDefaults, backoffDelay } from './backoff.js';

describe('backoffDelay', () => {
  it('stays within [0, min(cap, base * 2^attempt)) with the defaults', () => {
    expect(backoffDefaults).toEqual({ baseMs: 500, capMs: 30_000 });
    const ceilings = [500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000];
    for (const [attempt, ceiling] of ceilings.entries()) {
      expect(backoffDelay(attempt, () => 0)).toBe(0);
      expect(backoffDelay(attempt, () => 0.999_999)).toBe(Math.floor(0.999_999 * ceiling));
      expect(backoffDelay(attempt, () => 0.5)).toBe(ceiling / 2);
    }
  });

  it('honours a configured base and cap', () => {
    expect(backoffDelay(0, () => 1, { baseMs: 100, capMs: 250 })).toBe(100);
    expect(backoffDelay(1, () => 1, { baseMs: 100, capMs: 250 })).toBe(200);
    expect(backoffDelay(5, () => 1, { baseMs: 100, capMs: 250 })).toBe(250);
  });

  it('never exceeds the cap, even for huge attempts or a misbehaving random', () => {
    expect(backoffDelay(10_000, () => 1)).toBe(30_000);
    expect(backoffDelay(Number.POSITIVE_INFINITY, () => 1)).toBe(30_000);
    expect(backoffDelay(3, () => 7)).toBe(4_000);
    expect(backoffDelay(3, () => -1)).toBe(0);
    expect(backoffDelay(-4, () => 1)).toBe(500);
  });

  it('spreads retries over the whole window (full jitter, not a fixed delay)', () => {
    const samples = Array.from({ length: 2_000 }, () => backoffDelay(6, Math.random));
    const buckets = new Array<number>(10).fill(0);
    for (const s of samples) buckets[Math.min(9, Math.floor(s / 3_000))]!++;
    // Uniform over 0..30 s: each 3 s bucket holds about 200 of 2000; none is empty or crowded.
    for (const b of buckets) {
      expect(b).toBeGreaterThan(120);
      expect(b).toBeLessThan(280);
    }
    expect(Math.min(...samples)).toBeLessThan(1_000);
    expect(Math.max(...samples)).toBeGreaterThan(29_000);
  });
});
