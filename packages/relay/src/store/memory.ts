import type { ConversationEvent, ConversationStatus, EventDraft, TicketMessage, TicketStatus } from '@parley/protocol';
import {
  applyFields,
  previewOf,
  statusDraft,
  type AgentRecord,
  type AgentSessionRecord,
  type AppendOptions,
  type AppendResult,
  type ConversationRecord,
  type DeskFields,
  type NewConversation,
  type TicketListItem,
  type TicketRecord,
  type TransitionResultBase,
  type UpdateGuard,
  type StatusTransition,
  type Store,
  type TransitionResult,
  type VisitorData,
  type VisitorDeletion,
  type VisitorRecord,
} from './types.js';

interface ConversationState {
  record: ConversationRecord;
  events: ConversationEvent[];
  /** clientId -> index in events, for idempotent appends. */
  byClientId: Map<string, number>;
}

// Records are copied in and out so callers can never mutate the store's state by accident.
// Records are plain JSON-like data (objects, arrays, primitives), which a direct walk copies
// several times faster than structuredClone (whose serialize/deserialize round trip was ~11%
// of the relay's CPU per message in the transport bench). Anything else (a Date, a Map, a
// class instance) still goes through structuredClone, so the result is the same as before.
const copy = <T>(value: T): T => clonePlain(value) as T;

/**
 * Freeze a plain structure and everything in it, in place. Conversation records and events
 * are kept frozen and handed out as they are: a reader cannot change what the store holds,
 * and a read costs no copy (reads and appends on the message path used to copy the record
 * and the event, ~1 KB of garbage per message). A change replaces the record with a new
 * frozen one (copy on write); nested objects it keeps are shared, already frozen.
 */
function frozen<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key in value) frozen((value as Record<string, unknown>)[key]);
  }
  return value;
}

function clonePlain(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = clonePlain(value[i]);
    return out;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return structuredClone(value);
  // for...in rather than Object.keys: no array of keys per object copied (several objects are
  // copied per message). The prototype is Object.prototype or null, so the hasOwn check only
  // guards against an enumerable property someone added to Object.prototype.
  const out: Record<string, unknown> = {};
  for (const key in value) if (Object.hasOwn(value, key)) out[key] = clonePlain((value as Record<string, unknown>)[key]);
  return out;
}

/**
 * The in-memory {@link Store}: for tests and single-process demos. Nothing survives a restart.
 * Each method does its work synchronously inside the async call, so every operation is
 * atomic with respect to the others (JavaScript runs one at a time).
 *
 * @example
 * const relay = await createRelay({ store: new MemoryStore() });
 */
export class MemoryStore implements Store {
  readonly #visitors = new Map<string, VisitorRecord>();
  readonly #visitorByToken = new Map<string, string>();
  readonly #conversations = new Map<string, ConversationState>();
  readonly #agents = new Map<string, AgentRecord>();
  readonly #sessions = new Map<string, AgentSessionRecord>();
  readonly #tickets = new Map<string, TicketRecord>();

