import { computed, signal, type ReadonlySignal } from '@preact/signals-core';
import { nanoid } from 'nanoid';
import {
  CloseCode,
  decodeVisitorFrame,
  LIMITS,
  type ConversationStatus,
  type ConversationSummary,
  type EventFrame,
  type PositionFrame,
  type TypingEventFrame,
  type Rating,
  type VisitorUser,
} from '@parley/protocol';
import { ParleyError } from './errors.js';
import type { Platform, TimerHandle } from './platform.js';
import { createRequests, createTypingThrottle, TYPING_TIMEOUT_MS } from './requests.js';
import { createConnection } from './connection.js';
import { createGuard } from './guard.js';
import { resolveCommon, checkInput, inputProblem } from './options.js';
import { createOutbox } from './outbox.js';
import { resolvePlatform } from './platform.js';
import { defaultStorage, safeStorage } from './storage.js';
import { createTranscript } from './transcript.js';
import type { QueuePosition, TypingInfo, VisitorChat, VisitorClient, VisitorClientOptions } from './types.js';

type Control = 'handoff' | 'close' | 'start';

/**
 * Create a headless visitor chat client. Nothing happens until `connect()`.
 * The visitor token and unsent messages are kept in `storage` under
 * `${storageKey}token` and `${storageKey}outbox`, so a reload resumes the same chat.
 *
 * @example
 * const chat = createVisitorClient({ relay: 'https://chat.example.com', lang: 'en' });
 * chat.connect();
 * effect(() => render(chat.transcript.value));
 * chat.send('Where is my deposit?');
 * chat.requestHuman();
 */
export function createVisitorClient(options: VisitorClientOptions): VisitorClient {
  return createVisitor(options, deskActions);
}

/**
 * The visitor chat without the desk's live state and actions (`position`, `agentTyping`,
 * `setTyping`, `rating`, `rate`, `emailTranscript`,
 * `setTopic`, `setEmail`): everything else of {@link createVisitorClient}. For bundles that
 * count every byte, like the script-tag widget: what is not imported is not shipped.
 *
 * @example
 * const chat = createVisitorChat({ relay: 'https://chat.example.com', lang: 'en' });
 * chat.connect();
 * chat.send('Where is my deposit?');
 */
export function createVisitorChat(options: VisitorClientOptions): VisitorChat {
  return createVisitor(options, null);
}

/** What the desk actions need from the chat they extend. */
interface ChatParts {
  conn: ReturnType<typeof createConnection>;
  conversation: ReadonlySignal<ConversationSummary | null>;
  platform: Platform;
  guard: (fn: () => void) => void;
  options: VisitorClientOptions;
  /** Set pre-chat choices and send them (now, or after the next welcome). */
  prechat(patch: { topic?: string; email?: string }): void;
}

/** The desk actions' hooks into the chat's frame handling, and their part of the API. */
interface DeskPart {
  /** The answer (ack, or error) to one of the actions' requests: true when it was one. */
  settle(id: string, error?: { code: string; message: string }): boolean;
  /** The connection dropped: pending requests fail. */
  down(): void;
  /** A position or typing frame for the shown conversation. */
  live(frame: PositionFrame | TypingEventFrame): void;
  /** The shown conversation's status is `status`; `fresh` when another conversation is now shown. */
  status(status: ConversationStatus, fresh: boolean): void;
  /** The agent sent a message (so they stopped typing). */
  agentSpoke(): void;
  api: Omit<VisitorClient, keyof VisitorChat>;
}

