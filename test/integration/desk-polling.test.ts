import { createVisitorClient, type VisitorClient } from '@parley/client';
import type { PositionFrame, TypingEventFrame } from '@parley/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { until as waitFor } from '../support/signals.js';
import { agentConn, deskRelay, positionIs, request, tokenOf, visitorConn, type DeskFixture } from './desk-helpers.js';

// The desk's live state (queue positions, typing, presence) over long-polling: a visitor
// whose network breaks WebSockets must see where they stand exactly like one on a WebSocket.

let f: DeskFixture | null = null;
const clients: VisitorClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  await f?.close();
  f = null;
});


function pollingVisitor(relayUrl: string): VisitorClient {
  const c = createVisitorClient({ relay: relayUrl, transport: 'polling', events: null, storage: null, lang: 'en' });
  clients.push(c);
  return c;
}

describe('desk over long-polling', () => {
  it('tells a polling visitor their queue position and every change of it', async () => {
    f = await deskRelay([{ id: 'ana' }], { routing: 'pick' });
    const ana = await agentConn(f, 'ana');
    // Someone on a WebSocket is already waiting.
    const first = await visitorConn(f, { lang: 'en' });
    await request(first.socket, { type: 'handoff', conversationId: first.conversationId });
    await first.socket.next(positionIs(first.conversationId, 1));
    await new Promise((r) => setTimeout(r, 3));

    const polled = pollingVisitor(f.relay.url);
    polled.connect();
    await waitFor(polled.state, (s) => s === 'online', 'the polling visitor online');
    polled.requestHuman();
    await waitFor(polled.status, (s) => s === 'waiting', 'waiting');
    expect((await waitFor(polled.position, (p) => p !== null, 'a position'))!.position).toBe(2);

    // The one ahead is taken: the polling visitor moves up without doing anything.
    await request(ana.socket, { type: 'take', conversationId: first.conversationId });
    await waitFor(polled.position, (p) => p?.position === 1, 'position 1');

    // Taken itself: no position any more.
    const id = polled.conversation.value!.id;
    await request(ana.socket, { type: 'take', conversationId: id });
    await waitFor(polled.position, (p) => p === null, 'no position once an agent has it');
  });

  it('answers a held poll with a position that changed between two polls (p= cursor)', async () => {
    f = await deskRelay([{ id: 'ana' }], { routing: 'pick' });
    const ana = await agentConn(f, 'ana');
    const first = await visitorConn(f, { lang: 'en' });
    await request(first.socket, { type: 'handoff', conversationId: first.conversationId });
    await first.socket.next(positionIs(first.conversationId, 1));
    await new Promise((r) => setTimeout(r, 3));
    const second = await visitorConn(f, { lang: 'en' });
    await request(second.socket, { type: 'handoff', conversationId: second.conversationId });
    await second.socket.next(positionIs(second.conversationId, 2));
    await request(ana.socket, { type: 'take', conversationId: first.conversationId });
    await second.socket.next(positionIs(second.conversationId, 1));

    // A poll that says it last saw place 2 gets place 1 at once; one that saw 1 is held.
    const poll = (p: number, signal?: AbortSignal) =>
      fetch(`${f!.relay.url}/api/poll/events?c=${second.conversationId}:1000&p=${second.conversationId}:${p}`, {
        headers: { Authorization: `Bearer ${second.token}` },
        ...(signal ? { signal } : {}),
      });
    const stale = await poll(2);
    expect(stale.status).toBe(200);
    const body = (await stale.json()) as { frames: PositionFrame[] };
    expect(body.frames).toEqual([expect.objectContaining({ type: 'position', conversationId: second.conversationId, position: 1 })]);

    const ctl = new AbortController();
    const held = poll(1, ctl.signal).then(
      () => 'answered',
      () => 'held',
    );
    await new Promise((r) => setTimeout(r, 150));
    ctl.abort();
    expect(await held).toBe('held');
  });

  it('delivers the agent typing to a polling visitor and keeps the waiting visitor present', async () => {
    f = await deskRelay([{ id: 'ana' }], { routing: 'pick', limits: { unansweredTicketAfterMs: 300 } });
    const ana = await agentConn(f, 'ana');
    const polled = pollingVisitor(f.relay.url);
    polled.connect();
    await waitFor(polled.state, (s) => s === 'online', 'online');
    polled.requestHuman();
    await waitFor(polled.status, (s) => s === 'waiting', 'waiting');
    const id = polled.conversation.value!.id;
    // Longer than unansweredTicketAfterMs: a visitor holding polls is present, so no ticket.
    await new Promise((r) => setTimeout(r, 600));
    expect((await f.relay.store.getConversation(id))?.status).toBe('waiting');

    await request(ana.socket, { type: 'take', conversationId: id });
    await request(ana.socket, { type: 'subscribe', conversationId: id, afterSeq: 0 });
    await waitFor(polled.status, (s) => s === 'active', 'active');
    await request(ana.socket, { type: 'typing', conversationId: id, typing: true });
    const typing = await waitFor(polled.agentTyping, (t) => t !== null, 'the agent typing');
    expect(typing).toMatchObject({ name: 'Ana' });
    // The agent's own console does not get its own typing back.
    await new Promise((r) => setTimeout(r, 50));
    expect(ana.socket.frames.some((fr) => fr.type === 'typing' && (fr as TypingEventFrame).role === 'agent')).toBe(false);
  });

  it('gives an agent polling hello the roster with its queue', async () => {
    f = await deskRelay([{ id: 'ana' }, { id: 'ben' }], { routing: 'pick' });
    await agentConn(f, 'ben');
    const token = await tokenOf(f.relay, 'ana');
    const res = await fetch(`${f.relay.url}/api/poll/hello`, { method: 'POST', body: JSON.stringify({ v: 1, type: 'hello', role: 'agent', token }) });
    const { frames } = (await res.json()) as { frames: { type: string; agents?: { id: string; status: string }[] }[] };
    expect(frames.map((fr) => fr.type)).toEqual(['welcome', 'queue', 'roster']);
    expect(frames[2]!.agents).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'ben', status: 'online' })]));
  });
});
