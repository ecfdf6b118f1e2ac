/** How long to wait between reconnect attempts. */
export interface BackoffOptions {
  /** Delay ceiling of the first retry, in ms. @default 500 */
  baseMs?: number;
  /** No retry waits longer than this, in ms. @default 30000 */
  capMs?: number;
}

/**
 * The defaults of {@link BackoffOptions}.
 *
 * @example
 * createAgentClient({ relay, token, backoff: { ...backoffDefaults, capMs: 10_000 } });
 */
export const backoffDefaults = { baseMs: 500, capMs: 30_000 } as const satisfies Required<BackoffOptions>;

/**
 * Capped full-jitter exponential backoff: a uniform draw in `[0, min(cap, base * 2^attempt))`.
 * Full jitter (not "base plus a bit") matters when a relay restarts: thousands of widgets
 * reconnect at once, and spreading them over the whole window avoids a thundering herd.
 *
 * @example
 * const wait = backoffDelay(attempt, Math.random); // attempt 0 -> 0..500 ms, 6+ -> 0..30 s
 * setTimeout(reconnect, wait);
 */
export function backoffDelay(attempt: number, random: () => number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? backoffDefaults.baseMs;
  const cap = options.capMs ?? backoffDefaults.capMs;
  // Clamp the exponent: 2^attempt overflows to Infinity long before it matters, and a
  // negative or fractional attempt is a caller bug that should still give a sane delay.
  const n = Number.isFinite(attempt) ? Math.min(Math.max(Math.floor(attempt), 0), 30) : 30;
  const ceiling = Math.min(cap, base * 2 ** n);
  // A random() that returns 1 (or garbage) must not exceed the ceiling.
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.floor(r * ceiling);
}
