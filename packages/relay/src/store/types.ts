import type {
  AgentRef,
  ConversationEvent,
  ConversationStatus,
  EventDraft,
  Role,
  StatusEvent,
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
}

/** What the caller gives to create a conversation; the store fills the rest. */
export interface NewConversation {
  id: string;
  visitorId: string;
  lang?: string;
  context?: VisitorContext;
  at: number;
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
}

/** What {@link Store.deleteVisitor} removed. */
export interface VisitorDeletion {
  /** False when there was no visitor record (conversations naming the id are still removed). */
  visitor: boolean;
  /** Ids of the conversations removed. */
  conversationIds: string[];
  events: number;
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
}

/**
 * The result of an append.
 * - `ok: true`: the event, and `duplicate: true` when a message with the same clientId was
 *   already in the conversation (then `event` is that earlier message, nothing was appended).
 * - `ok: false`: nothing appended; `reason` says why, with the conversation when it exists.
 */
export type AppendResult =
  | { ok: true; event: ConversationEvent; duplicate: boolean; conversation: ConversationRecord }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'status'; conversation: ConversationRecord };

/** A compare-and-set status change. */
export interface StatusTransition {
  /** The change happens only if the current status is one of these. */
  from: readonly ConversationStatus[];
  to: ConversationStatus;
  /** The agent to record (for `active`). */
  agent?: AgentRef;
  /** Who caused it; goes into the status event. */
  by: Role;
  at: number;
}

/**
 * The result of a status change: the updated conversation and the status event appended
 * with it, or the conversation as it is when the change was refused (`null`: no such id).
 */
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

  /** Create or replace an agent (matched by id). */
  upsertAgent(agent: AgentRecord): Promise<void>;
  findAgentByUsername(username: string): Promise<AgentRecord | null>;
  findAgentById(id: string): Promise<AgentRecord | null>;

  /**
   * Everything held about a visitor: their record and every conversation with its events.
   * Null when neither a visitor record nor a conversation names the id.
   */
  exportVisitor(visitorId: string): Promise<VisitorData | null>;
  /**
   * Erase a visitor: their record, their conversations and those conversations' events,
   * atomically (all or nothing). Unknown ids remove nothing.
   */
  deleteVisitor(visitorId: string): Promise<VisitorDeletion>;

  createAgentSession(session: AgentSessionRecord): Promise<void>;
  /** The session, or null when unknown or expired at `now`. */
  findAgentSession(tokenHash: string, now: number): Promise<AgentSessionRecord | null>;
  deleteAgentSession(tokenHash: string): Promise<void>;

  /** Release resources (connections, files). */
  close(): Promise<void>;
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
  const flat = text.replace(/\s+/g, ' ').trim();
  // Array.from counts code points, so an emoji is never cut in half.
  const chars = Array.from(flat);
  return chars.length <= PREVIEW_CHARS ? flat : chars.slice(0, PREVIEW_CHARS - 1).join('') + '…';
}
