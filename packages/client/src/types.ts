import type { ReadonlySignal } from '@preact/signals-core';
import type {
  AgentDesk,
  AgentRef,
  AgentStatus,
  ArticleRef,
  Author,
  ConversationStatus,
  ConversationSummary,
  Rating,
  RosterAgent,
  VisitorContext,
  VisitorUser,
} from '@parley/protocol';
import type { BackoffOptions } from './backoff.js';
import type { HeartbeatOptions } from './connection.js';

/**
 * What the visitor (or agent) should be told about the connection.
 * - `idle`: not started (before `connect()`), or stopped by `disconnect()`.
 * - `connecting`: first attempt in progress.
 * - `online`: connected and up to date.
 * - `reconnecting`: the connection dropped; retrying with backoff.
 * - `offline`: the browser reports no network, or retrying stopped for good (see `lastError`).
 */
export type ConnectionState = 'idle' | 'connecting' | 'online' | 'reconnecting' | 'offline';

/** One message as a UI shows it. */
export interface ChatMessage {
  /** Stable key for rendering: the client id when there is one, else `s<seq>`. */
  key: string;
  /** The relay's number for it; absent while pending. */
  seq?: number;
  author: Author;
  text: string;
  /** Epoch milliseconds (relay time once acked, local time while pending). */
  at: number;
  /** True until the relay acknowledged it. */
  pending: boolean;
  /** Set when the relay refused it for good (e.g. `too_large`); the text is kept so the user can copy it. */
  failed?: { code: string; message: string };
  articleId?: string;
  suggestions?: ArticleRef[];
}

/** A status change shown inline in a transcript ("An agent joined", "Chat closed"). */
export interface StatusItem {
  key: string;
  seq: number;
  at: number;
  status: ConversationStatus;
  agent?: AgentRef;
  /** Set when a transfer caused the change: the team it now waits for, or the agent it went to. */
  transfer?: { from?: AgentRef; toTeam?: string; toAgent?: AgentRef };
  /** Set when the unanswered chat became a ticket: its number. */
  ticket?: string;
}

/** A private note between agents (agents only: the relay never sends notes to visitors). */
export interface NoteItem {
  key: string;
  seq: number;
  at: number;
  author: Author;
  text: string;
}

/**
 * A transcript is messages, status changes and (for agents) private notes, in seq order
 * (pending messages last).
 */
export type TranscriptItem = ({ kind: 'message' } & ChatMessage) | ({ kind: 'status' } & StatusItem) | ({ kind: 'note' } & NoteItem);

/** What a visitor's transcript actually holds: messages and status changes (never notes). Narrow to it with a filter or cast. */
export type VisitorTranscriptItem = Exclude<TranscriptItem, { kind: 'note' }>;

/** Where a waiting visitor stands: 1 = next. `etaSeconds` is absent when no fitting agent is online. */
export interface QueuePosition {
  position: number;
  etaSeconds?: number;
}

/** Someone typing on the other side. */
export interface TypingInfo {
  name?: string;
}

/** Where a transfer goes: exactly one of `toAgentId` / `toTeam`; `note` is kept as a private note. */
export interface TransferTarget {
  toAgentId?: string;
  toTeam?: string;
  note?: string;
}

/** The last error the relay reported, for display. */
export interface ClientError {
  code: string;
  message: string;
}

/** Minimal storage the client needs (localStorage fits). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * A way to carry frames between the client and the relay. One implementation per file;
 * the client owns reconnecting, so a transport only opens once and reports what happens.
 *
 * @example
 * const transport: TransportFactory = (url, handlers) => {
 *   const ws = new WebSocket(url);
 *   ws.onopen = () => handlers.onOpen();
 *   ws.onmessage = (e) => handlers.onFrame(String(e.data));
 *   ws.onclose = (e) => handlers.onClose({ code: e.code, reason: e.reason });
 *   return { send: (f) => ws.send(f), close: () => ws.close() };
 * };
 */
export type TransportFactory = (relayUrl: string, handlers: TransportHandlers) => TransportConnection;

/**
 * The `transport` option: a built-in transport by name, or your own factory.
 *
 * @example
 * createVisitorClient({ relay, transport: 'polling' }); // e.g. behind a proxy known to break WebSockets
 */
export type TransportChoice = 'auto' | 'websocket' | 'polling' | TransportFactory;

export interface TransportHandlers {
  onOpen(): void;
  /** One raw frame (JSON text). The client decodes and validates it. */
  onFrame(raw: string): void;
  /** The connection is gone. Called once. `code` follows WebSocket close codes. */
  onClose(info: { code: number; reason: string }): void;
}

