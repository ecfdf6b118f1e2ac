import { CloseCode, ErrorCode, LIMITS, type AckFrame, type ErrorFrame, type EventFrame, type QueueFrame, type ServerFrame } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENT, createRelay, hashPassword, type Relay } from '../../packages/relay/src/index.js';
import { agent, connect, is, login, visitor, type TestSocket } from './helpers.js';

let relay: Relay;
const sockets: TestSocket[] = [];
const track = <T extends { socket: TestSocket }>(x: T): T => (sockets.push(x.socket), x);

beforeAll(async () => {
  // A second agent (cheap scrypt parameters keep the test fast; the format is the same).
  const bobHash = await hashPassword('bob-password', { N: 1024, r: 8, p: 1 });
  relay = await createRelay({
    config: { port: 0, agents: [DEMO_AGENT, { id: 'bob', username: 'bob', name: 'Bob', passwordHash: bobHash }] },
    logger: 'silent',
  });
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await relay.close();
});

const demo = () => agent(relay.url, 'demo', 'demo-password').then(track);
const bob = () => agent(relay.url, 'bob', 'bob-password').then(track);
const newVisitor = (hello: { token?: string; lang?: string } = {}) => visitor(relay.url, hello).then(track);

/**
 * Send a message and wait for what confirms it: its ack, or its own event when the socket
 * follows the conversation. An error frame comes back as it is.
 */
async function say(socket: TestSocket, conversationId: string, id: string, text: string): Promise<{ type: 'confirmed'; by: 'ack' | 'event'; seq: number } | (ErrorFrame & { seq?: undefined })> {
  socket.send({ type: 'send', id, conversationId, text });
  const f = await socket.next<AckFrame | EventFrame | ErrorFrame>(is.answer(id));
  if (f.type === 'error') return f;
  return { type: 'confirmed', by: f.type, seq: f.type === 'ack' ? f.seq! : f.event.seq };
}

/** Every frame the relay sent before it answered a ping sent now (the socket is drained up to here). */
async function drained(socket: TestSocket): Promise<ServerFrame[]> {
  const id = `p${Math.random().toString(36).slice(2)}`;
  socket.send({ type: 'ping', id });
  await socket.next((f) => f.type === 'pong' && f.id === id);
  return socket.frames;
}

describe('visitor session', () => {
  it('welcomes a new visitor with a token and an open conversation owned by the bot', async () => {
    const { welcome } = await newVisitor({ lang: 'en' });
    expect(welcome.role).toBe('visitor');
    expect(welcome.visitor?.token.length).toBeGreaterThanOrEqual(16);
    expect(welcome.conversation).toMatchObject({ status: 'bot', lastSeq: 0, lang: 'en' });
  });

  it('reconnects with the token to the same visitor and conversation', async () => {
    const first = await newVisitor();
    first.socket.close();
    const again = await newVisitor({ token: first.token });
    expect(again.welcome.visitor).toEqual(first.welcome.visitor);
    expect(again.conversationId).toBe(first.conversationId);
  });

  it('refuses an unknown visitor token with unauthorized and close 4003', async () => {
    const socket = await connect(relay.url);
    socket.send({ type: 'hello', role: 'visitor', token: 'x'.repeat(43) });
    await socket.next(is.error(ErrorCode.Unauthorized));
    expect((await socket.closed).code).toBe(CloseCode.Unauthorized);
  });

  it('answers frames before hello with not_ready, then works after hello', async () => {
    const socket = track({ socket: await connect(relay.url) }).socket;
    socket.send({ type: 'subscribe', id: 's1', conversationId: 'c1', afterSeq: 0 });
    await socket.next(is.error(ErrorCode.NotReady, 's1'));
    socket.send({ type: 'hello', role: 'visitor' });
    await socket.next(is.type('welcome'));
  });

  it('answers ping with pong and the relay time', async () => {
    const { socket } = await newVisitor();
    socket.send({ type: 'ping', id: 'p1' });
    const pong = await socket.next(is.type('pong'));
    expect(pong).toMatchObject({ id: 'p1' });
  });
});

