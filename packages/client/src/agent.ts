import { signal, type ReadonlySignal, type Signal } from '@preact/signals-core';
import { nanoid } from 'nanoid';
import {
  AgentStatusSchema,
  decodeServerFrame,
  LIMITS,
  type AgentDesk,
  type AgentRef,
  type AgentStatus,
  type ConversationSummary,
  type HelloFrame,
  type RosterAgent,
  type Unversioned,
} from '@parley/protocol';
import { createConnection } from './connection.js';
import { ParleyError } from './errors.js';
import { createGuard } from './guard.js';
import { resolveCommon } from './options.js';
import { createOutbox } from './outbox.js';
import { resolvePlatform, type TimerHandle } from './platform.js';
import { createRequests, createTypingThrottle, TYPING_TIMEOUT_MS } from './requests.js';
import { createTranscript, type Transcript } from './transcript.js';
import type { AgentClient, AgentClientOptions, TranscriptItem } from './types.js';

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Create a headless agent client (what the agent console runs on). Nothing happens until
 * `connect()`. Unsent replies are kept in memory and resent after a reconnect.
 *
 * @example
 * const { token } = await loginAgent('https://chat.example.com', 'ana', password);
 * const agent = createAgentClient({ relay: 'https://chat.example.com', token });
 * agent.connect();
 * effect(() => renderQueue(agent.queue.value));
 * await agent.take(id);            // rejects with code 'conflict' if someone was faster
 * agent.send(id, 'Hi, I am Ana. Let me look at your deposit.');
 */
