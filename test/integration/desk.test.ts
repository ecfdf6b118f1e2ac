import { createHmac } from 'node:crypto';
import type { EventFrame, PositionFrame, QueueFrame, RosterFrame, ServerFrame, TypingEventFrame } from '@parley/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { InProcessBus, MemoryStore, type TopicConfig } from '../../packages/relay/src/index.js';
import { is } from './helpers.js';
import { agentConn, deskRelay, positionIs, request, until, visitorConn, type DeskFixture } from './desk-helpers.js';

const TOPICS: TopicConfig[] = [
  { id: 'deposit', labels: { en: 'Deposits', de: 'Einzahlungen' } },
  { id: 'takeover', labels: { en: 'Account taken over' }, team: 'security', urgent: true },
  { id: 'kyc', labels: { en: 'Verification' }, team: 'kyc' },
];

let f: DeskFixture | null = null;
afterEach(async () => {
  await f?.close();
  f = null;
});

// The queue orders by waitingSince (ms), then id: a short pause keeps hand-offs in one test in a known order.
const handoff = async (socket: Parameters<typeof request>[0], conversationId: string) => {
  const ack = await request(socket, { type: 'handoff', conversationId });
  await new Promise((r) => setTimeout(r, 3));
  return ack;
};
const statusOf = async (id: string) => (await f!.relay.store.getConversation(id))?.status;

describe('queue order and positions', () => {
  it('orders the queue urgent first, then by time, and tells each visitor where they stand', async () => {
    f = await deskRelay([{ id: 'ana' }], { topics: TOPICS, routing: 'pick' });
    const ana = await agentConn(f, 'ana');
    const first = await visitorConn(f, { lang: 'en', topic: 'deposit' });
    const second = await visitorConn(f, { lang: 'en', topic: 'deposit' });
    await handoff(first.socket, first.conversationId);
    await first.socket.next(positionIs(first.conversationId, 1));
    await handoff(second.socket, second.conversationId);
    await second.socket.next(positionIs(second.conversationId, 2));

    // A security case arrives last and goes first.
    const urgent = await visitorConn(f, { lang: 'en' });
    await request(urgent.socket, { type: 'prechat', conversationId: urgent.conversationId, topic: 'takeover' });
    await handoff(urgent.socket, urgent.conversationId);
    const queue = await ana.socket.next<QueueFrame>(is.type('queue', (q) => q.conversations.filter((c) => c.status === 'waiting').length === 3));
    expect(queue.conversations.map((c) => c.id)).toEqual([urgent.conversationId, first.conversationId, second.conversationId]);
    expect(queue.conversations[0]).toMatchObject({ priority: 'urgent', topic: 'takeover', team: 'security' });
    // The urgent one waits for the security team, so it does not push the deposit visitors back.
    expect((await urgent.socket.next<PositionFrame>(positionIs(urgent.conversationId))).position).toBe(1);

    await request(ana.socket, { type: 'take', conversationId: first.conversationId });
    await second.socket.next(positionIs(second.conversationId, 1));
  });

  it('puts a security case the bot recognises ahead of normal ones competing for the same agents', async () => {
    // The shipped FAQ bot: it hands off at once, urgent, when the visitor's words name a security case.
    f = await deskRelay([{ id: 'ana' }], { routing: 'pick' }, { bot: undefined });
    const normal = await visitorConn(f, { lang: 'en' });
    await handoff(normal.socket, normal.conversationId);
    await normal.socket.next(positionIs(normal.conversationId, 1));
    const urgent = await visitorConn(f, { lang: 'en' });
    await request(urgent.socket, { type: 'send', id: 'm1', conversationId: urgent.conversationId, text: 'Help! My account was taken over and funds stolen' });
    await urgent.socket.next(is.event(urgent.conversationId, (e) => e.kind === 'status' && e.status === 'waiting' && e.by === 'bot'));
    await urgent.socket.next(positionIs(urgent.conversationId, 1));
    await normal.socket.next(positionIs(normal.conversationId, 2));
    expect((await f.relay.store.getConversation(urgent.conversationId))?.priority).toBe('urgent');
  });

  it('keeps the place of a visitor who leaves and comes back with their token', async () => {
    f = await deskRelay([{ id: 'ana' }], { routing: 'pick' });
    const ana = await agentConn(f, 'ana');
    const a = await visitorConn(f, { lang: 'en' });
    const b = await visitorConn(f, { lang: 'en' });
    const c = await visitorConn(f, { lang: 'en' });
    for (const v of [a, b, c]) await handoff(v.socket, v.conversationId);
    await b.socket.next(positionIs(b.conversationId, 2));
    b.socket.close();
    await new Promise((r) => setTimeout(r, 100));
    const back = await visitorConn(f, { token: b.token });
    expect(back.conversationId).toBe(b.conversationId);
    expect((await back.socket.next<PositionFrame>(positionIs(b.conversationId))).position).toBe(2);
    expect((await c.socket.next<PositionFrame>(positionIs(c.conversationId))).position).toBe(3);
    await request(ana.socket, { type: 'take', conversationId: a.conversationId });
    await back.socket.next(positionIs(b.conversationId, 1));
  });

  it('estimates the wait from the fitting agents online, and none when nobody fits', async () => {
    f = await deskRelay([{ id: 'ana', capacity: 1, languages: ['en'] }], { routing: 'pick', limits: { defaultHandleSeconds: 120 } });
    const de = await visitorConn(f, { lang: 'de' });
    await handoff(de.socket, de.conversationId);
    const noEta = await de.socket.next<PositionFrame>(positionIs(de.conversationId));
    expect(noEta.etaSeconds).toBeUndefined();
    await agentConn(f, 'ana');
    const v1 = await visitorConn(f, { lang: 'en' });
    const v2 = await visitorConn(f, { lang: 'en' });
    await handoff(v1.socket, v1.conversationId);
    await handoff(v2.socket, v2.conversationId);
    // One slot free: the first is next (0 s), the second waits one handling time.
    expect((await v1.socket.next<PositionFrame>(positionIs(v1.conversationId, 1))).etaSeconds).toBe(0);
    expect((await v2.socket.next<PositionFrame>(positionIs(v2.conversationId, 2))).etaSeconds).toBe(120);
  });
});

