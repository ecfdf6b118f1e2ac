import { expect, it } from 'vitest';
import { TokenBucket } from './rate-limit.js';

it('allows a burst, then the sustained rate', () => {
  let now = 0;
  const bucket = new TokenBucket(10, 5, () => now);
  const first = Array.from({ length: 8 }, () => bucket.take());
  expect(first).toEqual([true, true, true, true, true, false, false, false]);
  now += 100; // 10/s -> one token per 100 ms
  expect(bucket.take()).toBe(true);
  expect(bucket.take()).toBe(false);
});

it('never holds more than the burst, however long it idles', () => {
  let now = 0;
  const bucket = new TokenBucket(10, 3, () => now);
  now += 60_000;
  expect(Array.from({ length: 4 }, () => bucket.take())).toEqual([true, true, true, false]);
});

it('survives a clock that steps backwards', () => {
  let now = 1000;
  const bucket = new TokenBucket(10, 1, () => now);
  expect(bucket.take()).toBe(true);
  now = 0;
  expect(bucket.take()).toBe(false);
  now = 100;
  expect(bucket.take()).toBe(true);
});