export interface TransportConnection {
  /** Send one raw frame. May throw if the connection is not open; the client keeps the frame. */
  send(raw: string): void;
  close(code?: number, reason?: string): void;
}

/** Options shared by the visitor and the agent client. Platform pieces are injectable for tests. */
export interface BaseClientOptions {
  /** The relay's base URL, e.g. `https://chat.example.com` or `http://localhost:8787`. */
  relay: string;
  /**
   * How frames travel. `'auto'` tries the WebSocket and falls back to long-polling when the
   * socket cannot open or is cut before the relay's welcome, returning to the WebSocket when
   * it works again (see `autoTransport` to tune the timing); `'websocket'` and `'polling'`
   * use one only; or pass your own {@link TransportFactory}. Normalised once, at construction.
   * @default 'auto'
   */
  transport?: TransportChoice;
  /** The WebSocket constructor of the built-in transports. @default globalThis.WebSocket */
  WebSocket?: typeof WebSocket;
  /** The fetch of the polling transport. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** @default setTimeout / clearTimeout */
  timers?: { setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout };
  /** @default Math.random */
  random?: () => number;
  /** @default Date.now */
  now?: () => number;
  /**
   * Where the browser's `online`/`offline` events come from: `online` retries at once,
   * `offline` stops retrying until the network is back. `null` ignores them.
   * @default globalThis (window) when it has addEventListener, else null
   */
  events?: NetworkEvents | null;
  /** Reconnect backoff. @default { baseMs: 500, capMs: 30000 } */
  backoff?: BackoffOptions;
  /** Keep-alive timing. @default { pingEveryMs: 25000, deadAfterMs: 60000 } */
  heartbeat?: HeartbeatOptions;
  /** Called with each frame from the relay that failed validation (it is skipped). @default ignore */
  onProtocolError?: (error: ClientError) => void;
  /**
   * Called when a listener (an `effect` on one of the signals) throws; the client carries on.
   * @default reportError, else console.error
   */
  onError?: (error: unknown) => void;
}

/** The part of `window` the client listens to for network changes. */
export interface NetworkEvents {
  addEventListener(type: 'online' | 'offline', listener: () => void): void;
  removeEventListener(type: 'online' | 'offline', listener: () => void): void;
}

export interface VisitorClientOptions extends BaseClientOptions {
  /** The visitor's language (BCP 47, e.g. `en`, `zh`); a hint to the bot and the router. */
  lang?: string;
  /** Page/app context sent with `hello`. The widget fills URL, referrer, user agent, screen. */
  context?: VisitorContext;
  /** Keeps the visitor token and unsent messages across reloads. @default localStorage when available */
  storage?: KeyValueStorage | null;
  /** Storage key prefix, so two relays on one site do not mix. @default 'parley:' */
  storageKey?: string;
  /** The problem type picked in the pre-chat form (a topic id from `fetchDesk`). */
  topic?: string;
  /**
   * Who the host site says the visitor is; `hash` = hex HMAC-SHA256(identitySecret, id),
   * computed on the site's server. The relay marks the conversation verified when it matches.
   */
  user?: VisitorUser;
  /** How long `rate` and `emailTranscript` wait for the relay's answer, in ms. @default 10000 */
  requestTimeoutMs?: number;
}

/**
 * Headless visitor chat without the desk actions: what {@link createVisitorChat} returns.
 * All state is signals; read `.value` or subscribe with `effect`.
 *
 * @example
 * const chat = createVisitorChat({ relay: 'http://localhost:8787', lang: 'en' });
 * chat.connect();
 * effect(() => console.log(chat.transcript.value));
 */
export interface VisitorChat {
  readonly state: ReadonlySignal<ConnectionState>;
  readonly conversation: ReadonlySignal<ConversationSummary | null>;
  /** Shortcut for `conversation.value?.status`. */
  readonly status: ReadonlySignal<ConversationStatus | null>;
  /** The agent who has the conversation, when one does. */
  readonly agent: ReadonlySignal<AgentRef | null>;
  /** Messages and status changes; never notes (the relay does not send them to visitors, and the client drops any). */
  readonly transcript: ReadonlySignal<TranscriptItem[]>;
  readonly lastError: ReadonlySignal<ClientError | null>;
  /** Open the connection (idempotent). */
  connect(): void;
  /** Queue a message; returns its client id. Shown at once as pending; kept until acked. */
  send(text: string): string;
  /** Ask for a person: the bot steps aside and the conversation joins the queue. */
  requestHuman(): void;
  /** Close the current conversation. */
  closeConversation(): void;
  /** Start a new conversation after the last one was closed. */
  startNew(): void;
  /** Change the language (sent on the next hello, and now as `prechat` while the bot has the chat or it waits). */
  setLang(lang: string): void;
  /** Close the connection and stop reconnecting. Unsent messages stay in storage. */
  disconnect(): void;
}

