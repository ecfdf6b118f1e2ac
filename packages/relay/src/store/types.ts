import type {
  AgentRef,
  ConversationEvent,
  ConversationStatus,
  EventDraft,
  Priority,
  Rating,
  Role,
  StatusEvent,
  Ticket,
  TicketMessage,
  TicketStatus,
  VisitorContext,
} from '@parley/protocol';

/** A visitor: only the hash of their token is kept. */
export interface VisitorRecord {
  id: string;
  tokenHash: string;
  createdAt: number;
}

/** A conversation as stored. `lastSeq` is the seq of its newest event (0 when empty). */
export interface ConversationRecord {
  id: string;
  visitorId: string;
  status: ConversationStatus;
  lang?: string;
  context?: VisitorContext;
  /** The agent who has it, once taken. */
  agent?: AgentRef;
  createdAt: number;
  updatedAt: number;
  lastSeq: number;
  /** The last message text, shortened (see {@link previewOf}). */
  preview?: string;
  /** The desk fields (issue 4); see {@link DeskFields}. */
  topic?: string;
  team?: string;
  priority?: Priority;
  /** Set by the store on the first transition to `waiting`; never changed afterwards. */
  waitingSince?: number;
  user?: { id: string; email?: string; name?: string };
  verified?: boolean;
  email?: string;
  rating?: Rating;
  ticket?: string;
}

/** The conversation fields a caller may change with {@link Store.updateConversation} or a transition. */
export type DeskFields = Partial<Pick<ConversationRecord, 'lang' | 'topic' | 'team' | 'priority' | 'email' | 'rating' | 'ticket'>>;

/** What the caller gives to create a conversation; the store fills the rest. */
export interface NewConversation {
  id: string;
  visitorId: string;
  lang?: string;
  context?: VisitorContext;
  topic?: string;
  team?: string;
  priority?: Priority;
  user?: { id: string; email?: string; name?: string };
  verified?: boolean;
  email?: string;
  at: number;
}

/**
 * A ticket as stored (the thread included): exactly the wire shape agents and visitors see,
 * so the store and the protocol cannot drift apart.
 */
export type TicketRecord = Ticket;

/** A ticket in a list: no thread, its length instead. */
export type TicketListItem = Omit<TicketRecord, 'messages' | 'context'> & { messageCount: number };

/** Guards for {@link Store.updateConversation}, checked atomically with the change. */
export interface UpdateGuard {
  /** Change only while the status is one of these. */
  whenStatus?: readonly ConversationStatus[];
  /** Change only while the conversation has no rating (a rating is given once). */
  unrated?: boolean;
}

/** An agent account. */
export interface AgentRecord {
  id: string;
  username: string;
  name: string;
  passwordHash: string;
}

/** A logged-in agent: the hash of the session token, whose it is, and when it expires. */
export interface AgentSessionRecord {
  tokenHash: string;
  agentId: string;
  expiresAt: number;
}

/** A conversation with all of its events, as exported for a visitor. */
export interface ConversationWithEvents extends ConversationRecord {
  events: ConversationEvent[];
}

/**
 * Everything the store holds about one visitor (data-rights export). The token hash is left
 * out: it is a credential, not data about the person.
 */
export interface VisitorData {
  visitor: { id: string; createdAt: number };
  /** Oldest first, each with every event in seq order. */
  conversations: ConversationWithEvents[];
  /** Tickets made from the visitor's conversations (by `conversationId`), oldest first, each with its thread. */
  tickets: TicketRecord[];
}

/** What {@link Store.deleteVisitor} removed. */
export interface VisitorDeletion {
  /** False when there was no visitor record (conversations naming the id are still removed). */
  visitor: boolean;
  /** Ids of the conversations removed. */
  conversationIds: string[];
  events: number;
  /** Numbers of the tickets removed (those made from the visitor's conversations). */
  ticketNumbers: string[];
}

/** Options for {@link Store.appendEvent}. */
export interface AppendOptions {
  /** Time of the event (epoch ms). */
  at: number;
  /**
   * Append only while the conversation's status is one of these; checked atomically with the
   * append, so a message cannot slip in after a concurrent close.
   */
  whenStatus?: readonly ConversationStatus[];
  /**
   * Append only to a conversation of this visitor: another visitor's is answered
   * `reason: 'forbidden'`, checked first (before the duplicate check, so one visitor cannot
   * learn another's client ids). The visitor's message path needs no read before the append.
   */
  visitorId?: string;
}

