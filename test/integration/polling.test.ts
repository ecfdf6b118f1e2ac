import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../support/signals.js';
import { WebSocket } from 'ws';
import {
  autoTransport,
  createAgentClient,
  createVisitorClient,
  loginAgent,
  pollingTransport,
  websocketTransport,
  type AgentClient,
  type TranscriptItem,
  type TransportFactory,
  type VisitorClient,
} from '@parley/client';
import { encode, type ServerFrame } from '@parley/protocol';
import { connect } from './helpers.js';
import { DEMO_AGENT, InProcessBus, MemoryStore, createRelay, type Bot, type Relay, type RelayOptions } from '@parley/relay';

// The real client against the real relay over real HTTP long-polling: the same story as over
// WebSockets, mixed transports, access checks, and proof that polling needs no sticky sessions.

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});


const texts = (items: TranscriptItem[]) => items.flatMap((i) => (i.kind === 'message' && !i.pending ? [`${i.author.role}: ${i.text}`] : []));

const bot: Bot = {
  reply: async ({ text }) => (text.includes('deposit') ? { text: 'Deposits arrive within 30 minutes.' } : null),
};

async function relayWith(options: RelayOptions = {}): Promise<Relay> {
  const relay = await createRelay({ config: { port: 0, agents: [DEMO_AGENT] }, logger: 'silent', bot, ...options });
  cleanup.push(() => relay.close());
  return relay;
}

const NodeWebSocket = WebSocket as unknown as typeof globalThis.WebSocket;

async function clients(relay: Relay, transports: { visitor: TransportFactory | 'polling'; agent: TransportFactory | 'polling' | 'websocket' }) {
  const visitor = createVisitorClient({ relay: relay.url, transport: transports.visitor, events: null, storage: null, lang: 'en' });
  cleanup.push(() => visitor.disconnect());
  const { token } = await loginAgent(relay.url, 'demo', 'demo-password');
  const agent = createAgentClient({ relay: relay.url, token, transport: transports.agent, WebSocket: NodeWebSocket, events: null });
  cleanup.push(() => agent.disconnect());
  return { visitor, agent };
}

/** The whole story; both sides end with the same messages, each once, in order. */
async function story(visitor: VisitorClient, agent: AgentClient): Promise<void> {
  visitor.connect();
  agent.connect();
  await until(visitor.state, (s) => s === 'online', 'the visitor online');
  await until(agent.state, (s) => s === 'online', 'the agent online');
  visitor.send('Where is my deposit?');
  await until(visitor.transcript, (t) => texts(t).length === 2, 'the bot answer');
  visitor.requestHuman();
  await until(visitor.status, (s) => s === 'waiting', 'waiting');
  const queue = await until(agent.queue, (q) => q.some((c) => c.status === 'waiting'), 'the queue entry');
  const id = queue.find((c) => c.status === 'waiting')!.id;
  await agent.take(id);
  await until(visitor.agent, (a) => a?.id === 'demo', 'the agent on the visitor side');
  const transcript = agent.transcript(id);
  agent.send(id, 'Hi, I am checking your deposit now.');
  await until(visitor.transcript, (t) => texts(t).some((x) => x.startsWith('agent: ')), 'the agent reply at the visitor');
  visitor.send('Thank you!');
  await until(transcript, (t) => texts(t).includes('visitor: Thank you!'), 'the visitor reply at the agent');
  // Over polling the ack travels on its own request: it may land after the agent saw the message.
  await until(visitor.transcript, (t) => texts(t).includes('visitor: Thank you!'), 'the visitor reply acked');
  const expected = [
    'visitor: Where is my deposit?',
    'bot: Deposits arrive within 30 minutes.',
    'agent: Hi, I am checking your deposit now.',
    'visitor: Thank you!',
  ];
  expect(texts(transcript.value)).toEqual(expected);
  expect(texts(visitor.transcript.value)).toEqual(expected);
  await agent.close(id);
  await until(visitor.status, (s) => s === 'closed', 'closed at the visitor');
}

