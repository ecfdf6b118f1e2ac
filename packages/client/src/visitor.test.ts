import { effect } from '@preact/signals-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClientFrame } from '@parley/protocol';
import { FakeRelay } from './testing/fake-relay.js';
import { memoryStorage } from './testing/memory-storage.js';
import type { TranscriptItem, VisitorClientOptions } from './types.js';
import { createVisitorClient } from './visitor.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function setup(extra: Partial<VisitorClientOptions> = {}) {
  const relay = new FakeRelay({ bot: (t) => (t.includes('deposit') ? 'Deposits take 30 minutes.' : undefined) });
  const storage = memoryStorage();
  // random 0.5: the first retry waits 250 ms.
  const make = (more: Partial<VisitorClientOptions> = {}) =>
    createVisitorClient({ relay: 'http://relay.test', transport: relay.transport, storage, events: null, random: () => 0.5, ...extra, ...more });
  return { relay, storage, make };
}

const messages = (items: TranscriptItem[]) => items.filter((i) => i.kind === 'message');
const sent = (relay: FakeRelay, type: ClientFrame['type']) => relay.received.filter((f) => f.type === type);

describe('visitor client', () => {
  it('says hello, gets a conversation and goes online', async () => {
    const { relay, storage, make } = setup({ lang: 'en', context: { url: 'https://shop.test/' } });
    const chat = make();
    expect(chat.state.value).toBe('idle');
    chat.connect();
    expect(chat.state.value).toBe('connecting');
    await relay.settle();
    expect(chat.state.value).toBe('online');
    expect(relay.received[0]).toMatchObject({ type: 'hello', role: 'visitor', lang: 'en', context: { url: 'https://shop.test/' } });
    expect(relay.received[0]).not.toHaveProperty('token');
    expect(chat.conversation.value?.id).toBe('c2');
    expect(chat.status.value).toBe('bot');
    expect(relay.received[1]).toMatchObject({ type: 'subscribe', conversationId: 'c2', afterSeq: 0 });
    expect(storage.getItem('parley:token')).toMatch(/^token-v1-/);
  });

  it('shows a sent message at once as pending, then acked with its seq', async () => {
    const { relay, make } = setup();
    const chat = make({ now: () => 42 });
    chat.connect();
    await relay.settle();
    const id = chat.send('hello there');
    expect(chat.transcript.value).toEqual([
      { kind: 'message', key: id, author: { role: 'visitor' }, text: 'hello there', at: 42, pending: true },
    ]);
    await relay.settle();
    expect(chat.transcript.value).toEqual([
      { kind: 'message', key: id, seq: 1, author: { role: 'visitor', id: 'v1' }, text: 'hello there', at: 1_700_000_000_000, pending: false },
    ]);
  });

  it('sends a message typed before the first welcome once the conversation is known', async () => {
    const { relay, make } = setup();
    const chat = make();
    chat.send('early bird');
    chat.connect();
    await relay.settle();
    expect(relay.texts('c2')).toEqual(['early bird']);
    expect(messages(chat.transcript.value)).toMatchObject([{ text: 'early bird', seq: 1, pending: false }]);
  });

  it('shows the bot answer after the question', async () => {
    const { relay, make } = setup();
    const chat = make();
    chat.connect();
    await relay.settle();
    chat.send('where is my deposit?');
    await relay.settle();
    expect(messages(chat.transcript.value).map((m) => [m.seq, m.author.role, m.text])).toEqual([
      [1, 'visitor', 'where is my deposit?'],
      [2, 'bot', 'Deposits take 30 minutes.'],
    ]);
  });

  it('shows replayed and duplicate events once', async () => {
    const { relay, make } = setup();
    const chat = make();
    chat.connect();
    await relay.settle();
    chat.send('only once');
    await relay.settle();
    const event = relay.conversations.get('c2')!.events[0]!;
    relay.sendTo({ type: 'event', conversationId: 'c2', event });
    relay.sendTo({ type: 'event', conversationId: 'c2', event: { ...event, clientId: undefined } as typeof event });
    await relay.settle();
    expect(chat.transcript.value).toHaveLength(1);
  });

  it('orders events by seq whatever order they arrive in, pending ones last', async () => {
    const { relay, make } = setup();
    const chat = make();
    chat.connect();
    await relay.settle();
    relay.dropClientFrame = (f) => f.type === 'send'; // stays pending
    const pendingId = chat.send('not yet');
    const ev = (seq: number) => ({ kind: 'message' as const, seq, at: seq, author: { role: 'agent' as const }, text: `m${seq}` });
    for (const seq of [3, 1, 2]) relay.sendTo({ type: 'event', conversationId: 'c2', event: ev(seq) });
    await relay.settle();
    expect(chat.transcript.value.map((i) => i.key)).toEqual(['s1', 's2', 's3', pendingId]);
  });

  it('resumes from the last seq after a drop, resends unacked messages, and shows each once', async () => {
    const { relay, make } = setup();
    const chat = make();
    chat.connect();
    await relay.settle();
    chat.send('one');
    await relay.settle();
    // The relay stores 'two' but the ack and event are lost with the connection.
    relay.dropServerFrame = () => true;
    const two = chat.send('two');
    await relay.settle();
    relay.dropServerFrame = undefined;
    relay.drop();
    await relay.settle();
    expect(chat.state.value).toBe('reconnecting');
    chat.send('three'); // typed while reconnecting
    await relay.settle();
    expect(relay.connections).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(250); // full jitter with random 0.5: half of 500 ms
    await relay.settle();
    expect(chat.state.value).toBe('online');
    const hellos = sent(relay, 'hello');
    expect(hellos[1]).toMatchObject({ token: expect.stringMatching(/^token-v1-/) });
    const subs = sent(relay, 'subscribe');
    expect(subs[1]).toMatchObject({ conversationId: 'c2', afterSeq: 1 });
    // 'two' went out twice (the relay deduped it); the subscribe came before the resends.
    expect(sent(relay, 'send').filter((f) => f.type === 'send' && f.id === two)).toHaveLength(2);
    const lastSend = relay.received.map((f) => f.type).lastIndexOf('send');
    expect(relay.received.indexOf(subs[1]!)).toBeLessThan(lastSend);
    expect(relay.texts('c2')).toEqual(['one', 'two', 'three']);
    expect(messages(chat.transcript.value).map((m) => [m.seq, m.text, m.pending])).toEqual([
      [1, 'one', false],
      [2, 'two', false],
      [3, 'three', false],
    ]);
  });

  it('keeps unsent messages across a reload and resends them', async () => {
    const { relay, storage, make } = setup();
    const first = make();
    first.connect();
    await relay.settle();
    relay.dropClientFrame = (f) => f.type === 'send';
    const id = first.send('survive the reload');
    await relay.settle();
    first.disconnect();
    expect(first.state.value).toBe('idle');
    expect(JSON.parse(storage.getItem('parley:outbox')!)).toMatchObject([{ id, conversationId: 'c2', text: 'survive the reload' }]);

    relay.dropClientFrame = undefined;
    const second = make();
    // Shown at once, before any connection.
    expect(second.transcript.value).toMatchObject([{ key: id, text: 'survive the reload', pending: true }]);
    second.connect();
    await relay.settle();
    expect(sent(relay, 'hello')[1]).toMatchObject({ token: storage.getItem('parley:token') });
    expect(second.conversation.value?.id).toBe('c2');
    expect(relay.texts('c2')).toEqual(['survive the reload']);
    expect(second.transcript.value).toMatchObject([{ key: id, seq: 1, pending: false }]);
    expect(storage.getItem('parley:outbox')).toBeNull();
  });

  it('keeps working when storage throws', async () => {
    const { relay } = setup();
    const broken = {
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
    const chat = createVisitorClient({ relay: 'http://relay.test', transport: relay.transport, storage: broken, events: null });
    chat.connect();
    await relay.settle();
    chat.send('still works');
    await relay.settle();
    expect(messages(chat.transcript.value)).toMatchObject([{ text: 'still works', pending: false }]);
  });

  it('marks a message failed on a permanent error and does not resend it', async () => {
    const { relay, storage, make } = setup();
    const chat = make();
    chat.connect();
    await relay.settle();
    relay.intercept = (f) => {
      if (f.type !== 'send') return false;
      relay.sendTo({ type: 'error', id: f.id, code: 'forbidden', message: 'not allowed' });
      return true;
    };
    const id = chat.send('refused');
    await relay.settle();
    expect(chat.transcript.value).toMatchObject([{ key: id, text: 'refused', pending: false, failed: { code: 'forbidden', message: 'not allowed' } }]);
    expect(storage.getItem('parley:outbox')).toBeNull();
    relay.drop();
    await vi.advanceTimersByTimeAsync(250);
    await relay.settle();
    expect(chat.state.value).toBe('online');
    expect(sent(relay, 'send')).toHaveLength(1);
    expect(chat.transcript.value).toMatchObject([{ key: id, failed: { code: 'forbidden' } }]);
  });

  it('retries a rate-limited message after a backoff', async () => {
    const { relay, make } = setup();
    const chat = make();
    chat.connect();
    await relay.settle();
    let refusals = 1;
    relay.intercept = (f) => {
      if (f.type !== 'send' || refusals-- <= 0) return false;
      relay.sendTo({ type: 'error', id: f.id, code: 'rate_limited', message: 'slow down' });
      return true;
    };
    const id = chat.send('patience');
    await relay.settle();
    expect(chat.transcript.value).toMatchObject([{ key: id, pending: true }]);
    expect(chat.transcript.value[0]).not.toHaveProperty('failed');
    expect(chat.lastError.value).toEqual({ code: 'rate_limited', message: 'slow down' });
    await vi.advanceTimersByTimeAsync(250);
    await relay.settle();
    expect(sent(relay, 'send')).toHaveLength(2);
    expect(chat.transcript.value).toMatchObject([{ key: id, seq: 1, pending: false }]);
  });

  it('fails an over-long message at once without sending it, and refuses blank text', async () => {
    const { relay, make } = setup();
    const chat = make();
    chat.connect();
    await relay.settle();
    const id = chat.send('x'.repeat(4001));
    expect(chat.transcript.value).toMatchObject([{ key: id, pending: false, failed: { code: 'too_large' } }]);
    expect(() => chat.send('   ')).toThrow(TypeError);
    await relay.settle();
    expect(sent(relay, 'send')).toHaveLength(0);
  });

  it('forgets a refused token and says hello once more without one', async () => {
    const { relay, storage, make } = setup();
    storage.setItem('parley:token', 'stale-token-from-an-old-relay');
    const chat = make();
    chat.connect();
    await relay.settle();
    const hellos = sent(relay, 'hello');
    expect(hellos).toHaveLength(2);
    expect(hellos[0]).toMatchObject({ token: 'stale-token-from-an-old-relay' });
    expect(hellos[1]).not.toHaveProperty('token');
    expect(chat.state.value).toBe('online');
    expect(chat.lastError.value).toBeNull();
    expect(storage.getItem('parley:token')).toMatch(/^token-v1-/);
  });

  it('stops when the relay refuses even a fresh hello', async () => {
    const { relay, make } = setup();
    relay.intercept = (f, conn) => {
      if (f.type !== 'hello') return false;
      relay.sendTo({ type: 'error', code: 'unauthorized', message: 'no visitors today' }, conn);
      void Promise.resolve().then(() => conn.handlers.onClose({ code: 4003, reason: 'unauthorized' }));
      return true;
    };
    const chat = make();
    chat.connect();
    await relay.settle();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(chat.state.value).toBe('offline');
    expect(chat.lastError.value?.code).toBe('unauthorized');
    expect(relay.connections).toHaveLength(1);
  });

  it('follows the conversation status and agent from status events', async () => {
    const { relay, make } = setup();
    const chat = make();
    chat.connect();
    await relay.settle();
    chat.requestHuman();
    await relay.settle();
    expect(chat.status.value).toBe('waiting');
    relay.append('c2', { kind: 'status', status: 'active', agent: { id: 'a1', name: 'Ana' }, by: 'agent' });
    await relay.settle();
    expect(chat.status.value).toBe('active');
    expect(chat.agent.value).toEqual({ id: 'a1', name: 'Ana' });
    expect(chat.transcript.value.map((i) => (i.kind === 'status' ? i.status : i.text))).toEqual(['waiting', 'active']);
    chat.closeConversation();
    await relay.settle();
    expect(chat.status.value).toBe('closed');
    expect(chat.agent.value).toBeNull();
  });

  it('sends a hand-off asked for while offline after the next welcome', async () => {
    const { relay, make } = setup();
    const chat = make();
    chat.requestHuman();
    chat.connect();
    await relay.settle();
    expect(sent(relay, 'handoff')).toHaveLength(1);
    expect(chat.status.value).toBe('waiting');
  });

  it('does not roll the status back while old status events replay after a reload', async () => {
    const { relay, make } = setup();
    const first = make();
    first.connect();
    await relay.settle();
    first.requestHuman();
    await relay.settle();
    relay.append('c2', { kind: 'status', status: 'active', agent: { id: 'a1', name: 'Ana' }, by: 'agent' });
    await relay.settle();
    first.disconnect();
    const second = make();
    const seen: (string | null)[] = [];
    const stop = effect(() => void seen.push(second.status.value));
    second.connect();
    await relay.settle();
    stop();
    expect(seen).toEqual([null, 'active']);
    expect(second.transcript.value).toHaveLength(2);
  });

  it('starts a new conversation after a close and shows its transcript only', async () => {
    const { relay, make } = setup();
    const chat = make();
    chat.connect();
    await relay.settle();
    chat.send('first chat');
    chat.closeConversation();
    await relay.settle();
    chat.startNew();
    await relay.settle();
    expect(chat.conversation.value).toMatchObject({ id: 'c3', status: 'bot' });
    expect(chat.transcript.value).toEqual([]);
    expect(sent(relay, 'subscribe').at(-1)).toMatchObject({ conversationId: 'c3', afterSeq: 0 });
    chat.send('second chat');
    await relay.settle();
    expect(relay.texts('c3')).toEqual(['second chat']);
    expect(messages(chat.transcript.value).map((m) => m.text)).toEqual(['second chat']);
  });

  it('ignores invalid frames from the relay without throwing, and reports them', async () => {
    const errors: string[] = [];
    const { relay, make } = setup({ onProtocolError: (e) => errors.push(e.code) });
    const chat = make();
    chat.connect();
    await relay.settle();
    relay.inject('not json');
    relay.inject('{"v":1,"type":"event","conversationId":"c2"}');
    relay.inject('{"v":2,"type":"pong","serverTime":1}');
    relay.inject('x'.repeat(70_000));
    await relay.settle();
    expect(errors).toEqual(['bad_json', 'bad_frame', 'unsupported_version', 'too_large']);
    expect(chat.state.value).toBe('online');
    chat.send('still here');
    await relay.settle();
    expect(messages(chat.transcript.value)).toMatchObject([{ text: 'still here', pending: false }]);
  });

  it('keeps processing frames when a listener throws', async () => {
    const reported: unknown[] = [];
    const { relay, make } = setup({ onError: (e) => reported.push(e) });
    const chat = make();
    const stop = effect(() => {
      if (chat.transcript.value.some((i) => i.kind === 'message' && !i.pending)) throw new Error('listener bug');
    });
    chat.connect();
    await relay.settle();
    chat.send('where is my deposit?');
    await relay.settle();
    stop();
    expect(reported.length).toBeGreaterThan(0);
    expect((reported[0] as Error).message).toBe('listener bug');
    // The ack, the event and the bot's answer after it were all applied.
    expect(messages(chat.transcript.value).map((m) => [m.seq, m.pending])).toEqual([
      [1, false],
      [2, false],
    ]);
    expect(chat.state.value).toBe('online');
  });

  it('rejects bad options with a clear TypeError', () => {
    expect(() => createVisitorClient({ relay: 'ftp://relay.test' })).toThrow(/http\(s\) URL/);
    expect(() => createVisitorClient({ relay: 'not a url' })).toThrow(TypeError);
    expect(() => createVisitorClient({ relay: 'http://relay.test', lang: 'english please' })).toThrow(/lang/);
    const chat = createVisitorClient({ relay: 'http://relay.test', storage: null, events: null });
    expect(() => chat.setLang('!!')).toThrow(TypeError);
    chat.setLang('zh-Hant');
  });

  it('sends the language set with setLang in the next hello', async () => {
    const { relay, make } = setup({ lang: 'en' });
    const chat = make();
    chat.connect();
    await relay.settle();
    chat.setLang('de');
    relay.drop();
    await vi.advanceTimersByTimeAsync(250);
    await relay.settle();
    expect(sent(relay, 'hello').map((h) => h.type === 'hello' && h.lang)).toEqual(['en', 'de']);
  });
});
