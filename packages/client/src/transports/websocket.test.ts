import { describe, expect, it } from 'vitest';
import { relayWebSocketUrl } from '../url.js';
import { websocketTransport } from './websocket.js';

/** Records what the transport does with the socket, and lets the test play the network. */
class FakeSocket {
  static last: FakeSocket | undefined;
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onclose: ((e: { code: number; reason: string }) => void) | null = null;
  onerror: (() => void) | null = null;
  sent: string[] = [];
  closedWith: unknown[] | undefined;
  constructor(readonly url: string) {
    FakeSocket.last = this;
  }
  send(raw: string) {
    this.sent.push(raw);
  }
  close(...args: unknown[]) {
    if (args[0] === 999) throw new Error('InvalidAccessError');
    this.closedWith = args;
  }
}

function open() {
  const events: string[] = [];
  const transport = websocketTransport({ WebSocket: FakeSocket as unknown as typeof WebSocket });
  const conn = transport('https://chat.example.com/support/', {
    onOpen: () => events.push('open'),
    onFrame: (raw) => events.push(`frame ${raw}`),
    onClose: ({ code, reason }) => events.push(`close ${code} ${reason}`),
  });
  return { events, conn, socket: FakeSocket.last! };
}

describe('websocket transport', () => {
  it('derives the ws(s) URL from the relay URL, keeping a path prefix', () => {
    expect(relayWebSocketUrl('http://localhost:8787')).toBe('ws://localhost:8787/ws');
    expect(relayWebSocketUrl('https://chat.example.com///')).toBe('wss://chat.example.com/ws');
    expect(relayWebSocketUrl('https://example.com/support/chat/?x=1#y')).toBe('wss://example.com/support/chat/ws');
    expect(() => relayWebSocketUrl('ws://example.com')).toThrow(TypeError);
    expect(() => relayWebSocketUrl('example.com')).toThrow(TypeError);
  });

  it('opens the relay socket with the injected constructor and reports open, frames and close once', () => {
    const { events, conn, socket } = open();
    expect(socket.url).toBe('wss://chat.example.com/support/ws');
    socket.onopen!();
    socket.onmessage!({ data: '{"v":1}' });
    conn.send('{"v":1,"type":"ping"}');
    expect(socket.sent).toEqual(['{"v":1,"type":"ping"}']);
    socket.onerror?.();
    socket.onclose!({ code: 1006, reason: '' });
    socket.onclose!({ code: 1006, reason: '' });
    expect(events).toEqual(['open', 'frame {"v":1}', 'close 1006 ']);
  });

  it('passes binary frames on as text so the client rejects them visibly', () => {
    const { events, socket } = open();
    socket.onmessage!({ data: new ArrayBuffer(2) });
    expect(events).toEqual(['frame [object ArrayBuffer]']);
  });

  it('closes with the code given, falling back to a plain close on a code the socket refuses', () => {
    const { conn, socket } = open();
    conn.close(1000, 'bye');
    expect(socket.closedWith).toEqual([1000, 'bye']);
    conn.close(999, 'bad');
    expect(socket.closedWith).toEqual([]);
  });

  it('says clearly when there is no WebSocket', () => {
    const saved = globalThis.WebSocket;
    // @ts-expect-error simulate a platform without WebSocket
    delete globalThis.WebSocket;
    try {
      expect(() => websocketTransport()('http://x.test', { onOpen() {}, onFrame() {}, onClose() {} })).toThrow(/WebSocket option/);
    } finally {
      globalThis.WebSocket = saved;
    }
  });
});
