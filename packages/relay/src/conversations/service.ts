import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  ErrorCode,
  type AgentRef,
  type ConversationEvent,
  type ConversationStatus,
  type ConversationSummary,
  type EventDraft,
  type Priority,
  type Rating,
  type VisitorContext,
  type VisitorUser,
} from '@parley/protocol';
import type { TopicConfig } from '../config.js';
import type { TicketService } from '../tickets/index.js';
import { hashToken, newId as defaultNewId, newToken as defaultNewToken, verifyPassword } from '../auth/index.js';
import type { Bot } from '../bot/index.js';
import { AGENTS_TOPIC, conversationTopic, type Bus } from '../bus/index.js';
import { RelayError } from '../errors.js';
import type { Logger } from '../logger.js';
import { queueOrder } from '../routing/order.js';
import type { ConversationRecord, DeskFields, Store } from '../store/index.js';

/**
 * Who is acting. The gateway builds one per connection after `hello`; every service method
 * takes it and checks it, so no read or write goes unchecked.
 */
export type Actor =
  | { role: 'visitor'; visitorId: string }
  | { role: 'agent'; agent: AgentRef; sessionExpiresAt: number };

/** Options for {@link ConversationService}. */
export interface ConversationServiceOptions {
  store: Store;
  bus: Bus;
  /** Answers visitor messages while the status is `bot`. @default none (messages wait for a hand-off) */
  bot?: Bot | null;
  /** The bot's display name on its messages. @default 'Parley' */
  botName?: string;
  /** How long an agent login lasts. @default 12 hours */
  agentSessionTtlMs?: number;
  logger?: Logger;
  /** @default Date.now */
  now?: () => number;
  /** @default 16 random bytes, base64url */
  newId?: () => string;
  /** @default 32 random bytes, base64url */
  newToken?: () => string;
  /** Problem types: a topic's team and urgency drive routing. @default [] */
  topics?: TopicConfig[];
  /** Key for identity verification (HMAC-SHA256 of the user id). @default none (nobody verified) */
  identitySecret?: string;
  /** Turns unanswered chats into tickets. @default none (they are just closed) */
  tickets?: TicketService | null;
}

/**
 * What the router lends the service: capacity bookkeeping for `take`, so an agent is never
 * given more conversations than their capacity, and a heads-up after every assignment.
 */
export interface CapacityPolicy {
  /** Reserve one slot for the agent; false when they are at capacity. */
  reserve(agentId: string): boolean;
  /** Give the slot back (the take failed) or turn it into a conversation (it succeeded). */
  release(agentId: string, conversationId?: string): void;
}

/** Pre-chat input for a new conversation. */
export interface NewConversationInput {
  lang?: string;
  context?: VisitorContext;
  topic?: string;
  user?: VisitorUser;
}

/** The statuses in which a visitor may still write. */
const OPEN: readonly ConversationStatus[] = ['bot', 'waiting', 'active'];
/** The statuses an agent's queue shows. */
const QUEUED: readonly ConversationStatus[] = ['waiting', 'active'];
const QUEUE_LIMIT = 500;

// A hash that verifies nothing, checked when the username is unknown, so a failed login
// takes as long for an unknown user as for a wrong password (no username probing by timing).
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

/**
 * The public view of a conversation (what `welcome`, `conversation` and `queue` frames carry).
 *
 * @example
 * socket.send(encode({ type: 'conversation', conversation: toSummary(record) }));
 */
export function toSummary(record: ConversationRecord): ConversationSummary {
  const { visitorId: _visitorId, ...summary } = record;
  return summary;
}

/** The primary language subtag, lowercase: `zh-CN` -> `zh`. */
const primaryLang = (lang: string | undefined) => (lang ?? 'en').split('-')[0]!.toLowerCase();

