import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Presence } from './presence.js';

/** A clock the test moves by hand. */
export interface ManualClock {
  now: () => number;
  advance: (ms: number) => void;
}

/** A {@link ManualClock} starting at `start`. */
export function manualClock(start = 1_000_000): ManualClock {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

/**
 * The behaviour every {@link Presence} must have. The factory gets a clock to use and must
 * return an empty presence with a TTL of 1000 ms.
 *
 * @example
 * describePresence('MemoryPresence', (clock) => new MemoryPresence({ ttlMs: 1000, now: clock.now }));
 */
export function describePresence(name: string, make: (clock: ManualClock) => Presence | Promise<Presence>): void {
  describe(`Presence conformance: ${name}`, () => {
    let clock: ManualClock;
    let presence: Presence;
    beforeEach(async () => {
      clock = manualClock();
      presence = await make(clock);
    });
    afterEach(async () => {
      await presence.close();
    });

    it('lists ids after a heartbeat, sorted', async () => {
      await presence.heartbeat(['b', 'a']);
      await presence.heartbeat('c');
      expect(await presence.list()).toEqual(['a', 'b', 'c']);
      expect(await presence.isOnline('a')).toBe(true);
      expect(await presence.isOnline('nobody')).toBe(false);
    });

    it('forgets an id its TTL after the last heartbeat (a crashed relay)', async () => {
      await presence.heartbeat(['a', 'b']);
      clock.advance(600);
      await presence.heartbeat('a'); // a's relay is alive, b's crashed
      clock.advance(600);
      expect(await presence.list()).toEqual(['a']);
      expect(await presence.isOnline('b')).toBe(false);
      clock.advance(400);
      expect(await presence.list()).toEqual([]);
      expect(await presence.isOnline('a')).toBe(false);
    });

    it('removes ids at once on a clean disconnect; removing unknown ids is harmless', async () => {
      await presence.heartbeat(['a', 'b']);
      await presence.remove('a');
      await presence.remove(['nobody']);
      expect(await presence.list()).toEqual(['b']);
    });

    it('an empty heartbeat or remove does nothing', async () => {
      await presence.heartbeat([]);
      await presence.remove([]);
      expect(await presence.list()).toEqual([]);
    });
  });
}
