import type { EventDraft } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from './types.js';

const visitorMsg = (text: string, clientId?: string): EventDraft => ({
  kind: 'message',
  author: { role: 'visitor' },
  text,
  ...(clientId !== undefined ? { clientId } : {}),
});

/**
 * The behaviour every {@link Store} must have, written once. Each implementation's test file
 * calls it with a factory that returns a fresh, empty store.
 *
 * @example
 * // sqlite.test.ts
 * describeStore('SqliteStore', () => new SqliteStore(':memory:'));
 */
export function describeStore(name: string, makeStore: () => Store | Promise<Store>): void {
  describe(`Store conformance: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
    });

    const conversation = (id = 'c1', visitorId = 'v1', at = 1000) =>
      store.createConversation({ id, visitorId, at, lang: 'en', context: { url: 'https://x.test/' } });

    describe('visitors', () => {
      it('finds a visitor by token hash and nothing for an unknown hash', async () => {
        await store.createVisitor({ id: 'v1', tokenHash: 'h1', createdAt: 1 });
        expect(await store.findVisitorByTokenHash('h1')).toEqual({ id: 'v1', tokenHash: 'h1', createdAt: 1 });
        expect(await store.findVisitorByTokenHash('h2')).toBeNull();
      });
    });

    describe('conversations', () => {
      it('creates a conversation owned by the bot, empty, with its lang and context', async () => {
        const c = await conversation();
        expect(c).toMatchObject({ id: 'c1', visitorId: 'v1', status: 'bot', lastSeq: 0, createdAt: 1000, updatedAt: 1000, lang: 'en' });
        expect(c.context).toEqual({ url: 'https://x.test/' });
        expect(await store.getConversation('c1')).toEqual(c);
        expect(await store.getConversation('nope')).toBeNull();
      });

      it('finds the visitor’s open conversation and none once it is closed', async () => {
        await conversation('c1', 'v1');
        await conversation('c2', 'v2');
        expect((await store.findOpenConversation('v1'))?.id).toBe('c1');
        await store.transition('c1', { from: ['bot'], to: 'closed', by: 'visitor', at: 2000 });
        expect(await store.findOpenConversation('v1')).toBeNull();
        expect((await store.findOpenConversation('v2'))?.id).toBe('c2');
      });

      it('lists conversations by status, oldest update first, bounded by limit', async () => {
        await conversation('a', 'v1', 1);
        await conversation('b', 'v2', 2);
        await conversation('c', 'v3', 3);
        await store.transition('b', { from: ['bot'], to: 'waiting', by: 'visitor', at: 10 });
        await store.transition('a', { from: ['bot'], to: 'waiting', by: 'visitor', at: 20 });
        const waiting = await store.listConversations(['waiting'], 10);
        expect(waiting.map((c) => c.id)).toEqual(['b', 'a']);
        expect((await store.listConversations(['waiting', 'bot'], 2)).map((c) => c.id)).toEqual(['c', 'b']);
        expect(await store.listConversations(['active'], 10)).toEqual([]);
      });
    });

    describe('events', () => {
      it('numbers events 1, 2, 3 and updates lastSeq, updatedAt and preview', async () => {
        await conversation();
        const a = await store.appendEvent('c1', visitorMsg('first', 'm1'), { at: 1100 });
        const b = await store.appendEvent('c1', visitorMsg('second  message\nhere', 'm2'), { at: 1200 });
        expect(a).toMatchObject({ ok: true, duplicate: false, event: { seq: 1, at: 1100, text: 'first', clientId: 'm1' } });
        expect(b).toMatchObject({ ok: true, duplicate: false, event: { seq: 2 } });
        expect(await store.getConversation('c1')).toMatchObject({ lastSeq: 2, updatedAt: 1200, preview: 'second message here' });
      });

      it('appends a clientId once: the same clientId returns the first event as a duplicate', async () => {
        await conversation();
        await store.appendEvent('c1', visitorMsg('hello', 'm1'), { at: 1 });
        const again = await store.appendEvent('c1', visitorMsg('hello (resent)', 'm1'), { at: 2 });
        expect(again).toMatchObject({ ok: true, duplicate: true, event: { seq: 1, text: 'hello', clientId: 'm1' } });
        expect(await store.eventsAfter('c1', 0, 100)).toHaveLength(1);
      });

      it('scopes clientIds to their conversation', async () => {
        await conversation('c1');
        await conversation('c2', 'v2');
        await store.appendEvent('c1', visitorMsg('a', 'same'), { at: 1 });
        const other = await store.appendEvent('c2', visitorMsg('b', 'same'), { at: 1 });
        expect(other).toMatchObject({ ok: true, duplicate: false, event: { seq: 1 } });
      });

      it('keeps seq gap-free under concurrent appends', async () => {
        await conversation();
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) => store.appendEvent('c1', visitorMsg(`m${i}`, `id${i % 40}`), { at: i })),
        );
        const appended = results.filter((r) => r.ok && !r.duplicate);
        expect(appended).toHaveLength(40);
        const events = await store.eventsAfter('c1', 0, 1000);
        expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      });

      it('reads events after a seq, in order, bounded by limit', async () => {
        await conversation();
        for (let i = 1; i <= 5; i++) await store.appendEvent('c1', visitorMsg(`m${i}`), { at: i });
        expect((await store.eventsAfter('c1', 2, 100)).map((e) => e.seq)).toEqual([3, 4, 5]);
        expect((await store.eventsAfter('c1', 0, 2)).map((e) => e.seq)).toEqual([1, 2]);
        expect(await store.eventsAfter('c1', 5, 100)).toEqual([]);
        expect(await store.eventsAfter('nope', 0, 100)).toEqual([]);
      });

      it('refuses to append to an unknown conversation', async () => {
        expect(await store.appendEvent('nope', visitorMsg('x'), { at: 1 })).toEqual({ ok: false, reason: 'not_found' });
      });

      it('appends only while the status allows it, but still answers a duplicate', async () => {
        await conversation();
        await store.appendEvent('c1', visitorMsg('before', 'm1'), { at: 1, whenStatus: ['bot'] });
        await store.transition('c1', { from: ['bot'], to: 'closed', by: 'visitor', at: 2 });
        const late = await store.appendEvent('c1', visitorMsg('after', 'm2'), { at: 3, whenStatus: ['bot', 'waiting', 'active'] });
        expect(late).toMatchObject({ ok: false, reason: 'status', conversation: { status: 'closed' } });
        const resend = await store.appendEvent('c1', visitorMsg('before', 'm1'), { at: 4, whenStatus: ['bot'] });
        expect(resend).toMatchObject({ ok: true, duplicate: true, event: { seq: 1 } });
      });

      it("appends with visitorId only to that visitor's conversation, checked before duplicates", async () => {
        await conversation('c1', 'v1');
        const own = await store.appendEvent('c1', visitorMsg('mine', 'm1'), { at: 1, visitorId: 'v1' });
        expect(own).toMatchObject({ ok: true, duplicate: false, event: { seq: 1, text: 'mine' } });
        // Another visitor gets 'forbidden', for a new message and for a resend of v1's id alike
        // (the duplicate answer would hand over v1's event).
        expect(await store.appendEvent('c1', visitorMsg('theirs', 'm2'), { at: 2, visitorId: 'v2' })).toEqual({ ok: false, reason: 'forbidden' });
        expect(await store.appendEvent('c1', visitorMsg('probe', 'm1'), { at: 3, visitorId: 'v2' })).toEqual({ ok: false, reason: 'forbidden' });
        expect(await store.appendEvent('nope', visitorMsg('x'), { at: 4, visitorId: 'v1' })).toEqual({ ok: false, reason: 'not_found' });
        expect(await store.eventsAfter('c1', 0, 10)).toHaveLength(1);
        expect(await store.appendEvent('c1', visitorMsg('mine', 'm1'), { at: 5, visitorId: 'v1' })).toMatchObject({ ok: true, duplicate: true, event: { seq: 1 } });
      });

      it('cannot be changed through what it returns (a copy, or a frozen object)', async () => {
        await conversation();
        const r = await store.appendEvent('c1', visitorMsg('original'), { at: 1 });
        const [read] = await store.eventsAfter('c1', 0, 1);
        const record = await store.getConversation('c1');
        // A store may hand out copies (SQL) or its own frozen objects (memory): either way a
        // write through them must not reach what it holds.
        const tamper = (f: () => void) => {
          try {
            f();
          } catch (error) {
            expect(error).toBeInstanceOf(TypeError);
          }
        };
        tamper(() => r.ok && r.event.kind === 'message' && (r.event.text = 'tampered'));
        tamper(() => read?.kind === 'message' && (read.author.role = 'agent'));
        tamper(() => record && (record.status = 'closed'));
        tamper(() => record?.context && (record.context.url = 'https://evil.example'));
        const [event] = await store.eventsAfter('c1', 0, 1);
        expect(event).toMatchObject({ text: 'original', author: { role: 'visitor' } });
        expect(await store.getConversation('c1')).toMatchObject({ status: 'bot' });
        expect((await store.getConversation('c1'))?.context?.url).not.toBe('https://evil.example');
      });
    });

    describe('status transitions', () => {
      it('changes status and appends the status event together', async () => {
        await conversation();
        await store.appendEvent('c1', visitorMsg('help'), { at: 1 });
        const r = await store.transition('c1', { from: ['bot'], to: 'waiting', by: 'visitor', at: 5000 });
        expect(r).toMatchObject({
          ok: true,
          conversation: { status: 'waiting', lastSeq: 2, updatedAt: 5000 },
          event: { kind: 'status', seq: 2, status: 'waiting', by: 'visitor', at: 5000 },
        });
      });

      it('records the agent who takes a conversation', async () => {
        await conversation();
        await store.transition('c1', { from: ['bot'], to: 'waiting', by: 'visitor', at: 1 });
        const agent = { id: 'a1', name: 'Alice' };
        const r = await store.transition('c1', { from: ['waiting'], to: 'active', agent, by: 'agent', at: 2 });
        expect(r).toMatchObject({ ok: true, conversation: { status: 'active', agent }, event: { status: 'active', agent } });
      });

      it('refuses a change from a status not in `from` and reports the current state', async () => {
        await conversation();
        const r = await store.transition('c1', { from: ['waiting'], to: 'active', by: 'agent', at: 1 });
        expect(r).toMatchObject({ ok: false, conversation: { status: 'bot', lastSeq: 0 } });
        expect(await store.transition('nope', { from: ['bot'], to: 'closed', by: 'visitor', at: 1 })).toEqual({
          ok: false,
          conversation: null,
        });
      });

      it('gives a conversation to exactly one agent when many take it at once', async () => {
        await conversation();
        await store.transition('c1', { from: ['bot'], to: 'waiting', by: 'visitor', at: 1 });
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            store.transition('c1', { from: ['waiting'], to: 'active', agent: { id: `a${i}`, name: `A${i}` }, by: 'agent', at: 2 }),
          ),
        );
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        const events = await store.eventsAfter('c1', 0, 100);
        expect(events.filter((e) => e.kind === 'status' && e.status === 'active')).toHaveLength(1);
      });
    });

    describe('data rights', () => {
      const seed = async () => {
        await store.createVisitor({ id: 'v1', tokenHash: 'h1', createdAt: 500 });
        await store.createVisitor({ id: 'v2', tokenHash: 'h2', createdAt: 600 });
        await conversation('c1', 'v1', 1000);
        await store.appendEvent('c1', visitorMsg('my account was hacked', 'm1'), { at: 1100 });
        await store.transition('c1', { from: ['bot'], to: 'closed', by: 'visitor', at: 1200 });
        await conversation('c2', 'v1', 2000);
        await store.appendEvent('c2', visitorMsg('hello again', 'm2'), { at: 2100 });
        await conversation('other', 'v2', 1500);
        await store.appendEvent('other', visitorMsg('not v1', 'm3'), { at: 1600 });
      };

      it('exports the visitor, every conversation oldest first and every event in order, without the token hash', async () => {
        await seed();
        const data = await store.exportVisitor('v1');
        expect(data?.visitor).toEqual({ id: 'v1', createdAt: 500 });
        expect(JSON.stringify(data)).not.toContain('h1');
        expect(data?.conversations.map((c) => c.id)).toEqual(['c1', 'c2']);
        expect(data?.conversations[0]).toMatchObject({ status: 'closed', visitorId: 'v1', lastSeq: 2 });
        expect(data?.conversations[0]?.events.map((e) => [e.seq, e.kind])).toEqual([
          [1, 'message'],
          [2, 'status'],
        ]);
        expect(data?.conversations[1]?.events).toEqual(await store.eventsAfter('c2', 0, 100));
        expect(await store.exportVisitor('nobody')).toBeNull();
      });

      it('deletes the visitor, their conversations and events, and nothing of anyone else', async () => {
        await seed();
        const done = await store.deleteVisitor('v1');
        expect(done).toEqual({ visitor: true, conversationIds: expect.arrayContaining(['c1', 'c2']), events: 3, ticketNumbers: [] });
        expect(done.conversationIds).toHaveLength(2);
        expect(await store.exportVisitor('v1')).toBeNull();
        expect(await store.findVisitorByTokenHash('h1')).toBeNull();
        expect(await store.getConversation('c1')).toBeNull();
        expect(await store.eventsAfter('c2', 0, 100)).toEqual([]);
        expect(await store.findOpenConversation('v1')).toBeNull();
        // The other visitor is untouched.
        expect(await store.findVisitorByTokenHash('h2')).toMatchObject({ id: 'v2' });
        expect(await store.eventsAfter('other', 0, 100)).toHaveLength(1);
        // An erased conversation takes no more appends, and a second delete finds nothing.
        expect(await store.appendEvent('c2', visitorMsg('late', 'm9'), { at: 3000 })).toEqual({ ok: false, reason: 'not_found' });
        expect(await store.deleteVisitor('v1')).toEqual({ visitor: false, conversationIds: [], events: 0, ticketNumbers: [] });
      });

      it('exports and deletes the tickets made from the visitor’s conversations, and no one else’s', async () => {
        await seed();
        const ticket = (number: string, at: number, conversationId?: string) => ({
          number,
          status: 'open' as const,
          subject: 'Unanswered chat',
          email: 'v1@example.com',
          createdAt: at,
          updatedAt: at,
          ...(conversationId ? { conversationId } : {}),
          messages: [{ at, author: { role: 'visitor' as const }, text: `thread of ${number}` }],
        });
        await store.createTicket(ticket('PX-2', 2500, 'c2'));
        await store.createTicket(ticket('PX-1', 1300, 'c1'));
        await store.createTicket(ticket('PX-3', 1700, 'other'));
        await store.createTicket(ticket('PX-4', 1800)); // the ticket form, no conversation: not linked to a visitor
        await store.addTicketMessage('PX-1', { at: 1400, author: { role: 'agent', id: 'a1', name: 'Ana' }, text: 'We are on it' }, 'pending');

        const data = await store.exportVisitor('v1');
        expect(data?.tickets.map((t) => t.number)).toEqual(['PX-1', 'PX-2']);
        expect(data?.tickets[0]).toMatchObject({ conversationId: 'c1', status: 'pending' });
        expect(data?.tickets[0]?.messages.map((m) => m.text)).toEqual(['thread of PX-1', 'We are on it']);
        expect((await store.exportVisitor('v2'))?.tickets.map((t) => t.number)).toEqual(['PX-3']);

        const done = await store.deleteVisitor('v1');
        expect([...done.ticketNumbers].sort()).toEqual(['PX-1', 'PX-2']);
        expect(await store.getTicket('PX-1')).toBeNull();
        expect(await store.getTicket('PX-2')).toBeNull();
        expect(await store.getTicket('PX-3')).not.toBeNull();
        expect(await store.getTicket('PX-4')).not.toBeNull();
        expect((await store.listTickets({ limit: 10 })).map((t) => t.number).sort()).toEqual(['PX-3', 'PX-4']);
      });

      it('exports and deletes conversations naming a visitor that has no record', async () => {
        await conversation('orphan', 'v9', 10);
        expect((await store.exportVisitor('v9'))?.visitor).toEqual({ id: 'v9', createdAt: 10 });
        expect(await store.deleteVisitor('v9')).toEqual({ visitor: false, conversationIds: ['orphan'], events: 0, ticketNumbers: [] });
      });
    });

    describe('agents and sessions', () => {
      const alice = { id: 'a1', username: 'alice', name: 'Alice', passwordHash: 'scrypt$x' };

      it('finds agents by username and id; upsert replaces', async () => {
        await store.upsertAgent(alice);
        expect(await store.findAgentByUsername('alice')).toEqual(alice);
        expect(await store.findAgentById('a1')).toEqual(alice);
        expect(await store.findAgentByUsername('bob')).toBeNull();
        await store.upsertAgent({ ...alice, name: 'Alice B.' });
        expect((await store.findAgentById('a1'))?.name).toBe('Alice B.');
      });

      it('finds a session until it expires, and not after it is deleted', async () => {
        await store.createAgentSession({ tokenHash: 't1', agentId: 'a1', expiresAt: 1000 });
        expect(await store.findAgentSession('t1', 999)).toEqual({ tokenHash: 't1', agentId: 'a1', expiresAt: 1000 });
        expect(await store.findAgentSession('t1', 1000)).toBeNull();
        await store.createAgentSession({ tokenHash: 't2', agentId: 'a1', expiresAt: 5000 });
        await store.deleteAgentSession('t2');
        expect(await store.findAgentSession('t2', 0)).toBeNull();
        expect(await store.findAgentSession('unknown', 0)).toBeNull();
      });
    });

    describe('desk fields', () => {
      it('keeps the desk fields given at creation', async () => {
        const c = await store.createConversation({
          id: 'c1', visitorId: 'v1', at: 10, lang: 'de', topic: 'security', team: 'tier2', priority: 'urgent',
          user: { id: 'u1', email: 'a@b.co' }, verified: true, email: 'a@b.co',
        });
        expect(c).toMatchObject({ topic: 'security', team: 'tier2', priority: 'urgent', user: { id: 'u1', email: 'a@b.co' }, verified: true, email: 'a@b.co' });
        expect(await store.getConversation('c1')).toEqual(c);
      });

      it('sets waitingSince on the first hand-off only, and clears the agent on the way back to the queue', async () => {
        await conversation();
        await store.transition('c1', { from: ['bot'], to: 'waiting', by: 'visitor', at: 100 });
        await store.transition('c1', { from: ['waiting'], to: 'active', agent: { id: 'a1', name: 'Ana' }, by: 'agent', at: 200 });
        const back = await store.transition('c1', {
          from: ['active'], to: 'waiting', by: 'agent', at: 300, fromAgentId: 'a1', set: { team: 'tier2' }, transfer: { from: { id: 'a1', name: 'Ana' }, toTeam: 'tier2' },
        });
        expect(back.ok).toBe(true);
        if (!back.ok) return;
        expect(back.conversation.waitingSince).toBe(100);
        expect(back.conversation.agent).toBeUndefined();
        expect(back.conversation.team).toBe('tier2');
        expect(back.event).toMatchObject({ kind: 'status', status: 'waiting', transfer: { toTeam: 'tier2' } });
        expect(await store.getConversation('c1')).toEqual(back.conversation);
      });

      it('refuses a transition when the current agent is not fromAgentId', async () => {
        await conversation();
        await store.transition('c1', { from: ['bot'], to: 'waiting', by: 'visitor', at: 100 });
        await store.transition('c1', { from: ['waiting'], to: 'active', agent: { id: 'a1', name: 'Ana' }, by: 'agent', at: 200 });
        const r = await store.transition('c1', { from: ['active'], to: 'active', agent: { id: 'a3', name: 'C' }, by: 'agent', at: 300, fromAgentId: 'a2' });
        expect(r.ok).toBe(false);
        expect((await store.getConversation('c1'))?.agent?.id).toBe('a1');
      });

      it('updates desk fields under a guard, and takes a rating once', async () => {
        await conversation();
        const u = await store.updateConversation('c1', { topic: 'deposit', lang: 'fr' }, { whenStatus: ['bot', 'waiting'] });
        expect(u.ok && u.conversation).toMatchObject({ topic: 'deposit', lang: 'fr' });
        expect((await store.updateConversation('c1', { topic: 'x' }, { whenStatus: ['closed'] })).ok).toBe(false);
        expect((await store.updateConversation('c1', { rating: { score: 5 } }, { unrated: true })).ok).toBe(true);
        const again = await store.updateConversation('c1', { rating: { score: 1 } }, { unrated: true });
        expect(again.ok).toBe(false);
        expect((await store.getConversation('c1'))?.rating).toEqual({ score: 5 });
        expect((await store.updateConversation('nope', { topic: 'x' })).conversation).toBeNull();
      });

      it('dedupes notes by client id like messages', async () => {
        await conversation();
        const note = { kind: 'note' as const, author: { role: 'agent' as const, id: 'a1', name: 'Ana' }, text: 'VIP', clientId: 'n1' };
        const a = await store.appendEvent('c1', note, { at: 5 });
        const b = await store.appendEvent('c1', note, { at: 6 });
        expect(a.ok && b.ok && b.duplicate && b.event.seq === a.event.seq).toBe(true);
      });
    });

    describe('tickets', () => {
      const ticket = (number: string, at: number, status: 'open' | 'pending' = 'open') => ({
        number, status, subject: 'Missing deposit', topic: 'deposit', email: 'a@b.co', createdAt: at, updatedAt: at,
        context: { url: 'https://x.test/' }, messages: [{ at, author: { role: 'visitor' as const }, text: 'It has been 3 days' }],
      });

      it('creates, reads, lists (newest first, by status) and refuses a duplicate number', async () => {
        await store.createTicket(ticket('PX-1', 10));
        await store.createTicket(ticket('PX-2', 20, 'pending'));
        expect(await store.getTicket('PX-1')).toEqual(ticket('PX-1', 10));
        expect(await store.getTicket('PX-9')).toBeNull();
        await expect(store.createTicket(ticket('PX-1', 30))).rejects.toThrow(/exists/);
        const all = await store.listTickets({ limit: 10 });
        expect(all.map((t) => t.number)).toEqual(['PX-2', 'PX-1']);
        expect(all[0]).toEqual({ number: 'PX-2', status: 'pending', subject: 'Missing deposit', topic: 'deposit', email: 'a@b.co', createdAt: 20, updatedAt: 20, messageCount: 1 });
        expect((await store.listTickets({ status: 'open', limit: 10 })).map((t) => t.number)).toEqual(['PX-1']);
      });

      it('appends messages in order, sets the status, and reports unknown tickets', async () => {
        await store.createTicket(ticket('PX-1', 10));
        const reply = { at: 50, author: { role: 'agent' as const, id: 'a1', name: 'Ana' }, text: 'Found it' };
        const t = await store.addTicketMessage('PX-1', reply, 'pending');
        expect(t?.status).toBe('pending');
        expect(t?.updatedAt).toBe(50);
        expect(t?.messages.map((m) => m.text)).toEqual(['It has been 3 days', 'Found it']);
        await Promise.all([1, 2, 3].map((i) => store.addTicketMessage('PX-1', { at: 60 + i, author: { role: 'visitor' }, text: `m${i}` })));
        expect((await store.getTicket('PX-1'))?.messages).toHaveLength(5);
        expect((await store.setTicketStatus('PX-1', 'solved', 70))?.status).toBe('solved');
        expect(await store.addTicketMessage('PX-9', reply)).toBeNull();
        expect(await store.setTicketStatus('PX-9', 'closed', 1)).toBeNull();
      });
    });
  });
}