/**
 * Conversations: who may do what, in which order, and who hears about it. Every write goes
 * to the store (which numbers events), then to the bus (which tells every subscriber).
 *
 * @example
 * const service = new ConversationService({ store, bus, bot });
 * const { visitor, conversation, actor } = await service.visitorHello({ lang: 'en' });
 * const { event } = await service.send(actor, conversation.id, 'm1', 'Where is my deposit?');
 */
export class ConversationService {
  readonly #store: Store;
  readonly #bus: Bus;
  readonly #bot: Bot | null;
  readonly #botName: string;
  readonly #ttl: number;
  readonly #log: Logger | undefined;
  readonly #now: () => number;
  readonly #newId: () => string;
  readonly #newToken: () => string;
  /** Per conversation, the tail of its bot work, so replies come in question order. */
  readonly #botChains = new Map<string, Promise<void>>();
  readonly #topics: TopicConfig[];
  readonly #identitySecret: string | undefined;
  readonly #tickets: TicketService | null;
  #capacity: CapacityPolicy | null = null;

  constructor(options: ConversationServiceOptions) {
    this.#store = options.store;
    this.#bus = options.bus;
    this.#bot = options.bot ?? null;
    this.#botName = options.botName ?? 'Parley';
    this.#ttl = options.agentSessionTtlMs ?? 12 * 60 * 60_000;
    this.#log = options.logger;
    this.#now = options.now ?? Date.now;
    this.#newId = options.newId ?? defaultNewId;
    this.#newToken = options.newToken ?? defaultNewToken;
    this.#topics = options.topics ?? [];
    this.#identitySecret = options.identitySecret;
    this.#tickets = options.tickets ?? null;
  }

  /** Let the router enforce agent capacity on `take` (see {@link CapacityPolicy}). */
  useCapacity(policy: CapacityPolicy): void {
    this.#capacity = policy;
  }

