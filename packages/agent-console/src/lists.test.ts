import { describe, expect, it } from 'vitest';
import { summary } from './fake-client.js';
import { filterTab, formatAge } from './lists.js';

describe('filterTab', () => {
  const me = { id: 'a1', name: 'Ada' };
  const queue = [
    summary({ id: 'w2', status: 'waiting', createdAt: 20 }),
    summary({ id: 'mine-old', status: 'active', agent: me, updatedAt: 10 }),
    summary({ id: 'w1', status: 'waiting', createdAt: 10 }),
    summary({ id: 'mine-new', status: 'active', agent: me, updatedAt: 30 }),
    summary({ id: 'theirs', status: 'active', agent: { id: 'a2', name: 'Bo' }, updatedAt: 20 }),
    summary({ id: 'bot', status: 'bot' }),
  ];
  const ids = (list: { id: string }[]) => list.map((c) => c.id);

  it('Waiting: waiting only, oldest first', () => {
    expect(ids(filterTab(queue, 'waiting', me))).toEqual(['w1', 'w2']);
  });
  it('Mine: active and mine, most recent first; nothing before the relay says who I am', () => {
    expect(ids(filterTab(queue, 'mine', me))).toEqual(['mine-new', 'mine-old']);
    expect(filterTab(queue, 'mine', null)).toEqual([]);
  });
  it('All: waiting then active', () => {
    expect(ids(filterTab(queue, 'all', me))).toEqual(['w1', 'w2', 'mine-new', 'theirs', 'mine-old']);
  });
});

describe('formatAge', () => {
  it('rounds down to minutes, hours, days', () => {
    expect(formatAge(0, 59_000)).toBe('just now');
    expect(formatAge(0, 4 * 60_000 + 59_000)).toBe('4 min');
    expect(formatAge(0, 2 * 3_600_000)).toBe('2 h');
    expect(formatAge(0, 3 * 86_400_000)).toBe('3 d');
  });
  it('treats a time in the future (clock skew) as just now', () => {
    expect(formatAge(10_000, 0)).toBe('just now');
  });
});
