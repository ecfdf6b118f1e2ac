import { describe, expect, it } from 'vitest';
import { MemoryPresence } from '../bus/index.js';
import { startPresenceBeat } from './presence-beat.js';
import { SessionRegistry } from './sessions.js';

/** A manual clock and interval, so the test controls time. */
function fakeTime() {
  let now = 0;
  let tick: (() => void) | null = null;
  let every = 0;
  return {
    now: () => now,
    timers: {
      setInterval: (fn: () => void, ms: number) => {
        tick = fn;
        every = ms;
        return 1;
      },
      clearInterval: () => {
        tick = null;
      },
    },
    get every() {
      return every;
    },
    /** Advance the clock, running the interval whenever it is due. */
    async advance(ms: number) {
      for (let t = 0; t < ms; t += every) {
        now += every;
        tick?.();
        await new Promise((r) => setTimeout(r, 0));
      }
    },
  };
}

describe('presence heartbeat', () => {
  const setup = () => {
    const time = fakeTime();
    const presence = { agents: new MemoryPresence({ ttlMs: 3000, now: time.now }), visitors: new MemoryPresence({ ttlMs: 3000, now: time.now }) };
    const sessions = new SessionRegistry();
    const beat = startPresenceBeat({ sessions, presence, timers: time.timers });
    return { time, presence, sessions, beat };
  };

  it('beats every ttl / 3, so a held id stays online indefinitely', async () => {
    const { time, presence, sessions } = setup();
    expect(time.every).toBe(1000);
    sessions.add({ role: 'agent', agent: { id: 'a1', name: 'A' }, sessionExpiresAt: Infinity }, () => {});
    await new Promise((r) => setTimeout(r, 0));
    await time.advance(10_000);
    expect(await presence.agents.list()).toEqual(['a1']);
  });

  it('an id is online at once when it connects and offline at once when it leaves', async () => {
    const { presence, sessions } = setup();
    const leave = sessions.add({ role: 'visitor', visitorId: 'v1' }, () => {});
    await new Promise((r) => setTimeout(r, 0));
    expect(await presence.visitors.list()).toEqual(['v1']);
    leave();
    await new Promise((r) => setTimeout(r, 0));
    expect(await presence.visitors.list()).toEqual([]);
  });

  it('once heartbeats stop (a crashed relay), its ids expire within the TTL', async () => {
    const { time, presence, sessions } = setup();
    sessions.add({ role: 'agent', agent: { id: 'a1', name: 'A' }, sessionExpiresAt: Infinity }, () => {});
    await time.advance(2000);
    // Simulate the crash: the interval no longer runs, nothing says goodbye.
    time.timers.clearInterval();
    await time.advance(2000);
    expect(await presence.agents.list()).toEqual(['a1']);
    await time.advance(1000);
    expect(await presence.agents.list()).toEqual([]);
  });

  it('stop() takes this relay’s ids out at once (a clean shutdown)', async () => {
    const { presence, sessions, beat } = setup();
    sessions.add({ role: 'agent', agent: { id: 'a1', name: 'A' }, sessionExpiresAt: Infinity }, () => {});
    await beat.beat();
    await beat.stop();
    expect(await presence.agents.list()).toEqual([]);
  });
});
