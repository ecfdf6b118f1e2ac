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
  /** Most agents in one `roster` frame. */
  maxRosterItems: 500,
  /** Longest satisfaction comment, transfer note reason, ticket subject... see each schema. */
  maxCommentChars: 2000,
  /** Longest ticket subject. */
  maxSubjectChars: 200,
  /** Longest e-mail address (RFC 5321 path limit). */
  maxEmailChars: 254,
} as const;

/** A BCP 47-like language tag: `en`, `zh-Hant`, `pt-BR`. */
const LANG_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
/**
 * A plausible e-mail address: one @, no spaces, quotes or angle brackets, a dot after the @.
 * Deliverability is the SMTP server's call. The widget checks its forms with the same rule.
 */
export const EMAIL_ADDRESS = /^[^\s@<>"',;]+@[^\s@<>"',;]+\.[^\s@<>"',;]+$/;

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
const lang = v.pipe(v.string(), v.minLength(2), v.maxLength(16), v.regex(LANG_TAG));
const text = v.pipe(
  v.string(),
  v.check((s) => s.trim().length > 0, 'text must not be empty'),
  v.maxLength(LIMITS.maxTextChars, `text is longer than ${LIMITS.maxTextChars} characters`),
);
const shortText = v.pipe(v.string(), v.maxLength(200));
/** An e-mail address ({@link EMAIL_ADDRESS}), bounded. */
const email = v.pipe(v.string(), v.maxLength(LIMITS.maxEmailChars), v.regex(EMAIL_ADDRESS, 'not an e-mail address'));
const comment = v.pipe(v.string(), v.maxLength(LIMITS.maxCommentChars));
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

/** Urgent conversations (security cases: account taken over, funds stolen) are served before normal ones. */
export const PrioritySchema = v.picklist(['normal', 'urgent']);
export type Priority = v.InferOutput<typeof PrioritySchema>;

/** An agent's availability. `online` agents get conversations; `away` keep theirs but get no new ones. */
export const AgentStatusSchema = v.picklist(['online', 'away', 'offline']);
export type AgentStatus = v.InferOutput<typeof AgentStatusSchema>;

/** A visitor's satisfaction rating, given once after the chat was closed. */
export const RatingSchema = v.object({
  score: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(5)),
  comment: v.optional(comment),
});
export type Rating = v.InferOutput<typeof RatingSchema>;

/**
 * Who the host site says the visitor is. `hash` is the lowercase hex HMAC-SHA256 of `id`
 * with the desk's `identitySecret` (computed by the site's server, never in the browser);
 * the relay marks the conversation `verified` only when it matches.
 */
export const VisitorUserSchema = v.object({
  id: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  email: v.optional(email),
  name: v.optional(shortText),
  hash: v.optional(v.pipe(v.string(), v.maxLength(128))),
});
export type VisitorUser = v.InferOutput<typeof VisitorUserSchema>;

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
  /** Set when a transfer caused it: the team it now waits for (status `waiting`) or the agent it went to. */
  transfer: v.optional(v.object({ from: v.optional(AgentRefSchema), toTeam: v.optional(id), toAgent: v.optional(AgentRefSchema) })),
  /** Set when the relay turned an unanswered chat into a ticket (status `closed`). */
  ticket: v.optional(v.pipe(v.string(), v.maxLength(32))),
});
export type StatusEvent = v.InferOutput<typeof StatusEventSchema>;

/**
 * A private note between agents. Stored in the conversation's stream (it takes a seq), but the
 * relay never sends it to a visitor, neither live nor in a replay: a visitor's stream simply
 * skips those seqs.
 */
export const NoteEventSchema = v.object({
  kind: v.literal('note'),
  seq,
  at: time,
  author: AuthorSchema,
  text: v.pipe(v.string(), v.maxLength(LIMITS.maxTextChars)),
  clientId: v.optional(id),
});
export type NoteEvent = v.InferOutput<typeof NoteEventSchema>;

