import { describe, expect, it } from 'vitest';
import { SEEN_KEY, safeStorage } from './storage.js';
import { createUnreadTracker } from './unread.js';

function memory(initial: Record<string, string> = {}) {
  const map = new Map(Object.entries(initial));
  return { map, getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), removeItem: (k: string) => void map.delete(k) };
}

describe('unread tracker', () => {
  it('counts events after the last seen seq and never moves backwards', () => {
    const tracker = createUnreadTracker(safeStorage(memory()));
    expect(tracker.count({ id: 'c1', lastSeq: 3 })).toBe(3);
    tracker.markSeen('c1', 3);
    expect(tracker.count({ id: 'c1', lastSeq: 5 })).toBe(2);
    tracker.markSeen('c1', 1);
    expect(tracker.count({ id: 'c1', lastSeq: 5 })).toBe(2);
  });

  it('survives a reload through storage and ignores corrupt entries', () => {
    const store = memory();
    createUnreadTracker(safeStorage(store)).markSeen('c1', 4);
    const again = createUnreadTracker(safeStorage(store));
    expect(again.count({ id: 'c1', lastSeq: 6 })).toBe(2);

    const corrupt = memory({ [SEEN_KEY]: JSON.stringify([['c1', -1], ['c2', 'x'], 5, ['c3', 2]]) });
    const tracker = createUnreadTracker(safeStorage(corrupt));
    expect(tracker.count({ id: 'c1', lastSeq: 3 })).toBe(3);
    expect(tracker.count({ id: 'c3', lastSeq: 3 })).toBe(1);
    expect(createUnreadTracker(safeStorage(memory({ [SEEN_KEY]: '{not json' }))).count({ id: 'a', lastSeq: 1 })).toBe(1);
  });

  it('regression - a conversation id of "__proto__" is counted like any other', () => {
    const tracker = createUnreadTracker(safeStorage(memory()));
    expect(tracker.count({ id: '__proto__', lastSeq: 2 })).toBe(2);
    tracker.markSeen('__proto__', 2);
    expect(tracker.count({ id: '__proto__', lastSeq: 2 })).toBe(0);
  });

  it('clear forgets everything, in storage too', () => {
    const store = memory();
    const tracker = createUnreadTracker(safeStorage(store));
    tracker.markSeen('c1', 4);
    tracker.clear();
    expect(tracker.count({ id: 'c1', lastSeq: 4 })).toBe(4);
    expect(store.map.has(SEEN_KEY)).toBe(false);
  });
});

describe('safeStorage', () => {
  it('turns a throwing storage into "nothing stored"', () => {
    const throwing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {
        throw new Error('SecurityError');
      },
    };
    const safe = safeStorage(throwing);
    expect(() => safe.set('k', 'v')).not.toThrow();
    expect(safe.get('k')).toBeNull();
    expect(() => safe.remove('k')).not.toThrow();
    expect(safeStorage(null).get('k')).toBeNull();
  });
});