/**
 * The result of an append.
 * - `ok: true`: the event, and `duplicate: true` when a message (or note) with the same clientId was
 *   already in the conversation (then `event` is that earlier message, nothing was appended).
 * - `ok: false`: nothing appended; `reason` says why, with the conversation when it exists.
 */
export type AppendResult =
  | { ok: true; event: ConversationEvent; duplicate: boolean; conversation: ConversationRecord }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'forbidden' }
  | { ok: false; reason: 'status'; conversation: ConversationRecord };

/** A compare-and-set status change. */
export interface StatusTransition {
  /** The change happens only if the current status is one of these. */
  from: readonly ConversationStatus[];
  to: ConversationStatus;
  /** The agent to record (for `active`). A transition to `waiting` or `bot` clears the agent. */
  agent?: AgentRef;
  /** Also require the current agent to be this one (a transfer by the agent who has it). */
  fromAgentId?: string;
  /** Fields changed together with the status. */
  set?: DeskFields;
  /** Extra fields of the status event. */
  transfer?: StatusEvent['transfer'];
  ticket?: string;
  /** Who caused it; goes into the status event. */
  by: Role;
  at: number;
}

/**
 * The result of a status change: the updated conversation and the status event appended
 * with it, or the conversation as it is when the change was refused (`null`: no such id).
 */
export type TransitionResultBase = { ok: true; conversation: ConversationRecord } | { ok: false; conversation: ConversationRecord | null };

export type TransitionResult =
  | { ok: true; conversation: ConversationRecord; event: StatusEvent }
  | { ok: false; conversation: ConversationRecord | null };

/**
 * Everything the relay keeps. Async throughout so SQLite and PostgreSQL implementations
 * fit the same shape; every implementation must pass `describeStore` (store.suite.ts).
 *
 * Invariants every implementation keeps:
 * - a conversation's events have seq 1, 2, 3... with no gaps, whatever the concurrency;
 * - appending a message whose clientId is already in the conversation appends nothing;
 * - a status change and its status event happen together or not at all, and only when
 *   the current status is in `from` (so two agents can never both take a conversation).
 *
 * @example
 * const store: Store = new MemoryStore();
 * await store.createConversation({ id: 'c1', visitorId: 'v1', at: Date.now() });
 * const r = await store.appendEvent('c1', { kind: 'message', author: { role: 'visitor' }, text: 'hi', clientId: 'm1' }, { at: Date.now() });
 */
export interface Store {
  createVisitor(visitor: VisitorRecord): Promise<void>;
  findVisitorByTokenHash(tokenHash: string): Promise<VisitorRecord | null>;

  createConversation(input: NewConversation): Promise<ConversationRecord>;
  getConversation(id: string): Promise<ConversationRecord | null>;
  /** The visitor's newest conversation that is not closed, if any. */
  findOpenConversation(visitorId: string): Promise<ConversationRecord | null>;
  /** Conversations whose status is one of `statuses`, oldest update first, at most `limit`. */
  listConversations(statuses: readonly ConversationStatus[], limit: number): Promise<ConversationRecord[]>;

  /** Append an event with the next seq (see {@link AppendResult}). Updates lastSeq, updatedAt and preview. */
  appendEvent(conversationId: string, draft: EventDraft, options: AppendOptions): Promise<AppendResult>;
  /** Events with seq > afterSeq, in seq order, at most `limit`. */
  eventsAfter(conversationId: string, afterSeq: number, limit: number): Promise<ConversationEvent[]>;
  /** Compare-and-set the status and append the status event, atomically. */
  transition(conversationId: string, change: StatusTransition): Promise<TransitionResult>;

  /** Change desk fields, atomically with the guard; `ok: false` (with the conversation as it is, or null) when refused. */
  updateConversation(conversationId: string, set: DeskFields, guard?: UpdateGuard): Promise<TransitionResultBase>;

  /** Store a new ticket; throws when the number exists (the caller draws another). */
  createTicket(ticket: TicketRecord): Promise<void>;
  getTicket(number: string): Promise<TicketRecord | null>;
  /** Tickets, newest update first, optionally one status, at most `limit`. */
  listTickets(query: { status?: TicketStatus; limit: number }): Promise<TicketListItem[]>;
  /** Append to the thread (and set the status when given); null when there is no such ticket. */
  addTicketMessage(number: string, message: TicketMessage, status?: TicketStatus): Promise<TicketRecord | null>;
  setTicketStatus(number: string, status: TicketStatus, at: number): Promise<TicketRecord | null>;

