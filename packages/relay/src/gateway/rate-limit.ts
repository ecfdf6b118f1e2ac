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

/**
 * Token buckets by key (a token, a client address), at most `max` at once: past that the
 * oldest is forgotten, which only lets its key start again with a full bucket.
 *
 * @example
 * const perAddress = new KeyedBuckets(10, 40, 50_000);
 * if (!perAddress.get(address).take()) refuse();
 */
export class KeyedBuckets {
  readonly #buckets = new Map<string, TokenBucket>();

  constructor(
    readonly ratePerSecond: number,
    readonly burst: number,
    readonly max: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The bucket for `key`; a new key gets a full one. */
  get(key: string): TokenBucket {
    let b = this.#buckets.get(key);
    if (!b) {
      if (this.#buckets.size >= this.max) this.#buckets.delete(this.#buckets.keys().next().value!);
      b = new TokenBucket(this.ratePerSecond, this.burst, this.now);
      this.#buckets.set(key, b);
    }
    return b;
  }
}