describe('messages', () => {
  it('confirms a send to a sender that follows the conversation with its own event, in order, and no ack', async () => {
    const { socket, conversationId } = await newVisitor();
    socket.send({ type: 'subscribe', id: 'sub', conversationId, afterSeq: 0 });
    await socket.next(is.ack('sub'));
    const first = await say(socket, conversationId, 'm1', 'hello there');
    const second = await say(socket, conversationId, 'm2', 'and again');
    expect(first).toEqual({ type: 'confirmed', by: 'event', seq: 1 });
    // The bot's answer to the first may come in between.
    expect(second).toEqual({ type: 'confirmed', by: 'event', seq: expect.any(Number) });
    const frames = await drained(socket);
    const mine = frames.filter(is.event(conversationId, (e) => e.kind === 'message' && e.author.role === 'visitor'));
    expect(mine.map((f) => f.type === 'event' && f.event)).toMatchObject([
      { seq: 1, text: 'hello there', clientId: 'm1', author: { role: 'visitor' } },
      { seq: second.seq, text: 'and again', clientId: 'm2' },
    ]);
    const seqs = frames.flatMap((f) => (f.type === 'event' ? [f.event.seq] : []));
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(frames.filter((f) => f.type === 'ack' && (f.id === 'm1' || f.id === 'm2'))).toEqual([]);
  });

  it('acks a send with its seq when the sender does not follow the conversation, and a resend even when it does', async () => {
    const { socket, conversationId } = await newVisitor();
    expect(await say(socket, conversationId, 'm1', 'hello there')).toEqual({ type: 'confirmed', by: 'ack', seq: 1 });
    expect(socket.frames.find(is.ack('m1'))).toMatchObject({ conversationId, seq: 1 });
    socket.send({ type: 'subscribe', id: 'sub', conversationId, afterSeq: 0 });
    await socket.next(is.ack('sub'));
    // The subscribe replayed its event; a resend is answered with the same ack, and no second event.
    await socket.next(is.event(conversationId, (e) => e.kind === 'message' && e.clientId === 'm1'));
    expect(await say(socket, conversationId, 'm1', 'hello there')).toEqual({ type: 'confirmed', by: 'ack', seq: 1 });
    expect((await drained(socket)).filter(is.event(conversationId, (e) => e.kind === 'message' && e.clientId === 'm1'))).toHaveLength(1);
    expect(socket.frames.filter(is.ack('m1'))).toHaveLength(2);
  });

  it('the bot answers a FAQ question from the knowledge base', async () => {
    const { socket, conversationId } = await newVisitor({ lang: 'en' });
    socket.send({ type: 'subscribe', conversationId, afterSeq: 0 });
    await say(socket, conversationId, 'q1', 'My deposit has not arrived yet');
    const reply = await socket.next<EventFrame>(is.event(conversationId, (e) => e.kind === 'message' && e.author.role === 'bot'));
    expect(reply.event).toMatchObject({ seq: 2, articleId: 'deposit-not-arrived' });
  });

  it('answers in the conversation’s language', async () => {
    const { socket, conversationId } = await newVisitor({ lang: 'zh-CN' });
    socket.send({ type: 'subscribe', conversationId, afterSeq: 0 });
    await say(socket, conversationId, 'q1', '提现一直在处理中');
    const reply = await socket.next<EventFrame>(is.event(conversationId, (e) => e.kind === 'message' && e.author.role === 'bot'));
    expect(reply.event).toMatchObject({ articleId: 'withdrawal-pending' });
    expect(reply.event.kind === 'message' && reply.event.text).toContain('提现');
  });

  it('appends a resent client id once: same seq, one event', async () => {
    const { socket, conversationId } = await newVisitor();
    const a = await say(socket, conversationId, 'dup', 'only once');
    const b = await say(socket, conversationId, 'dup', 'only once');
    expect(b.seq).toBe(a.seq);
    socket.send({ type: 'subscribe', id: 'sub', conversationId, afterSeq: 0 });
    await socket.next(is.ack('sub'));
    const events = socket.frames.filter(is.event(conversationId, (e) => e.kind === 'message' && e.clientId === 'dup'));
    expect(events).toHaveLength(1);
  });

  it('numbers events without gaps and resumes after a seq with only the later events', async () => {
    const { socket, conversationId, token } = await newVisitor({ lang: 'xx' });
    for (let i = 1; i <= 5; i++) await say(socket, conversationId, `n${i}`, `message ${i}`);
    await relay.service.idle(); // the bot's replies are appended too
    const all = await relay.store.eventsAfter(conversationId, 0, 100);
    expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
    socket.close();

    const again = await newVisitor({ token });
    const after = 4;
    again.socket.send({ type: 'subscribe', id: 'resume', conversationId, afterSeq: after });
    await again.socket.next(is.ack('resume'));
    const replayed = again.socket.frames.filter(is.event(conversationId)).map((f) => (f as EventFrame).event.seq);
    expect(replayed).toEqual(all.filter((e) => e.seq > after).map((e) => e.seq));
  });
  it('stops delivering events after unsubscribe', async () => {
    const tab1 = await newVisitor();
    const cid = tab1.conversationId;
    const tab2 = await newVisitor({ token: tab1.token });
    tab2.socket.send({ type: 'subscribe', id: 's', conversationId: cid, afterSeq: 0 });
    await tab2.socket.next(is.ack('s'));
    await say(tab1.socket, cid, 'u1', 'first');
    await tab2.socket.next(is.event(cid, (e) => e.kind === 'message' && e.clientId === 'u1'));
    tab2.socket.send({ type: 'unsubscribe', id: 'u', conversationId: cid });
    await tab2.socket.next(is.ack('u'));
    await say(tab1.socket, cid, 'u2', 'second');
    await tab2.socket.none(is.event(cid, (e) => e.kind === 'message' && e.clientId === 'u2'), 150);
  });

  it('regression - a tab that subscribes while messages flow gets every event exactly once, in order', async () => {
    const tab1 = await newVisitor({ lang: 'en' });
    const cid = tab1.conversationId;
    const tab2 = await newVisitor({ token: tab1.token });
    const acks: Promise<AckFrame>[] = [];
    for (let i = 0; i < 15; i++) {
      tab1.socket.send({ type: 'send', id: `f${i}`, conversationId: cid, text: `fees question ${i}` });
      acks.push(tab1.socket.next<AckFrame>(is.ack(`f${i}`)));
      if (i === 5) tab2.socket.send({ type: 'subscribe', conversationId: cid, afterSeq: 0 });
    }
    await Promise.all(acks);
    await relay.service.idle();
    const last = (await relay.store.getConversation(cid))!.lastSeq;
    expect(last).toBe(30); // 15 questions, 15 bot answers
    await tab2.socket.next(is.event(cid, (e) => e.seq === last));
    const seqs = tab2.socket.frames.filter(is.event(cid)).map((f) => (f as EventFrame).event.seq);
    expect(seqs).toEqual(Array.from({ length: last }, (_, i) => i + 1));
  });
});

