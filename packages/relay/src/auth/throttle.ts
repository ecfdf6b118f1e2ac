/** Options for {@link LoginThrottle}. */
export interface LoginThrottleOptions {
  /** Failed attempts allowed per key within the window. @default 5 */
  maxFailures?: number;
  /** Window length in milliseconds. @default 15 minutes */
  windowMs?: number;
  /** Most keys tracked at once; the oldest are forgotten first, so memory stays bounded. @default 10000 */
  maxKeys?: number;
  /** @default Date.now */
  now?: () => number;
}

/**
 * Counts failed logins per key (username + client address) and refuses further attempts
 * for a while once a key has too many, which slows password guessing against one account.
 *
 * @example
 * const throttle = new LoginThrottle({ maxFailures: 5 });
 * const key = `${username}|${ip}`;
 * if (throttle.isBlocked(key)) return tooManyAttempts();
 * if (!ok) throttle.fail(key); else throttle.succeed(key);
 */
export class LoginThrottle {
  readonly #max: number;
  readonly #windowMs: number;
  readonly #maxKeys: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, { failures: number; since: number }>();

  constructor(options: LoginThrottleOptions = {}) {
    this.#max = options.maxFailures ?? 5;
    this.#windowMs = options.windowMs ?? 15 * 60_000;
    this.#maxKeys = options.maxKeys ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** True when the key used up its failures in the current window. */
  isBlocked(key: string): boolean {
    const entry = this.#live(key);
    return entry !== undefined && entry.failures >= this.#max;
  }

  /** Record one failed attempt. */
  fail(key: string): void {
    const entry = this.#live(key);
    if (entry) {
      entry.failures += 1;
      return;
    }
    if (this.#entries.size >= this.#maxKeys) {
      // Maps iterate in insertion order: drop the oldest key.
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(key, { failures: 1, since: this.#now() });
  }

  /** A successful login clears the key's failures. */
  succeed(key: string): void {
    this.#entries.delete(key);
  }

  #live(key: string) {
    const entry = this.#entries.get(key);
    if (entry && this.#now() - entry.since >= this.#windowMs) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }
}