function createVisitor<T extends VisitorChat>(options: VisitorClientOptions, extend: ((chat: ChatParts) => DeskPart) | null): T {
  // `?? {}`: a missing options object gets resolveCommon's clear "relay is required" error.
  const platform = resolvePlatform(options ?? {});
  const { transport, events } = resolveCommon(options, platform);
  checkInput({ lang: options.lang, topic: options.topic, context: options.context, user: options.user });
  const guard = createGuard(platform.reportError);
  const prefix = options.storageKey ?? 'parley:';
  const backing = options.storage === undefined ? defaultStorage() : options.storage;
  const store = safeStorage(backing);
  const tokenKey = `${prefix}token`;

  let lang = options.lang;
  let topic = options.topic;
  let email: string | undefined = options.user?.email;
  const user: VisitorUser | undefined = options.user;
  const context = options.context;
  // Pre-chat choices made while offline go out (as one prechat) after the next welcome.
  let prechatDirty = false;
  let token = validToken(store.get(tokenKey));
  // Controls asked for while not connected (or before the conversation is known) go out after the next welcome.
  let controls: Control[] = [];
  let startId: string | null = null;

  const conversation = signal<ConversationSummary | null>(null);
  const status = computed(() => conversation.value?.status ?? null);
  const agent = computed(() => conversation.value?.agent ?? null);
  const transcript = createTranscript();
  // Which conversation the transcript shows; differs from `conversation` only before the first welcome.
  let shownId: string | null = null;

  const conn = createConnection({
    relay: options.relay,
    decode: decodeVisitorFrame,
    transport,
    platform,
    guard,
    events,
    heartbeat: options.heartbeat,
    backoff: options.backoff,
    onProtocolError: options.onProtocolError,
    // What is unset is undefined, which the JSON encoding leaves out (each set value is
    // non-empty: checked at construction, and tokens by validToken).
    hello: () => ({ type: 'hello', role: 'visitor', token, lang, context, topic, user }),
    onWelcome(frame) {
      if (frame.visitor) {
        token = frame.visitor.token;
        store.set(tokenKey, token);
      }
      if (frame.conversation) show(frame.conversation);
      const current = conversation.value;
      if (current) {
        outbox.assign(current.id);
        conn.send({ type: 'subscribe', conversationId: current.id, afterSeq: transcript.lastSeq });
      }
      // After the subscribe: the relay dedupes by client id, so a message stored before the
      // drop but never acked comes back once, through the replay.
      outbox.resendAll();
      const queued = controls;
      controls = [];
      for (const c of queued) control(c);
      if (prechatDirty) sendPrechat();
    },
    onFrame(frame) {
      switch (frame.type) {
        case 'event':
          onEvent(frame);
          return;
        case 'ack': {
          if (desk?.settle(frame.id)) return;
          if (outbox.ack(frame.id)) transcript.acked(frame.id, frame.seq);
          return;
        }
        case 'position':
        case 'typing':
          if (frame.conversationId === conversation.value?.id) desk?.live(frame);
          return;
        case 'error': {
          const error = { code: frame.code, message: frame.message };
          if (frame.id !== undefined && desk?.settle(frame.id, error)) return;
          conn.lastError.value = error;
          if (frame.id !== undefined && outbox.refuse(frame.id, frame.code) === 'failed') transcript.failed(frame.id, error);
          return;
        }
        case 'conversation': {
          const current = conversation.value;
          if (frame.id !== undefined && frame.id === startId) startId = null;
          if (current && current.id === frame.conversation.id) {
            conversation.value = frame.conversation;
            desk?.status(frame.conversation.status, false);
            return;
          }
          // A new conversation: the answer to our `start`, or one another tab started.
          show(frame.conversation);
          conn.send({ type: 'subscribe', conversationId: frame.conversation.id, afterSeq: 0 });
          return;
        }
        default:
          return; // queue frames are for agents
      }
    },
    onDown() {
      desk?.down();
    },
    onTerminalClose(code) {
      if (code === CloseCode.Unauthorized && token) {
        // The relay no longer knows this token (expired, or the relay's store was reset):
        // forget it and say hello as a new visitor, once. A 4003 without a token stops.
        token = undefined;
        store.remove(tokenKey);
        return true;
      }
      return false;
    },
  });

  const outbox = createOutbox({
    platform,
    send: (frame) => conn.send(frame),
    // Without a storage there is nothing to persist to: skip serialising the outbox per send.
    storage: backing ? { store, key: `${prefix}outbox` } : undefined,
    backoff: options.backoff,
  });
  // Messages left from before a reload show at once, pending, while we reconnect.
  const pend = (e: { id: string; text: string; at: number }) => transcript.addPending({ clientId: e.id, text: e.text, author: { role: 'visitor' }, at: e.at });
  for (const e of outbox.entries()) pend(e);

  function show(summary: ConversationSummary) {
    conversation.value = summary;
    desk?.status(summary.status, shownId !== summary.id);
    if (shownId === summary.id) return;
    if (shownId !== null) transcript.reset();
    shownId = summary.id;
    // A reset drops pending items; bring back the ones that belong here.
    for (const e of outbox.entries()) {
      if (e.conversationId === null || e.conversationId === summary.id) pend(e);
    }
  }

  function onEvent(frame: EventFrame) {
    const { event } = frame;
    // Notes are for agents; the relay never sends them to visitors, and if one came anyway it
    // must not show.
    if (event.kind === 'note') return;
    // Our own message coming back counts as an ack even if the ack frame was lost.
    if (event.kind === 'message' && event.clientId) outbox.ack(event.clientId);
    const current = conversation.value;
    if (!current || current.id !== frame.conversationId) return;
    const fresh = transcript.apply(event);
    // The welcome's summary already reflects every event up to its lastSeq; replays of older
    // status events must not roll the status back, even for a moment.
    if (fresh && event.seq > current.lastSeq) {
      const next: ConversationSummary = { ...current, lastSeq: event.seq, updatedAt: event.at };
      if (event.kind === 'status') {
        next.status = event.status;
        if (event.agent) next.agent = event.agent;
        else delete next.agent;
        if (event.ticket) next.ticket = event.ticket;
        desk?.status(event.status, false);
      }
      conversation.value = next;
    }
    if (event.kind === 'message' && event.author.role === 'agent') desk?.agentSpoke();
  }

  function sendPrechat() {
    const current = conversation.value;
    // Only while the bot has it or it waits; a later change would not change routing.
    if (!current || (current.status !== 'bot' && current.status !== 'waiting')) {
      prechatDirty = false;
      return;
    }
    // Unset choices are undefined, which the JSON encoding leaves out.
    const sent = conn.send({ type: 'prechat', conversationId: current.id, topic, lang, email });
    prechatDirty = !sent;
  }

  function control(kind: Control) {
    const current = conversation.value;
    if (kind === 'start') {
      startId = nanoid();
      if (!conn.send({ type: 'start', id: startId, topic, lang })) queue(kind);
      return;
    }
    if (!current || !conn.send({ type: kind, id: nanoid(), conversationId: current.id })) queue(kind);
  }
  function queue(kind: Control) {
    if (!controls.includes(kind)) controls.push(kind);
  }

  const desk = extend?.({
    conn,
    conversation,
    platform,
    guard,
    options,
    prechat(patch) {
      if (patch.topic !== undefined) topic = patch.topic;
      if (patch.email !== undefined) email = patch.email;
      prechatDirty = true;
      guard(sendPrechat);
    },
  });

  return {
    ...desk?.api,
    state: conn.state,
    conversation,
    status,
    agent,
    transcript: transcript.items,
    lastError: conn.lastError,
    connect: () => conn.connect(),
    send(text) {
      if (typeof text !== 'string' || text.trim() === '') throw new TypeError('message text must not be empty');
      const id = nanoid();
      const at = platform.now();
      guard(() => {
        pend({ id, text, at });
        if (text.length > LIMITS.maxTextChars) {
          // The relay would refuse it; fail it here, visibly, without a round trip.
          transcript.failed(id, { code: 'too_large', message: `messages are at most ${LIMITS.maxTextChars} characters` });
          return;
        }
        outbox.push({ id, conversationId: conversation.value?.id ?? null, text, at });
      });
      return id;
    },
    requestHuman: () => guard(() => control('handoff')),
    closeConversation: () => guard(() => control('close')),
    startNew: () => guard(() => control('start')),
    setLang(next) {
      checkInput({ lang: next });
      lang = next;
      prechatDirty = true;
      guard(sendPrechat);
    },
    disconnect() {
      outbox.stop();
      conn.disconnect();
    },
  } as VisitorChat as T;
}

