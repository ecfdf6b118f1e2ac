import type { ConversationEvent } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { Subscription } from './subscription.js';

const ev = (seq: number): ConversationEvent => ({ kind: 'message', seq, at: seq, author: { role: 'visitor' }, text: `m${seq}` });

/** A store with events 1..n, whose reads can be held open to simulate a slow replay. */
function fakeStore(n: number) {
  const events = Array.from({ length: n }, (_, i) => ev(i + 1));
  let hold: Promise<void> = Promise.resolve();
  let release = () => {};
  return {
    events,
    append: () => {
      const e = ev(events.length + 1);
      events.push(e);
      return e;
    },
    holdReads() {
      hold = new Promise((r) => (release = r));
    },
    release: () => release(),
    fetchAfter: async (seq: number) => {
      const snapshot = events.filter((e) => e.seq > seq);
      await hold;
      return snapshot;
    },
  };
}

function follow(store: ReturnType<typeof fakeStore>, afterSeq: number) {
  const got: number[] = [];
  const errors: unknown[] = [];
  const sub = new Subscription('c1', afterSeq, {
    fetchAfter: (_conversationId, seq) => store.fetchAfter(seq),
    deliver: (_conversationId, e) => got.push(e.seq),
    failed: (e) => errors.push(e),
  });
  return { sub, got, errors };
}

describe('Subscription', () => {
  it('replays after afterSeq, then delivers live events', async () => {
    const store = fakeStore(5);
    const { sub, got } = follow(store, 2);
    await sub.catchUp();
    sub.onLive(store.append());
    expect(got).toEqual([3, 4, 5, 6]);
  });

  it('delivers events appended during the replay once, after it, in order', async () => {
    const store = fakeStore(3);
    const { sub, got } = follow(store, 0);
    store.holdReads();
    const replay = sub.catchUp();
    // Appended while the replay's read is in flight: the read's snapshot misses them,
    // the bus delivers them (here out of order) to the buffer.
    const e4 = store.append();
    const e5 = store.append();
    sub.onLive(e5);
    sub.onLive(e4);
    store.release();
    await replay;
    expect(got).toEqual([1, 2, 3, 4, 5]);
  });

  it('skips live events the replay already delivered', async () => {
    const store = fakeStore(3);
    const { sub, got } = follow(store, 0);
    store.holdReads();
    const replay = sub.catchUp();
    sub.onLive(ev(2));
    sub.onLive(ev(3));
    store.release();
    await replay;
    sub.onLive(ev(3));
    expect(got).toEqual([1, 2, 3]);
  });

  it('fills a gap in the live stream from the store', async () => {
    const store = fakeStore(2);
    const { sub, got } = follow(store, 0);
    await sub.catchUp();
    store.append(); // 3: the bus lost it
    const e4 = store.append();
    sub.onLive(e4);
    await new Promise((r) => setTimeout(r, 0));
    expect(got).toEqual([1, 2, 3, 4]);
  });

  it('delivers nothing after dispose', async () => {
    const store = fakeStore(1);
    const { sub, got } = follow(store, 0);
    await sub.catchUp();
    sub.dispose();
    sub.onLive(store.append());
    expect(got).toEqual([1]);
  });
});
