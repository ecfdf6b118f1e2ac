import {
  ErrorCode,
  type AgentRef,
  type ConversationEvent,
  type ConversationStatus,
  type ConversationSummary,
  type EventDraft,
  type VisitorContext,
} from '@parley/protocol';
import { hashToken, newId as defaultNewId, newToken as defaultNewToken, verifyPassword } from '../auth/index.js';
import type { Bot } from '../bot/index.js';
import { AGENTS_TOPIC, conversationTopic, type Bus } from '../bus/index.js';
import { RelayError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ConversationRecord, Store } from '../store/index.js';

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
  }

  // ------------------------------------------------------------------ identities

  /**
   * A visitor says hello: find them by token (or create them without one), and their open
   * conversation (or create one). An unknown token is `unauthorized`.
   */
  async visitorHello(input: { token?: string; lang?: string; context?: VisitorContext }): Promise<{
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
    const conversation = open ? toSummary(open) : await this.#create(visitorId, input.lang, input.context);
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
      throw new RelayError(ErrorCode.Forbidden, 'this conversation belongs to another visitor');
    }
    return conversation;
  }

  /** Events after `afterSeq`, after checking that the actor may read the conversation. */
  async eventsAfter(actor: Actor, conversationId: string, afterSeq: number, limit: number): Promise<ConversationEvent[]> {
    await this.readable(actor, conversationId);
    return this.#store.eventsAfter(conversationId, afterSeq, limit);
  }

  /** What agents see in their queue: every waiting or active conversation. */
  async queue(actor: Actor): Promise<ConversationSummary[]> {
    this.#requireAgent(actor);
    return (await this.#store.listConversations(QUEUED, QUEUE_LIMIT)).map(toSummary);
  }

  // ------------------------------------------------------------------ writes

  /**
   * Append a message. Same `clientId` in the same conversation = the same message: the
   * original event comes back with `duplicate: true` and nothing is published again.
   * A visitor writes to their own open conversation; an agent to the one they have.
   */
  async send(actor: Actor, conversationId: string, clientId: string, text: string): Promise<{ event: ConversationEvent; duplicate: boolean }> {
    const conversation = await this.readable(actor, conversationId);
    let whenStatus: readonly ConversationStatus[] = OPEN;
    if (actor.role === 'agent') {
      if (conversation.status === 'active' && conversation.agent?.id !== actor.agent.id) {
        throw new RelayError(ErrorCode.Forbidden, 'another agent has this conversation');
      }
      if (conversation.status === 'bot' || conversation.status === 'waiting') {
        throw new RelayError(ErrorCode.Conflict, 'take the conversation before replying');
      }
      // Once active, only a close can change it, so the agent check above still holds.
      whenStatus = ['active'];
    }
    const author = actor.role === 'visitor' ? { role: 'visitor' as const, id: actor.visitorId } : { role: 'agent' as const, ...actor.agent };
    const result = await this.#store.appendEvent(conversationId, { kind: 'message', author, text, clientId }, { at: this.#now(), whenStatus });
    if (!result.ok) {
      if (result.reason === 'not_found') throw new RelayError(ErrorCode.NotFound, 'no such conversation');
      throw result.conversation.status === 'closed'
        ? new RelayError(ErrorCode.Closed, 'the conversation is closed')
        : new RelayError(ErrorCode.Conflict, `the conversation is ${result.conversation.status}`);
    }
    if (!result.duplicate) {
      await this.#published(result.event, result.conversation);
      if (actor.role === 'visitor' && result.conversation.status === 'bot') this.#askBot(result.conversation, text);
    }
    return { event: result.event, duplicate: result.duplicate };
  }

  /** The visitor asks for a person: `bot` -> `waiting`. Already with people: nothing to do. */
  async handoff(actor: Actor, conversationId: string): Promise<void> {
    const conversation = await this.readable(actor, conversationId);
    if (actor.role !== 'visitor') throw new RelayError(ErrorCode.Forbidden, 'only the visitor asks for a hand-off');
    if (conversation.status === 'closed') throw new RelayError(ErrorCode.Closed, 'the conversation is closed');
    await this.#transition(conversationId, ['bot'], 'waiting', 'visitor');
  }

  /** An agent takes a waiting conversation. Exactly one agent wins; the others get `conflict`. */
  async take(actor: Actor, conversationId: string): Promise<ConversationSummary> {
    const agent = this.#requireAgent(actor);
    await this.readable(actor, conversationId);
    const result = await this.#transition(conversationId, ['waiting'], 'active', 'agent', agent);
    if (result) return result;
    const now = await this.#store.getConversation(conversationId);
    // Taking what you already have is a harmless resend.
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

  /** A visitor opens a new conversation; if one is still open, that one is returned. */
  async start(actor: Actor, input: { lang?: string; context?: VisitorContext } = {}): Promise<ConversationSummary> {
    if (actor.role !== 'visitor') throw new RelayError(ErrorCode.Forbidden, 'only visitors start conversations');
    const open = await this.#store.findOpenConversation(actor.visitorId);
    return open ? toSummary(open) : this.#create(actor.visitorId, input.lang, input.context);
  }

  /** Resolves when every bot reply in flight is done (graceful shutdown, tests). */
  async idle(): Promise<void> {
    while (this.#botChains.size > 0) await Promise.all([...this.#botChains.values()]);
  }

  // ------------------------------------------------------------------ internals

  async #create(visitorId: string, lang: string | undefined, context: VisitorContext | undefined): Promise<ConversationSummary> {
    const record = await this.#store.createConversation({
      id: this.#newId(),
      visitorId,
      at: this.#now(),
      ...(lang !== undefined ? { lang } : {}),
      ...(context !== undefined ? { context } : {}),
    });
    return toSummary(record);
  }

  async #transition(
    conversationId: string,
    from: readonly ConversationStatus[],
    to: ConversationStatus,
    by: 'visitor' | 'agent' | 'bot',
    agent?: AgentRef,
  ): Promise<ConversationSummary | null> {
    const result = await this.#store.transition(conversationId, { from, to, by, at: this.#now(), ...(agent ? { agent } : {}) });
    if (!result.ok) return null;
    await this.#published(result.event, result.conversation);
    return toSummary(result.conversation);
  }

  /** Tell the conversation's subscribers about the event and the agents about the change. */
  async #published(event: ConversationEvent, conversation: ConversationRecord): Promise<void> {
    try {
      await this.#bus.publish(conversationTopic(conversation.id), { kind: 'event', conversationId: conversation.id, event });
      await this.#bus.publish(AGENTS_TOPIC, { kind: 'conversation', conversation: toSummary(conversation) });
    } catch (error) {
      // The event is stored; subscribers catch up from the store on their next subscribe.
      this.#log?.error({ err: error, conversationId: conversation.id }, 'bus publish failed');
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
    if (reply.handoff) await this.#transition(conversation.id, ['bot'], 'waiting', 'bot');
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