describe('routing', () => {
  it('assigns by language and team to the least loaded fitting agent (auto)', async () => {
    f = await deskRelay(
      [
        { id: 'ana', languages: ['en'] },
        { id: 'dmitri', languages: ['ru'] },
        { id: 'sam', languages: ['en'], teams: ['security'] },
      ],
      { routing: 'auto', topics: TOPICS },
    );
    for (const a of ['ana', 'dmitri', 'sam']) await agentConn(f, a);
    const ru = await visitorConn(f, { lang: 'ru' });
    const sec = await visitorConn(f, { lang: 'en', topic: 'takeover' });
    const en1 = await visitorConn(f, { lang: 'en-GB' });
    const en2 = await visitorConn(f, { lang: 'en' });
    for (const v of [ru, sec, en1, en2]) await handoff(v.socket, v.conversationId);
    const agentOf = async (id: string) => {
      const e = await (await (async () => [ru, sec, en1, en2].find((v) => v.conversationId === id)!)()).socket.next<EventFrame>(
        is.event(id, (ev) => ev.kind === 'status' && ev.status === 'active'),
      );
      return e.event.kind === 'status' ? e.event.agent?.id : undefined;
    };
    expect(await agentOf(ru.conversationId)).toBe('dmitri');
    expect(await agentOf(sec.conversationId)).toBe('sam');
    // ana and sam both speak English; sam already has one, so the first goes to ana, then sam.
    const en = [await agentOf(en1.conversationId), await agentOf(en2.conversationId)].sort();
    expect(en).toEqual(['ana', 'sam']);
  });

  it('never gives an agent more than their capacity, and assigns the next one when a chat closes', async () => {
    f = await deskRelay([{ id: 'ana', capacity: 1 }], { routing: 'auto' });
    const ana = await agentConn(f, 'ana');
    const v1 = await visitorConn(f, { lang: 'en' });
    const v2 = await visitorConn(f, { lang: 'en' });
    await handoff(v1.socket, v1.conversationId);
    await v1.socket.next(is.event(v1.conversationId, (e) => e.kind === 'status' && e.status === 'active'));
    await handoff(v2.socket, v2.conversationId);
    await v2.socket.next(positionIs(v2.conversationId, 1));
    expect(await statusOf(v2.conversationId)).toBe('waiting');
    // Taking by hand is refused too while at capacity.
    await expect(request(ana.socket, { type: 'take', conversationId: v2.conversationId })).rejects.toMatchObject({ code: 'conflict' });
    await request(ana.socket, { type: 'close', conversationId: v1.conversationId });
    await v2.socket.next(is.event(v2.conversationId, (e) => e.kind === 'status' && e.status === 'active'));
  });

  it('gives no new chats to an away agent, reports status and load in the roster, and offline on disconnect', async () => {
    f = await deskRelay([{ id: 'ana' }, { id: 'bo' }], { routing: 'auto' });
    const ana = await agentConn(f, 'ana');
    expect(ana.welcome.status).toBe('online');
    expect(ana.welcome.desk?.routing).toBe('auto');
    await request(ana.socket, { type: 'agentStatus', status: 'away' });
    await ana.socket.next<RosterFrame>(is.type('roster', (r) => r.agents.find((a) => a.id === 'ana')?.status === 'away'));
    const v = await visitorConn(f, { lang: 'en' });
    await handoff(v.socket, v.conversationId);
    await v.socket.next(positionIs(v.conversationId, 1));
    expect(await statusOf(v.conversationId)).toBe('waiting');
    const bo = await agentConn(f, 'bo');
    await v.socket.next(is.event(v.conversationId, (e) => e.kind === 'status' && e.status === 'active' && e.agent?.id === 'bo'));
    await ana.socket.next<RosterFrame>(is.type('roster', (r) => r.agents.find((a) => a.id === 'bo')?.load === 1));
    bo.socket.close();
    await ana.socket.next<RosterFrame>(is.type('roster', (r) => r.agents.find((a) => a.id === 'bo')?.status === 'offline'));
  });

  it('gives a conversation to exactly one of many agents taking at once (pick)', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `agent${i}`);
    f = await deskRelay(ids.map((id) => ({ id, capacity: 1 })), { routing: 'pick' });
    const agents = await Promise.all(ids.map((id) => agentConn(f!, id)));
    const visitors = await Promise.all(Array.from({ length: 5 }, () => visitorConn(f!, { lang: 'en' })));
    for (const v of visitors) await handoff(v.socket, v.conversationId);
    // Every agent tries to take every conversation, all at once.
    const attempts = agents.flatMap((a) =>
      visitors.map((v) =>
        request(a.socket, { type: 'take', conversationId: v.conversationId }).then(
          () => ({ agent: a.welcome.agent!.id, conversation: v.conversationId }),
          (e: { code: string }) => ({ error: e.code }),
        ),
      ),
    );
    const results = await Promise.all(attempts);
    const wins = results.filter((r): r is { agent: string; conversation: string } => 'agent' in r);
    expect(new Set(wins.map((w) => w.conversation)).size).toBe(5);
    expect(wins).toHaveLength(5); // each conversation won exactly once
    expect(new Set(wins.map((w) => w.agent)).size).toBe(5); // capacity 1: nobody won twice
    expect(results.filter((r) => 'error' in r).every((r) => (r as { error: string }).error === 'conflict')).toBe(true);
    for (const v of visitors) {
      const c = await f.relay.store.getConversation(v.conversationId);
      expect(c?.status).toBe('active');
      expect(wins.find((w) => w.conversation === v.conversationId)?.agent).toBe(c?.agent?.id);
    }
  });

  it('auto-assigns many conversations to many agents at once: each exactly once, nobody over capacity', async () => {
    const ids = Array.from({ length: 8 }, (_, i) => `a${i}`);
    f = await deskRelay(ids.map((id) => ({ id, capacity: 3 })), { routing: 'auto' });
    await Promise.all(ids.map((id) => agentConn(f!, id)));
    const visitors = await Promise.all(Array.from({ length: 40 }, () => visitorConn(f!, { lang: 'en' })));
    await Promise.all(visitors.map((v) => handoff(v.socket, v.conversationId)));
    await until(async () => (await f!.relay.store.listConversations(['active'], 1000)).length === 24, 5000, '24 active');
    await f.relay.desk.idle();
    const active = await f.relay.store.listConversations(['active'], 1000);
    const waiting = await f.relay.store.listConversations(['waiting'], 1000);
    expect(active).toHaveLength(24);
    expect(waiting).toHaveLength(16);
    const perAgent = new Map<string, number>();
    for (const c of active) perAgent.set(c.agent!.id, (perAgent.get(c.agent!.id) ?? 0) + 1);
    expect([...perAgent.values()].every((n) => n === 3)).toBe(true);
    // Each assigned conversation has exactly one `active` status event.
    for (const c of active) {
      const events = await f.relay.store.eventsAfter(c.id, 0, 100);
      expect(events.filter((e) => e.kind === 'status' && e.status === 'active')).toHaveLength(1);
    }
    // Closing frees a slot: the longest waiting conversation is assigned next.
    const oldest = [...waiting].sort((x, y) => x.waitingSince! - y.waitingSince! || (x.id < y.id ? -1 : 1))[0]!;
    await f.relay.service.close({ role: 'agent', agent: active[0]!.agent!, sessionExpiresAt: Infinity }, active[0]!.id);
    await until(async () => (await statusOf(oldest.id)) === 'active', 3000, 'the oldest waiting conversation assigned');
  });
});