  async createVisitor(visitor: VisitorRecord): Promise<void> {
    if (this.#visitors.has(visitor.id)) throw new Error(`visitor ${visitor.id} already exists`);
    this.#visitors.set(visitor.id, copy(visitor));
    this.#visitorByToken.set(visitor.tokenHash, visitor.id);
  }

  async findVisitorByTokenHash(tokenHash: string): Promise<VisitorRecord | null> {
    const id = this.#visitorByToken.get(tokenHash);
    const visitor = id === undefined ? undefined : this.#visitors.get(id);
    return visitor ? copy(visitor) : null;
  }

  async createConversation(input: NewConversation): Promise<ConversationRecord> {
    if (this.#conversations.has(input.id)) throw new Error(`conversation ${input.id} already exists`);
    const { at, ...rest } = copy(input);
    const record: ConversationRecord = frozen({ ...rest, status: 'bot', createdAt: at, updatedAt: at, lastSeq: 0 });
    this.#conversations.set(input.id, { record, events: [], byClientId: new Map() });
    return record;
  }

  async getConversation(id: string): Promise<ConversationRecord | null> {
    const state = this.#conversations.get(id);
    return state ? state.record : null;
  }

  async findOpenConversation(visitorId: string): Promise<ConversationRecord | null> {
    let best: ConversationRecord | undefined;
    for (const { record } of this.#conversations.values()) {
      if (record.visitorId !== visitorId || record.status === 'closed') continue;
      if (!best || record.createdAt >= best.createdAt) best = record;
    }
    return best ?? null;
  }

  async listConversations(statuses: readonly ConversationStatus[], limit: number): Promise<ConversationRecord[]> {
    const out: ConversationRecord[] = [];
    for (const { record } of this.#conversations.values()) if (statuses.includes(record.status)) out.push(record);
    out.sort((a, b) => a.updatedAt - b.updatedAt || a.createdAt - b.createdAt);
    return out.slice(0, Math.max(0, limit));
  }

  async appendEvent(conversationId: string, draft: EventDraft, options: AppendOptions): Promise<AppendResult> {
    const state = this.#conversations.get(conversationId);
    if (!state) return { ok: false, reason: 'not_found' };
    if (options.visitorId !== undefined && state.record.visitorId !== options.visitorId) return { ok: false, reason: 'forbidden' };
    if (draft.kind !== 'status' && draft.clientId !== undefined) {
      const index = state.byClientId.get(draft.clientId);
      const existing = index === undefined ? undefined : state.events[index];
      // The duplicate check comes before the status check: a resend of a message that was
      // appended before the conversation closed still gets its original ack.
      if (existing) return { ok: true, event: existing, duplicate: true, conversation: state.record };
    }
    if (options.whenStatus && !options.whenStatus.includes(state.record.status)) {
      return { ok: false, reason: 'status', conversation: state.record };
    }
    const event = this.#push(state, draft, options.at);
    return { ok: true, event, duplicate: false, conversation: state.record };
  }

  async eventsAfter(conversationId: string, afterSeq: number, limit: number): Promise<ConversationEvent[]> {
    const state = this.#conversations.get(conversationId);
    if (!state || limit <= 0) return [];
    // seq n lives at index n - 1 (gap-free numbering), so this is a slice, not a scan.
    const start = Math.max(0, Math.floor(afterSeq));
    return state.events.slice(start, start + limit);
  }

  async transition(conversationId: string, change: StatusTransition): Promise<TransitionResult> {
    const state = this.#conversations.get(conversationId);
    if (!state) return { ok: false, conversation: null };
    if (!change.from.includes(state.record.status)) return { ok: false, conversation: state.record };
    if (change.fromAgentId !== undefined && state.record.agent?.id !== change.fromAgentId) return { ok: false, conversation: state.record };
    const next: ConversationRecord = { ...state.record, status: change.to };
    if (change.agent) next.agent = copy(change.agent);
    else if (change.to === 'waiting' || change.to === 'bot') delete next.agent;
    if (change.to === 'waiting' && next.waitingSince === undefined) next.waitingSince = change.at;
    if (change.set) applyFields(next, change.set);
    state.record = frozen(next);
    const event = this.#push(state, statusDraft(change), change.at) as ConversationEvent & { kind: 'status' };
    return { ok: true, conversation: state.record, event };
  }

  async updateConversation(conversationId: string, set: DeskFields, guard: UpdateGuard = {}): Promise<TransitionResultBase> {
    const state = this.#conversations.get(conversationId);
    if (!state) return { ok: false, conversation: null };
    if (guard.whenStatus && !guard.whenStatus.includes(state.record.status)) return { ok: false, conversation: state.record };
    if (guard.unrated && state.record.rating !== undefined) return { ok: false, conversation: state.record };
    const next = { ...state.record };
    applyFields(next, set);
    state.record = frozen(next);
    return { ok: true, conversation: state.record };
  }

  async createTicket(ticket: TicketRecord): Promise<void> {
    if (this.#tickets.has(ticket.number)) throw new Error(`ticket ${ticket.number} already exists`);
    this.#tickets.set(ticket.number, copy(ticket));
  }

  async getTicket(number: string): Promise<TicketRecord | null> {
    const t = this.#tickets.get(number);
    return t ? copy(t) : null;
  }

  async listTickets(query: { status?: TicketStatus; limit: number }): Promise<TicketListItem[]> {
    const out: TicketRecord[] = [];
    for (const t of this.#tickets.values()) if (query.status === undefined || t.status === query.status) out.push(t);
    out.sort((a, b) => b.updatedAt - a.updatedAt || (a.number < b.number ? -1 : 1));
    return out.slice(0, Math.max(0, query.limit)).map(({ messages, context: _context, ...rest }) => ({ ...copy(rest), messageCount: messages.length }));
  }

  async addTicketMessage(number: string, message: TicketMessage, status?: TicketStatus): Promise<TicketRecord | null> {
    const t = this.#tickets.get(number);
    if (!t) return null;
    t.messages.push(copy(message));
    t.updatedAt = Math.max(t.updatedAt, message.at);
    if (status !== undefined) t.status = status;
    return copy(t);
  }

  async setTicketStatus(number: string, status: TicketStatus, at: number): Promise<TicketRecord | null> {
    const t = this.#tickets.get(number);
    if (!t) return null;
    t.status = status;
    t.updatedAt = Math.max(t.updatedAt, at);
    return copy(t);
  }

  #push(state: ConversationState, draft: EventDraft, at: number): ConversationEvent {
    const seq = state.record.lastSeq + 1;
    // Assigned onto the copy rather than spread into another one: one object per event, not two.
    const event = copy(draft) as ConversationEvent;
    event.seq = seq;
    event.at = at;
    state.events.push(frozen(event));
    const record = { ...state.record, lastSeq: seq, updatedAt: Math.max(state.record.updatedAt, at) };
    if (event.kind === 'message') record.preview = previewOf(event.text);
    // Shallow: what it shares with the previous record is frozen already.
    state.record = Object.freeze(record);
    if (event.kind !== 'status' && event.clientId !== undefined) state.byClientId.set(event.clientId, state.events.length - 1);
    return event;
  }

  async upsertAgent(agent: AgentRecord): Promise<void> {
    for (const [id, other] of this.#agents) {
      if (id !== agent.id && other.username === agent.username) throw new Error(`username ${agent.username} is taken`);
    }
    this.#agents.set(agent.id, copy(agent));
  }

  async findAgentByUsername(username: string): Promise<AgentRecord | null> {
    for (const agent of this.#agents.values()) if (agent.username === username) return copy(agent);
    return null;
  }

  async findAgentById(id: string): Promise<AgentRecord | null> {
    const agent = this.#agents.get(id);
    return agent ? copy(agent) : null;
  }

  async exportVisitor(visitorId: string): Promise<VisitorData | null> {
    const visitor = this.#visitors.get(visitorId);
    const states = this.#visitorConversations(visitorId);
    if (!visitor && states.length === 0) return null;
    const createdAt = visitor?.createdAt ?? Math.min(...states.map((s) => s.record.createdAt));
    return {
      visitor: { id: visitorId, createdAt },
      conversations: states.map((s) => ({ ...copy(s.record), events: s.events.map(copy) })),
      tickets: this.#ticketsOf(states).map(copy),
    };
  }

  async deleteVisitor(visitorId: string): Promise<VisitorDeletion> {
    const visitor = this.#visitors.get(visitorId);
    if (visitor) {
      this.#visitors.delete(visitorId);
      this.#visitorByToken.delete(visitor.tokenHash);
    }
    const states = this.#visitorConversations(visitorId);
    const tickets = this.#ticketsOf(states);
    for (const t of tickets) this.#tickets.delete(t.number);
    let events = 0;
    for (const state of states) {
      events += state.events.length;
      this.#conversations.delete(state.record.id);
    }
    return { visitor: visitor !== undefined, conversationIds: states.map((s) => s.record.id), events, ticketNumbers: tickets.map((t) => t.number) };
  }

  /** Tickets made from these conversations, oldest first. */
  #ticketsOf(states: ConversationState[]): TicketRecord[] {
    const ids = new Set(states.map((s) => s.record.id));
    return [...this.#tickets.values()]
      .filter((t) => t.conversationId !== undefined && ids.has(t.conversationId))
      .sort((a, b) => a.createdAt - b.createdAt || (a.number < b.number ? -1 : 1));
  }

  /** The visitor's conversations, oldest first (Map order is creation order). */
  #visitorConversations(visitorId: string): ConversationState[] {
    return [...this.#conversations.values()].filter((s) => s.record.visitorId === visitorId);
  }

  async createAgentSession(session: AgentSessionRecord): Promise<void> {
    this.#sessions.set(session.tokenHash, copy(session));
  }

  async findAgentSession(tokenHash: string, now: number): Promise<AgentSessionRecord | null> {
    const session = this.#sessions.get(tokenHash);
    if (!session) return null;
    if (session.expiresAt <= now) {
      this.#sessions.delete(tokenHash);
      return null;
    }
    return copy(session);
  }

  async deleteAgentSession(tokenHash: string): Promise<void> {
    this.#sessions.delete(tokenHash);
  }

  async close(): Promise<void> {}
}