describe('hand-off to an agent', () => {
  it('goes from bot to waiting to active and carries replies both ways', async () => {
    const { socket: agentSocket, welcome } = await demo();
    expect(welcome.agent).toEqual({ id: 'demo', name: 'Demo Agent' });
    const v = await newVisitor({ lang: 'en' });
    const cid = v.conversationId;
    v.socket.send({ type: 'subscribe', conversationId: cid, afterSeq: 0 });
    await say(v.socket, cid, 'q', 'How much are the trading fees?');
    await v.socket.next(is.event(cid, (e) => e.kind === 'message' && e.author.role === 'bot'));

    v.socket.send({ type: 'handoff', id: 'h1', conversationId: cid });
    await v.socket.next(is.ack('h1'));
    await v.socket.next(is.event(cid, (e) => e.kind === 'status' && e.status === 'waiting'));
    const queue = await agentSocket.next<QueueFrame>(is.type('queue', (q) => q.conversations.some((c) => c.id === cid)));
    expect(queue.conversations.find((c) => c.id === cid)).toMatchObject({ status: 'waiting', preview: expect.any(String) });

    agentSocket.send({ type: 'take', id: 't1', conversationId: cid });
    await agentSocket.next(is.ack('t1'));
    const active = await v.socket.next<EventFrame>(is.event(cid, (e) => e.kind === 'status' && e.status === 'active'));
    expect(active.event).toMatchObject({ agent: { id: 'demo', name: 'Demo Agent' }, by: 'agent' });
    await agentSocket.next(is.type('queue', (q) => q.conversations.some((c) => c.id === cid && c.status === 'active')));

    // The agent sees the whole transcript, the bot's answer included.
    agentSocket.send({ type: 'subscribe', id: 'as', conversationId: cid, afterSeq: 0 });
    await agentSocket.next(is.ack('as'));
    const transcript = agentSocket.frames.filter(is.event(cid)).map((f) => (f as EventFrame).event);
    expect(transcript.map((e) => (e.kind === 'status' ? e.status : e.author.role))).toEqual(['visitor', 'bot', 'waiting', 'active']);

    await say(agentSocket, cid, 'r1', 'Hi, I am here to help.');
    await v.socket.next(is.event(cid, (e) => e.kind === 'message' && e.author.role === 'agent' && e.text === 'Hi, I am here to help.'));
    await say(v.socket, cid, 'r2', 'Thanks!');
    await agentSocket.next(is.event(cid, (e) => e.kind === 'message' && e.clientId === 'r2'));

    // The bot stays quiet once a person has the conversation.
    await v.socket.none(is.event(cid, (e) => e.kind === 'message' && e.author.role === 'bot'), 200);
  });

  it('hands off by itself when the visitor asks for a person', async () => {
    const { socket: agentSocket } = await demo();
    const v = await newVisitor({ lang: 'ja' });
    v.socket.send({ type: 'subscribe', conversationId: v.conversationId, afterSeq: 0 });
    await say(v.socket, v.conversationId, 'q', 'オペレーターと話したい');
    await v.socket.next(is.event(v.conversationId, (e) => e.kind === 'status' && e.status === 'waiting' && e.by === 'bot'));
    await agentSocket.next(is.type('queue', (q) => q.conversations.some((c) => c.id === v.conversationId && c.status === 'waiting')));
  });

  it('gives a conversation to one agent: the second take gets conflict', async () => {
    const a = await demo();
    const b = await bob();
    const v = await newVisitor();
    v.socket.send({ type: 'handoff', id: 'h', conversationId: v.conversationId });
    await v.socket.next(is.ack('h'));
    a.socket.send({ type: 'take', id: 'ta', conversationId: v.conversationId });
    b.socket.send({ type: 'take', id: 'tb', conversationId: v.conversationId });
    const results = await Promise.all([
      a.socket.next((f) => (f.type === 'ack' && f.id === 'ta') || (f.type === 'error' && f.id === 'ta')),
      b.socket.next((f) => (f.type === 'ack' && f.id === 'tb') || (f.type === 'error' && f.id === 'tb')),
    ]);
    expect(results.filter((f) => f.type === 'ack')).toHaveLength(1);
    expect(results.filter((f) => f.type === 'error' && f.code === ErrorCode.Conflict)).toHaveLength(1);
    // The loser cannot write into the winner's conversation either.
    const loser = results[0]!.type === 'error' ? a : b;
    loser.socket.send({ type: 'send', id: 'x', conversationId: v.conversationId, text: 'me too' });
    await loser.socket.next(is.error(ErrorCode.Forbidden, 'x'));
  });

  it('lets either side close; a send after close gets closed', async () => {
    for (const closer of ['visitor', 'agent'] as const) {
      const ag = await demo();
      const v = await newVisitor();
      const cid = v.conversationId;
      v.socket.send({ type: 'handoff', conversationId: cid }); // no id: not acked
      await ag.socket.next(is.type('queue', (q) => q.conversations.some((c) => c.id === cid)));
      ag.socket.send({ type: 'take', id: 't', conversationId: cid });
      await ag.socket.next(is.ack('t'));
      v.socket.send({ type: 'subscribe', conversationId: cid, afterSeq: 0 });
      const side = closer === 'visitor' ? v.socket : ag.socket;
      side.send({ type: 'close', id: 'c', conversationId: cid });
      await side.next(is.ack('c'));
      await v.socket.next(is.event(cid, (e) => e.kind === 'status' && e.status === 'closed' && e.by === closer));
      v.socket.send({ type: 'send', id: 'late', conversationId: cid, text: 'hello?' });
      await v.socket.next(is.error(ErrorCode.Closed, 'late'));
      ag.socket.send({ type: 'send', id: 'late2', conversationId: cid, text: 'hello?' });
      await ag.socket.next(is.error(ErrorCode.Closed, 'late2'));
      // A closed conversation leaves every agent's queue.
      await ag.socket.next(is.type('queue', (q) => !q.conversations.some((c) => c.id === cid)));
    }
  });

  it('starts a new conversation after the last one was closed', async () => {
    const v = await newVisitor();
    v.socket.send({ type: 'close', id: 'c', conversationId: v.conversationId });
    await v.socket.next(is.ack('c'));
    v.socket.send({ type: 'start', id: 'st' });
    const frame = await v.socket.next<Extract<ServerFrame, { type: 'conversation' }>>(is.type('conversation', (f) => f.id === 'st'));
    expect(frame.conversation.id).not.toBe(v.conversationId);
    expect(frame.conversation).toMatchObject({ status: 'bot', lastSeq: 0 });
  });
});

