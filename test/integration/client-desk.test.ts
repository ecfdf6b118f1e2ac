import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../support/signals.js';
import { WebSocket } from 'ws';
import {
  createAgentClient,
  createTicket,
  createVisitorClient,
  fetchDesk,
  getTicket,
  listTickets,
  lookupTicket,
  addTicketMessage,
  loginAgent,
  replyTicket,
  setTicketStatus,
  ParleyError,
  type AgentClient,
  type VisitorClient,
} from '@parley/client';
import { deskRelay, PASSWORD, type DeskFixture } from './desk-helpers.js';

// The real headless client's desk API (signals and methods) against the real relay.

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});


const base = { WebSocket: WebSocket as unknown as typeof globalThis.WebSocket, storage: null, events: null } as const;

async function setup(agents: { id: string; teams?: string[] }[], config = {}): Promise<DeskFixture> {
  const f = await deskRelay(agents, { topics: [{ id: 'deposit', labels: { en: 'Deposits' } }], savedReplies: [{ id: 'hi', title: 'Hi', text: 'Hello!' }], ...config });
  cleanup.push(() => f.close());
  return f;
}
function visitorClient(f: DeskFixture, extra: Partial<Parameters<typeof createVisitorClient>[0]> = {}): VisitorClient {
  const c = createVisitorClient({ relay: f.relay.url, ...base, lang: 'en', ...extra });
  cleanup.push(() => c.disconnect());
  c.connect();
  return c;
}
async function agentClient(f: DeskFixture, username: string): Promise<AgentClient> {
  const { token } = await loginAgent(f.relay.url, username, PASSWORD);
  const c = createAgentClient({ relay: f.relay.url, token, ...base });
  cleanup.push(() => c.disconnect());
  c.connect();
  await until(c.state, (s) => s === 'online', 'agent online');
  return c;
}

describe('client desk API', () => {
  it('shows position, typing both ways, notes only to agents, transfer, status, roster and rating', async () => {
    const f = await setup([{ id: 'ana' }, { id: 'bo' }]);
    const ana = await agentClient(f, 'ana');
    const bo = await agentClient(f, 'bo');
    expect(ana.desk.value?.savedReplies).toEqual([{ id: 'hi', title: 'Hi', text: 'Hello!' }]);
    expect(ana.status.value).toBe('online');
    await until(ana.roster, (r) => r.length === 2 && r.every((a) => a.status === 'online'), 'roster with both online');

    const v1 = visitorClient(f, { topic: 'deposit' });
    const v2 = visitorClient(f);
    await until(v1.status, (s) => s === 'bot', 'v1 welcome');
    await until(v2.status, (s) => s === 'bot', 'v2 welcome');
    expect(v1.conversation.value?.topic).toBe('deposit');
    v1.requestHuman();
    await until(v1.position, (p) => p?.position === 1, 'v1 first');
    await new Promise((r) => setTimeout(r, 5));
    v2.requestHuman();
    await until(v2.position, (p) => p?.position === 2, 'v2 second');

    const id1 = v1.conversation.value!.id;
    await ana.take(id1);
    await until(v2.position, (p) => p?.position === 1, 'v2 moves up');
    await until(v1.position, (p) => p === null, 'v1 no longer waiting');

    // Typing both ways.
    const visitorTyping = ana.typing(id1);
    v1.setTyping(true);
    await until(visitorTyping, (t) => t, 'ana sees the visitor typing');
    v1.setTyping(false);
    await until(visitorTyping, (t) => !t, 'typing stops');
    ana.setTyping(id1, true);
    await until(v1.agentTyping, (t) => t?.name === 'Ana', 'the visitor sees Ana typing');

    // A note: in the agent transcript, never in the visitor's.
    await ana.note(id1, 'refund approved by finance');
    await until(ana.transcript(id1), (items) => items.some((i) => i.kind === 'note' && i.text === 'refund approved by finance'), 'the note');
    ana.send(id1, 'Your refund is on its way.');
    await until(v1.transcript, (items) => items.some((i) => i.kind === 'message' && i.text === 'Your refund is on its way.'), 'the reply');
    expect(v1.transcript.value.some((i) => (i as { kind: string }).kind === 'note')).toBe(false);

    // Transfer to bo with a note; bo becomes the agent.
    await ana.transfer(id1, { toAgentId: 'bo', note: 'over to you' });
    await until(v1.agent, (a) => a?.id === 'bo', 'bo has the chat');
    await expect(ana.transfer(id1, { toAgentId: 'ana', toTeam: 'x' })).rejects.toMatchObject({ code: 'bad_request' });

    // Status: away, and the roster says so.
    await ana.setStatus('away');
    expect(ana.status.value).toBe('away');
    await until(bo.roster, (r) => r.find((a) => a.id === 'ana')?.status === 'away', 'bo sees ana away');

    // Close and rate, once; the agent sees the rating.
    await bo.close(id1);
    await until(v1.status, (s) => s === 'closed', 'closed');
    const summary = bo.summary(id1);
    await v1.rate(5, 'great');
    await until(v1.rating, (r) => r?.score === 5, 'the visitor sees the rating');
    await until(summary, (s) => s?.rating?.comment === 'great', 'bo sees the rating');
    await expect(v1.rate(4)).rejects.toBeInstanceOf(ParleyError);
    await expect(v1.rate(7)).rejects.toMatchObject({ code: 'bad_request' });
    await expect(v1.emailTranscript('v@ex.test')).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('fetches the desk and works tickets end to end with the HTTP helpers', async () => {
    const f = await setup([{ id: 'ana' }]);
    const desk = await fetchDesk(f.relay.url, { lang: 'en' });
    expect(desk).toMatchObject({ open: false, reason: 'no_agents', topics: [{ id: 'deposit', label: 'Deposits' }] });
    const { number } = await createTicket(f.relay.url, { topic: 'deposit', subject: 'Missing', description: 'Three days now', email: 'v@ex.test' });
    expect((await lookupTicket(f.relay.url, number, 'v@ex.test')).subject).toBe('Missing');
    await expect(lookupTicket(f.relay.url, number, 'x@ex.test')).rejects.toMatchObject({ code: 'not_found' });
    await addTicketMessage(f.relay.url, number, 'v@ex.test', 'txid abc');
    const { token } = await loginAgent(f.relay.url, 'ana', PASSWORD);
    expect((await listTickets(f.relay.url, token, { status: 'open' })).map((t) => t.number)).toEqual([number]);
    expect((await getTicket(f.relay.url, token, number)).messages).toHaveLength(2);
    expect((await replyTicket(f.relay.url, token, number, 'Found it')).status).toBe('pending');
    expect((await setTicketStatus(f.relay.url, token, number, 'closed')).status).toBe('closed');
    await expect(listTickets(f.relay.url, 'x'.repeat(40))).rejects.toMatchObject({ code: 'unauthorized' });
  });
});