  /** The configured topic, or `bad_frame` for an unknown id. */
  #topic(topicId: string): TopicConfig {
    const topic = this.#topics.find((t) => t.id === topicId);
    if (!topic) throw new RelayError(ErrorCode.BadFrame, `unknown topic '${topicId}'`);
    return topic;
  }

  /** The routing fields a topic implies: its team, and `urgent` for a topic flagged so. */
  #topicFields(topicId: string | undefined): DeskFields {
    if (topicId === undefined) return {};
    const topic = this.#topic(topicId);
    return { topic: topic.id, ...(topic.team !== undefined ? { team: topic.team } : {}), ...(topic.urgent ? { priority: 'urgent' as Priority } : {}) };
  }

  /** True when `user.hash` is the HMAC of `user.id` under the identity secret (constant-time compare). */
  #verified(user: VisitorUser | undefined): boolean {
    if (!user || !this.#identitySecret || typeof user.hash !== 'string') return false;
    const expected = createHmac('sha256', this.#identitySecret).update(user.id).digest();
    const given = Buffer.from(user.hash.toLowerCase(), 'hex');
    return given.length === expected.length && /^[0-9a-fA-F]+$/.test(user.hash) && timingSafeEqual(given, expected);
  }

  // ------------------------------------------------------------------ identities

  /**
   * A visitor says hello: find them by token (or create them without one), and their open
   * conversation (or create one). An unknown token is `unauthorized`.
   */
  async visitorHello(input: NewConversationInput & { token?: string }): Promise<{
    visitor: { id: string; token: string };
    conversation: ConversationSummary;
    actor: Actor;
  }> {
    let visitorId: string;
    let token: string;
    if (input.token !== undefined) {
      const found = await this.#store.findVisitorByTokenHash(hashToken(input.token));
      if (!found) throw new RelayError(ErrorCode.Unauthorized, 'unknown visitor token; say hello again without it');
      visitorId = found.id;
      token = input.token;
    } else {
      visitorId = this.#newId();
      token = this.#newToken();
      await this.#store.createVisitor({ id: visitorId, tokenHash: hashToken(token), createdAt: this.#now() });
    }
    const actor: Actor = { role: 'visitor', visitorId };
    const open = await this.#store.findOpenConversation(visitorId);
    const conversation = open ? toSummary(open) : await this.#create(visitorId, input);
    return { visitor: { id: visitorId, token }, conversation, actor };
  }

  /** The agent behind a session token; `unauthorized` when unknown or expired. */
  async agentFromToken(token: string): Promise<Actor & { role: 'agent' }> {
    const session = await this.#store.findAgentSession(hashToken(token), this.#now());
    const agent = session ? await this.#store.findAgentById(session.agentId) : null;
    if (!session || !agent) throw new RelayError(ErrorCode.Unauthorized, 'unknown or expired agent token; log in again');
    return { role: 'agent', agent: { id: agent.id, name: agent.name }, sessionExpiresAt: session.expiresAt };
  }

  /**
   * The principal behind a token of either kind, with no side effect (unlike `visitorHello`,
   * which creates a conversation). Polling requests carry only the token, so every request
   * is authorised from it alone; `unauthorized` when it is neither a visitor's nor a live agent session.
   */
  async actorFromToken(token: string): Promise<Actor> {
    const visitor = await this.#store.findVisitorByTokenHash(hashToken(token));
    if (visitor) return { role: 'visitor', visitorId: visitor.id };
    return this.agentFromToken(token);
  }

  /**
   * Check an agent's credentials and open a session. Returns null for a wrong username or
   * password alike (the caller answers both with the same message).
   */
  async login(username: string, password: string): Promise<{ token: string; agent: AgentRef; expiresAt: number } | null> {
    const agent = await this.#store.findAgentByUsername(username);
    const ok = await verifyPassword(password, agent?.passwordHash ?? DUMMY_HASH);
    if (!agent || !ok) return null;
    const token = this.#newToken();
    const expiresAt = this.#now() + this.#ttl;
    await this.#store.createAgentSession({ tokenHash: hashToken(token), agentId: agent.id, expiresAt });
    return { token, agent: { id: agent.id, name: agent.name }, expiresAt };
  }

  // ------------------------------------------------------------------ reads

  /** A conversation the actor may read: a visitor only their own, an agent any. */
  async readable(actor: Actor, conversationId: string): Promise<ConversationRecord> {
    this.#checkSession(actor);
    const conversation = await this.#store.getConversation(conversationId);
    if (!conversation) throw new RelayError(ErrorCode.NotFound, 'no such conversation');
    if (actor.role === 'visitor' && conversation.visitorId !== actor.visitorId) {
      throw new RelayError(ErrorCode.Forbidden, FORBIDDEN_TO_VISITOR);
    }
    return conversation;
  }

  /** Events after `afterSeq`, after checking that the actor may read the conversation. */
  async eventsAfter(actor: Actor, conversationId: string, afterSeq: number, limit: number): Promise<ConversationEvent[]> {
    await this.readable(actor, conversationId);
    return this.#store.eventsAfter(conversationId, afterSeq, limit);
  }

  /**
   * What agents see in their queue: every waiting conversation in queue order (urgent first,
   * then the longest waiting), then the active ones.
   */
  async queue(actor: Actor): Promise<ConversationSummary[]> {
    this.#requireAgent(actor);
    const all = await this.#store.listConversations(QUEUED, QUEUE_LIMIT);
    const waiting = all.filter((c) => c.status === 'waiting').sort(queueOrder);
    return [...waiting, ...all.filter((c) => c.status !== 'waiting')].map(toSummary);
  }

  // ------------------------------------------------------------------ writes

  /**
   * Append a message. Same `clientId` in the same conversation = the same message: the
   * original event comes back with `duplicate: true` and nothing is published again.
   * A visitor writes to their own open conversation; an agent to the one they have.
   */
  /**
   * Append a message. `onStored` runs as soon as the event is stored (also for a duplicate),
   * before it is published: the gateway acks there, so the sender learns "stored" without
   * waiting for the fan-out to every subscriber.
   */
  async send(
    actor: Actor,
    conversationId: string,
    clientId: string,
    text: string,
    onStored?: (event: ConversationEvent, duplicate: boolean) => void,
  ): Promise<{ event: ConversationEvent; duplicate: boolean; published: boolean }> {
    let whenStatus: readonly ConversationStatus[] = OPEN;
    if (actor.role === 'agent') {
      const conversation = await this.readable(actor, conversationId);
      if (conversation.status === 'active' && conversation.agent?.id !== actor.agent.id) {
        throw new RelayError(ErrorCode.Forbidden, 'another agent has this conversation');
      }
      if (conversation.status === 'bot' || conversation.status === 'waiting') {
        throw new RelayError(ErrorCode.Conflict, 'take the conversation before replying');
      }
      // Once active, only a close can change it, so the agent check above still holds.
      whenStatus = ['active'];
    }
    // A visitor's conversation is checked by the store, in the append (no read before it).
    const visitor = actor.role === 'visitor';
    const author = visitor ? { role: 'visitor' as const, id: actor.visitorId } : { role: 'agent' as const, ...actor.agent };
    const options = visitor ? { at: this.#now(), whenStatus, visitorId: actor.visitorId } : { at: this.#now(), whenStatus };
    const result = await this.#store.appendEvent(conversationId, { kind: 'message', author, text, clientId }, options);
    if (!result.ok) {
      if (result.reason === 'not_found') throw new RelayError(ErrorCode.NotFound, 'no such conversation');
      if (result.reason === 'forbidden') throw new RelayError(ErrorCode.Forbidden, FORBIDDEN_TO_VISITOR);
      throw result.conversation.status === 'closed'
        ? new RelayError(ErrorCode.Closed, 'the conversation is closed')
        : new RelayError(ErrorCode.Conflict, `the conversation is ${result.conversation.status}`);
    }
    onStored?.(result.event, result.duplicate);
    let published = false;
    if (!result.duplicate) {
      published = await this.#published(result.event, result.conversation);
      if (actor.role === 'visitor' && result.conversation.status === 'bot') this.#askBot(result.conversation, text);
    }
    return { event: result.event, duplicate: result.duplicate, published };
  }

  /** The visitor asks for a person: `bot` -> `waiting`. Already with people: nothing to do. */
  async handoff(actor: Actor, conversationId: string): Promise<void> {
    const conversation = await this.readable(actor, conversationId);
    if (actor.role !== 'visitor') throw new RelayError(ErrorCode.Forbidden, 'only the visitor asks for a hand-off');
    if (conversation.status === 'closed') throw new RelayError(ErrorCode.Closed, 'the conversation is closed');
    await this.#transition(conversationId, ['bot'], 'waiting', 'visitor');
  }

  /**
   * An agent takes a waiting conversation. Exactly one agent wins; the others get `conflict`,
   * and so does an agent at capacity.
   */
  async take(actor: Actor, conversationId: string): Promise<ConversationSummary> {
    const agent = this.#requireAgent(actor);
    const before = await this.readable(actor, conversationId);
    // Taking what you already have is a harmless resend.
    if (before.status === 'active' && before.agent?.id === agent.id) return toSummary(before);
    const result = before.status === 'waiting' ? await this.assign(conversationId, agent, 'agent') : null;
    if (result === 'full') throw new RelayError(ErrorCode.Conflict, 'you are at capacity; close a conversation first');
    if (result) return result;
    const now = await this.#store.getConversation(conversationId);
    if (now?.status === 'active' && now.agent?.id === agent.id) return toSummary(now);
    if (now?.status === 'closed') throw new RelayError(ErrorCode.Closed, 'the conversation is closed');
    throw new RelayError(
      ErrorCode.Conflict,
      now?.status === 'active' ? 'another agent already took this conversation' : `the conversation is ${now?.status ?? 'gone'}, not waiting`,
    );
  }

  /**
   * Close: the visitor (their own), the agent who has it, or any agent while it waits.
   * Closing a closed conversation is a harmless resend.
   */
  async close(actor: Actor, conversationId: string): Promise<void> {
    const conversation = await this.readable(actor, conversationId);
    if (conversation.status === 'closed') return;
    // A visitor giving up on the queue leaves a ticket behind, not a lost question.
    if (actor.role === 'visitor' && conversation.status === 'waiting' && this.#tickets) {
      await this.#closeAsTicket(conversation, 'visitor');
      if ((await this.#store.getConversation(conversationId))?.status === 'closed') return;
    }
    let from: readonly ConversationStatus[] = OPEN;
    if (actor.role === 'agent') {
      const mine = conversation.status === 'active' && conversation.agent?.id === actor.agent.id;
      if (!mine && conversation.status !== 'waiting') {
        throw new RelayError(ErrorCode.Forbidden, 'agents close waiting conversations and their own');
      }
      from = [conversation.status];
    }
    const done = await this.#transition(conversationId, from, 'closed', actor.role);
    if (!done && (await this.#store.getConversation(conversationId))?.status !== 'closed') {
      throw new RelayError(ErrorCode.Conflict, 'the conversation changed meanwhile; try again');
    }
  }

  /**
   * Give a waiting conversation to an agent (compare-and-set `waiting -> active`): `null`
   * when it was no longer waiting, `'full'` when the agent has no free capacity. The router
   * calls it with `by: 'system'`, `take` with `by: 'agent'`.
   */
  async assign(conversationId: string, agent: AgentRef, by: 'agent' | 'system' = 'system'): Promise<ConversationSummary | 'full' | null> {
    const policy = this.#capacity;
    if (policy && !policy.reserve(agent.id)) return 'full';
    let result: ConversationSummary | null = null;
    try {
      result = await this.#transition(conversationId, ['waiting'], 'active', by, agent);
      return result;
    } finally {
      policy?.release(agent.id, result ? conversationId : undefined);
    }
  }

  /**
   * Pre-chat: set the topic, language or e-mail while the bot has the conversation or it
   * waits (they drive routing, so later changes are `conflict`).
   */
  async prechat(actor: Actor, conversationId: string, input: { topic?: string; lang?: string; email?: string }): Promise<ConversationSummary> {
    await this.readable(actor, conversationId);
    if (actor.role !== 'visitor') throw new RelayError(ErrorCode.Forbidden, 'only the visitor sets the pre-chat choices');
    const set: DeskFields = {
      ...this.#topicFields(input.topic),
      ...(input.lang !== undefined ? { lang: input.lang } : {}),
      ...(input.email !== undefined ? { email: input.email } : {}),
    };
    const result = await this.#store.updateConversation(conversationId, set, { whenStatus: ['bot', 'waiting'] });
    if (!result.ok) {
      throw result.conversation?.status === 'closed'
        ? new RelayError(ErrorCode.Closed, 'the conversation is closed')
        : new RelayError(ErrorCode.Conflict, 'an agent has the conversation; the pre-chat choices can no longer change');
    }
    await this.#publishSummary(result.conversation);
    return toSummary(result.conversation);
  }

  /** An agent adds a private note. Same `clientId` = the same note. Notes never reach visitors. */
  async note(actor: Actor, conversationId: string, clientId: string, text: string): Promise<ConversationEvent> {
    const agent = this.#requireAgent(actor);
    await this.readable(actor, conversationId);
    const result = await this.#store.appendEvent(conversationId, { kind: 'note', author: { role: 'agent', ...agent }, text, clientId }, { at: this.#now() });
    if (!result.ok) throw new RelayError(ErrorCode.NotFound, 'no such conversation');
    if (!result.duplicate) await this.#published(result.event, result.conversation);
    return result.event;
  }

  /**
   * The agent who has the conversation hands it on: straight to another agent, or back to
   * the queue for a team (keeping its place: `waitingSince` does not change). A note, if
   * given, is appended first, so whoever gets it reads why.
   */
  async transfer(
    actor: Actor,
    conversationId: string,
    target: { toAgentId?: string; toTeam?: string; note?: string; noteId?: string },
    lookupAgent: (agentId: string) => Promise<AgentRef | null>,
    teamExists: (team: string) => boolean = () => true,
  ): Promise<ConversationSummary> {
    const agent = this.#requireAgent(actor);
    const conversation = await this.readable(actor, conversationId);
    if ((target.toAgentId === undefined) === (target.toTeam === undefined)) {
      throw new RelayError(ErrorCode.BadFrame, 'transfer needs exactly one of toAgentId or toTeam');
    }
    if (conversation.status !== 'active' || conversation.agent?.id !== agent.id) {
      throw new RelayError(ErrorCode.Forbidden, 'only the agent who has the conversation transfers it');
    }
    // A typo in a team name would leave the visitor waiting for a team nobody is in.
    if (target.toTeam !== undefined && !teamExists(target.toTeam)) throw new RelayError(ErrorCode.NotFound, `no team '${target.toTeam}'`);
    let to: AgentRef | null = null;
    if (target.toAgentId !== undefined) {
      if (target.toAgentId === agent.id) throw new RelayError(ErrorCode.Conflict, 'you already have this conversation');
      to = await lookupAgent(target.toAgentId);
      if (!to) throw new RelayError(ErrorCode.NotFound, 'no such agent, or they are offline');
    }
    if (target.note !== undefined) await this.note(actor, conversationId, target.noteId ?? this.#newId().slice(0, 32), target.note);
    const from = { id: agent.id, name: agent.name };
    const change = to
      ? { from: ['active'] as const, to: 'active' as const, agent: to, transfer: { from, toAgent: to } }
      : { from: ['active'] as const, to: 'waiting' as const, set: { team: target.toTeam! }, transfer: { from, toTeam: target.toTeam! } };
    const result = await this.#store.transition(conversationId, { ...change, by: 'agent', at: this.#now(), fromAgentId: agent.id });
    if (!result.ok) throw new RelayError(ErrorCode.Conflict, 'the conversation changed meanwhile; try again');
    await this.#published(result.event, result.conversation);
    return toSummary(result.conversation);
  }

  /** The visitor rates their closed conversation, once. */
  async rate(actor: Actor, conversationId: string, rating: Rating): Promise<ConversationSummary> {
    const conversation = await this.readable(actor, conversationId);
    if (actor.role !== 'visitor') throw new RelayError(ErrorCode.Forbidden, 'only the visitor rates a conversation');
    if (conversation.status !== 'closed') throw new RelayError(ErrorCode.Conflict, 'a conversation is rated after it closed');
    if (!conversation.agent) throw new RelayError(ErrorCode.Conflict, 'no agent took part in this conversation');
    const clean: Rating = { score: rating.score, ...(rating.comment?.trim() ? { comment: rating.comment.trim() } : {}) };
    const result = await this.#store.updateConversation(conversationId, { rating: clean }, { whenStatus: ['closed'], unrated: true });
    if (!result.ok) throw new RelayError(ErrorCode.Conflict, 'this conversation was already rated');
    await this.#publishSummary(result.conversation);
    return toSummary(result.conversation);
  }

  /** Every event of a conversation the actor may read (for transcripts), notes left out for visitors. */
  async allEvents(actor: Actor, conversationId: string): Promise<{ conversation: ConversationRecord; events: ConversationEvent[] }> {
    const conversation = await this.readable(actor, conversationId);
    const events: ConversationEvent[] = [];
    for (let after = 0; ; ) {
      const page = await this.#store.eventsAfter(conversationId, after, 1000);
      events.push(...page);
      if (page.length < 1000) break;
      after = page[page.length - 1]!.seq;
    }
    return { conversation, events: actor.role === 'visitor' ? events.filter((e) => e.kind !== 'note') : events };
  }

  /**
   * A waiting conversation nobody answered becomes a ticket and closes (`by: system`), with
   * the ticket number on the status event. No-op when it is no longer waiting.
   */
  async unanswered(conversationId: string): Promise<string | null> {
    const conversation = await this.#store.getConversation(conversationId);
    if (!conversation || conversation.status !== 'waiting') return null;
    return this.#closeAsTicket(conversation, 'system');
  }

  async #closeAsTicket(conversation: ConversationRecord, by: 'visitor' | 'system'): Promise<string | null> {
    if (!this.#tickets) {
      await this.#transition(conversation.id, ['waiting'], 'closed', by);
      return null;
    }
    const { events } = await this.allEvents({ role: 'visitor', visitorId: conversation.visitorId }, conversation.id);
    const ticket = await this.#tickets.fromConversation(conversation, events);
    const result = await this.#store.transition(conversation.id, { from: ['waiting'], to: 'closed', by, at: this.#now(), ticket: ticket.number, set: { ticket: ticket.number } });
    if (!result.ok) {
      // An agent took it meanwhile: the chat goes on; the ticket stays as a record, closed.
      await this.#tickets.setStatus(ticket.number, 'closed');
      return null;
    }
    await this.#published(result.event, result.conversation);
    return ticket.number;
  }

  /** Who may send typing signals here, and under which name; throws like a send would. */
  async typingAuthor(actor: Actor, conversationId: string): Promise<{ role: 'visitor' | 'agent'; name?: string }> {
    const conversation = await this.readable(actor, conversationId);
    if (conversation.status === 'closed') throw new RelayError(ErrorCode.Closed, 'the conversation is closed');
    if (actor.role === 'visitor') return { role: 'visitor' };
    if (conversation.status !== 'active' || conversation.agent?.id !== actor.agent.id) {
      throw new RelayError(ErrorCode.Forbidden, 'only the agent who has the conversation types in it');
    }
    return { role: 'agent', name: actor.agent.name };
  }

  /** A visitor opens a new conversation; if one is still open, that one is returned. */
  async start(actor: Actor, input: NewConversationInput = {}): Promise<ConversationSummary> {
    if (actor.role !== 'visitor') throw new RelayError(ErrorCode.Forbidden, 'only visitors start conversations');
    const open = await this.#store.findOpenConversation(actor.visitorId);
    return open ? toSummary(open) : this.#create(actor.visitorId, input);
  }

  /** Resolves when every bot reply in flight is done (graceful shutdown, tests). */
  async idle(): Promise<void> {
    while (this.#botChains.size > 0) await Promise.all([...this.#botChains.values()]);
  }

  // ------------------------------------------------------------------ internals

  async #create(visitorId: string, input: NewConversationInput): Promise<ConversationSummary> {
    // An unknown topic in a hello is dropped rather than refused: the visitor must get a chat.
    const topic = input.topic !== undefined && this.#topics.some((t) => t.id === input.topic) ? input.topic : undefined;
    const user = input.user;
    const email = user?.email;
    const record = await this.#store.createConversation({
      id: this.#newId(),
      visitorId,
      at: this.#now(),
      ...(input.lang !== undefined ? { lang: input.lang } : {}),
      ...(input.context !== undefined ? { context: input.context } : {}),
      priority: 'normal',
      ...this.#topicFields(topic),
      ...(user ? { user: { id: user.id, ...(user.email ? { email: user.email } : {}), ...(user.name ? { name: user.name } : {}) }, verified: this.#verified(user) } : {}),
      ...(email !== undefined ? { email } : {}),
    });
    return toSummary(record);
  }

  async #transition(
    conversationId: string,
    from: readonly ConversationStatus[],
    to: ConversationStatus,
    by: 'visitor' | 'agent' | 'bot' | 'system',
    agent?: AgentRef,
    set?: DeskFields,
  ): Promise<ConversationSummary | null> {
    const result = await this.#store.transition(conversationId, { from, to, by, at: this.#now(), ...(agent ? { agent } : {}), ...(set ? { set } : {}) });
    if (!result.ok) return null;
    await this.#published(result.event, result.conversation);
    return toSummary(result.conversation);
  }

  /** Tell the agents (and the router) that a conversation's summary changed without an event. */
  async #publishSummary(conversation: ConversationRecord): Promise<void> {
    try {
      await this.#bus.publish(AGENTS_TOPIC, { kind: 'conversation', conversation: toSummary(conversation) });
    } catch (error) {
      this.#log?.error({ err: error, conversationId: conversation.id }, 'bus publish failed');
    }
  }

  /**
   * Tell the conversation's subscribers about the event and the agents about the change.
   * False when the bus did not take the event (logged, not thrown: the event is stored).
   */
  async #published(event: ConversationEvent, conversation: ConversationRecord): Promise<boolean> {
    const bus = this.#bus;
    const id = conversation.id;
    // Both published at once, in this order; one await instead of two per message. Failures
    // are only logged: the event is stored, and subscribers catch up from the store on their
    // next subscribe.
    const published = bus.publish(conversationTopic(id), { kind: 'event', conversationId: id, event });
    bus.publish(AGENTS_TOPIC, { kind: 'conversation', conversation: toSummary(conversation) }).catch((error: unknown) => this.#log?.error({ err: error, conversationId: id }, 'bus publish failed'));
    try {
      await published;
      return true;
    } catch (error) {
      this.#log?.error({ err: error, conversationId: id }, 'bus publish failed');
      return false;
    }
  }

  #askBot(conversation: ConversationRecord, text: string): void {
    const bot = this.#bot;
    if (!bot) return;
    const id = conversation.id;
    const previous = this.#botChains.get(id) ?? Promise.resolve();
    const next = previous
      .then(() => this.#botTurn(bot, conversation, text))
      .catch((error: unknown) => this.#log?.error({ err: error, conversationId: id }, 'bot failed'))
      .finally(() => {
        if (this.#botChains.get(id) === next) this.#botChains.delete(id);
      });
    this.#botChains.set(id, next);
  }

  async #botTurn(bot: Bot, conversation: ConversationRecord, text: string): Promise<void> {
    const lang = primaryLang(conversation.lang);
    const reply = await bot.reply({ conversation: toSummary(conversation), text, lang });
    if (!reply) return;
    const draft: EventDraft = {
      kind: 'message',
      author: { role: 'bot', name: this.#botName },
      text: reply.text.slice(0, 4000),
      ...(reply.articleId !== undefined ? { articleId: reply.articleId } : {}),
      ...(reply.suggestions?.length ? { suggestions: reply.suggestions.slice(0, 5) } : {}),
    };
    // Only while the bot still owns it: if the visitor handed off meanwhile, the answer is moot.
    const result = await this.#store.appendEvent(conversation.id, draft, { at: this.#now(), whenStatus: ['bot'] });
    if (!result.ok) return;
    await this.#published(result.event, result.conversation);
    if (reply.handoff) await this.#transition(conversation.id, ['bot'], 'waiting', 'bot', undefined, reply.urgent ? { priority: 'urgent' } : undefined);
  }

  #checkSession(actor: Actor): void {
    if (actor.role === 'agent' && this.#now() >= actor.sessionExpiresAt) {
      throw new RelayError(ErrorCode.Unauthorized, 'the agent session expired; log in again');
    }
  }

  #requireAgent(actor: Actor): AgentRef {
    if (actor.role !== 'agent') throw new RelayError(ErrorCode.Forbidden, 'this needs an agent session');
    this.#checkSession(actor);
    return actor.agent;
  }
}

const FORBIDDEN_TO_VISITOR = 'this conversation belongs to another visitor';
