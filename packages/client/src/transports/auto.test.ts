import { encode } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeRelay } from '../testing/fake-relay.js';
import type { TransportFactory, TransportHandlers } from '../types.js';
import { createVisitorClient } from '../visitor.js';
import { autoTransport } from './auto.js';

/** A scripted transport: the test decides when it opens, answers or closes. */
function scripted(name: string, log: string[]) {
  const made: { handlers: TransportHandlers; sent: string[]; closed: boolean }[] = [];
  const factory: TransportFactory = (_url, handlers) => {
    const c = { handlers, sent: [] as string[], closed: false };
    made.push(c);
    log.push(`${name} opened`);
    return {
      send: (raw) => {
        c.sent.push(raw);
      },
      close: () => {
        c.closed = true;
      },
    };
  };
  return { factory, made, last: () => made.at(-1)! };
}

const WELCOME = encode({ type: 'welcome', role: 'visitor', serverTime: 1 });
const HELLO = encode({ type: 'hello', role: 'visitor' });

function setup(opts: { retry?: number } = {}) {
  const log: string[] = [];
  const ws = scripted('ws', log);
  const poll = scripted('poll', log);
  const events: string[] = [];
  const factory = autoTransport({ websocket: ws.factory, polling: poll.factory, retryWebSocketMs: opts.retry ?? 60_000 });
  const connect = () => {
    const conn = factory('https://chat.example.com', {
      onOpen: () => {
        events.push('open');
        conn.send(HELLO);
      },
      onFrame: (raw) => events.push(`frame ${(JSON.parse(raw) as { type: string }).type}`),
      onClose: ({ code, reason }) => events.push(`close ${code} ${reason}`),
    });
    return conn;
  };
  return { log, ws, poll, events, connect };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('auto transport', () => {
  it('uses the WebSocket when it works', () => {
    const { ws, poll, events, connect } = setup();
    connect();
    ws.last().handlers.onOpen();
    ws.last().handlers.onFrame(WELCOME);
    expect(events).toEqual(['open', 'frame welcome']);
    expect(ws.last().sent).toEqual([HELLO]);
    expect(poll.made).toHaveLength(0);
  });

  it('continues the same attempt over polling when the upgrade is refused, without a close', () => {
    const { ws, poll, events, connect } = setup();
    connect();
    ws.last().handlers.onClose({ code: 1006, reason: '' });
    poll.last().handlers.onOpen();
    poll.last().handlers.onFrame(WELCOME);
    expect(events).toEqual(['open', 'frame welcome']);
    expect(poll.last().sent).toEqual([HELLO]);
  });

  it('says hello again over polling when the socket opened but was cut before the welcome', () => {
    const { ws, poll, events, connect } = setup();
    connect();
    ws.last().handlers.onOpen();
    ws.last().handlers.onClose({ code: 1006, reason: 'proxy cut it' });
    poll.last().handlers.onOpen();
    expect(poll.last().sent).toEqual([HELLO]);
    poll.last().handlers.onFrame(WELCOME);
    // The client saw a second open (and said hello again), never a close.
    expect(events).toEqual(['open', 'open', 'frame welcome']);
  });

  it('falls back when the socket hangs without ever answering', async () => {
    const { ws, poll, connect } = setup();
    connect();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(ws.last().closed).toBe(true);
    expect(poll.made).toHaveLength(1);
  });

  it('does not fall back on a terminal close (a refused token is not a network problem)', () => {
    const { ws, poll, events, connect } = setup();
    connect();
    ws.last().handlers.onOpen();
    ws.last().handlers.onClose({ code: 4003, reason: 'unauthorized' });
    expect(events).toEqual(['open', 'close 4003 unauthorized']);
    expect(poll.made).toHaveLength(0);
  });

  it('a cut after the welcome is an ordinary close (the client reconnects)', () => {
    const { ws, poll, events, connect } = setup();
    connect();
    ws.last().handlers.onOpen();
    ws.last().handlers.onFrame(WELCOME);
    ws.last().handlers.onClose({ code: 1006, reason: '' });
    expect(events).toEqual(['open', 'frame welcome', 'close 1006 ']);
    expect(poll.made).toHaveLength(0);
  });

  it('stays on polling once it worked, probes the WebSocket later and moves back when it opens', async () => {
    const { ws, poll, events, connect, log } = setup({ retry: 1_000 });
    const first = connect();
    ws.last().handlers.onClose({ code: 1006, reason: '' });
    poll.last().handlers.onOpen();
    poll.last().handlers.onFrame(WELCOME);
    first.close(1000, 'dropped');
    // The next attempt goes straight to polling.
    connect();
    expect(log.at(-1)).toBe('poll opened');
    poll.last().handlers.onOpen();
    poll.last().handlers.onFrame(WELCOME);
    // A probe that fails doubles the wait.
    await vi.advanceTimersByTimeAsync(1_000);
    expect(log.at(-1)).toBe('ws opened');
    ws.last().handlers.onClose({ code: 1006, reason: '' });
    await vi.advanceTimersByTimeAsync(1_999);
    expect(log.filter((l) => l === 'ws opened')).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(log.filter((l) => l === 'ws opened')).toHaveLength(3);
    // This probe opens: the polling connection ends (non-terminal) so the client reconnects...
    ws.last().handlers.onOpen();
    expect(ws.last().closed).toBe(true);
    expect(poll.last().closed).toBe(true);
    expect(events.at(-1)).toBe('close 1000 moving to WebSocket');
    // ...and the next attempt is a WebSocket again.
    connect();
    expect(log.at(-1)).toBe('ws opened');
  });
});

describe('auto transport in the client', () => {
  it('a visitor whose WebSocket is refused gets online over polling and delivers its message once', async () => {
    const relay = new FakeRelay();
    let wsTries = 0;
    const refused: TransportFactory = (_url, handlers) => {
      wsTries++;
      queueMicrotask(() => handlers.onClose({ code: 1006, reason: 'upgrade refused' }));
      return { send: () => {}, close: () => {} };
    };
    const chat = createVisitorClient({
      relay: 'https://chat.example.com',
      transport: autoTransport({ websocket: refused, polling: relay.transport }),
      storage: null,
      events: null,
    });
    const states: string[] = [];
    chat.state.subscribe((s) => states.push(s));
    chat.connect();
    chat.send('hello over polling');
    await relay.settle();
    expect(chat.state.value).toBe('online');
    // The visitor never saw "reconnecting": the fallback happened inside the first attempt.
    expect(states).toEqual(['idle', 'connecting', 'online']);
    expect(wsTries).toBe(1);
    const sends = relay.received.filter((f) => f.type === 'send');
    expect(sends).toHaveLength(1);
    chat.disconnect();
  });
});
