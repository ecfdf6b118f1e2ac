import * as v from 'valibot';

/** The protocol version every frame carries as `v`. Bump only for breaking changes. */
export const PROTOCOL_VERSION = 1;

/**
 * Bounds on everything that crosses the wire. Both sides enforce them, so a
 * peer cannot make the other allocate without limit.
 */
export const LIMITS = {
  /** Largest frame, in UTF-16 code units of the raw JSON text (checked before parsing). */
  maxFrameChars: 64 * 1024,
  /** Longest message text, in characters. */
  maxTextChars: 4000,
  /** Longest id (client message ids, conversation ids, agent ids). */
  maxIdChars: 64,
  /** Longest token. */
  maxTokenChars: 256,
  /** Most conversations in one `queue` frame. */
  maxQueueItems: 500,
  /** Most custom attributes in a visitor context. */
  maxAttributes: 50,
  /** Longest string inside a visitor context (URLs, user agent, attribute values). */
  maxContextChars: 2048,
} as const;

const id = v.pipe(
  v.string(),
  v.minLength(1),
  v.maxLength(LIMITS.maxIdChars),
  v.regex(/^[A-Za-z0-9_-]+$/, 'ids use A-Z a-z 0-9 _ -'),
);
const token = v.pipe(v.string(), v.minLength(16), v.maxLength(LIMITS.maxTokenChars));
const seq = v.pipe(v.number(), v.integer(), v.minValue(0));
const time = v.pipe(v.number(), v.integer(), v.minValue(0));
const ctxString = v.pipe(v.string(), v.maxLength(LIMITS.maxContextChars));
const lang = v.pipe(v.string(), v.minLength(2), v.maxLength(16), v.regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/));
const text = v.pipe(
  v.string(),
  v.check((s) => s.trim().length > 0, 'text must not be empty'),
  v.maxLength(LIMITS.maxTextChars, `text is longer than ${LIMITS.maxTextChars} characters`),
);
const shortText = v.pipe(v.string(), v.maxLength(200));
const version = v.literal(PROTOCOL_VERSION);

/** Who wrote an event. */
export const RoleSchema = v.picklist(['visitor', 'agent', 'bot', 'system']);
export type Role = v.InferOutput<typeof RoleSchema>;

/**
 * Where a conversation is: the bot owns it, it waits in the queue, an agent has it,
 * or it is over.
 */
export const ConversationStatusSchema = v.picklist(['bot', 'waiting', 'active', 'closed']);
export type ConversationStatus = v.InferOutput<typeof ConversationStatusSchema>;

export const AuthorSchema = v.object({
  role: RoleSchema,
  id: v.optional(id),
  name: v.optional(shortText),
});
export type Author = v.InferOutput<typeof AuthorSchema>;

export const AgentRefSchema = v.object({ id, name: shortText });
export type AgentRef = v.InferOutput<typeof AgentRefSchema>;

/** An article the bot points to, shown as a link or a choice. */
export const ArticleRefSchema = v.object({ id, title: shortText });
export type ArticleRef = v.InferOutput<typeof ArticleRefSchema>;

/** Page/app context the widget attaches to a conversation. Every field is optional and bounded. */
export const VisitorContextSchema = v.object({
  url: v.optional(ctxString),
  referrer: v.optional(ctxString),
  userAgent: v.optional(ctxString),
  language: v.optional(ctxString),
  screen: v.optional(ctxString),
  sdkVersion: v.optional(ctxString),
  appVersion: v.optional(ctxString),
  attributes: v.optional(
    v.pipe(
      v.record(v.pipe(v.string(), v.maxLength(64)), ctxString),
      v.check((r) => Object.keys(r).length <= LIMITS.maxAttributes, `at most ${LIMITS.maxAttributes} attributes`),
    ),
  ),
});
export type VisitorContext = v.InferOutput<typeof VisitorContextSchema>;

/** A chat message in a conversation's numbered event stream. */
export const MessageEventSchema = v.object({
  kind: v.literal('message'),
  seq,
  at: time,
  author: AuthorSchema,
  text: v.pipe(v.string(), v.maxLength(LIMITS.maxTextChars)),
  /** The sender's client id; the same id is the same message (idempotent append). */
  clientId: v.optional(id),
  /** Bot answers point to articles. */
  articleId: v.optional(id),
  suggestions: v.optional(v.pipe(v.array(ArticleRefSchema), v.maxLength(5))),
});
export type MessageEvent = v.InferOutput<typeof MessageEventSchema>;

/** A change of a conversation's status (hand-off, assignment, close). */
export const StatusEventSchema = v.object({
  kind: v.literal('status'),
  seq,
  at: time,
  status: ConversationStatusSchema,
  /** The agent who has the conversation, when status is `active`. */
  agent: v.optional(AgentRefSchema),
  /** Who caused the change. */
  by: RoleSchema,
});
export type StatusEvent = v.InferOutput<typeof StatusEventSchema>;

export const ConversationEventSchema = v.variant('kind', [MessageEventSchema, StatusEventSchema]);
export type ConversationEvent = v.InferOutput<typeof ConversationEventSchema>;
/** An event before the store numbered it. */
export type EventDraft = DistributiveOmit<ConversationEvent, 'seq' | 'at'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** What an agent's list shows about a conversation. */
export const ConversationSummarySchema = v.object({
  id,
  status: ConversationStatusSchema,
  createdAt: time,
  updatedAt: time,
  /** The highest seq in the conversation (0 when empty). */
  lastSeq: seq,
  lang: v.optional(lang),
  agent: v.optional(AgentRefSchema),
  /** The last message text, shortened. */
  preview: v.optional(shortText),
  context: v.optional(VisitorContextSchema),
});
export type ConversationSummary = v.InferOutput<typeof ConversationSummarySchema>;

