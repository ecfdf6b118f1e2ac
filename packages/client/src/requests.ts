import { nanoid } from 'nanoid';
import { ParleyError } from './errors.js';
import type { Platform, TimerHandle } from './platform.js';

interface Pending {
  resolve(): void;
  reject(error: ParleyError): void;
  timer: TimerHandle;
}

/**
 * @internal Frames that expect an `ack` (or an `error`) with their `id`, as promises.
 * A request times out after `timeoutMs`; when the connection drops, every pending request
 * fails with `disconnected` (its answer cannot arrive on a new connection).
 */
export interface Requests {
  /** Send a frame built with a fresh id; resolves on its ack, rejects on its error. */
  send(what: string, build: (id: string) => boolean): Promise<void>;
  /** Settle the request with this id; false when no request has it. */
  settle(id: string, error?: ParleyError): boolean;
  /** Fail every pending request (the connection dropped). */
  failAll(): void;
}

export function createRequests(platform: Platform, timeoutMs: number): Requests {
  const pending = new Map<string, Pending>();
  const settle = (id: string, error?: ParleyError) => {
    const p = pending.get(id);
    if (!p) return false;
    pending.delete(id);
    platform.clearTimeout(p.timer);
    if (error) p.reject(error);
    else p.resolve();
    return true;
  };
  return {
    settle,
    send: (what, build) =>
      new Promise<void>((resolve, reject) => {
        const id = nanoid();
        const timer = platform.setTimeout(
          () => settle(id, new ParleyError('timeout', `the relay did not answer '${what}' within ${timeoutMs} ms`)),
          timeoutMs,
        );
        pending.set(id, { resolve, reject, timer });
        if (!build(id)) settle(id, new ParleyError('offline', `not connected to the relay; '${what}' was not sent`));
      }),
    failAll() {
      for (const id of [...pending.keys()]) settle(id, new ParleyError('disconnected', 'the connection dropped before the relay answered'));
    },
  };
}

/**
 * @internal Typing signals for one conversation, throttled: `true` goes out at most once per
 * `everyMs` while typing continues (the peer's indicator times out after a few seconds without
 * news, so a steady refresh keeps it on); `false` goes out once, only after a `true`.
 */
export function createTypingThrottle(platform: Platform, send: (typing: boolean) => void, everyMs = 2000): (typing: boolean) => void {
  let lastTrue = -Infinity;
  let on = false;
  return (typing) => {
    const now = platform.now();
    if (typing) {
      if (on && now - lastTrue < everyMs) return;
      on = true;
      lastTrue = now;
      send(true);
    } else if (on) {
      on = false;
      lastTrue = -Infinity;
      send(false);
    }
  };
}

/** How long a peer's "typing" shows without a refresh (the sender refreshes every 2 s). */
export const TYPING_TIMEOUT_MS = 6000;