describe('routing across relays', () => {
  it('two relays sharing a store and bus never give one conversation to two agents', async () => {
    const store = new MemoryStore();
    const bus = new InProcessBus();
    const agents = Array.from({ length: 6 }, (_, i) => ({ id: `x${i}`, capacity: 10 }));
    const a = await deskRelay(agents, { routing: 'auto' }, { store, bus });
    const b = await deskRelay(agents, { routing: 'auto' }, { store, bus });
    try {
      // Half the agents on each relay: each relay's router sees only its own as online.
      await Promise.all(agents.map((x, i) => agentConn(i % 2 ? a : b, x.id)));
      const visitors = await Promise.all(Array.from({ length: 30 }, (_, i) => visitorConn(i % 2 ? a : b, { lang: 'en' })));
      await Promise.all(visitors.map((v) => request(v.socket, { type: 'handoff', conversationId: v.conversationId })));
      await until(async () => (await store.listConversations(['active'], 100)).length === 30, 5000, 'all 30 assigned');
      await Promise.all([a.relay.desk.idle(), b.relay.desk.idle()]);
      for (const v of visitors) {
        const events = await store.eventsAfter(v.conversationId, 0, 100);
        expect(events.filter((e) => e.kind === 'status' && e.status === 'active')).toHaveLength(1);
      }
    } finally {
      await a.close();
      await b.close();
      await bus.close();
    }
  });
});

