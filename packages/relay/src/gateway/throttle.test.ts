import { describe, expect, it } from 'vitest';
import { throttle } from './throttle.js';

function fakeTimers() {
  let now = 0;
  const pending: { at: number; fn: () => void; id: number }[] = [];
  let next = 1;
  return {
    now: () => now,
    timers: {
      setTimeout: (fn: () => void, ms: number) => {
        pending.push({ at: now + ms, fn, id: next });
        return next++;
      },
      clearTimeout: (id: unknown) => {
        const i = pending.findIndex((p) => p.id === id);
        if (i >= 0) pending.splice(i, 1);
      },
    },
    advance(ms: number) {
      now += ms;
      for (const p of pending.filter((p) => p.at <= now)) {
        pending.splice(pending.indexOf(p), 1);
        p.fn();
      }
    },
  };
}

describe('throttle', () => {
  it('runs the first request at once and folds a burst into one run at the end of the gap', () => {
    const t = fakeTimers();
    let runs = 0;
    const refresh = throttle(() => runs++, 250, t.timers, t.now);
    refresh.request();
    expect(runs).toBe(1);
    for (let i = 0; i < 50; i++) refresh.request();
    expect(runs).toBe(1);
    t.advance(249);
    expect(runs).toBe(1);
    t.advance(1);
    expect(runs).toBe(2);
    // A quiet period later, the next request runs at once again.
    t.advance(1000);
    refresh.request();
    expect(runs).toBe(3);
  });

  it('cancel drops the pending run', () => {
    const t = fakeTimers();
    let runs = 0;
    const refresh = throttle(() => runs++, 250, t.timers, t.now);
    refresh.request();
    refresh.request();
    refresh.cancel();
    t.advance(1000);
    expect(runs).toBe(1);
  });
});
