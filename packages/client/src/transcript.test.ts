import { describe, expect, it } from 'vitest';
import type { ConversationEvent } from '@parley/protocol';
import { createTranscript } from './transcript.js';

const msg = (seq: number, extra: Partial<Extract<ConversationEvent, { kind: 'message' }>> = {}): ConversationEvent => ({
  kind: 'message',
  seq,
  at: 1000 + seq,
  author: { role: 'bot' },
  text: `m${seq}`,
  ...extra,
});

describe('transcript', () => {
  it('orders by seq and shows each seq once', () => {
    const t = createTranscript();
    expect(t.apply(msg(2))).toBe(true);
    expect(t.apply(msg(1))).toBe(true);
    expect(t.apply(msg(2))).toBe(false);
    expect(t.apply({ kind: 'status', seq: 3, at: 5, status: 'waiting', by: 'visitor' })).toBe(true);
    expect(t.items.value.map((i) => i.key)).toEqual(['s1', 's2', 's3']);
    expect(t.lastSeq).toBe(3);
  });

  it('replaces a pending message in place by its event, keeping its key', () => {
    const t = createTranscript();
    t.apply(msg(1));
    t.addPending({ clientId: 'c-1', text: 'hi', author: { role: 'visitor' }, at: 9 });
    t.addPending({ clientId: 'c-2', text: 'again', author: { role: 'visitor' }, at: 10 });
    expect(t.items.value.map((i) => [i.key, i.kind === 'message' && i.pending])).toEqual([
      ['s1', false],
      ['c-1', true],
      ['c-2', true],
    ]);
    t.apply(msg(2, { clientId: 'c-1', author: { role: 'visitor', id: 'v1' }, text: 'hi' }));
    expect(t.items.value.map((i) => [i.key, i.seq])).toEqual([
      ['s1', 1],
      ['c-1', 2],
      ['c-2', undefined],
    ]);
  });

  it("keeps a pending message's own author when its event says the same, and the relay's words where they differ", () => {
    const t = createTranscript();
    const author = { role: 'agent', id: 'a1', name: 'Ana' } as const;
    t.addPending({ clientId: 'c-1', text: 'hi', author, at: 9 });
    t.addPending({ clientId: 'c-2', text: 'yo', author, at: 10 });
    t.apply(msg(1, { clientId: 'c-1', author: { role: 'agent', id: 'a1', name: 'Ana' }, text: 'hi' }));
    const renamed = { role: 'agent', id: 'a1', name: 'Ana M.' } as const;
    t.apply(msg(2, { clientId: 'c-2', author: renamed, text: 'yo!' }));
    const [first, second] = t.items.value;
    // The very object the pending item held, not the copy parsed from the frame.
    expect(first).toMatchObject({ key: 'c-1', seq: 1, text: 'hi', pending: false });
    expect(first!.kind === 'message' && first!.author).toBe(author);
    expect(second).toMatchObject({ key: 'c-2', seq: 2, text: 'yo!', author: { name: 'Ana M.' } });
    expect(second!.kind === 'message' && second!.author).toBe(renamed);
  });

  it('an ack places the message; the later event refreshes it without duplicating', () => {
    const t = createTranscript();
    t.addPending({ clientId: 'c-1', text: 'hi', author: { role: 'visitor' }, at: 9 });
    t.acked('c-1', 1);
    expect(t.items.value).toMatchObject([{ key: 'c-1', seq: 1, pending: false, at: 9 }]);
    // lastSeq only follows events, so a resubscribe replays the acked message's event.
    expect(t.lastSeq).toBe(0);
    expect(t.apply(msg(1, { clientId: 'c-1', text: 'hi' }))).toBe(true);
    expect(t.items.value).toMatchObject([{ key: 'c-1', seq: 1, at: 1001 }]);
    expect(t.items.value).toHaveLength(1);
    expect(t.apply(msg(1, { clientId: 'c-1', text: 'hi' }))).toBe(false);
  });

  it('keeps a failed message with its text', () => {
    const t = createTranscript();
    t.addPending({ clientId: 'c-1', text: 'too big', author: { role: 'visitor' }, at: 9 });
    t.failed('c-1', { code: 'too_large', message: 'over 4000' });
    expect(t.items.value).toEqual([
      { kind: 'message', key: 'c-1', text: 'too big', author: { role: 'visitor' }, at: 9, pending: false, failed: { code: 'too_large', message: 'over 4000' } },
    ]);
  });

  it('reset forgets everything', () => {
    const t = createTranscript();
    t.apply(msg(1));
    t.reset();
    expect(t.items.value).toEqual([]);
    expect(t.lastSeq).toBe(0);
    expect(t.apply(msg(1))).toBe(true);
  });
});
