import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeRelay } from './testing/fake-relay.js';
import type { VisitorClientOptions } from './types.js';
import { createVisitorClient } from './visitor.js';

// The connection manager is shared by both clients; it is driven here through the visitor.

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function setup(extra: Partial<VisitorClientOptions> = {}) {
  const relay = new FakeRelay();
  const network = new EventTarget();
  const chat = createVisitorClient({
    relay: 'http://relay.test',
    transport: relay.transport,
    storage: null,
    events: network,
    random: () => 1, // the longest delay of each window: 500, 1000, 2000 ms...
    ...extra,
  });
  return { relay, network, chat };
}

describe('connection', () => {
  it('pings every 25 s and stays online while the relay answers', async () => {
    const { relay, chat } = setup();
    chat.connect();
    await relay.settle();
    for (let i = 0; i < 12; i++) {
      await vi.advanceTimersByTimeAsync(25_000);
      await relay.settle();
    }
    expect(relay.received.filter((f) => f.type === 'ping')).toHaveLength(12);
    expect(chat.state.value).toBe('online');
    expect(relay.connections).toHaveLength(1);
  });

  it('jitters the ping period between 80 and 100 % of pingEveryMs, so clients that connected together drift apart', async () => {
    const early = setup({ random: () => 0 });
    const late = setup({ random: () => 1 });
    early.chat.connect();
    late.chat.connect();
    await early.relay.settle();
    await late.relay.settle();
    const pings = (r: FakeRelay) => r.received.filter((f) => f.type === 'ping').length;
    await vi.advanceTimersByTimeAsync(19_999);
    expect([pings(early.relay), pings(late.relay)]).toEqual([0, 0]);
    await vi.advanceTimersByTimeAsync(1);
    expect([pings(early.relay), pings(late.relay)]).toEqual([1, 0]);
    await vi.advanceTimersByTimeAsync(5_000);
    expect([pings(early.relay), pings(late.relay)]).toEqual([1, 1]);
    early.chat.disconnect();
    late.chat.disconnect();
  });

  it('declares a silent (half-open) connection dead within 60 s and reconnects', async () => {
    const { relay, chat } = setup();
    chat.connect();
    await relay.settle();
    relay.blackhole();
    await vi.advanceTimersByTimeAsync(59_999);
    expect(chat.state.value).toBe('online');
    await vi.advanceTimersByTimeAsync(1);
    expect(chat.state.value).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(500);
    await relay.settle();
    expect(relay.connections).toHaveLength(2);
    expect(chat.state.value).toBe('online');
  });

  it('gives up on an attempt that never gets a welcome within the same bound', async () => {
    const { relay, chat } = setup({ heartbeat: { deadAfterMs: 5_000 } });
    relay.dropServerFrame = (f) => f.type === 'welcome';
    chat.connect();
    await relay.settle();
    expect(chat.state.value).toBe('connecting');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(chat.state.value).toBe('reconnecting');
  });

  it('waits a full-jitter backoff between failed attempts, growing to the cap', async () => {
    const { relay, chat } = setup({ backoff: { baseMs: 500, capMs: 2_000 } });
    relay.refuse = true;
    chat.connect();
    await relay.settle();
    const waits = [500, 1_000, 2_000, 2_000];
    for (const [i, wait] of waits.entries()) {
      expect(chat.state.value).toBe('reconnecting');
      await vi.advanceTimersByTimeAsync(wait - 1);
      await relay.settle();
      expect(relay.connections).toHaveLength(i + 1);
      await vi.advanceTimersByTimeAsync(1);
      await relay.settle();
      expect(relay.connections).toHaveLength(i + 2);
    }
    relay.refuse = false;
    await vi.advanceTimersByTimeAsync(2_000);
    await relay.settle();
    expect(chat.state.value).toBe('online');
  });

  it('retries at once when the browser comes back online', async () => {
    const { relay, network, chat } = setup();
    relay.refuse = true;
    chat.connect();
    await relay.settle();
    expect(chat.state.value).toBe('reconnecting');
    relay.refuse = false;
    network.dispatchEvent(new Event('online'));
    await relay.settle();
    expect(relay.connections).toHaveLength(2);
    expect(chat.state.value).toBe('online');
  });

  it('goes offline on the offline event and does not retry until online', async () => {
    const { relay, network, chat } = setup();
    chat.connect();
    await relay.settle();
    network.dispatchEvent(new Event('offline'));
    expect(chat.state.value).toBe('offline');
    await vi.advanceTimersByTimeAsync(120_000);
    await relay.settle();
    expect(relay.connections).toHaveLength(1);
    expect(relay.connections[0]!.open).toBe(false);
    network.dispatchEvent(new Event('online'));
    await relay.settle();
    expect(chat.state.value).toBe('online');
    expect(relay.connections).toHaveLength(2);
  });

  it('stops for good on close 4001 (unsupported version)', async () => {
    const { relay, chat } = setup();
    chat.connect();
    await relay.settle();
    relay.drop(4001, 'speak v1');
    await relay.settle();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(chat.state.value).toBe('offline');
    expect(chat.lastError.value).toEqual({ code: 'unsupported_version', message: 'speak v1' });
    expect(relay.connections).toHaveLength(1);
  });

  it('reconnects after a normal close from the relay (a restart)', async () => {
    const { relay, chat } = setup();
    chat.connect();
    await relay.settle();
    relay.drop(1001, 'going away');
    await relay.settle();
    expect(chat.state.value).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(500);
    await relay.settle();
    expect(chat.state.value).toBe('online');
  });

  it('disconnect stops reconnecting and ignores the network events', async () => {
    const { relay, network, chat } = setup();
    chat.connect();
    await relay.settle();
    chat.disconnect();
    await relay.settle();
    expect(chat.state.value).toBe('idle');
    network.dispatchEvent(new Event('online'));
    await vi.advanceTimersByTimeAsync(120_000);
    await relay.settle();
    expect(relay.connections).toHaveLength(1);
    chat.connect();
    chat.connect(); // idempotent
    await relay.settle();
    expect(relay.connections).toHaveLength(2);
    expect(chat.state.value).toBe('online');
  });

  it('survives a transport that throws when opening, and retries', async () => {
    const relay = new FakeRelay();
    let fail = true;
    const chat = createVisitorClient({
      relay: 'http://relay.test',
      storage: null,
      events: null,
      random: () => 1,
      transport: (url, handlers) => {
        if (fail) throw new Error('no WebSocket here');
        return relay.transport(url, handlers);
      },
    });
    chat.connect();
    expect(chat.state.value).toBe('reconnecting');
    expect(chat.lastError.value).toEqual({ code: 'transport', message: 'no WebSocket here' });
    fail = false;
    await vi.advanceTimersByTimeAsync(500);
    await relay.settle();
    expect(chat.state.value).toBe('online');
  });
});