export function createAgentClient(options: AgentClientOptions): AgentClient {
  if (typeof options.token !== 'string' || options.token.length < 16 || options.token.length > 256) {
    throw new TypeError('options.token must be the token from loginAgent');
  }
  // `?? {}`: a missing options object gets resolveCommon's clear "relay is required" error.
  const platform = resolvePlatform(options ?? {});
  const { transport, events } = resolveCommon(options, platform);
  const guard = createGuard(platform.reportError);
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;

  const me = signal<AgentRef | null>(null);
  const queue = signal<ConversationSummary[]>([]);
  const roster = signal<RosterAgent[]>([]);
  const desk = signal<AgentDesk | null>(null);
  const status = signal<AgentStatus>('offline');
  // The status asked for with setStatus: re-sent after a reconnect, since the relay marks an
  // agent with no connection offline and a new connection starts from the configured default.
  let wantedStatus: AgentStatus | null = null;
  const transcripts = new Map<string, Transcript>();
  const requests = createRequests(platform, requestTimeoutMs);
  const settle = requests.settle;
  const typingOf = new Map<string, { on: Signal<boolean>; timer: TimerHandle }>();
  const typingOut = new Map<string, (typing: boolean) => void>();
  const summaries = new Map<string, Signal<ConversationSummary | null>>();

  const typingSignal = (conversationId: string) => {
    let t = typingOf.get(conversationId);
    if (!t) {
      t = { on: signal(false), timer: undefined };
      typingOf.set(conversationId, t);
    }
    return t;
  };
  const setPeerTyping = (conversationId: string, on: boolean) => {
    const t = typingSignal(conversationId);
    platform.clearTimeout(t.timer);
    t.on.value = on;
    // A lost "stopped" frame must not leave the indicator on forever.
    if (on) t.timer = platform.setTimeout(() => (t.on.value = false), TYPING_TIMEOUT_MS);
  };

  const conn = createConnection({
    relay: options.relay,
    decode: decodeServerFrame,
    transport,
    platform,
    guard,
    events,
    heartbeat: options.heartbeat,
    backoff: options.backoff,
    onProtocolError: options.onProtocolError,
    hello: (): Unversioned<HelloFrame> => ({ type: 'hello', role: 'agent', token: options.token }),
    onWelcome(frame) {
      me.value = frame.agent ?? null;
      if (frame.desk) desk.value = frame.desk;
      if (frame.status) status.value = frame.status;
      if (wantedStatus !== null && wantedStatus !== frame.status) {
        const next = wantedStatus;
        void requests.send('agentStatus', (id) => conn.send({ type: 'agentStatus', id, status: next })).then(
          () => (status.value = next),
          () => {},
        );
      }
      // Resume every open transcript from its last seq: only what was missed is replayed.
      for (const [conversationId, t] of transcripts) conn.send({ type: 'subscribe', conversationId, afterSeq: t.lastSeq });
      outbox.resendAll();
    },
    onFrame(frame) {
      switch (frame.type) {
        case 'queue':
          queue.value = frame.conversations;
          return;
        case 'roster': {
          roster.value = frame.agents;
          const mine = frame.agents.find((a) => a.id === me.value?.id);
          if (mine) status.value = mine.status;
          return;
        }
        case 'typing':
          if (frame.role === 'visitor') setPeerTyping(frame.conversationId, frame.typing);
          return;
        case 'event': {
          const { event } = frame;
          if (event.kind === 'message' && event.clientId) outbox.ack(event.clientId);
          // A visitor who sent a message has stopped typing it.
          if (event.kind === 'message' && event.author.role === 'visitor') setPeerTyping(frame.conversationId, false);
          transcripts.get(frame.conversationId)?.apply(event);
          return;
        }
        case 'ack': {
          if (settle(frame.id)) return;
          const entry = outbox.ack(frame.id);
          if (entry?.conversationId) transcripts.get(entry.conversationId)?.acked(frame.id, frame.seq);
          return;
        }
        case 'error': {
          const error = { code: frame.code, message: frame.message };
          if (frame.id !== undefined && settle(frame.id, new ParleyError(frame.code, frame.message))) return;
          conn.lastError.value = error;
          if (frame.id === undefined) return;
          const entry = outbox.get(frame.id);
          if (entry?.conversationId && outbox.refuse(frame.id, frame.code) === 'failed') {
            transcripts.get(entry.conversationId)?.failed(frame.id, error);
          }
          return;
        }
        case 'conversation': {
          // A summary update: refresh it in the queue if it is there, and in summary(id).
          const c = frame.conversation;
          if (queue.value.some((q) => q.id === c.id)) queue.value = queue.value.map((q) => (q.id === c.id ? c : q));
          const s = summaries.get(c.id);
          if (s) s.value = c;
          return;
        }
        default:
          return;
      }
    },
    onDown() {
      // An answer cannot arrive on a new connection: fail now, the caller may retry.
      requests.failAll();
    },
    // A refused agent token stays refused: stop; the console should log in again.
    onTerminalClose: () => false,
  });

  const outbox = createOutbox({ platform, send: (frame) => conn.send(frame), backoff: options.backoff });

  const transcriptOf = (conversationId: string): Transcript => {
    let t = transcripts.get(conversationId);
    if (!t) {
      t = createTranscript();
      transcripts.set(conversationId, t);
      // When not connected yet, the next welcome subscribes it.
      conn.send({ type: 'subscribe', conversationId, afterSeq: 0 });
    }
    return t;
  };

  const request = (type: 'take' | 'close', conversationId: string): Promise<void> =>
    requests.send(type, (id) => conn.send({ type, id, conversationId }));
  const invalid = (message: string) => Promise.reject(new ParleyError('bad_request', message));

  return {
    state: conn.state,
    me,
    queue,
    roster,
    desk,
    status,
    lastError: conn.lastError,
    connect: () => conn.connect(),
    transcript(conversationId): ReadonlySignal<TranscriptItem[]> {
      return transcriptOf(conversationId).items;
    },
    summary(conversationId) {
      let s = summaries.get(conversationId);
      if (!s) {
        s = signal<ConversationSummary | null>(queue.value.find((q) => q.id === conversationId) ?? null);
        summaries.set(conversationId, s);
      }
      // Subscribing brings the summary (and keeps it current).
      transcriptOf(conversationId);
      return s;
    },
    typing(conversationId) {
      // Typing signals reach connections that follow the conversation: subscribe like transcript().
      transcriptOf(conversationId);
      return typingSignal(conversationId).on;
    },
    setTyping(conversationId, typing) {
      let out = typingOut.get(conversationId);
      if (!out) {
        out = createTypingThrottle(platform, (on) => void conn.send({ type: 'typing', conversationId, typing: on }));
        typingOut.set(conversationId, out);
      }
      guard(() => out(typing));
    },
    note(conversationId, text) {
      if (typeof text !== 'string' || text.trim() === '') return invalid('note text must not be empty');
      if (text.length > LIMITS.maxTextChars) return invalid(`notes are at most ${LIMITS.maxTextChars} characters`);
      transcriptOf(conversationId);
      return requests.send('note', (id) => conn.send({ type: 'note', id, conversationId, text }));
    },
    transfer(conversationId, target) {
      const { toAgentId, toTeam, note } = target ?? {};
      if ((toAgentId === undefined) === (toTeam === undefined)) return invalid('transfer needs exactly one of toAgentId or toTeam');
      if ((toAgentId !== undefined && !ID.test(toAgentId)) || (toTeam !== undefined && !ID.test(toTeam))) return invalid('not a valid agent or team id');
      const hasNote = typeof note === 'string' && note.trim() !== '';
      if (hasNote && note.length > LIMITS.maxTextChars) return invalid(`notes are at most ${LIMITS.maxTextChars} characters`);
      return requests.send('transfer', (id) =>
        conn.send({
          type: 'transfer',
          id,
          conversationId,
          ...(toAgentId !== undefined ? { toAgentId } : {}),
          ...(toTeam !== undefined ? { toTeam } : {}),
          ...(hasNote ? { note } : {}),
        }),
      );
    },
    async setStatus(next) {
      if (!AgentStatusSchema.options.includes(next)) throw new ParleyError('bad_request', `status must be online, away or offline`);
      wantedStatus = next;
      await requests.send('agentStatus', (id) => conn.send({ type: 'agentStatus', id, status: next }));
      status.value = next;
    },
    take: (conversationId) => request('take', conversationId),
    close: (conversationId) => request('close', conversationId),
    send(conversationId, text) {
      if (typeof text !== 'string' || text.trim() === '') throw new TypeError('message text must not be empty');
      const id = nanoid();
      const at = platform.now();
      guard(() => {
        const t = transcriptOf(conversationId);
        t.addPending({ clientId: id, text, author: { role: 'agent', ...(me.value ? { id: me.value.id, name: me.value.name } : {}) }, at });
        outbox.push({ id, conversationId, text, at });
      });
      return id;
    },
    disconnect() {
      outbox.stop();
      conn.disconnect();
    },
  };
}