  /** Create or replace an agent (matched by id). */
  upsertAgent(agent: AgentRecord): Promise<void>;
  findAgentByUsername(username: string): Promise<AgentRecord | null>;
  findAgentById(id: string): Promise<AgentRecord | null>;

  /**
   * Everything held about a visitor: their record, every conversation with its events, and
   * the tickets made from those conversations. Null when neither a visitor record nor a
   * conversation names the id.
   */
  exportVisitor(visitorId: string): Promise<VisitorData | null>;
  /**
   * Erase a visitor: their record, their conversations, those conversations' events and the
   * tickets made from them (with their threads), atomically (all or nothing). Unknown ids
   * remove nothing.
   */
  deleteVisitor(visitorId: string): Promise<VisitorDeletion>;

  createAgentSession(session: AgentSessionRecord): Promise<void>;
  /** The session, or null when unknown or expired at `now`. */
  findAgentSession(tokenHash: string, now: number): Promise<AgentSessionRecord | null>;
  deleteAgentSession(tokenHash: string): Promise<void>;

  /** Release resources (connections, files). */
  close(): Promise<void>;
}

/**
 * The status event a transition appends (shared by every store, so they agree on its shape).
 *
 * @example
 * statusDraft({ from: ['waiting'], to: 'active', agent, by: 'agent', at }); // { kind: 'status', status: 'active', by: 'agent', agent }
 */
export function statusDraft(change: StatusTransition): EventDraft {
  return {
    kind: 'status',
    status: change.to,
    by: change.by,
    ...(change.agent ? { agent: { id: change.agent.id, name: change.agent.name } } : {}),
    ...(change.transfer ? { transfer: change.transfer } : {}),
    ...(change.ticket !== undefined ? { ticket: change.ticket } : {}),
  };
}

/**
 * Apply desk fields to a record; `undefined` values are skipped (a patch never deletes).
 *
 * @example
 * applyFields(record, { topic: 'security', priority: 'urgent' });
 */
export function applyFields(record: ConversationRecord, set: DeskFields): void {
  for (const [key, value] of Object.entries(set)) {
    if (value !== undefined) (record as unknown as Record<string, unknown>)[key] = structuredClone(value);
  }
}

/** The names of the desk fields SQL stores keep in one JSON column. */
const DESK_KEYS = ['topic', 'team', 'priority', 'waitingSince', 'user', 'verified', 'email', 'rating', 'ticket'] as const;

/**
 * The desk fields of a record (those set), for stores that keep them together.
 *
 * @example
 * deskOf({ topic: 'security', lastSeq: 3 }); // { topic: 'security' }
 */
export function deskOf(record: Partial<ConversationRecord>): Partial<ConversationRecord> {
  const out: Record<string, unknown> = {};
  for (const key of DESK_KEYS) if (record[key] !== undefined) out[key] = record[key];
  return out as Partial<ConversationRecord>;
}

/** Longest preview kept for a conversation (the protocol allows 200). */
export const PREVIEW_CHARS = 120;

/**
 * The preview of a message text: whitespace collapsed, cut to {@link PREVIEW_CHARS}.
 *
 * @example
 * previewOf('Where  is\nmy deposit?'); // 'Where is my deposit?'
 */
export function previewOf(text: string): string {
  // Runs for every stored message: a text with nothing to collapse is not rewritten, and the
  // cut walks code points in place (an emoji is never cut in half) instead of splitting the
  // text into an array of characters (that was ~500 bytes of garbage per message).
  const flat = NEEDS_COLLAPSE.test(text) ? text.replace(/\s+/g, ' ').trim() : text;
  if (flat.length <= PREVIEW_CHARS) return flat;
  let at = 0;
  for (let chars = 0; at < flat.length; chars++) {
    if (chars === PREVIEW_CHARS - 1) {
      // PREVIEW_CHARS - 1 code points end at `at`: cut there if at least two more follow.
      const next = at + (flat.codePointAt(at)! > 0xffff ? 2 : 1);
      return next >= flat.length ? flat : flat.slice(0, at) + '…';
    }
    at += flat.codePointAt(at)! > 0xffff ? 2 : 1;
  }
  return flat;
}

/** Whitespace other than single inner spaces: a run, a tab or newline, or space at either end. */
const NEEDS_COLLAPSE = /\s\s|[^\S ]|^\s|\s$/;