// ---------------------------------------------------------------- client -> relay

const optId = v.optional(id);

export const HelloFrameSchema = v.object({
  v: version,
  type: v.literal('hello'),
  role: v.picklist(['visitor', 'agent']),
  /** Visitor: the token from an earlier `welcome` (omit for a new visitor). Agent: the login token. */
  token: v.optional(token),
  lang: v.optional(lang),
  context: v.optional(VisitorContextSchema),
});
export const SubscribeFrameSchema = v.object({
  v: version,
  type: v.literal('subscribe'),
  id: optId,
  conversationId: id,
  /** The last seq the client has; the relay replays every event after it, then goes live. */
  afterSeq: seq,
});
export const UnsubscribeFrameSchema = v.object({ v: version, type: v.literal('unsubscribe'), id: optId, conversationId: id });
export const SendFrameSchema = v.object({
  v: version,
  type: v.literal('send'),
  /** Client message id (nanoid). Resending the same id is harmless. */
  id,
  conversationId: id,
  text,
});
export const HandoffFrameSchema = v.object({ v: version, type: v.literal('handoff'), id: optId, conversationId: id });
export const TakeFrameSchema = v.object({ v: version, type: v.literal('take'), id: optId, conversationId: id });
export const CloseFrameSchema = v.object({ v: version, type: v.literal('close'), id: optId, conversationId: id });
export const StartFrameSchema = v.object({ v: version, type: v.literal('start'), id: optId });
export const PingFrameSchema = v.object({ v: version, type: v.literal('ping'), id: optId });

export const ClientFrameSchema = v.variant('type', [
  HelloFrameSchema,
  SubscribeFrameSchema,
  UnsubscribeFrameSchema,
  SendFrameSchema,
  HandoffFrameSchema,
  TakeFrameSchema,
  CloseFrameSchema,
  StartFrameSchema,
  PingFrameSchema,
]);
export type ClientFrame = v.InferOutput<typeof ClientFrameSchema>;
export type HelloFrame = v.InferOutput<typeof HelloFrameSchema>;
export type SendFrame = v.InferOutput<typeof SendFrameSchema>;
export type SubscribeFrame = v.InferOutput<typeof SubscribeFrameSchema>;

// ---------------------------------------------------------------- relay -> client

export const WelcomeFrameSchema = v.object({
  v: version,
  type: v.literal('welcome'),
  role: v.picklist(['visitor', 'agent']),
  /** Visitor only: their id and the token to keep (new or the same one). */
  visitor: v.optional(v.object({ id, token })),
  /** Agent only: who is logged in. */
  agent: v.optional(AgentRefSchema),
  /** Visitor only: their current conversation (created if they had none open). */
  conversation: v.optional(ConversationSummarySchema),
  serverTime: time,
});
export const EventFrameSchema = v.object({
  v: version,
  type: v.literal('event'),
  conversationId: id,
  event: ConversationEventSchema,
});
export const AckFrameSchema = v.object({
  v: version,
  type: v.literal('ack'),
  /** The id of the client frame this acknowledges. */
  id,
  conversationId: v.optional(id),
  /** For `send`: the seq the message got (the same on a duplicate). */
  seq: v.optional(seq),
});
export const ErrorFrameSchema = v.object({
  v: version,
  type: v.literal('error'),
  /** The id of the client frame that caused it, when it had one and it could be read. */
  id: optId,
  code: v.string(),
  message: v.pipe(v.string(), v.maxLength(1000)),
});
export const QueueFrameSchema = v.object({
  v: version,
  type: v.literal('queue'),
  /** Agent only: every conversation that is waiting or active, newest state. */
  conversations: v.pipe(v.array(ConversationSummarySchema), v.maxLength(LIMITS.maxQueueItems)),
});
export const ConversationFrameSchema = v.object({
  v: version,
  type: v.literal('conversation'),
  id: optId,
  /** A visitor's new conversation (reply to `start`), or a summary update. */
  conversation: ConversationSummarySchema,
});
export const PongFrameSchema = v.object({ v: version, type: v.literal('pong'), id: optId, serverTime: time });

export const ServerFrameSchema = v.variant('type', [
  WelcomeFrameSchema,
  EventFrameSchema,
  AckFrameSchema,
  ErrorFrameSchema,
  QueueFrameSchema,
  ConversationFrameSchema,
  PongFrameSchema,
]);
export type ServerFrame = v.InferOutput<typeof ServerFrameSchema>;
export type WelcomeFrame = v.InferOutput<typeof WelcomeFrameSchema>;
export type EventFrame = v.InferOutput<typeof EventFrameSchema>;
export type AckFrame = v.InferOutput<typeof AckFrameSchema>;
export type ErrorFrame = v.InferOutput<typeof ErrorFrameSchema>;
export type QueueFrame = v.InferOutput<typeof QueueFrameSchema>;

// ---------------------------------------------------------------- HTTP bodies

export const AgentLoginRequestSchema = v.object({
  username: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
  password: v.pipe(v.string(), v.minLength(1), v.maxLength(1000)),
});
export type AgentLoginRequest = v.InferOutput<typeof AgentLoginRequestSchema>;
export interface AgentLoginResponse {
  token: string;
  agent: AgentRef;
}

/** Frames without the `v` field, as code builds them; `encode` adds it. */
export type Unversioned<F> = F extends unknown ? Omit<F, 'v'> : never;