export const ConversationEventSchema = v.variant('kind', [MessageEventSchema, StatusEventSchema, NoteEventSchema]);
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
  /** The problem type picked before the chat (an id from the desk's topics). */
  topic: v.optional(id),
  /** The team it is routed to (from the topic, or a transfer). Absent: any team. */
  team: v.optional(id),
  /** @default 'normal' when absent (relays before issue 4). */
  priority: v.optional(PrioritySchema),
  /** When it (first) entered the queue; the queue orders by priority, then this. */
  waitingSince: v.optional(time),
  /** Who the host site says the visitor is (without the hash). */
  user: v.optional(v.object({ id: v.pipe(v.string(), v.maxLength(200)), email: v.optional(email), name: v.optional(shortText) })),
  /** Where a ticket reply goes if the chat ends unanswered (pre-chat e-mail, else `user.email`). */
  email: v.optional(email),
  /** True when `user` came with a valid identity hash. */
  verified: v.optional(v.boolean()),
  rating: v.optional(RatingSchema),
  /** The ticket number when the chat ended unanswered and became a ticket. */
  ticket: v.optional(v.pipe(v.string(), v.maxLength(32))),
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
  /** Visitor: the problem type picked before the chat (applied to a conversation this hello creates). */
  topic: v.optional(id),
  /** Visitor: identity from the host site, see {@link VisitorUserSchema}. */
  user: v.optional(VisitorUserSchema),
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
export const StartFrameSchema = v.object({
  v: version,
  type: v.literal('start'),
  id: optId,
  /** Pre-chat choices for the new conversation; default to the hello's. */
  topic: v.optional(id),
  lang: v.optional(lang),
});
/** Visitor: set the pre-chat choices (or an e-mail for a ticket) while the chat is with the bot or waiting. */
export const PrechatFrameSchema = v.object({
  v: version,
  type: v.literal('prechat'),
  id: optId,
  conversationId: id,
  topic: v.optional(id),
  lang: v.optional(lang),
  /** Where a reply goes if the chat ends unanswered and becomes a ticket. */
  email: v.optional(email),
});
/** Both roles: "I am typing" / "I stopped". Never stored; the relay throttles and forwards it. */
export const TypingFrameSchema = v.object({ v: version, type: v.literal('typing'), id: optId, conversationId: id, typing: v.boolean() });
/** Agent: a private note (never shown to the visitor). `id` is a client id, like `send`. */
export const NoteFrameSchema = v.object({ v: version, type: v.literal('note'), id, conversationId: id, text });
/** Agent who has the conversation: hand it to another agent, or back to the queue for a team. Exactly one target. */
export const TransferFrameSchema = v.object({
  v: version,
  type: v.literal('transfer'),
  id: optId,
  conversationId: id,
  toAgentId: v.optional(id),
  toTeam: v.optional(id),
  /** Stored as a private note before the transfer. */
  note: v.optional(text),
});
/** Agent: set my availability. */
export const AgentStatusFrameSchema = v.object({ v: version, type: v.literal('agentStatus'), id: optId, status: AgentStatusSchema });
/** Visitor: rate a closed conversation, once. */
export const RateFrameSchema = v.object({
  v: version,
  type: v.literal('rate'),
  id: optId,
  conversationId: id,
  score: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(5)),
  comment: v.optional(comment),
});
/** Visitor: e-mail me this conversation's transcript (plain text). */
export const EmailTranscriptFrameSchema = v.object({ v: version, type: v.literal('emailTranscript'), id: optId, conversationId: id, email });
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
  PrechatFrameSchema,
  TypingFrameSchema,
  NoteFrameSchema,
  TransferFrameSchema,
  AgentStatusFrameSchema,
  RateFrameSchema,
  EmailTranscriptFrameSchema,
]);
export type ClientFrame = v.InferOutput<typeof ClientFrameSchema>;
export type HelloFrame = v.InferOutput<typeof HelloFrameSchema>;
export type SendFrame = v.InferOutput<typeof SendFrameSchema>;
export type SubscribeFrame = v.InferOutput<typeof SubscribeFrameSchema>;

// ---------------------------------------------------------------- relay -> client

/** A canned answer agents can insert (from the relay config). */
export const SavedReplySchema = v.object({ id, title: shortText, text: v.pipe(v.string(), v.maxLength(LIMITS.maxTextChars)) });
export type SavedReply = v.InferOutput<typeof SavedReplySchema>;

/** A problem type as the pre-chat form and the console show it (label in the asked language). */
export const TopicSchema = v.object({ id, label: shortText, urgent: v.optional(v.boolean()), team: v.optional(id) });
export type Topic = v.InferOutput<typeof TopicSchema>;

/** What an agent's console needs to know about the desk; sent in the agent `welcome`. */
export const AgentDeskSchema = v.object({
  /** `auto`: the relay assigns conversations; `pick`: agents take them from the queue. */
  routing: v.picklist(['auto', 'pick']),
  savedReplies: v.pipe(v.array(SavedReplySchema), v.maxLength(500)),
  teams: v.pipe(v.array(id), v.maxLength(100)),
  topics: v.pipe(v.array(TopicSchema), v.maxLength(100)),
});
export type AgentDesk = v.InferOutput<typeof AgentDeskSchema>;