/** Raw polling requests, for the access and protocol checks. */
async function poll(relay: Relay, path: string, init: { token?: string; body?: string } = {}) {
  const res = await fetch(`${relay.url}/api/poll${path}`, {
    method: init.body === undefined ? 'GET' : 'POST',
    headers: init.token ? { Authorization: `Bearer ${init.token}` } : {},
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
  return { status: res.status, body: (await res.json()) as { frames: ServerFrame[]; queue?: string; conversationId?: string } };
}

async function newVisitor(relay: Relay) {
  const { body } = await poll(relay, '/hello', { body: encode({ type: 'hello', role: 'visitor', lang: 'en' }) });
  const welcome = body.frames[0];
  if (welcome?.type !== 'welcome' || !welcome.visitor || !welcome.conversation) throw new Error(`no welcome: ${JSON.stringify(body)}`);
  return { token: welcome.visitor.token, conversationId: welcome.conversation.id };
}

describe('long-polling against a real relay', () => {
  it('visitor -> bot -> hand-off -> agent -> replies -> close, both sides over polling', async () => {
    const relay = await relayWith();
    const { visitor, agent } = await clients(relay, { visitor: 'polling', agent: 'polling' });
    await story(visitor, agent);
  });

  it('mixes transports: the visitor polls, the agent is on a WebSocket', async () => {
    const relay = await relayWith();
    const { visitor, agent } = await clients(relay, { visitor: 'polling', agent: 'websocket' });
    await story(visitor, agent);
  });

  it("refuses a visitor's token for another visitor's conversation with 403 forbidden", async () => {
    const relay = await relayWith();
    const a = await newVisitor(relay);
    const b = await newVisitor(relay);
    const res = await poll(relay, `/events?c=${b.conversationId}:0`, { token: a.token });
    expect(res.status).toBe(403);
    expect(res.body.frames[0]).toMatchObject({ type: 'error', code: 'forbidden' });
    expect(res.body.conversationId).toBe(b.conversationId);
    const send = await poll(relay, '/send', { token: a.token, body: JSON.stringify({ frames: [{ v: 1, type: 'send', id: 'm1', conversationId: b.conversationId, text: 'hi' }] }) });
    expect(send.body.frames).toEqual([expect.objectContaining({ type: 'error', code: 'forbidden', id: 'm1' })]);
  });

  it('answers an unknown token with 401 unauthorized and bad input with clear errors', async () => {
    const relay = await relayWith();
    const denied = await poll(relay, '/events?c=abc:0', { token: 'x'.repeat(32) });
    expect(denied.status).toBe(401);
    expect(denied.body.frames[0]).toMatchObject({ type: 'error', code: 'unauthorized' });
    expect((await poll(relay, '/events?c=abc:0')).status).toBe(401);
    const { token } = await newVisitor(relay);
    expect((await poll(relay, '/events?c=not%20an%20id', { token })).body.frames[0]).toMatchObject({ code: 'bad_frame' });
    expect((await poll(relay, '/send', { token, body: 'nope' })).body.frames[0]).toMatchObject({ code: 'bad_json' });
    const many = JSON.stringify({ frames: Array.from({ length: 51 }, () => ({ v: 1, type: 'ping' })) });
    expect((await poll(relay, '/send', { token, body: many })).status).toBe(400);
    const invalid = await poll(relay, '/send', { token, body: JSON.stringify({ frames: [{ v: 1, type: 'send', id: 'bad id!', conversationId: 'c', text: 'x' }] }) });
    expect(invalid.body.frames[0]).toMatchObject({ type: 'error', code: 'bad_frame' });
    expect((await poll(relay, '/hello', { body: encode({ type: 'ping' }) })).status).toBe(400);
  });

  it('refuses a body over the size limit with 413 too_large', async () => {
    const relay = await relayWith({ config: { port: 0, agents: [DEMO_AGENT], limits: { maxPayloadBytes: 1024 } } });
    const { token } = await newVisitor(relay);
    const res = await poll(relay, '/send', { token, body: JSON.stringify({ frames: ['x'.repeat(2000)] }) });
    expect(res.status).toBe(413);
    expect(res.body.frames[0]).toMatchObject({ code: 'too_large' });
  });

  it('rate-limits polling frames like WebSocket frames (per token), naming each refused frame', async () => {
    const relay = await relayWith();
    const { token } = await newVisitor(relay);
    const frames = Array.from({ length: 45 }, (_, i) => ({ v: 1, type: 'ping', id: `p${i}` }));
    const res = await poll(relay, '/send', { token, body: JSON.stringify({ frames }) });
    const limited = res.body.frames.filter((f) => f.type === 'error' && f.code === 'rate_limited');
    expect(res.body.frames.filter((f) => f.type === 'pong')).toHaveLength(40);
    expect(limited.map((f) => (f as { id?: string }).id)).toEqual(['p40', 'p41', 'p42', 'p43', 'p44']);
  });

  it('answers the same frame the same way over WebSocket and polling (one session code path)', async () => {
    const relay = await relayWith();
    const a = await newVisitor(relay);
    const b = await newVisitor(relay);
    const frame = { type: 'handoff' as const, id: 'h1', conversationId: b.conversationId };
    const polled = await poll(relay, '/send', { token: a.token, body: JSON.stringify({ frames: [{ v: 1, ...frame }] }) });
    const socket = await connect(relay.url);
    cleanup.push(() => socket.close());
    socket.send({ type: 'hello', role: 'visitor', token: a.token });
    await socket.next((f) => f.type === 'welcome');
    socket.send(frame);
    const overWs = await socket.next((f) => f.type === 'error');
    expect(polled.body.frames).toEqual([overWs]);
    expect(overWs).toMatchObject({ code: 'forbidden', id: 'h1' });
  });

  it('answers held requests when the relay shuts down', async () => {
    const relay = await createRelay({ config: { port: 0, agents: [DEMO_AGENT] }, logger: 'silent' });
    const { token, conversationId } = await newVisitor(relay);
    const started = Date.now();
    const held = poll(relay, `/events?c=${conversationId}:0`, { token }).catch(() => null);
    await new Promise((r) => setTimeout(r, 100));
    await relay.close();
    await held;
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('bounds a body sent without a length (chunked) too, and takes one under the limit', async () => {
    const relay = await relayWith({ bot: null, config: { port: 0, agents: [DEMO_AGENT], limits: { maxPayloadBytes: 1024 } } });
    const { token, conversationId } = await newVisitor(relay);
    // A stream body has no Content-Length: it goes out chunked, and only reading it tells its size.
    const chunked = (text: string) =>
      fetch(`${relay.url}/api/poll/send`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}` },
        body: new Blob([text]).stream(),
        duplex: 'half',
      } as RequestInit & { duplex: 'half' });
    const big = await chunked(JSON.stringify({ frames: ['x'.repeat(2000)] }));
    expect(big.status).toBe(413);
    expect(((await big.json()) as { frames: ServerFrame[] }).frames[0]).toMatchObject({ code: 'too_large' });
    const small = await chunked(JSON.stringify({ frames: [encode({ type: 'send', id: 'm1', conversationId, text: 'hello' })] }));
    expect(small.status).toBe(200);
    expect(((await small.json()) as { frames: ServerFrame[] }).frames).toContainEqual(expect.objectContaining({ type: 'ack', id: 'm1' }));
  });

  it('answers every poll uncached and readable from any origin, with nosniff', async () => {
    const relay = await relayWith();
    const hello = await fetch(`${relay.url}/api/poll/hello`, { method: 'POST', body: encode({ type: 'hello', role: 'visitor', lang: 'en' }) });
    expect(hello.status).toBe(200);
    for (const [name, value] of [
      ['access-control-allow-origin', '*'],
      ['cache-control', 'no-store'],
      ['x-content-type-options', 'nosniff'],
      ['content-type', 'application/json; charset=utf-8'],
    ]) {
      expect(hello.headers.get(name!)).toBe(value);
    }
  });

  it('lets pages on any origin poll (CORS preflight for the bearer header)', async () => {
    const relay = await relayWith();
    const res = await fetch(`${relay.url}/api/poll/events`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://shop.example', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    // Errors carry it too, so the page can read why it was refused.
    const denied = await fetch(`${relay.url}/api/poll/events?c=abc:0`, { headers: { Origin: 'https://shop.example' } });
    expect(denied.status).toBe(401);
    expect(denied.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('holds an events request until something happens, then answers at once', async () => {
    const relay = await relayWith({ bot: null });
    const { token, conversationId } = await newVisitor(relay);
    const started = Date.now();
    const held = poll(relay, `/events?c=${conversationId}:0`, { token });
    await new Promise((r) => setTimeout(r, 150));
    await poll(relay, '/send', { token, body: JSON.stringify({ frames: [{ v: 1, type: 'send', id: 'm1', conversationId, text: 'hello' }] }) });
    const res = await held;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(res.body.frames).toEqual([expect.objectContaining({ type: 'event', conversationId, event: expect.objectContaining({ seq: 1, text: 'hello' }) })]);
  });

  it('answers an empty list when nothing happens within the hold time', async () => {
    const relay = await relayWith({ config: { port: 0, agents: [DEMO_AGENT], limits: { pollHoldMs: 200 } } });
    const { token, conversationId } = await newVisitor(relay);
    const res = await poll(relay, `/events?c=${conversationId}:0`, { token });
    expect(res).toEqual({ status: 200, body: { frames: [] } });
  });

  it('bounds held requests per token (429 rate_limited)', async () => {
    const relay = await relayWith({ config: { port: 0, agents: [DEMO_AGENT], limits: { pollHoldMs: 1_000, pollMaxHeldPerToken: 2 } } });
    const { token, conversationId } = await newVisitor(relay);
    const held = [poll(relay, `/events?c=${conversationId}:0`, { token }), poll(relay, `/events?c=${conversationId}:0`, { token })];
    await new Promise((r) => setTimeout(r, 100));
    const third = await poll(relay, `/events?c=${conversationId}:0`, { token });
    expect(third.status).toBe(429);
    expect(third.body.frames[0]).toMatchObject({ code: 'rate_limited' });
    await Promise.all(held);
  });

  it('releases a held request when the client goes away', async () => {
    const relay = await relayWith({ config: { port: 0, agents: [DEMO_AGENT], limits: { pollMaxHeldPerToken: 1 } } });
    const { token, conversationId } = await newVisitor(relay);
    const ctl = new AbortController();
    const url = `${relay.url}/api/poll/events?c=${conversationId}:0`;
    const held = fetch(url, { headers: { Authorization: `Bearer ${token}` }, signal: ctl.signal }).catch(() => null);
    await new Promise((r) => setTimeout(r, 100));
    expect((await poll(relay, `/events?c=${conversationId}:0`, { token })).status).toBe(429);
    ctl.abort();
    await held;
    await new Promise((r) => setTimeout(r, 100));
    // The slot of the vanished client is free again: the next request is held, not refused.
    const next = await Promise.race([
      poll(relay, `/events?c=${conversationId}:0`, { token }).then((r) => r.status),
      new Promise((r) => setTimeout(() => r('held'), 300)),
    ]);
    expect(next).toBe('held');
  });

  it('needs no sticky sessions: requests alternate between two relays sharing one store and bus', async () => {
    const store = new MemoryStore();
    const bus = new InProcessBus();
    cleanup.push(() => bus.close());
    const config = { port: 0, agents: [DEMO_AGENT] };
    const a = await relayWith({ store, bus, config });
    const b = await relayWith({ store, bus, config });
    // Every request of both clients goes to the next relay in turn.
    let turn = 0;
    const alternating: typeof fetch = (input, init) => {
      const url = new URL(String(input));
      const target = new URL(turn++ % 2 === 0 ? a.url : b.url);
      url.host = target.host;
      return fetch(url, init);
    };
    const transport = pollingTransport({ fetch: alternating });
    const { visitor, agent } = await clients(a, { visitor: transport, agent: transport });
    await story(visitor, agent);
    expect(turn).toBeGreaterThan(10);
  });

  it('needs no sticky sessions: a burst over two relays lands exactly once each, in order', async () => {
    const store = new MemoryStore();
    const bus = new InProcessBus();
    cleanup.push(() => bus.close());
    const config = { port: 0, agents: [DEMO_AGENT] };
    const a = await relayWith({ store, bus, config, bot: null });
    const b = await relayWith({ store, bus, config, bot: null });
    let turn = 0;
    const alternating: typeof fetch = (input, init) => {
      const url = new URL(String(input));
      url.host = new URL(turn++ % 2 === 0 ? a.url : b.url).host;
      return fetch(url, init);
    };
    const visitor = createVisitorClient({ relay: a.url, transport: pollingTransport({ fetch: alternating }), events: null, storage: null });
    cleanup.push(() => visitor.disconnect());
    // A second tab of nobody: a raw WebSocket agent-side reader on relay b sees the same stream.
    visitor.connect();
    await until(visitor.state, (s) => s === 'online', 'online');
    const sent = Array.from({ length: 30 }, (_, i) => `message ${i}`);
    for (const text of sent) visitor.send(text);
    const done = await until(visitor.transcript, (t) => texts(t).length === sent.length, 'all acked');
    expect(texts(done)).toEqual(sent.map((t) => `visitor: ${t}`));
    const stored = await store.eventsAfter(visitor.conversation.value!.id, 0, 100);
    expect(stored.map((e) => (e.kind === 'message' ? e.text : e.kind))).toEqual(sent);
  });

  it('auto falls back to polling when the WebSocket upgrade is refused, and nothing is lost', async () => {
    const relay = await relayWith();
    // A WebSocket path the relay refuses (404 on upgrade), like a proxy that blocks upgrades.
    const transport = autoTransport({
      websocket: websocketTransport({ WebSocket: NodeWebSocket, path: '/blocked' }),
      polling: pollingTransport(),
    });
    const { visitor, agent } = await clients(relay, { visitor: transport, agent: 'websocket' });
    await story(visitor, agent);
  });
});
