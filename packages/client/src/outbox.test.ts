import { describe, expect, it, vi } from 'vitest';
import type { SendFrame, Unversioned } from '@parley/protocol';
import { createOutbox } from './outbox.js';
import { resolvePlatform } from './platform.js';
import { safeStorage } from './storage.js';
import { memoryStorage } from './testing/memory-storage.js';

function setup(storage = memoryStorage()) {
  const sent: Unversioned<SendFrame>[] = [];
  let online = true;
  const timers: (() => void)[] = [];
  const platform = resolvePlatform({
    relay: 'http://x.test',
    random: () => 0.5,
    timers: { setTimeout: ((fn: () => void) => timers.push(fn)) as never, clearTimeout: (() => {}) as never },
  });
  const make = () =>
    createOutbox({ platform, send: (f) => (online ? (sent.push(f), true) : false), storage: { store: safeStorage(storage), key: 'p:outbox' } });
  return { sent, storage, make, timers, setOnline: (v: boolean) => (online = v) };
}

describe('outbox', () => {
  it('sends at once, keeps until acked, and persists', () => {
    const { sent, storage, make } = setup();
    const box = make();
    box.push({ id: 'a', conversationId: 'c1', text: 'one', at: 1 });
    expect(sent).toEqual([{ type: 'send', id: 'a', conversationId: 'c1', text: 'one' }]);
    expect(JSON.parse(storage.getItem('p:outbox')!)).toHaveLength(1);
    expect(make().entries()).toEqual([{ id: 'a', conversationId: 'c1', text: 'one', at: 1 }]);
    box.ack('a');
    expect(storage.getItem('p:outbox')).toBeNull();
  });

  it('resends everything in order, stopping when the connection is gone', () => {
    const { sent, make, setOnline } = setup();
    const box = make();
    setOnline(false);
    box.push({ id: 'a', conversationId: 'c1', text: 'one', at: 1 });
    box.push({ id: 'b', conversationId: 'c1', text: 'two', at: 2 });
    expect(sent).toEqual([]);
    setOnline(true);
    box.resendAll();
    expect(sent.map((f) => f.id)).toEqual(['a', 'b']);
  });

  it('holds messages without a conversation until one is assigned', () => {
    const { sent, make } = setup();
    const box = make();
    box.push({ id: 'a', conversationId: null, text: 'early', at: 1 });
    box.resendAll();
    expect(sent).toEqual([]);
    box.assign('c9');
    box.resendAll();
    expect(sent).toEqual([{ type: 'send', id: 'a', conversationId: 'c9', text: 'early' }]);
  });

  it('drops permanently refused messages and schedules a resend for transient ones', () => {
    const { sent, make, timers } = setup();
    const box = make();
    box.push({ id: 'a', conversationId: 'c1', text: 'one', at: 1 });
    box.push({ id: 'b', conversationId: 'c1', text: 'two', at: 2 });
    expect(box.refuse('a', 'too_large')).toBe('failed');
    expect(box.refuse('b', 'internal')).toBe('retry');
    expect(box.refuse('zzz', 'internal')).toBe('unknown');
    expect(box.entries().map((e) => e.id)).toEqual(['b']);
    expect(timers).toHaveLength(1);
    timers[0]!();
    expect(sent.map((f) => f.id)).toEqual(['a', 'b', 'b']);
  });

  it('ignores corrupt or foreign data in storage', () => {
    for (const raw of ['{nope', '"text"', '{"a":1}', JSON.stringify([null, 1, { id: 'x' }, { id: 'ok', conversationId: 'c', text: 't', at: 3 }])]) {
      const { make } = setup(memoryStorage({ 'p:outbox': raw }));
      expect(make().entries().map((e) => e.id)).toEqual(raw.includes('"ok"') ? ['ok'] : []);
    }
  });

  it('keeps working in memory when storage throws', () => {
    const throwing = { getItem: vi.fn(() => { throw new Error('denied'); }), setItem: vi.fn(() => { throw new Error('full'); }), removeItem: vi.fn() };
    const { sent, make } = setup(throwing as never);
    const box = make();
    box.push({ id: 'a', conversationId: 'c1', text: 'one', at: 1 });
    expect(sent).toHaveLength(1);
    expect(box.entries()).toHaveLength(1);
  });
});