/** One agent as the roster shows it. `load` = conversations they have now. */
export const RosterAgentSchema = v.object({
  id,
  name: shortText,
  status: AgentStatusSchema,
  languages: v.pipe(v.array(lang), v.maxLength(50)),
  teams: v.pipe(v.array(id), v.maxLength(50)),
  capacity: v.pipe(v.number(), v.integer(), v.minValue(0)),
  load: v.pipe(v.number(), v.integer(), v.minValue(0)),
});
export type RosterAgent = v.InferOutput<typeof RosterAgentSchema>;

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
  /** Agent only: routing mode, saved replies, teams and topics. */
  desk: v.optional(AgentDeskSchema),
  /** Agent only: my status now (the configured default on a first connection). */
  status: v.optional(AgentStatusSchema),
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
/** Visitor, while waiting: where they stand (1 = next) and the estimated wait, on every queue change. */
export const PositionFrameSchema = v.object({
  v: version,
  type: v.literal('position'),
  conversationId: id,
  position: v.pipe(v.number(), v.integer(), v.minValue(1)),
  /** Absent when no fitting agent is online (no estimate possible). */
  etaSeconds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
});
/** Someone else in the conversation started or stopped typing. */
export const TypingEventFrameSchema = v.object({
  v: version,
  type: v.literal('typing'),
  conversationId: id,
  role: v.picklist(['visitor', 'agent']),
  name: v.optional(shortText),
  typing: v.boolean(),
});
/** Agents: every configured agent with status and load; sent after welcome and on every change. */
export const RosterFrameSchema = v.object({
  v: version,
  type: v.literal('roster'),
  agents: v.pipe(v.array(RosterAgentSchema), v.maxLength(LIMITS.maxRosterItems)),
});

export const ServerFrameSchema = v.variant('type', [
  WelcomeFrameSchema,
  EventFrameSchema,
  AckFrameSchema,
  ErrorFrameSchema,
  QueueFrameSchema,
  ConversationFrameSchema,
  PongFrameSchema,
  PositionFrameSchema,
  TypingEventFrameSchema,
  RosterFrameSchema,
]);
export type ServerFrame = v.InferOutput<typeof ServerFrameSchema>;

// ---------------------------------------------------------------- visitor input

// The relay's rules for what the host page or the visitor puts into a hello or a prechat (lang,
// topic, e-mail, context, user), as one predicate per field instead of valibot's length, regex
// and record pieces: the visitor client checks those values with this before sending them, and
// the widget bundle does not carry the whole hello schema. frames.test.ts checks it accepts
// exactly what HelloFrameSchema and PrechatFrameSchema accept for these fields.
const ID = /^[A-Za-z0-9_-]{1,64}$/;
const text_ = (ok: (s: string) => boolean, message: string) => v.custom<string>((s) => typeof s === 'string' && ok(s), message);
const bounded = (max: number, min = 0) =>
  text_((s) => s.length >= min && s.length <= max, `must be a string of ${min ? `${min} to ` : 'at most '}${max} characters`);
const ctxLean = v.optional(bounded(LIMITS.maxContextChars));
const emailLean = v.optional(text_((s) => s.length <= LIMITS.maxEmailChars && EMAIL_ADDRESS.test(s), 'not an e-mail address'));

/**
 * What the host page or the visitor supplies to a visitor `hello` or `prechat`: `lang`,
 * `topic`, `email`, `context` and `user`, with the same rules as {@link HelloFrameSchema} and
 * {@link PrechatFrameSchema} for them.
 */
export const VisitorInputSchema = v.object({
  lang: v.optional(text_((s) => s.length <= 16 && LANG_TAG.test(s), 'not a language tag (like en or zh-Hant)')),
  topic: v.optional(text_((s) => ID.test(s), 'not a topic id')),
  email: emailLean,
  context: v.optional(
    v.object({
      url: ctxLean,
      referrer: ctxLean,
      userAgent: ctxLean,
      language: ctxLean,
      screen: ctxLean,
      sdkVersion: ctxLean,
      appVersion: ctxLean,
      attributes: v.optional(
        v.custom<Record<string, string>>(
          (a) =>
            typeof a === 'object' &&
            a !== null &&
            Object.keys(a).length <= LIMITS.maxAttributes &&
            Object.entries(a).every(([k, x]) => k.length <= 64 && typeof x === 'string' && x.length <= LIMITS.maxContextChars),
          `must be at most ${LIMITS.maxAttributes} attributes, keys up to 64 and values up to ${LIMITS.maxContextChars} characters`,
        ),
      ),
    }),
  ),
  user: v.optional(v.object({ id: bounded(200, 1), email: emailLean, name: v.optional(bounded(200)), hash: v.optional(bounded(128)) })),
});
export type VisitorInput = v.InferOutput<typeof VisitorInputSchema>;

