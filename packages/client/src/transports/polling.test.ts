import { encode } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pollingTransport } from './polling.js';

interface FakeRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | null;
  aborted: boolean;
  respond(status: number, body: unknown): void;
  fail(): void;
}

/** A scripted relay: every request waits until the test answers it (or the transport aborts it). */
function fakeHttp() {
  const requests: FakeRequest[] = [];
  const fakeFetch = ((input: string, init: RequestInit) =>
    new Promise<Response>((resolve, reject) => {
      const req: FakeRequest = {
        url: String(input),
        method: init.method ?? 'GET',
        headers: init.headers as Record<string, string>,
        body: (init.body as string | null) ?? null,
        aborted: false,
        respond: (status, body) => resolve(new Response(typeof body === 'string' ? body : JSON.stringify(body), { status })),
        fail: () => reject(new TypeError('fetch failed')),
      };
      init.signal?.addEventListener('abort', () => {
        req.aborted = true;
        reject(new DOMException('aborted', 'AbortError'));
      });
      requests.push(req);
    })) as unknown as typeof fetch;
  /** The newest request to `path` that is still waiting. */
  const pending = (path: string) => requests.filter((r) => r.url.includes(path) && !r.aborted).at(-1)!;
  return { requests, fetch: fakeFetch, pending };
}

const welcome = {
  v: 1,
  type: 'welcome',
  role: 'visitor',
  visitor: { id: 'v1', token: 'visitor-token-123456' },
  conversation: { id: 'c1', status: 'bot', createdAt: 1, updatedAt: 1, lastSeq: 0 },
  serverTime: 1,
};
const event = (seq: number) => ({
  v: 1,
  type: 'event',
  conversationId: 'c1',
  event: { kind: 'message', seq, at: seq, author: { role: 'bot' }, text: `m${seq}` },
});

const flush = () => vi.advanceTimersByTimeAsync(0);

