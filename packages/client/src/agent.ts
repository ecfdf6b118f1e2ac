import { signal, type ReadonlySignal } from '@preact/signals-core';
import { nanoid } from 'nanoid';
import type { AgentRef, ConversationSummary, HelloFrame, Unversioned } from '@parley/protocol';
import { createConnection } from './connection.js';
import { ParleyError } from './errors.js';
import { createGuard } from './guard.js';
import { resolveCommon } from './options.js';
import { createOutbox } from './outbox.js';
import { resolvePlatform, type TimerHandle } from './platform.js';
import { createTranscript, type Transcript } from './transcript.js';
import type { AgentClient, AgentClientOptions, TranscriptItem } from './types.js';

interface Pending {
  resolve(): void;
  reject(error: ParleyError): void;
  timer: TimerHandle;
}

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
  const transcripts = new Map<string, Transcript>();
  const requests = new Map<string, Pending>();

  const settle = (id: string, error?: ParleyError) => {
    const p = requests.get(id);
    if (!p) return false;
    requests.delete(id);
    platform.clearTimeout(p.timer);
    if (error) p.reject(error);
    else p.resolve();
    return true;
  };

  const conn = createConnection({
    relay: options.relay,
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
      // Resume every open transcript from its last seq: only what was missed is replayed.
      for (const [conversationId, t] of transcripts) conn.send({ type: 'subscribe', conversationId, afterSeq: t.lastSeq });
      outbox.resendAll();
    },
    onFrame(frame) {
      switch (frame.type) {
        case 'queue':
          queue.value = frame.conversations;
          return;
        case 'event': {
          const { event } = frame;
          if (event.kind === 'message' && event.clientId) outbox.ack(event.clientId);
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
          // A summary update: refresh it in the queue if it is there.
          const c = frame.conversation;
          if (queue.value.some((q) => q.id === c.id)) queue.value = queue.value.map((q) => (q.id === c.id ? c : q));
          return;
        }
        default:
          return;
      }
    },
    onDown() {
      // An answer cannot arrive on a new connection: fail now, the caller may retry.
      for (const id of [...requests.keys()]) settle(id, new ParleyError('disconnected', 'the connection dropped before the relay answered'));
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
    new Promise<void>((resolve, reject) => {
      const id = nanoid();
      const timer = platform.setTimeout(
        () => settle(id, new ParleyError('timeout', `the relay did not answer '${type}' within ${requestTimeoutMs} ms`)),
        requestTimeoutMs,
      );
      requests.set(id, { resolve, reject, timer });
      if (!conn.send({ type, id, conversationId })) settle(id, new ParleyError('offline', `not connected to the relay; '${type}' was not sent`));
    });

  return {
    state: conn.state,
    me,
    queue,
    lastError: conn.lastError,
    connect: () => conn.connect(),
    transcript(conversationId): ReadonlySignal<TranscriptItem[]> {
      return transcriptOf(conversationId).items;
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
