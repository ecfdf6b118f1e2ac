import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../support/signals.js';
import { WebSocket } from 'ws';
import { createAgentClient, createVisitorClient, loginAgent, type AgentClient, type TranscriptItem, type VisitorClient } from '@parley/client';
import { DEMO_AGENT, createRelay, hashPassword, type Bot, type Relay } from '@parley/relay';

// The real client against the real relay, on Node, over real WebSockets (the `ws` package's
// constructor injected): the whole visitor -> bot -> hand-off -> agent -> close story.

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});


const texts = (items: TranscriptItem[]) => items.flatMap((i) => (i.kind === 'message' && !i.pending ? [`${i.author.role}: ${i.text}`] : []));

const bot: Bot = {
  reply: async ({ text }) => (text.includes('deposit') ? { text: 'Deposits arrive within 30 minutes.' } : null),
};

async function start(): Promise<{ relay: Relay; visitor: VisitorClient; agent: AgentClient }> {
  // The demo agent plus Bo, a second account for the race.
  const bo = { id: 'bo', username: 'bo', name: 'Bo', passwordHash: await hashPassword('bo-password') };
  const relay = await createRelay({ config: { port: 0, agents: [DEMO_AGENT, bo] }, logger: 'silent', bot });
  cleanup.push(() => relay.close());
  const base = { relay: relay.url, WebSocket: WebSocket as unknown as typeof globalThis.WebSocket, events: null };
  const visitor = createVisitorClient({ ...base, storage: null, lang: 'en' });
  cleanup.push(() => visitor.disconnect());
  const { token, agent: me } = await loginAgent(relay.url, 'demo', 'demo-password');
  expect(me.id).toBe('demo');
  const agent = createAgentClient({ ...base, token });
  cleanup.push(() => agent.disconnect());
  return { relay, visitor, agent };
}

describe('client <-> relay', () => {
  it('visitor asks, the bot answers, a person takes over, both reply, the chat closes', async () => {
    const { visitor, agent } = await start();
    visitor.connect();
    agent.connect();
    await until(visitor.state, (s) => s === 'online', 'the visitor online');
    await until(agent.state, (s) => s === 'online', 'the agent online');
    expect(visitor.status.value).toBe('bot');

    visitor.send('Where is my deposit?');
    await until(visitor.transcript, (t) => texts(t).length === 2, 'the bot answer');
    expect(texts(visitor.transcript.value)).toEqual(['visitor: Where is my deposit?', 'bot: Deposits arrive within 30 minutes.']);

    visitor.requestHuman();
    await until(visitor.status, (s) => s === 'waiting', 'waiting');
    const queue = await until(agent.queue, (q) => q.some((c) => c.status === 'waiting'), 'the queue entry');
    const id = queue.find((c) => c.status === 'waiting')!.id;
    expect(id).toBe(visitor.conversation.value?.id);

    await agent.take(id);
    await until(visitor.agent, (a) => a?.id === 'demo', 'the agent on the visitor side');
    expect(visitor.status.value).toBe('active');

    const transcript = agent.transcript(id);
    agent.send(id, 'Hi, I am checking your deposit now.');
    await until(visitor.transcript, (t) => texts(t).some((x) => x.startsWith('agent: ')), 'the agent reply at the visitor');
    visitor.send('Thank you!');
    await until(transcript, (t) => texts(t).includes('visitor: Thank you!'), 'the visitor reply at the agent');

    // Both sides hold the same messages, each once, in the same order.
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
    visitor.send('one more thing');
    await until(
      visitor.transcript,
      (t) => t.some((i) => i.kind === 'message' && i.failed?.code === 'closed'),
      'the late message marked failed',
    );
  });

  it('a second agent loses the race for a conversation with conflict', async () => {
    const { relay, visitor, agent } = await start();
    const { token } = await loginAgent(relay.url, 'bo', 'bo-password');
    const other = createAgentClient({ relay: relay.url, token, WebSocket: WebSocket as unknown as typeof globalThis.WebSocket, events: null });
    cleanup.push(() => other.disconnect());
    visitor.connect();
    agent.connect();
    other.connect();
    await until(visitor.state, (s) => s === 'online', 'the visitor online');
    visitor.requestHuman();
    const q = await until(other.queue, (c) => c.some((x) => x.status === 'waiting'), 'the queue entry');
    const id = q[0]!.id;
    await until(agent.state, (s) => s === 'online', 'the agent online');
    await agent.take(id);
    await expect(other.take(id)).rejects.toMatchObject({ code: 'conflict' });
  });

  it('loginAgent rejects a wrong password with unauthorized', async () => {
    const relay = await createRelay({ config: { port: 0 }, logger: 'silent', bot: null });
    cleanup.push(() => relay.close());
    await expect(loginAgent(relay.url, 'demo', 'wrong')).rejects.toMatchObject({ code: 'unauthorized' });
  });
});