function open(options: { timeoutMs?: number } = {}) {
  const http = fakeHttp();
  const events: string[] = [];
  const frames: unknown[] = [];
  const conn = pollingTransport({ fetch: http.fetch, ...options })('https://chat.example.com/support/', {
    onOpen: () => events.push('open'),
    onFrame: (raw) => {
      frames.push(JSON.parse(raw));
      events.push(`frame ${(JSON.parse(raw) as { type: string }).type}`);
    },
    onClose: ({ code, reason }) => events.push(`close ${code} ${reason}`),
  });
  return { http, events, frames, conn };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('polling transport', () => {
  it('opens at once, sends hello as POST /hello and hands the welcome on as a frame', async () => {
    const { http, events, frames, conn } = open();
    await flush();
    expect(events).toEqual(['open']);
    conn.send(encode({ type: 'hello', role: 'visitor', lang: 'en' }));
    const hello = http.pending('/hello');
    expect(hello.url).toBe('https://chat.example.com/support/api/poll/hello');
    expect(hello.method).toBe('POST');
    expect(JSON.parse(hello.body!)).toEqual({ v: 1, type: 'hello', role: 'visitor', lang: 'en' });
    expect(hello.headers.Authorization).toBeUndefined();
    hello.respond(200, { frames: [welcome] });
    await flush();
    expect(frames).toEqual([welcome]);
  });

  it('follows a subscription with held GETs from the newest seq, with the token from welcome', async () => {
    const { http, frames, conn } = open();
    await flush();
    conn.send(encode({ type: 'hello', role: 'visitor' }));
    http.pending('/hello').respond(200, { frames: [welcome] });
    await flush();
    conn.send(encode({ type: 'subscribe', conversationId: 'c1', afterSeq: 3 }));
    const first = http.pending('/events');
    // `p=c1:0`: no queue place known yet.
    expect(first.url).toBe('https://chat.example.com/support/api/poll/events?c=c1%3A3&p=c1%3A0');
    expect(first.headers.Authorization).toBe('Bearer visitor-token-123456');
    first.respond(200, { frames: [event(4), event(5)] });
    await flush();
    expect(frames.slice(1)).toEqual([event(4), event(5)]);
    const second = http.pending('/events');
    expect(second.url).toContain('c=c1%3A5');
    // An empty answer (the hold timed out) just polls again from the same seq.
    second.respond(200, { frames: [] });
    await flush();
    expect(http.pending('/events').url).toContain('c=c1%3A5');
    expect(http.requests.filter((r) => r.url.includes('/events'))).toHaveLength(3);
  });

  it('batches frames sent in one tick into one POST /send, one batch in flight at a time, in order', async () => {
    const { http, frames, conn } = open();
    await flush();
    conn.send(encode({ type: 'hello', role: 'visitor' }));
    http.pending('/hello').respond(200, { frames: [welcome] });
    await flush();
    conn.send(encode({ type: 'send', id: 'a', conversationId: 'c1', text: 'one' }));
    conn.send(encode({ type: 'send', id: 'b', conversationId: 'c1', text: 'two' }));
    await flush();
    conn.send(encode({ type: 'ping' }));
    await flush();
    const sends = http.requests.filter((r) => r.url.endsWith('/send'));
    expect(sends).toHaveLength(1);
    expect(JSON.parse(sends[0]!.body!).frames.map((f: { id?: string }) => f.id)).toEqual(['a', 'b']);
    sends[0]!.respond(200, { frames: [{ v: 1, type: 'ack', id: 'a', seq: 1 }, { v: 1, type: 'ack', id: 'b', seq: 2 }] });
    await flush();
    const next = http.requests.filter((r) => r.url.endsWith('/send'));
    expect(next).toHaveLength(2);
    expect(JSON.parse(next[1]!.body!).frames).toEqual([{ v: 1, type: 'ping' }]);
    expect(frames.slice(1).map((f) => (f as { id: string }).id)).toEqual(['a', 'b']);
  });

  it('reports a refused token (401) as close 4003, after handing on the error frame', async () => {
    const { http, events, conn } = open();
    await flush();
    conn.send(encode({ type: 'hello', role: 'visitor', token: 'stale-token-1234567890' }));
    http.pending('/hello').respond(401, { frames: [{ v: 1, type: 'error', code: 'unauthorized', message: 'unknown visitor token' }] });
    await flush();
    expect(events).toEqual(['open', 'frame error', 'close 4003 unauthorized']);
  });

  it('reports a network failure or a non-protocol answer as close 1006, once, and aborts the held GET', async () => {
    const { http, events, conn } = open();
    await flush();
    conn.send(encode({ type: 'hello', role: 'visitor' }));
    http.pending('/hello').respond(200, { frames: [welcome] });
    await flush();
    conn.send(encode({ type: 'subscribe', conversationId: 'c1', afterSeq: 0 }));
    const held = http.pending('/events');
    conn.send(encode({ type: 'send', id: 'a', conversationId: 'c1', text: 'x' }));
    await flush();
    http.pending('/send').respond(502, '<html>Bad gateway</html>');
    await flush();
    expect(events.filter((e) => e.startsWith('close'))).toEqual(['close 1006 request failed']);
    expect(held.aborted).toBe(true);
    expect(() => conn.send(encode({ type: 'ping' }))).toThrow('closed');
  });

  it('gives up on a request the relay never answers (half-open path) with close 1006', async () => {
    const { http, events, conn } = open({ timeoutMs: 5_000 });
    await flush();
    conn.send(encode({ type: 'hello', role: 'visitor' }));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(events).toEqual(['open', 'close 1006 request timed out']);
    expect(http.pending('/hello')).toBeUndefined();
  });

  it('stops following a conversation the relay refuses (403) and keeps following the others', async () => {
    const { http, frames, conn } = open();
    await flush();
    conn.send(encode({ type: 'hello', role: 'visitor' }));
    http.pending('/hello').respond(200, { frames: [welcome] });
    await flush();
    conn.send(encode({ type: 'subscribe', conversationId: 'c1', afterSeq: 0 }));
    conn.send(encode({ type: 'subscribe', conversationId: 'other', afterSeq: 0 }));
    const req = http.pending('/events');
    expect(req.url).toContain('c=c1%3A0&c=other%3A0');
    req.respond(403, { frames: [{ v: 1, type: 'error', code: 'forbidden', message: 'not yours' }], conversationId: 'other' });
    await flush();
    expect(frames.at(-1)).toMatchObject({ type: 'error', code: 'forbidden' });
    expect(http.pending('/events').url).toMatch(/\?c=c1%3A0&p=c1%3A0$/);
  });

  it('sends back the queue place it last got, so the relay answers only a changed one', async () => {
    const { http, frames, conn } = open();
    await flush();
    conn.send(encode({ type: 'hello', role: 'visitor' }));
    http.pending('/hello').respond(200, { frames: [welcome] });
    await flush();
    conn.send(encode({ type: 'subscribe', conversationId: 'c1', afterSeq: 0 }));
    http.pending('/events').respond(200, { frames: [{ v: 1, type: 'position', conversationId: 'c1', position: 3, etaSeconds: 120 }] });
    await flush();
    expect(frames.at(-1)).toMatchObject({ type: 'position', position: 3 });
    expect(http.pending('/events').url).toContain('c=c1%3A0&p=c1%3A3');
  });

  it('follows the queue for agents, sending back the version it got', async () => {
    const { http, frames, conn } = open();
    await flush();
    conn.send(encode({ type: 'hello', role: 'agent', token: 'agent-token-1234567890' }));
    expect(http.pending('/hello').headers.Authorization).toBe('Bearer agent-token-1234567890');
    const queue = { v: 1, type: 'queue', conversations: [] };
    http.pending('/hello').respond(200, { frames: [{ v: 1, type: 'welcome', role: 'agent', agent: { id: 'a', name: 'A' }, serverTime: 1 }, queue] });
    await flush();
    expect(http.pending('/events').url).toMatch(/\/events\?queue=$/);
    http.pending('/events').respond(200, { frames: [queue], queue: 'v2' });
    await flush();
    expect(http.pending('/events').url).toMatch(/queue=v2$/);
    expect(frames.filter((f) => (f as { type: string }).type === 'queue')).toHaveLength(2);
  });

  it('close() aborts what is in flight and reports close once', async () => {
    const { http, events, conn } = open();
    await flush();
    conn.send(encode({ type: 'hello', role: 'visitor' }));
    const hello = http.pending('/hello');
    conn.close(1000, 'bye');
    conn.close(1000, 'again');
    await flush();
    expect(hello.aborted).toBe(true);
    expect(events).toEqual(['open', 'close 1000 bye']);
  });
});