describe('authorization', () => {
  it('a visitor cannot subscribe to, send to or close another visitor’s conversation', async () => {
    const alice = await newVisitor();
    const mallory = await newVisitor();
    const target = alice.conversationId;
    mallory.socket.send({ type: 'subscribe', id: 's', conversationId: target, afterSeq: 0 });
    await mallory.socket.next(is.error(ErrorCode.Forbidden, 's'));
    mallory.socket.send({ type: 'send', id: 'm', conversationId: target, text: 'hi' });
    await mallory.socket.next(is.error(ErrorCode.Forbidden, 'm'));
    mallory.socket.send({ type: 'close', id: 'c', conversationId: target });
    await mallory.socket.next(is.error(ErrorCode.Forbidden, 'c'));
    mallory.socket.send({ type: 'handoff', id: 'h', conversationId: target });
    await mallory.socket.next(is.error(ErrorCode.Forbidden, 'h'));
    expect((await relay.store.getConversation(target))?.status).toBe('bot');
    expect(await relay.store.eventsAfter(target, 0, 10)).toEqual([]);
  });

  it('a visitor token cannot take a conversation', async () => {
    const v = await newVisitor();
    v.socket.send({ type: 'handoff', id: 'h', conversationId: v.conversationId });
    await v.socket.next(is.ack('h'));
    v.socket.send({ type: 'take', id: 't', conversationId: v.conversationId });
    await v.socket.next(is.error(ErrorCode.Forbidden, 't'));
  });

  it('an unknown conversation is not_found', async () => {
    const v = await newVisitor();
    v.socket.send({ type: 'subscribe', id: 's', conversationId: 'does-not-exist', afterSeq: 0 });
    await v.socket.next(is.error(ErrorCode.NotFound, 's'));
  });

  it('refuses an agent hello without a token or with a bad one: unauthorized, close 4003', async () => {
    for (const token of [undefined, 'not-a-real-token-at-all']) {
      const socket = await connect(relay.url);
      socket.send({ type: 'hello', role: 'agent', ...(token ? { token } : {}) });
      await socket.next(is.error(ErrorCode.Unauthorized));
      expect((await socket.closed).code).toBe(CloseCode.Unauthorized);
    }
  });

  it('a visitor token is not an agent token', async () => {
    const v = await newVisitor();
    const socket = await connect(relay.url);
    socket.send({ type: 'hello', role: 'agent', token: v.token });
    await socket.next(is.error(ErrorCode.Unauthorized));
    expect((await socket.closed).code).toBe(CloseCode.Unauthorized);
  });
});

