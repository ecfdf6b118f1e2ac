import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fetchDesk, lookupTicket, replyTicket } from './http.js';
import { createTypingThrottle } from './requests.js';
import { FakeRelay } from './testing/fake-relay.js';
import { createAgentClient } from './agent.js';
import { createVisitorChat, createVisitorClient } from './visitor.js';
import type { Platform } from './platform.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('typing throttle', () => {
  it('sends true at most every 2 s while typing, and false once after a true', () => {
    let now = 0;
    const sent: boolean[] = [];
    const platform = { now: () => now } as Platform;
    const typing = createTypingThrottle(platform, (t) => sent.push(t));
    typing(false); // nothing to stop
    typing(true);
    now = 500;
    typing(true);
    now = 2100;
    typing(true);
    typing(false);
    typing(false);
    now = 2200;
    typing(true); // a new burst starts at once
    expect(sent).toEqual([true, true, false, true]);
  });
});

describe('createVisitorChat (the chat without the desk extras)', () => {
  it('chats like the full client but has no position, typing, rating or desk actions', async () => {
    const relay = new FakeRelay();
    const chat = createVisitorChat({ relay: 'http://relay.test', transport: relay.transport, storage: null, events: null, lang: 'en' });
    for (const extra of ['position', 'agentTyping', 'setTyping', 'rating', 'rate', 'emailTranscript', 'setTopic', 'setEmail']) {
      expect(extra in chat).toBe(false);
    }
    chat.connect();
    await relay.settle();
    expect(chat.state.value).toBe('online');
    const id = chat.conversation.value!.id;
    chat.send('hello');
    await relay.settle();
    expect(chat.transcript.value.filter((i) => i.kind === 'message').map((i) => i.kind === 'message' && i.text)).toContain('hello');
    // Live desk frames it does not follow are ignored, not an error.
    relay.sendTo({ type: 'position', conversationId: id, position: 2 });
    relay.sendTo({ type: 'typing', conversationId: id, role: 'agent', typing: true });
    await relay.settle();
    expect(chat.lastError.value).toBeNull();
  });
});

describe('visitor desk signals', () => {
  it('shows the position while waiting and clears it when an agent joins', async () => {
    const relay = new FakeRelay();
    const chat = createVisitorClient({ relay: 'http://relay.test', transport: relay.transport, storage: null, events: null, topic: 'deposit' });
    chat.connect();
    await relay.settle();
    expect(relay.received[0]).toMatchObject({ type: 'hello', topic: 'deposit' });
    const id = chat.conversation.value!.id;
    chat.requestHuman();
    await relay.settle();
    relay.sendTo({ type: 'position', conversationId: id, position: 3, etaSeconds: 240 });
    relay.sendTo({ type: 'position', conversationId: 'someone-else', position: 1 });
    await relay.settle();
    expect(chat.position.value).toEqual({ position: 3, etaSeconds: 240 });
    relay.append(id, { kind: 'status', status: 'active', agent: { id: 'ana', name: 'Ana' }, by: 'agent' });
    await relay.settle();
    expect(chat.position.value).toBeNull();
  });

  it('shows the agent typing and drops the indicator after 6 s without news', async () => {
    const relay = new FakeRelay();
    const chat = createVisitorClient({ relay: 'http://relay.test', transport: relay.transport, storage: null, events: null });
    chat.connect();
    await relay.settle();
    const id = chat.conversation.value!.id;
    relay.sendTo({ type: 'typing', conversationId: id, role: 'agent', name: 'Ana', typing: true });
    await relay.settle();
    expect(chat.agentTyping.value).toEqual({ name: 'Ana' });
    await vi.advanceTimersByTimeAsync(6001);
    expect(chat.agentTyping.value).toBeNull();
  });

  it('refuses a bad rating and a bad e-mail at the call site, and sends pre-chat choices as prechat', async () => {
    const relay = new FakeRelay();
    const chat = createVisitorClient({ relay: 'http://relay.test', transport: relay.transport, storage: null, events: null });
    chat.connect();
    await relay.settle();
    await expect(chat.rate(0)).rejects.toMatchObject({ code: 'bad_request' });
    await expect(chat.rate(2.5)).rejects.toMatchObject({ code: 'bad_request' });
    await expect(chat.emailTranscript('nope')).rejects.toMatchObject({ code: 'bad_request' });
    expect(() => chat.setTopic('bad topic!')).toThrow(TypeError);
    expect(() => chat.setEmail('x')).toThrow(TypeError);
    chat.setTopic('kyc');
    chat.setEmail('v@ex.test');
    await relay.settle();
    expect(relay.received.filter((f) => f.type === 'prechat').at(-1)).toMatchObject({ topic: 'kyc', email: 'v@ex.test' });
    const rated = chat.rate(5, 'thanks');
    await relay.settle();
    await expect(rated).resolves.toBeUndefined(); // the fake relay acks it
  });

  it('fails a request with disconnected when the connection drops before the answer', async () => {
    const relay = new FakeRelay();
    const chat = createVisitorClient({ relay: 'http://relay.test', transport: relay.transport, storage: null, events: null });
    chat.connect();
    await relay.settle();
    relay.dropClientFrame = (f) => f.type === 'emailTranscript';
    const p = chat.emailTranscript('v@ex.test');
    await relay.settle();
    relay.drop();
    await expect(p).rejects.toMatchObject({ code: 'disconnected' });
  });
});