// ---------------------------------------------------------------- relay -> visitor (lean)

// What the visitor client validates relay frames with. Structure only: the type of every field
// the client reads, no content rules (id alphabet, lengths, integers, ranges). The relay enforces
// those on everything it accepts, and decode bounds the raw frame size before parsing, so a
// frame that passes is safe to use; it also keeps most of valibot out of the widget bundle.
// Kept in step with the full schemas above by frames.test.ts (every visitor frame the full
// schema accepts, this accepts with the same output; a field of the wrong type fails both).
const str = v.string();
// Picklists of one, not literals: one valibot schema type fewer in the widget.
const leanVersion = v.picklist([PROTOCOL_VERSION]);
const num = v.number();
const optStr = v.optional(str);
const leanAgentRef = v.object({ id: str, name: str });
const leanAuthor = v.object({ role: RoleSchema, id: optStr, name: optStr });

/**
 * A conversation as its visitor needs it: the summary without what only agents use (the
 * visitor's context and identity, team, priority, verification); those fields are dropped.
 */
const VisitorConversationSchema = v.object({
  id: str,
  status: ConversationStatusSchema,
  createdAt: num,
  updatedAt: num,
  lastSeq: num,
  lang: optStr,
  agent: v.optional(leanAgentRef),
  preview: optStr,
  topic: optStr,
  waitingSince: v.optional(num),
  email: optStr,
  rating: v.optional(v.object({ score: num, comment: optStr })),
  ticket: optStr,
});

/**
 * Only the frames a visitor can receive (no queue, roster, agent desk or notes), checked for
 * structure only (see above): what the visitor client validates with, so the widget bundle
 * carries neither the agent-only schemas nor valibot's content checks. Unknown fields are
 * dropped as in {@link ServerFrameSchema}, so a welcome an agent would get still parses,
 * without its agent fields.
 */
export const VisitorFrameSchema = v.variant('type', [
  v.object({
    v: leanVersion,
    type: v.picklist(['welcome']),
    role: v.picklist(['visitor', 'agent']),
    visitor: v.optional(v.object({ id: str, token: str })),
    conversation: v.optional(VisitorConversationSchema),
    serverTime: num,
  }),
  v.object({
    v: leanVersion,
    type: v.picklist(['event']),
    conversationId: str,
    event: v.variant('kind', [
      v.object({
        kind: v.picklist(['message']),
        seq: num,
        at: num,
        author: leanAuthor,
        text: str,
        clientId: optStr,
        articleId: optStr,
        suggestions: v.optional(v.array(v.object({ id: str, title: str }))),
      }),
      v.object({
        kind: v.picklist(['status']),
        seq: num,
        at: num,
        status: ConversationStatusSchema,
        agent: v.optional(leanAgentRef),
        by: RoleSchema,
        transfer: v.optional(v.object({ from: v.optional(leanAgentRef), toTeam: optStr, toAgent: v.optional(leanAgentRef) })),
        ticket: optStr,
      }),
    ]),
  }),
  v.object({ v: leanVersion, type: v.picklist(['ack']), id: str, conversationId: optStr, seq: v.optional(num) }),
  v.object({ v: leanVersion, type: v.picklist(['error']), id: optStr, code: str, message: str }),
  v.object({ v: leanVersion, type: v.picklist(['conversation']), id: optStr, conversation: VisitorConversationSchema }),
  v.object({ v: leanVersion, type: v.picklist(['pong']), id: optStr, serverTime: num }),
  v.object({ v: leanVersion, type: v.picklist(['position']), conversationId: str, position: num, etaSeconds: v.optional(num) }),
  v.object({ v: leanVersion, type: v.picklist(['typing']), conversationId: str, role: v.picklist(['visitor', 'agent']), name: optStr, typing: v.boolean() }),
]);
/** A frame a visitor can receive; every one is also a {@link ServerFrame}. */
export type VisitorFrame = v.InferOutput<typeof VisitorFrameSchema>;
export type WelcomeFrame = v.InferOutput<typeof WelcomeFrameSchema>;
export type EventFrame = v.InferOutput<typeof EventFrameSchema>;
export type AckFrame = v.InferOutput<typeof AckFrameSchema>;
export type ErrorFrame = v.InferOutput<typeof ErrorFrameSchema>;
export type QueueFrame = v.InferOutput<typeof QueueFrameSchema>;
export type PositionFrame = v.InferOutput<typeof PositionFrameSchema>;
export type TypingEventFrame = v.InferOutput<typeof TypingEventFrameSchema>;
export type RosterFrame = v.InferOutput<typeof RosterFrameSchema>;

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