/**
 * Headless visitor chat with the desk's live state and actions (queue position, typing,
 * rating, transcript by e-mail, pre-chat choices). All state is signals; read `.value` or subscribe with `effect`.
 *
 * @example
 * const chat = createVisitorClient({ relay: 'http://localhost:8787', lang: 'en' });
 * chat.connect();
 * chat.send('Where is my deposit?');
 * effect(() => console.log(chat.transcript.value));
 */
export interface VisitorClient extends VisitorChat {
  /** While waiting for an agent: where the visitor stands and the estimated wait; null otherwise. */
  readonly position: ReadonlySignal<QueuePosition | null>;
  /** The agent is typing (cleared when they stop, send, or after 6 s without news). */
  readonly agentTyping: ReadonlySignal<TypingInfo | null>;
  /** Tell the agent the visitor is typing (throttled: call it on every keystroke; `false` on send/blur). */
  setTyping(typing: boolean): void;
  /** The rating given to the current conversation, if any. */
  readonly rating: ReadonlySignal<Rating | null>;
  /** Set the problem type (pre-chat) for the current and new conversations. */
  setTopic(topic: string): void;
  /** Give an e-mail, so an unanswered chat that becomes a ticket can be answered. */
  setEmail(email: string): void;
  /** Rate the closed conversation 1-5, once. Rejects with a ParleyError (`conflict` when already rated). */
  rate(score: number, comment?: string): Promise<void>;
  /** Have the conversation e-mailed as plain text. Rejects with a ParleyError. */
  emailTranscript(email: string): Promise<void>;
}

export interface AgentClientOptions extends BaseClientOptions {
  /** The token from `loginAgent`. */
  token: string;
  /** How long `take` and `close` wait for the relay's answer, in ms. @default 10000 */
  requestTimeoutMs?: number;
}

/**
 * Headless agent client for consoles and bots-in-the-loop.
 *
 * @example
 * const { token } = await loginAgent('http://localhost:8787', 'demo', 'demo-password');
 * const agent = createAgentClient({ relay: 'http://localhost:8787', token });
 * agent.connect();
 * await agent.take(agent.queue.value[0].id);
 */
export interface AgentClient {
  readonly state: ReadonlySignal<ConnectionState>;
  readonly me: ReadonlySignal<AgentRef | null>;
  /**
   * Every conversation that is waiting or active, as the relay last reported: waiting ones
   * first, urgent before normal, then oldest `waitingSince` first (the relay's order).
   */
  readonly queue: ReadonlySignal<ConversationSummary[]>;
  readonly lastError: ReadonlySignal<ClientError | null>;
  /** Every agent with status, skills and load (for transfer pickers). */
  readonly roster: ReadonlySignal<RosterAgent[]>;
  /** Routing mode, saved replies, teams, topics (from the welcome). */
  readonly desk: ReadonlySignal<AgentDesk | null>;
  /** My availability as the relay last confirmed it. */
  readonly status: ReadonlySignal<AgentStatus>;
  connect(): void;
  /**
   * One conversation's summary (context, verified identity, rating, topic...), kept current;
   * subscribes like `transcript`. Works for closed conversations too (to show their rating).
   */
  summary(conversationId: string): ReadonlySignal<ConversationSummary | null>;
  /** The visitor of this conversation is typing (cleared when they stop or after 6 s without news); subscribes like `transcript`. */
  typing(conversationId: string): ReadonlySignal<boolean>;
  /** Tell the visitor I am typing (throttled; `false` on send/blur). */
  setTyping(conversationId: string, typing: boolean): void;
  /** Add a private note (never shown to the visitor). Resolves when stored. */
  note(conversationId: string, text: string): Promise<void>;
  /** Hand my conversation to another agent or back to the queue for a team. */
  transfer(conversationId: string, target: TransferTarget): Promise<void>;
  /** Set my availability: `online` gets new conversations, `away` keeps mine only. */
  setStatus(status: AgentStatus): Promise<void>;
  /** The live transcript of one conversation; subscribes on first call (replays from seq 0). */
  transcript(conversationId: string): ReadonlySignal<TranscriptItem[]>;
  /** Take a waiting conversation. Rejects with a ClientError (`conflict` when another agent was faster). */
  take(conversationId: string): Promise<void>;
  /** Send a reply; returns its client id. Kept and resent until acked. */
  send(conversationId: string, text: string): string;
  close(conversationId: string): Promise<void>;
  disconnect(): void;
}