describe('console features', () => {
  it('transfers to another agent with a note the visitor never sees, live or in a replay', async () => {
    f = await deskRelay([{ id: 'ana' }, { id: 'bo' }], { routing: 'pick' });
    const ana = await agentConn(f, 'ana');
    const bo = await agentConn(f, 'bo');
    const v = await visitorConn(f, { lang: 'en' });
    await handoff(v.socket, v.conversationId);
    await request(ana.socket, { type: 'take', conversationId: v.conversationId });
    await request(ana.socket, { type: 'note', conversationId: v.conversationId, text: 'VIP customer, be quick' });
    await request(ana.socket, { type: 'transfer', conversationId: v.conversationId, toAgentId: 'bo', note: 'Needs a refund decision' });
    const moved = await v.socket.next<EventFrame>(is.event(v.conversationId, (e) => e.kind === 'status' && e.agent?.id === 'bo'));
    expect(moved.event).toMatchObject({ status: 'active', transfer: { from: { id: 'ana' }, toAgent: { id: 'bo' } } });
    // bo sees both notes when opening the conversation.
    bo.socket.send({ type: 'subscribe', id: 'bs', conversationId: v.conversationId, afterSeq: 0 });
    await bo.socket.next(is.ack('bs'));
    const notes = bo.socket.frames.filter((x) => x.type === 'event' && x.event.kind === 'note');
    expect(notes.map((x) => (x.type === 'event' && x.event.kind === 'note' ? x.event.text : ''))).toEqual(['VIP customer, be quick', 'Needs a refund decision']);
    // The visitor: not live...
    expect(v.socket.frames.some((x) => x.type === 'event' && x.event.kind === 'note')).toBe(false);
    // ...and not in a replay.
    const again = await visitorConn(f, { token: v.token });
    await again.socket.none((x) => x.type === 'event' && x.event.kind === 'note', 200);
    expect(again.socket.frames.filter((x) => x.type === 'event').length).toBeGreaterThan(0);
    // Only the agent who has it may transfer it.
    await expect(request(ana.socket, { type: 'transfer', conversationId: v.conversationId, toAgentId: 'ana' })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('transfers to a team: back to the queue for that team, keeping the place; an agent of the team gets it', async () => {
    f = await deskRelay([{ id: 'ana' }, { id: 'sam', teams: ['security'] }], { routing: 'auto' });
    const ana = await agentConn(f, 'ana');
    const v = await visitorConn(f, { lang: 'en' });
    await handoff(v.socket, v.conversationId);
    await v.socket.next(is.event(v.conversationId, (e) => e.kind === 'status' && e.agent?.id === 'ana'));
    const before = await f.relay.store.getConversation(v.conversationId);
    await expect(request(ana.socket, { type: 'transfer', conversationId: v.conversationId, toTeam: 'securty' })).rejects.toMatchObject({ code: 'not_found' });
    await request(ana.socket, { type: 'transfer', conversationId: v.conversationId, toTeam: 'security', note: 'Looks like a takeover' });
    await v.socket.next(is.event(v.conversationId, (e) => e.kind === 'status' && e.status === 'waiting' && e.transfer?.toTeam === 'security'));
    const waiting = await f.relay.store.getConversation(v.conversationId);
    expect(waiting).toMatchObject({ status: 'waiting', team: 'security', waitingSince: before!.waitingSince });
    // ana is not in the team: it waits until sam comes online.
    await v.socket.next(positionIs(v.conversationId, 1));
    await agentConn(f, 'sam');
    await v.socket.next(is.event(v.conversationId, (e) => e.kind === 'status' && e.status === 'active' && e.agent?.id === 'sam'));
  });

  it('forwards typing both ways, never stores it, and throttles repeats', async () => {
    f = await deskRelay([{ id: 'ana' }], { routing: 'pick' });
    const ana = await agentConn(f, 'ana');
    const v = await visitorConn(f, { lang: 'en' });
    await handoff(v.socket, v.conversationId);
    await request(ana.socket, { type: 'take', conversationId: v.conversationId });
    ana.socket.send({ type: 'subscribe', id: 'as', conversationId: v.conversationId, afterSeq: 0 });
    await ana.socket.next(is.ack('as'));
    const lastSeq = (await f.relay.store.getConversation(v.conversationId))!.lastSeq;

    v.socket.send({ type: 'typing', conversationId: v.conversationId, typing: true });
    v.socket.send({ type: 'typing', conversationId: v.conversationId, typing: true }); // within 1 s: dropped
    const t = await ana.socket.next<TypingEventFrame>(is.type('typing'));
    expect(t).toMatchObject({ conversationId: v.conversationId, role: 'visitor', typing: true });
    v.socket.send({ type: 'typing', conversationId: v.conversationId, typing: false });
    await ana.socket.next(is.type('typing', (x) => !x.typing));
    await ana.socket.none(is.type('typing'), 150);
    // The sender does not get their own typing back.
    expect(v.socket.frames.some((x) => x.type === 'typing')).toBe(false);

    ana.socket.send({ type: 'typing', conversationId: v.conversationId, typing: true });
    expect(await v.socket.next<TypingEventFrame>(is.type('typing'))).toMatchObject({ role: 'agent', name: 'Ana', typing: true });
    expect((await f.relay.store.getConversation(v.conversationId))!.lastSeq).toBe(lastSeq);
  });

  it('sends saved replies, teams and topics in the agent welcome', async () => {
    f = await deskRelay([{ id: 'ana', teams: ['tier2'] }], {
      topics: TOPICS,
      savedReplies: [{ id: 'hello', title: 'Greeting', text: 'Hi, how can I help?' }],
    });
    const ana = await agentConn(f, 'ana');
    expect(ana.welcome.desk).toEqual({
      routing: 'pick',
      savedReplies: [{ id: 'hello', title: 'Greeting', text: 'Hi, how can I help?' }],
      teams: ['kyc', 'security', 'tier2'],
      topics: [
        { id: 'deposit', label: 'Deposits' },
        { id: 'takeover', label: 'Account taken over', urgent: true, team: 'security' },
        { id: 'kyc', label: 'Verification', team: 'kyc' },
      ],
    });
  });
});

describe('pre-chat and identity', () => {
  it('serves the desk: labels per language, open when a fitting agent is online, closed outside hours', async () => {
    f = await deskRelay([{ id: 'ana', languages: ['en', 'de'] }, { id: 'sam', languages: ['en'], teams: ['security'] }], { topics: TOPICS });
    const desk = async (q: string) => (await fetch(`${f!.relay.url}/api/desk${q}`)).json();
    expect(await desk('?lang=de')).toEqual({
      topics: [
        { id: 'deposit', label: 'Einzahlungen' },
        { id: 'takeover', label: 'Account taken over', urgent: true, team: 'security' },
        { id: 'kyc', label: 'Verification', team: 'kyc' },
      ],
      languages: ['de', 'en'],
      open: false,
      reason: 'no_agents',
      agentsOnline: 0,
    });
    await agentConn(f, 'ana');
    expect(await desk('?lang=de')).toMatchObject({ open: true, agentsOnline: 1 });
    expect(await desk('?lang=de&topic=takeover')).toMatchObject({ open: false, reason: 'no_agents' });
    expect(await desk('?lang=fr')).toMatchObject({ open: false });

    await f.close();
    // Hours that never include now: a window on no day.
    f = await deskRelay([{ id: 'ana' }], { hours: { timezone: 'UTC', windows: [{ days: [], from: '00:00', to: '24:00' }] } });
    await agentConn(f, 'ana');
    expect(await desk('')).toMatchObject({ open: false, reason: 'closed_hours', agentsOnline: 1 });
  });

  it('carries topic, language and context with the conversation, and refuses pre-chat changes once active', async () => {
    f = await deskRelay([{ id: 'ana' }], { topics: TOPICS });
    const context = { url: 'https://ex.test/wallet', referrer: 'https://ex.test/', userAgent: 'UA', screen: '390x844', language: 'de-DE', sdkVersion: '0.1.0', appVersion: '5.2', attributes: { plan: 'pro' } };
    const v = await visitorConn(f, { lang: 'de', topic: 'kyc', context });
    expect(v.welcome.conversation).toMatchObject({ lang: 'de', topic: 'kyc', team: 'kyc', priority: 'normal', context });
    await request(v.socket, { type: 'prechat', conversationId: v.conversationId, topic: 'deposit', lang: 'en', email: 'v@ex.test' });
    expect(await f.relay.store.getConversation(v.conversationId)).toMatchObject({ topic: 'deposit', lang: 'en', email: 'v@ex.test', context });
    await expect(request(v.socket, { type: 'prechat', conversationId: v.conversationId, topic: 'nope' })).rejects.toMatchObject({ code: 'bad_frame' });
    const ana = await agentConn(f, 'ana');
    await handoff(v.socket, v.conversationId);
    await request(ana.socket, { type: 'take', conversationId: v.conversationId });
    await expect(request(v.socket, { type: 'prechat', conversationId: v.conversationId, lang: 'fr' })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('marks the identity verified only when the hash matches the identity secret', async () => {
    const secret = 'a-long-identity-secret-for-tests';
    f = await deskRelay([{ id: 'ana' }], { identitySecret: secret });
    const hash = createHmac('sha256', secret).update('user-42').digest('hex');
    const good = await visitorConn(f, { user: { id: 'user-42', email: 'u42@ex.test', name: 'U', hash } });
    expect(good.welcome.conversation).toMatchObject({ verified: true, user: { id: 'user-42', email: 'u42@ex.test', name: 'U' }, email: 'u42@ex.test' });
    expect(JSON.stringify(good.welcome)).not.toContain(hash);
    const bad = await visitorConn(f, { user: { id: 'user-42', hash: hash.replace(/^./, hash[0] === 'a' ? 'b' : 'a') } });
    expect(bad.welcome.conversation?.verified).toBe(false);
    const none = await visitorConn(f, { user: { id: 'user-42' } });
    expect(none.welcome.conversation?.verified).toBe(false);
  });
});

describe('satisfaction', () => {
  it('takes one rating after the chat closed, and agents see it', async () => {
    f = await deskRelay([{ id: 'ana' }], { routing: 'pick' });
    const ana = await agentConn(f, 'ana');
    const v = await visitorConn(f, { lang: 'en' });
    await expect(request(v.socket, { type: 'rate', conversationId: v.conversationId, score: 5 })).rejects.toMatchObject({ code: 'conflict' });
    await handoff(v.socket, v.conversationId);
    await request(ana.socket, { type: 'take', conversationId: v.conversationId });
    ana.socket.send({ type: 'subscribe', id: 'as', conversationId: v.conversationId, afterSeq: 0 });
    await ana.socket.next(is.ack('as'));
    await request(ana.socket, { type: 'close', conversationId: v.conversationId });
    await request(v.socket, { type: 'rate', conversationId: v.conversationId, score: 4, comment: ' Quick and kind ' });
    await v.socket.next(is.type('conversation', (c) => c.conversation.rating?.score === 4));
    const seen = await ana.socket.next<ServerFrame>(is.type('conversation', (c) => c.conversation.rating !== undefined));
    expect(seen.type === 'conversation' && seen.conversation.rating).toEqual({ score: 4, comment: 'Quick and kind' });
    await expect(request(v.socket, { type: 'rate', conversationId: v.conversationId, score: 1 })).rejects.toMatchObject({ code: 'conflict' });
    v.socket.send({ type: 'rate', id: 'r6', conversationId: v.conversationId, score: 6 } as never);
    await v.socket.next(is.error('bad_frame', 'r6'));
  });
});