describe('agent desk signals', () => {
  it('keeps the roster, desk and my status, and validates transfers before sending', async () => {
    const relay = new FakeRelay({ agents: { 'agent-token-123456': { id: 'ana', name: 'Ana' } } });
    const agent = createAgentClient({ relay: 'http://relay.test', transport: relay.transport, token: 'agent-token-123456', events: null });
    agent.connect();
    await relay.settle();
    relay.sendTo({ type: 'roster', agents: [{ id: 'ana', name: 'Ana', status: 'away', languages: ['en'], teams: [], capacity: 3, load: 1 }] });
    await relay.settle();
    expect(agent.roster.value).toHaveLength(1);
    expect(agent.status.value).toBe('away');
    await expect(agent.transfer('c1', {})).rejects.toMatchObject({ code: 'bad_request' });
    await expect(agent.note('c1', '   ')).rejects.toMatchObject({ code: 'bad_request' });
    const p = agent.setStatus('online');
    await relay.settle();
    await p;
    expect(agent.status.value).toBe('online');
    expect(relay.received.filter((f) => f.type === 'agentStatus')).toEqual([expect.objectContaining({ status: 'online' })]);
  });
});

describe('HTTP helpers', () => {
  const fakeFetch = (status: number, body: unknown, seen: { url?: string; init?: RequestInit } = {}) =>
    (async (url: string, init: RequestInit) => {
      seen.url = url;
      seen.init = init;
      return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    }) as unknown as typeof fetch;

  it('builds the desk URL with the prefix and query, and checks the answer', async () => {
    const seen: { url?: string } = {};
    const desk = await fetchDesk('https://chat.test/support/', { lang: 'de', topic: 'kyc' }, { fetch: fakeFetch(200, { topics: [], open: true, languages: [], agentsOnline: 1 }, seen) });
    expect(seen.url).toBe('https://chat.test/support/api/desk?lang=de&topic=kyc');
    expect(desk.open).toBe(true);
    await expect(fetchDesk('https://chat.test', {}, { fetch: fakeFetch(200, { nope: 1 }) })).rejects.toMatchObject({ code: 'bad_response' });
  });

  it('passes the relay error code through, and sends the agent token as Bearer', async () => {
    await expect(lookupTicket('https://chat.test', 'PX-1', 'a@b.co', { fetch: fakeFetch(404, { error: { code: 'not_found', message: 'no ticket' } }) })).rejects.toMatchObject({
      code: 'not_found',
    });
    const seen: { url?: string; init?: RequestInit } = {};
    await replyTicket('https://chat.test', 'tok', 'PX-1 2', 'hi', { fetch: fakeFetch(200, { number: 'PX-1', status: 'pending', messages: [] }, seen) });
    expect(seen.url).toBe('https://chat.test/api/agent/tickets/PX-1%202/replies');
    expect((seen.init?.headers as Record<string, string>).authorization).toBe('Bearer tok');
    const failing = (async () => {
      throw new Error('offline');
    }) as unknown as typeof fetch;
    await expect(fetchDesk('https://chat.test', {}, { fetch: failing })).rejects.toMatchObject({ code: 'network' });
  });
});
