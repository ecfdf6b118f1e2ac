import { ErrorCode } from '@parley/protocol';
import { beforeEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../auth/index.js';
import type { Bot } from '../bot/index.js';
import { AGENTS_TOPIC, InProcessBus, type BusMessage } from '../bus/index.js';
import { MemoryStore } from '../store/index.js';
import { ConversationService, type Actor } from './service.js';

let now = 1_000;
let store: MemoryStore;
let bus: InProcessBus;
let service: ConversationService;
let agentsTopic: BusMessage[];
const bot: Bot = {
  reply: async ({ text }) => (text.includes('human') ? { text: 'connecting you', handoff: true } : { text: `bot: ${text}`, articleId: 'a1' }),
};

beforeEach(async () => {
  now = 1_000;
  store = new MemoryStore();
  bus = new InProcessBus();
  agentsTopic = [];
  bus.subscribe(AGENTS_TOPIC, (m) => agentsTopic.push(m));
  service = new ConversationService({ store, bus, bot, now: () => now, agentSessionTtlMs: 60_000 });
  await store.upsertAgent({ id: 'a1', username: 'ana', name: 'Ana', passwordHash: await hashPassword('pw', { N: 1024, r: 8, p: 1 }) });
});

const rejectsWith = (p: Promise<unknown>, code: string) => expect(p).rejects.toMatchObject({ code });

async function agentActor(): Promise<Actor> {
  const session = await service.login('ana', 'pw');
  return service.agentFromToken(session!.token);
}

describe('ConversationService', () => {
  it('lets the bot answer visitor messages while it owns the conversation', async () => {
    const { actor, conversation } = await service.visitorHello({ lang: 'en' });
    await service.send(actor, conversation.id, 'm1', 'hello');
    await service.idle();
    const events = await store.eventsAfter(conversation.id, 0, 10);
    expect(events).toMatchObject([
      { seq: 1, kind: 'message', author: { role: 'visitor' } },
      { seq: 2, kind: 'message', author: { role: 'bot', name: 'Parley' }, text: 'bot: hello', articleId: 'a1' },
    ]);
  });

  it('hands off when the bot says so and tells the agents', async () => {
    const { actor, conversation } = await service.visitorHello({});
    await service.send(actor, conversation.id, 'm1', 'a human please');
    await service.idle();
    expect((await store.getConversation(conversation.id))?.status).toBe('waiting');
    expect(agentsTopic.at(-1)).toMatchObject({ kind: 'conversation', conversation: { id: conversation.id, status: 'waiting' } });
  });

  it('does not ask the bot again for a resent message', async () => {
    const { actor, conversation } = await service.visitorHello({});
    await service.send(actor, conversation.id, 'm1', 'hello');
    const again = await service.send(actor, conversation.id, 'm1', 'hello');
    await service.idle();
    expect(again.duplicate).toBe(true);
    expect(await store.eventsAfter(conversation.id, 0, 10)).toHaveLength(2);
  });

  it('logs agents in with the same null for an unknown user and a wrong password', async () => {
    expect(await service.login('ana', 'wrong')).toBeNull();
    expect(await service.login('nobody', 'pw')).toBeNull();
    const ok = await service.login('ana', 'pw');
    expect(ok).toMatchObject({ agent: { id: 'a1', name: 'Ana' }, expiresAt: now + 60_000 });
  });

  it('expires agent sessions', async () => {
    const actor = await agentActor();
    const session = await service.login('ana', 'pw');
    now += 60_000;
    await rejectsWith(service.queue(actor), ErrorCode.Unauthorized);
    await rejectsWith(service.agentFromToken(session!.token), ErrorCode.Unauthorized);
  });

  it('requires an agent to take a conversation before replying, and refuses visitors agent actions', async () => {
    const agent = await agentActor();
    const { actor, conversation } = await service.visitorHello({});
    await rejectsWith(service.send(agent, conversation.id, 'r1', 'hi'), ErrorCode.Conflict);
    await rejectsWith(service.take(actor, conversation.id), ErrorCode.Forbidden);
    await rejectsWith(service.queue(actor), ErrorCode.Forbidden);
    await rejectsWith(service.take(agent, conversation.id), ErrorCode.Conflict); // still with the bot
    await service.handoff(actor, conversation.id);
    await service.take(agent, conversation.id);
    await service.take(agent, conversation.id); // a resend by the same agent is harmless
    expect((await service.send(agent, conversation.id, 'r1', 'hi')).event).toMatchObject({ author: { role: 'agent', id: 'a1', name: 'Ana' } });
    expect(await service.queue(agent)).toMatchObject([{ id: conversation.id, status: 'active', agent: { id: 'a1' } }]);
  });

  it('lets an agent close only waiting conversations or their own', async () => {
    const agent = await agentActor();
    const { actor, conversation } = await service.visitorHello({});
    await rejectsWith(service.close(agent, conversation.id), ErrorCode.Forbidden); // the bot has it
    await service.handoff(actor, conversation.id);
    await service.close(agent, conversation.id);
    await service.close(agent, conversation.id); // closing twice is harmless
    await rejectsWith(service.send(actor, conversation.id, 'late', 'hello?'), ErrorCode.Closed);
    await rejectsWith(service.handoff(actor, conversation.id), ErrorCode.Closed);
  });

  it('starts a new conversation only when the last one is closed', async () => {
    const { actor, conversation } = await service.visitorHello({});
    expect((await service.start(actor)).id).toBe(conversation.id);
    await service.close(actor, conversation.id);
    const fresh = await service.start(actor, { lang: 'ko' });
    expect(fresh).toMatchObject({ status: 'bot', lang: 'ko' });
    expect(fresh.id).not.toBe(conversation.id);
  });

  it('does not leak the visitor id in summaries', async () => {
    const { conversation } = await service.visitorHello({});
    expect(conversation).not.toHaveProperty('visitorId');
  });
});
