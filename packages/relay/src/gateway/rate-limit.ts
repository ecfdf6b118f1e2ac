/**
 * A token bucket: `ratePerSecond` tokens flow in continuously up to `burst`; each frame takes
 * one. Allows short bursts while bounding the sustained rate.
 *
 * @example
 * const bucket = new TokenBucket(20, 40);
 * if (!bucket.take()) refuse();
 */
export class TokenBucket {
  #tokens: number;
  #last: number;

  constructor(
    readonly ratePerSecond: number,
    readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.#tokens = burst;
    this.#last = now();
  }

  /** Take one token; false when the bucket is empty. */
  take(): boolean {
    const now = this.now();
    // A clock that steps backwards must not drain the bucket.
    const elapsed = Math.max(0, now - this.#last);
    this.#last = now;
    this.#tokens = Math.min(this.burst, this.#tokens + (elapsed * this.ratePerSecond) / 1000);
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