// ---------------------------------------------------------------- desk and tickets (HTTP)

/** Opening hours: open when the local time (in `timezone`) is inside any window. */
export const DeskHoursSchema = v.object({
  /** IANA time zone, e.g. `Europe/Berlin`. */
  timezone: v.pipe(v.string(), v.maxLength(64)),
  windows: v.array(
    v.object({
      /** ISO weekdays: 1 = Monday ... 7 = Sunday. */
      days: v.array(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(7))),
      /** `HH:MM`, 24 h, local time. */
      from: v.pipe(v.string(), v.regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/)),
      /** `HH:MM`, exclusive; `24:00` for midnight. */
      to: v.pipe(v.string(), v.regex(/^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/)),
    }),
  ),
});
export type DeskHours = v.InferOutput<typeof DeskHoursSchema>;

/**
 * `GET /api/desk?lang=xx&topic=id`: what the pre-chat form and the widget need. `open` is
 * true when a fitting agent (language, and the topic's team when `topic` is given) is online
 * and the desk is inside its hours; when false the widget offers a ticket form.
 */
export interface DeskInfo {
  topics: Topic[];
  /** Languages agents speak (primary subtags). */
  languages: string[];
  open: boolean;
  /** Why not open. */
  reason?: 'closed_hours' | 'no_agents';
  /** Online agents fitting `lang` (and `topic`). */
  agentsOnline: number;
  hours?: DeskHours;
}

/** Where a ticket stands. */
export const TicketStatusSchema = v.picklist(['open', 'pending', 'solved', 'closed']);
export type TicketStatus = v.InferOutput<typeof TicketStatusSchema>;

/** One message in a ticket thread. Text is plain text; never render it as HTML. */
export interface TicketMessage {
  at: number;
  author: { role: 'visitor' | 'agent' | 'system'; id?: string; name?: string };
  text: string;
}

/** A ticket as the visitor (number + e-mail) and agents see it. */
export interface Ticket {
  /** `PX-` and 8 characters of Crockford base32, e.g. `PX-7KQ2M9XD`. */
  number: string;
  status: TicketStatus;
  subject: string;
  topic?: string;
  lang?: string;
  email?: string;
  /** The chat it came from, when an unanswered chat became this ticket. */
  conversationId?: string;
  context?: VisitorContext;
  createdAt: number;
  updatedAt: number;
  messages: TicketMessage[];
}

/** A ticket in an agent's list (without the thread). */
export type TicketSummary = Omit<Ticket, 'messages' | 'context'> & { messageCount: number };

/** `POST /api/tickets` body. */
export const CreateTicketRequestSchema = v.object({
  topic: v.optional(id),
  subject: v.pipe(v.string(), v.check((s) => s.trim().length > 0, 'subject must not be empty'), v.maxLength(LIMITS.maxSubjectChars)),
  description: text,
  email,
  lang: v.optional(lang),
  context: v.optional(VisitorContextSchema),
  conversationId: v.optional(id),
});
export type CreateTicketRequest = v.InferOutput<typeof CreateTicketRequestSchema>;

/** `POST /api/tickets/:number/messages` body (the visitor adds to their ticket). */
export const TicketMessageRequestSchema = v.object({ email, text });
export type TicketMessageRequest = v.InferOutput<typeof TicketMessageRequestSchema>;

/** `POST /api/agent/tickets/:number/replies` body. */
export const TicketReplyRequestSchema = v.object({ text });
export type TicketReplyRequest = v.InferOutput<typeof TicketReplyRequestSchema>;

/** `PATCH /api/agent/tickets/:number` body. */
export const TicketStatusRequestSchema = v.object({ status: TicketStatusSchema });
export type TicketStatusRequest = v.InferOutput<typeof TicketStatusRequestSchema>;
