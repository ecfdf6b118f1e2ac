import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode, type AckFrame } from '@parley/protocol';
import { MemoryStore, RedisBus, createRelay, type Relay } from '../../packages/relay/src/index.js';
import { DEFAULT_TEST_REDIS, findService, probeRedis } from '../../packages/relay/src/testing/services.js';
import { agent, connect, is, login, visitor, type TestSocket } from './helpers.js';

// The agent-only HTTP endpoints: who is online, and a visitor's data rights (export, erase).

const sockets: TestSocket[] = [];
let relay: Relay;
let token: string;

beforeAll(async () => {
  relay = await createRelay({ config: { port: 0 }, logger: 'silent', bot: null });
  const res = await login(relay.url, { username: 'demo', password: 'demo-password' });
  token = ((await res.json()) as { token: string }).token;
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await relay.close();
});

const call = (path: string, init: RequestInit & { token?: string | null } = {}) => {
  const auth = init.token === undefined ? token : init.token;
  return fetch(`${relay.url}${path}`, { ...init, headers: { ...(auth !== null ? { authorization: `Bearer ${auth}` } : {}) } });
};

async function chattyVisitor(relayUrl: string, texts: string[]) {
  const v = await visitor(relayUrl, { lang: 'en' });
  sockets.push(v.socket);
  for (const [i, text] of texts.entries()) {
    v.socket.send({ type: 'send', id: `m${i}`, conversationId: v.conversationId, text });
    await v.socket.next<AckFrame>(is.ack(`m${i}`));
  }
  return { ...v, visitorId: v.welcome.visitor!.id };
}

describe('agent API: login required', () => {
  const endpoints: [string, string][] = [
    ['GET', '/api/agent/presence'],
    ['GET', '/api/agent/visitors/someone/export'],
    ['DELETE', '/api/agent/visitors/someone'],
  ];
  it.each(endpoints)('%s %s refuses a request without an agent token (401)', async (method, path) => {
    const res = await call(path, { method, token: null });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
  });
  it.each(endpoints)('%s %s refuses an unknown token, and a visitor token (401)', async (method, path) => {
    expect((await call(path, { method, token: 'x'.repeat(43) })).status).toBe(401);
    const v = await visitor(relay.url);
    sockets.push(v.socket);
    expect((await call(path, { method, token: v.token })).status).toBe(401);
  });
  it('a refused erase erases nothing', async () => {
    const v = await chattyVisitor(relay.url, ['keep me']);
    expect((await call(`/api/agent/visitors/${v.visitorId}`, { method: 'DELETE', token: null })).status).toBe(401);
    expect(await relay.store.exportVisitor(v.visitorId)).not.toBeNull();
  });
});

describe('agent API: presence', () => {
  it('lists the agents online and counts the visitors, and forgets them when they leave', async () => {
    const before = (await (await call('/api/agent/presence')).json()) as { agents: string[]; visitors: number };
    const a = await agent(relay.url, 'demo', 'demo-password');
    const v = await visitor(relay.url);
    const during = (await (await call('/api/agent/presence')).json()) as { agents: string[]; visitors: number };
    expect(during.agents).toEqual(['demo']);
    expect(during.visitors).toBe(before.visitors + 1);
    a.socket.close();
    v.socket.close();
    await Promise.all([a.socket.closed, v.socket.closed]);
    await new Promise((r) => setTimeout(r, 50));
    const after = (await (await call('/api/agent/presence')).json()) as { agents: string[]; visitors: number };
    expect(after).toEqual({ agents: [], visitors: before.visitors });
  });
});

