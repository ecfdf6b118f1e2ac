import { describe, expect, it } from 'vitest';
import { isOpen } from './hours.js';
import { queueOrder } from './order.js';

describe('queue order', () => {
  it('puts urgent first, then the longest waiting, then by id', () => {
    const q = [
      { id: 'c', priority: 'normal' as const, waitingSince: 10, updatedAt: 50 },
      { id: 'b', priority: 'normal' as const, waitingSince: 10, updatedAt: 50 },
      { id: 'a', priority: 'normal' as const, waitingSince: 20, updatedAt: 50 },
      { id: 'u', priority: 'urgent' as const, waitingSince: 30, updatedAt: 50 },
      { id: 'old', waitingSince: 5, updatedAt: 50 },
    ];
    expect([...q].sort(queueOrder).map((c) => c.id)).toEqual(['u', 'old', 'b', 'c', 'a']);
  });
});

describe('opening hours', () => {
  const hours = { timezone: 'Europe/Berlin', windows: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }] };
  it('is open inside a window in the desk time zone, closed outside', () => {
    // Monday 2026-11-23: 08:30 UTC is 09:30 in Berlin (CET, UTC+1); 17:30 UTC is 18:30.
    expect(isOpen(hours, Date.UTC(2026, 10, 23, 8, 30))).toBe(true);
    expect(isOpen(hours, Date.UTC(2026, 10, 23, 7, 59))).toBe(false);
    expect(isOpen(hours, Date.UTC(2026, 10, 23, 17, 30))).toBe(false);
    // Saturday.
    expect(isOpen(hours, Date.UTC(2026, 10, 28, 10, 0))).toBe(false);
  });
  it('counts 24:00 as the end of the day, and an unknown time zone as closed', () => {
    expect(isOpen({ timezone: 'UTC', windows: [{ days: [1], from: '00:00', to: '24:00' }] }, Date.UTC(2026, 10, 23, 23, 59))).toBe(true);
    expect(isOpen({ timezone: 'Mars/Olympus', windows: [{ days: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '24:00' }] }, Date.UTC(2026, 10, 23, 12))).toBe(false);
  });
});
