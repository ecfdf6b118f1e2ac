import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAgentClient } from './agent.js';
import { ParleyError } from './errors.js';
import { FakeRelay } from './testing/fake-relay.js';
import { memoryStorage } from './testing/memory-storage.js';
import type { AgentClientOptions } from './types.js';
import { createVisitorClient } from './visitor.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const ANA = { id: 'a1', name: 'Ana' };
const BO = { id: 'a2', name: 'Bo' };
const ANA_TOKEN = 'agent-token-ana-0123456789';
const BO_TOKEN = 'agent-token-bo-0123456789';

async function setup() {
  const relay = new FakeRelay({ agents: { [ANA_TOKEN]: ANA, [BO_TOKEN]: BO } });
  const agent = (token = ANA_TOKEN, extra: Partial<AgentClientOptions> = {}) =>
    createAgentClient({ relay: 'http://relay.test', transport: relay.transport, token, events: null, random: () => 0.5, ...extra });
  // A visitor who asked for a person: conversation c2 is waiting.
  const visitor = createVisitorClient({ relay: 'http://relay.test', transport: relay.transport, storage: memoryStorage(), events: null });
  visitor.connect();
  await relay.settle();
  visitor.send('my account was taken over');
  visitor.requestHuman();
  await relay.settle();
  return { relay, agent, visitor };
}

const sentBy = (relay: FakeRelay, type: string, role: 'agent' | 'visitor' = 'agent') =>
  relay.log.filter((l) => l.frame.type === type && (l.frame.type === 'hello' || l.conn.role === role)).map((l) => l.frame);

describe('agent client', () => {
  it('logs in over the socket and keeps the queue from queue frames', async () => {
    const { relay, agent } = await setup();
    const ana = agent();
    ana.connect();
    await relay.settle();
    expect(ana.state.value).toBe('online');
    expect(ana.me.value).toEqual(ANA);
    expect(ana.queue.value).toMatchObject([{ id: 'c2', status: 'waiting' }]);
  });

  it('take resolves on the ack, and the loser gets conflict', async () => {
    const { relay, agent, visitor } = await setup();
    const ana = agent();
    const bo = agent(BO_TOKEN);
    ana.connect();
    bo.connect();
    await relay.settle();
    const mine = ana.take('c2');
    const theirs = bo.take('c2');
    await relay.settle();
    await expect(mine).resolves.toBeUndefined();
    const lost = await theirs.catch((e: unknown) => e);
    expect(lost).toBeInstanceOf(ParleyError);
    expect(lost).toMatchObject({ code: 'conflict', message: 'already taken' });
    expect(ana.queue.value).toMatchObject([{ id: 'c2', status: 'active', agent: ANA }]);
    expect(visitor.agent.value).toEqual(ANA);
    // A request error is the caller's to show; it does not become lastError.
    expect(bo.lastError.value).toBeNull();
  });

  it('rejects a request when the connection drops before the answer', async () => {
    const { relay, agent } = await setup();
    const ana = agent();
    ana.connect();
    await relay.settle();
    relay.dropClientFrame = (f) => f.type === 'take';
    const taking = ana.take('c2');
    relay.drop();
    await relay.settle();
    await expect(taking).rejects.toMatchObject({ code: 'disconnected' });
  });

  it('rejects a request the relay never answers after the timeout', async () => {
    const { relay, agent } = await setup();
    const ana = agent(ANA_TOKEN, { requestTimeoutMs: 3_000 });
    ana.connect();
    await relay.settle();
    relay.dropClientFrame = (f) => f.type === 'close';
    const closing = ana.close('c2');
    const result = closing.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(2_999);
    await relay.settle();
    await vi.advanceTimersByTimeAsync(1);
    expect(await result).toMatchObject({ code: 'timeout' });
  });

  it('rejects at once when not connected', async () => {
    const { agent } = await setup();
    await expect(agent().take('c2')).rejects.toMatchObject({ code: 'offline' });
  });

  it('stops on close 4003 with lastError unauthorized', async () => {
    const { relay, agent } = await setup();
    const stale = agent('agent-token-revoked-0000000');
    stale.connect();
    await relay.settle();
    await vi.advanceTimersByTimeAsync(120_000);
    await relay.settle();
    expect(stale.state.value).toBe('offline');
    expect(stale.lastError.value?.code).toBe('unauthorized');
    expect(sentBy(relay, 'hello').filter((h) => h.type === 'hello' && h.role === 'agent')).toHaveLength(1);
  });

  it('transcript subscribes on first use and resumes from the last seq after a reconnect', async () => {
    const { relay, agent, visitor } = await setup();
    const ana = agent();
    ana.connect();
    await relay.settle();
    const t = ana.transcript('c2');
    expect(ana.transcript('c2')).toBe(t);
    await relay.settle();
    expect(sentBy(relay, 'subscribe').at(-1)).toMatchObject({ conversationId: 'c2', afterSeq: 0 });
    expect(t.value.map((i) => i.seq)).toEqual([1, 2]);
    relay.drop(1006, 'dropped', (c) => c.role === 'agent');
    visitor.send('are you there?'); // appended while the agent is away
    await relay.settle();
    await vi.advanceTimersByTimeAsync(250);
    await relay.settle();
    expect(ana.state.value).toBe('online');
    const resub = sentBy(relay, 'subscribe').filter((s) => s.type === 'subscribe' && s.afterSeq === 2);
    expect(resub).toHaveLength(1);
    expect(t.value.map((i) => (i.kind === 'status' ? i.status : i.text))).toEqual(['my account was taken over', 'waiting', 'are you there?']);
  });

  it('send shows the reply pending, resends it after a drop, and the visitor gets it once', async () => {
    const { relay, agent, visitor } = await setup();
    const ana = agent();
    ana.connect();
    await relay.settle();
    await Promise.all([ana.take('c2'), relay.settle()]);
    relay.dropServerFrame = (f, conn) => conn.role === 'agent' && (f.type === 'ack' || f.type === 'event');
    const id = ana.send('c2', 'Hi, Ana here. I froze your account.');
    expect(ana.transcript('c2').value.at(-1)).toMatchObject({ key: id, pending: true, author: { role: 'agent', id: 'a1', name: 'Ana' } });
    await relay.settle();
    relay.dropServerFrame = undefined;
    relay.drop();
    await relay.settle();
    await vi.advanceTimersByTimeAsync(1_000);
    await relay.settle();
    expect(relay.texts('c2').filter((t) => t.startsWith('Hi, Ana'))).toHaveLength(1);
    expect(ana.transcript('c2').value.filter((i) => i.key === id)).toMatchObject([{ pending: false, seq: 4 }]);
    expect(visitor.transcript.value.filter((i) => i.kind === 'message' && i.author.role === 'agent')).toHaveLength(1);
  });

  it('marks a reply failed when the conversation is closed', async () => {
    const { relay, agent } = await setup();
    const ana = agent();
    ana.connect();
    await relay.settle();
    await Promise.all([ana.close('c2'), relay.settle()]);
    const id = ana.send('c2', 'too late');
    await relay.settle();
    expect(ana.transcript('c2').value.find((i) => i.key === id)).toMatchObject({ failed: { code: 'closed' }, pending: false });
  });

  it('refuses a token that cannot be one', () => {
    expect(() => createAgentClient({ relay: 'http://relay.test', token: 'short' })).toThrow(TypeError);
  });
});