describe('bad input', () => {
  it('answers bad JSON, unknown types and oversize text with error codes; the connection and other sessions go on', async () => {
    const v = await newVisitor();
    const bystander = await newVisitor();
    v.socket.sendRaw('{not json');
    await v.socket.next(is.error(ErrorCode.BadJson));
    v.socket.sendRaw('{"v":1,"type":"explode","id":"x1"}');
    await v.socket.next(is.error(ErrorCode.BadFrame, 'x1'));
    v.socket.sendRaw('{"v":2,"type":"ping","id":"v2"}');
    await v.socket.next(is.error(ErrorCode.UnsupportedVersion, 'v2'));
    v.socket.send({ type: 'send', id: 'big', conversationId: v.conversationId, text: 'x'.repeat(LIMITS.maxTextChars + 1) });
    await v.socket.next(is.error(ErrorCode.TooLarge, 'big'));
    v.socket.sendRaw('"' + 'y'.repeat(LIMITS.maxFrameChars + 10) + '"');
    await v.socket.next(is.error(ErrorCode.TooLarge));
    v.socket.sendRaw(Buffer.from([1, 2, 3]));
    await v.socket.next(is.error(ErrorCode.BadFrame));

    expect((await say(v.socket, v.conversationId, 'ok', 'still here')).seq).toBe(1);
    expect((await say(bystander.socket, bystander.conversationId, 'ok', 'me too')).seq).toBe(1);
  });

  it('a frame larger than maxPayload closes only that connection', async () => {
    const v = await newVisitor();
    const bystander = await newVisitor();
    v.socket.sendRaw('z'.repeat(relay.config.limits.maxPayloadBytes + 1));
    expect((await v.socket.closed).code).toBe(1009);
    expect((await say(bystander.socket, bystander.conversationId, 'ok', 'unaffected')).type).toBe('confirmed');
  });

  it('rate-limits a burst, and closes a connection that keeps flooding with 4008', async () => {
    const v = await newVisitor();
    for (let i = 0; i < 60; i++) v.socket.send({ type: 'ping', id: `p${i}` });
    // Every frame is answered: a pong when processed, rate_limited naming it when refused.
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => v.socket.next((f) => (f.type === 'pong' || f.type === 'error') && f.id === `p${i}`)),
    );
    const refused = answers.filter((f) => f.type === 'error' && f.code === ErrorCode.RateLimited).length;
    expect(refused).toBeGreaterThanOrEqual(60 - relay.config.limits.burst - 5);
    expect(answers.filter((f) => f.type === 'pong').length).toBe(60 - refused);

    const flood = await newVisitor();
    for (let i = 0; i < 400 && flood.socket.ws.readyState === flood.socket.ws.OPEN; i++) flood.socket.send({ type: 'ping' });
    expect((await flood.socket.closed).code).toBe(CloseCode.RateLimited);
    // After a pause the bucket has refilled and the connection works normally.
    await new Promise((r) => setTimeout(r, 300));
    expect((await say(v.socket, v.conversationId, 'after', 'calm again')).type).toBe('confirmed');
  });

  it('answers a second hello with bad_frame and keeps the session', async () => {
    const v = await newVisitor();
    v.socket.send({ type: 'hello', role: 'visitor' });
    await v.socket.next(is.error(ErrorCode.BadFrame));
    expect((await say(v.socket, v.conversationId, 'ok', 'fine')).type).toBe('confirmed');
  });
});

describe('agent login over HTTP', () => {
  it('refuses a wrong password and an unknown user with the same 401 message', async () => {
    const wrong = await login(relay.url, { username: 'demo', password: 'nope' });
    const unknown = await login(relay.url, { username: 'nobody', password: 'nope' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const a = await wrong.json();
    expect(a).toEqual(await unknown.json());
    expect(a).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('logs in with the right password and the token says hello', async () => {
    const res = await login(relay.url, { username: 'demo', password: 'demo-password' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { token: string; agent: unknown };
    expect(body.agent).toEqual({ id: 'demo', name: 'Demo Agent' });
    const socket = track({ socket: await connect(relay.url) }).socket;
    socket.send({ type: 'hello', role: 'agent', token: body.token });
    await socket.next(is.type('welcome', (w) => w.role === 'agent'));
    await socket.next(is.type('queue'));
  });
});