/**
 * What {@link createVisitorClient} adds to the chat: the queue position, typing both ways,
 * the rating, the transcript by e-mail and the pre-chat choices.
 */
function deskActions({ conn, conversation, platform, guard, options, prechat }: ChatParts): DeskPart {
  const requests = createRequests(platform, options.requestTimeoutMs ?? 10_000);
  const position = signal<QueuePosition | null>(null);
  const agentTyping = signal<TypingInfo | null>(null);
  let typingTimer: TimerHandle;
  const setAgentTyping = (info: TypingInfo | null) => {
    platform.clearTimeout(typingTimer);
    agentTyping.value = info;
    // A lost "stopped" frame must not leave the indicator on forever.
    if (info) typingTimer = platform.setTimeout(() => (agentTyping.value = null), TYPING_TIMEOUT_MS);
  };
  const typingOut = createTypingThrottle(platform, (on) => {
    const current = conversation.value;
    if (current) conn.send({ type: 'typing', conversationId: current.id, typing: on });
  });
  const invalid = (message: string) => Promise.reject(new ParleyError('bad_request', message));
  const noConversation = () => Promise.reject(new ParleyError('offline', 'no conversation yet'));
  return {
    settle: (id, error) => requests.settle(id, error && new ParleyError(error.code, error.message)),
    down: () => requests.failAll(),
    live(frame) {
      if (frame.type === 'position') position.value = { position: frame.position, ...(frame.etaSeconds !== undefined ? { etaSeconds: frame.etaSeconds } : {}) };
      else if (frame.role === 'agent') setAgentTyping(frame.typing ? (frame.name ? { name: frame.name } : {}) : null);
    },
    status(status, fresh) {
      if (status !== 'waiting') position.value = null;
      if (fresh || status !== 'active') setAgentTyping(null);
    },
    agentSpoke: () => setAgentTyping(null),
    api: {
      position,
      agentTyping,
      setTyping(typing) {
        guard(() => typingOut(typing));
      },
      rating: computed<Rating | null>(() => conversation.value?.rating ?? null),
      setTopic(next) {
        checkInput({ topic: next ?? null });
        prechat({ topic: next });
      },
      setEmail(next) {
        checkInput({ email: next ?? null });
        prechat({ email: next });
      },
      rate(score, comment) {
        const current = conversation.value;
        if (!current) return noConversation();
        const frame = { type: 'rate' as const, conversationId: current.id, score, comment: comment?.trim() ? comment : undefined };
        const ok =
          Number.isInteger(score) && score >= 1 && score <= 5 && (comment === undefined || (typeof comment === 'string' && comment.length <= LIMITS.maxCommentChars));
        if (!ok) return invalid(`score must be a whole number from 1 to 5, comment at most ${LIMITS.maxCommentChars} characters`);
        return requests.send('rate', (id) => conn.send({ ...frame, id }));
      },
      emailTranscript(to) {
        const current = conversation.value;
        if (!current) return noConversation();
        const problem = inputProblem({ email: to ?? null });
        if (problem) return invalid(problem);
        return requests.send('emailTranscript', (id) => conn.send({ type: 'emailTranscript', id, conversationId: current.id, email: to }));
      },
    },
  };
}

function validToken(raw: string | null): string | undefined {
  // A token edited or truncated in storage would make every hello fail validation.
  return raw !== null && raw.length >= 16 && raw.length <= 256 ? raw : undefined;
}
