import type { Timers } from './gateway.js';

/** A call that runs at most once per `gapMs`; calls in between are folded into one later run. */
export interface Throttled {
  /** Ask for a run: now if the last one was at least `gapMs` ago, else once when the gap has passed. */
  request(): void;
  /** Drop a pending run (the owner is going away). */
  cancel(): void;
}

/**
 * Rate-limit a refresh without losing the last change: the first request runs at once, a burst
 * of requests within `gapMs` costs one more run at the end of the gap. The agent queue uses it
 * so a busy desk (every message changes a preview) does not rebuild every console's queue
 * per message.
 *
 * @example
 * const refresh = throttle(() => sendQueue(), 250, timers, Date.now);
 * bus.subscribe('agents', () => refresh.request());
 */
export function throttle(run: () => void, gapMs: number, timers: Timers, now: () => number): Throttled {
  let last = -Infinity;
  let timer: unknown = null;
  const fire = () => {
    timer = null;
    last = now();
    run();
  };
  return {
    request() {
      if (timer !== null) return;
      const wait = last + gapMs - now();
      if (wait <= 0) fire();
      else timer = timers.setTimeout(fire, wait);
    },
    cancel() {
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
    },
  };
}
