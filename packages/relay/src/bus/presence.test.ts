import { expect, it } from 'vitest';
import { MemoryPresence } from './presence.js';
import { describePresence } from './presence.suite.js';

describePresence('MemoryPresence', (clock) => new MemoryPresence({ ttlMs: 1000, now: clock.now }));

it('refuses a TTL that is not a positive whole number of ms', () => {
  expect(() => new MemoryPresence({ ttlMs: 0 })).toThrow(/ttlMs/);
  expect(() => new MemoryPresence({ ttlMs: 1.5 })).toThrow(/ttlMs/);
});