describe('agent API: visitor data rights', () => {
  it('exports everything held about a visitor as a JSON download', async () => {
    const v = await chattyVisitor(relay.url, ['my 2FA phone was stolen', 'please lock my account']);
    const res = await call(`/api/agent/visitors/${v.visitorId}/export`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(`parley-visitor-${v.visitorId}.json`);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const doc = (await res.json()) as { format: string; visitor: { id: string }; conversations: { id: string; events: { text?: string }[] }[] };
    expect(doc.format).toBe('parley.visitor-export/1');
    expect(doc.visitor.id).toBe(v.visitorId);
    expect(doc.conversations.map((c) => c.id)).toEqual([v.conversationId]);
    expect(doc.conversations[0]!.events.map((e) => e.text)).toEqual(['my 2FA phone was stolen', 'please lock my account']);
    expect(JSON.stringify(doc)).not.toContain(v.token);
  });

  it('exports and erases the tickets made from the visitor’s chats', async () => {
    const v = await chattyVisitor(relay.url, ['nobody answered me']);
    const record = (await relay.store.getConversation(v.conversationId))!;
    const ticket = await relay.tickets.fromConversation(record, await relay.store.eventsAfter(v.conversationId, 0, 100));
    const other = await relay.tickets.create({ subject: 'Someone else', description: 'not this visitor', email: 'x@example.com' });

    const doc = (await (await call(`/api/agent/visitors/${v.visitorId}/export`)).json()) as { tickets: { number: string; messages: { text: string }[] }[] };
    expect(doc.tickets.map((t) => t.number)).toEqual([ticket.number]);
    expect(doc.tickets[0]!.messages[0]!.text).toContain('nobody answered me');

    const res = await call(`/api/agent/visitors/${v.visitorId}`, { method: 'DELETE' });
    expect(await res.json()).toMatchObject({ found: true, conversations: 1, tickets: 1 });
    expect(await relay.store.getTicket(ticket.number)).toBeNull();
    expect(await relay.store.getTicket(other.number)).not.toBeNull();
  });

  it('erases the visitor and closes their live connection; the old token no longer works', async () => {
    const v = await chattyVisitor(relay.url, ['delete me']);
    const res = await call(`/api/agent/visitors/${v.visitorId}`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ visitorId: v.visitorId, found: true, conversations: 1, events: 1, tickets: 0 });
    expect((await v.socket.closed).code).toBe(CloseCode.Unauthorized);
    expect(await relay.store.exportVisitor(v.visitorId)).toBeNull();
    expect((await call(`/api/agent/visitors/${v.visitorId}/export`)).status).toBe(404);
    const again = await connect(relay.url);
    sockets.push(again);
    again.send({ type: 'hello', role: 'visitor', token: v.token });
    await again.next(is.error('unauthorized'));
  });

  it('answers 404 for an unknown visitor and 400 for an id that cannot be one', async () => {
    expect((await call('/api/agent/visitors/nobody-here/export')).status).toBe(404);
    expect((await call('/api/agent/visitors/nobody-here', { method: 'DELETE' })).status).toBe(404);
    expect((await call(`/api/agent/visitors/${'x'.repeat(65)}/export`)).status).toBe(400);
    expect((await call('/api/agent/visitors/a.b/export')).status).toBe(400);
  });
});

const redis = await findService({ suite: 'agent API across relays (Redis)', envVar: 'PARLEY_TEST_REDIS', defaultUrl: DEFAULT_TEST_REDIS, probe: probeRedis });

describe.skipIf(redis.skip !== undefined)('agent API across relays', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  it('an erasure on one relay closes the visitor’s connection on another', async () => {
    const channelPrefix = `parley-test-${randomBytes(6).toString('hex')}:`;
    const store = new MemoryStore();
    const [busA, busB] = await Promise.all([RedisBus.connect({ url: redis.url!, channelPrefix }), RedisBus.connect({ url: redis.url!, channelPrefix })]);
    const a = await createRelay({ config: { port: 0 }, logger: 'silent', bot: null, store, bus: busA });
    const b = await createRelay({ config: { port: 0 }, logger: 'silent', bot: null, store, bus: busB });
    cleanup.push(async () => {
      await a.close();
      await b.close();
      await busA.close();
      await busB.close();
    });
    const v = await chattyVisitor(b.url, ['on relay B']);
    await busB.settled();
    const agentToken = ((await (await login(a.url, { username: 'demo', password: 'demo-password' })).json()) as { token: string }).token;
    const res = await fetch(`${a.url}/api/agent/visitors/${v.visitorId}`, { method: 'DELETE', headers: { authorization: `Bearer ${agentToken}` } });
    expect(res.status).toBe(200);
    expect((await v.socket.closed).code).toBe(CloseCode.Unauthorized);
  });
});
