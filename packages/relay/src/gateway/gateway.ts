import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  CloseCode,
  ErrorCode,
  LIMITS,
  decodeClientFrame,
  encode,
  type ClientFrame,
  type ConversationEvent,
  type ServerFrame,
  type Unversioned,
} from '@parley/protocol';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { AGENTS_TOPIC, conversationTopic, type Bus, type BusMessage } from '../bus/index.js';
import { toSummary, type Actor, type ConversationService, type NewConversationInput } from '../conversations/index.js';
import { RelayError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Desk } from '../routing/index.js';
import type { TicketService } from '../tickets/index.js';
import { TokenBucket } from './rate-limit.js';
import { REPLAY_PAGE, Subscription } from './subscription.js';

/** Bounds on one WebSocket connection. */
export interface GatewayLimits {
  /** Largest WebSocket message ws accepts; bigger ones close the connection (1009). @default 262144 (256 KiB) */
  maxPayloadBytes: number;
  /** Sustained frames per second per connection. @default 20 */
  framesPerSecond: number;
  /** Frames a connection may send at once. @default 40 */
  burst: number;
  /** Refused (rate-limited) frames within `floodWindowMs` before the connection is closed with 4008. @default 100 */
  floodCloseAfter: number;
  /** @default 10000 */
  floodWindowMs: number;
  /** Time to say hello before close 4009. @default 10000 */
  helloTimeoutMs: number;
  /** Silence before the relay closes the connection (clients ping every 25 s). @default 60000 */
  idleTimeoutMs: number;
  /** Unsent bytes queued for a slow reader before the relay gives up on it (close 1013). @default 4 MiB */
  maxBufferedBytes: number;
  /**
   * Least time between two `queue` frames to one agent connection. A queue frame lists every
   * waiting and active conversation, so at peak (hundreds waiting, a change every few ms)
   * sending one per change would cost O(n) bytes per change per agent; changes within the
   * interval are folded into the next frame. @default 100
   */
  queueFrameIntervalMs: number;
}

/** The defaults of {@link GatewayLimits}. */
export const DEFAULT_GATEWAY_LIMITS: GatewayLimits = {
  maxPayloadBytes: 256 * 1024,
  framesPerSecond: 20,
  burst: 40,
  floodCloseAfter: 100,
  floodWindowMs: 10_000,
  helloTimeoutMs: 10_000,
  idleTimeoutMs: 60_000,
  maxBufferedBytes: 4 * 1024 * 1024,
  queueFrameIntervalMs: 100,
};

/** Timer functions, injectable for tests. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Options for {@link attachGateway}. */
export interface GatewayOptions {
  service: ConversationService;
  bus: Bus;
  logger: Logger;
  /** Presence, capacity, positions, typing throttle. */
  desk: Desk;
  /** Transcript e-mails. */
  tickets: TicketService;
  /** Transcript e-mails per conversation. @default 3 */
  transcriptEmailsPerConversation?: number;
  limits?: Partial<GatewayLimits>;
  /** The WebSocket path. @default '/ws' */
  path?: string;
  /** @default Date.now */
  now?: () => number;
  /** @default globalThis.setTimeout / clearTimeout */
  timers?: Timers;
}

/** A running gateway. */
export interface Gateway {
  /** Open connections right now. */
  readonly connectionCount: number;
  /** Close every connection with 1001 (going away) and stop accepting new ones. */
  close(): Promise<void>;
}

const MAX_ERROR_MESSAGE = 1000;

/**
 * Attach the WebSocket endpoint to an HTTP server: upgrades on `path` become protocol v1
 * sessions (SPEC.md); other upgrade requests are refused with 404.
 *
 * @example
 * const server = createServer(listener);
 * const gateway = attachGateway(server, { service, bus, logger });
 * server.listen(8787);
 */
export function attachGateway(server: Server, options: GatewayOptions): Gateway {
  const limits = { ...DEFAULT_GATEWAY_LIMITS, ...options.limits };
  const path = options.path ?? '/ws';
  const wss = new WebSocketServer({
    noServer: true,
    // Never ws's 100 MiB default: a huge frame is refused by ws before it is buffered.
    maxPayload: limits.maxPayloadBytes,
    // Compression would let a small frame inflate to a large one (and costs memory per socket).
    perMessageDeflate: false,
  });
  const connections = new Set<Connection>();
  const env: ConnectionEnv = {
    service: options.service,
    bus: options.bus,
    desk: options.desk,
    tickets: options.tickets,
    transcriptEmails: new Map(),
    // Relay-wide: visitors are free to create, so a per-conversation bound alone would not stop
    // someone using transcripts to send mail to strangers. 30 at once, then one every 10 s.
    transcriptBudget: new TokenBucket(0.1, 30, options.now ?? Date.now),
    queue: { version: 0, snapshot: null },
    maxTranscriptEmails: options.transcriptEmailsPerConversation ?? 3,
    log: options.logger,
    limits,
    now: options.now ?? Date.now,
    timers: options.timers ?? {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    },
  };
  let closing = false;
  const offQueue = options.bus.subscribe(AGENTS_TOPIC, (message) => {
    if (message.kind === 'conversation') env.queue.version++;
  });

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    let pathname: string;
    try {
      pathname = new URL(req.url ?? '/', 'http://relay').pathname;
    } catch {
      pathname = '';
    }
    if (pathname !== path || closing) {
      socket.end(`HTTP/1.1 ${closing ? '503 Service Unavailable' : '404 Not Found'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const connection = new Connection(ws, env, req.socket.remoteAddress ?? '');
      connections.add(connection);
      ws.once('close', () => connections.delete(connection));
    });
  };
  server.on('upgrade', onUpgrade);

  return {
    get connectionCount() {
      return connections.size;
    },
    async close() {
      closing = true;
      offQueue();
      server.off('upgrade', onUpgrade);
      const closed = [...connections].map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.ws.readyState === WebSocket.CLOSED) return resolve();
            c.ws.once('close', () => resolve());
            c.close(CloseCode.GoingAway, 'relay shutting down');
            // A peer that never answers the close handshake must not hold the shutdown.
            setTimeout(() => {
              c.ws.terminate();
              resolve();
            }, 1000).unref();
          }),
      );
      await Promise.all(closed);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** The text of a WebSocket message, whichever shape ws delivered it in. */
function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8');
}

/**
 * The queue frame every agent gets is the same: build (read, sort, encode) it once per queue
 * version and share it, instead of once per agent connection. The version moves on every
 * conversation change on the bus (the gateway's own subscription, made before any connection's).
 */
async function queueSnapshot(env: ConnectionEnv, actor: Actor): Promise<{ ids: Set<string>; text: string }> {
  const cache = env.queue;
  if (cache.snapshot && cache.snapshot.version === cache.version) return cache.snapshot.value;
  const version = cache.version;
  const value = (async () => {
    const conversations = await env.service.queue(actor);
    return {
      ids: new Set(conversations.map((c) => c.id)),
      text: encode({ type: 'queue', conversations: conversations.slice(0, LIMITS.maxQueueItems) }),
    };
  })();
  cache.snapshot = { version, value };
  // A failed read must not be served to the next agent.
  value.catch(() => {
    if (cache.snapshot?.value === value) cache.snapshot = null;
  });
  return value;
}

interface ConnectionEnv {
  /** The shared queue frame (see {@link queueSnapshot}). */
  queue: { version: number; snapshot: { version: number; value: Promise<{ ids: Set<string>; text: string }> } | null };
  service: ConversationService;
  bus: Bus;
  desk: Desk;
  tickets: TicketService;
  /** Transcript e-mails sent per conversation (bounded by maxTranscriptEmails each). */
  transcriptEmails: Map<string, number>;
  transcriptBudget: TokenBucket;
  maxTranscriptEmails: number;
  log: Logger;
  limits: GatewayLimits;
  now: () => number;
  timers: Timers;
}

type OutFrame = Unversioned<ServerFrame>;

/** One WebSocket session: hello, then frames processed one at a time, in order. */
class Connection {
  #actor: Actor | null = null;
  #hello: NewConversationInput = {};
  #helloTimer: unknown;
  #idleTimer: unknown;
  #chain: Promise<void> = Promise.resolve();
  #closed = false;
  readonly #bucket: TokenBucket;
  #refused = 0;
  #refusedSince = 0;
  readonly #subscriptions = new Map<string, Subscription>();
  #agentsOff: (() => void) | null = null;
  /** Set once an agent is welcomed, so the close marks them disconnected exactly once. */
  #agentId: string | null = null;
  #queueIds = new Set<string>();
  #queueScheduled = false;
  #queueChain: Promise<void> = Promise.resolve();
  #queueSentAt = -Infinity;

  constructor(
    readonly ws: WebSocket,
    private readonly env: ConnectionEnv,
    private readonly remote: string,
  ) {
    this.#bucket = new TokenBucket(env.limits.framesPerSecond, env.limits.burst, env.now);
    this.#helloTimer = env.timers.setTimeout(() => {
      if (!this.#actor) this.close(CloseCode.HelloTimeout, 'no hello in time');
    }, env.limits.helloTimeoutMs);
    this.#touch();
    ws.on('message', (data, isBinary) => this.#onMessage(data, isBinary));
    ws.on('close', () => this.#dispose());
    // ws reports protocol violations (oversize frame, bad UTF-8) here and closes the socket
    // itself; without a listener the 'error' event would throw and take the process down.
    ws.on('error', (error) => env.log.debug({ err: error, remote }, 'websocket error'));
  }

  close(code: number, reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#dispose();
    try {
      this.ws.close(code, reason);
    } catch {
      this.ws.terminate();
    }
  }

  send(frame: OutFrame): void {
    this.sendEncoded(encode(frame));
  }

  /** Send a frame already encoded (shared between connections, e.g. the queue snapshot). */
  sendEncoded(text: string): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    if (this.ws.bufferedAmount > this.env.limits.maxBufferedBytes) {
      // The reader is not keeping up; dropping frames silently would break the seq
      // guarantee, so end the session and let it resume from its last seq.
      this.close(1013, 'reader too slow');
      return;
    }
    this.ws.send(text);
  }

  error(code: ErrorCode, message: string, id?: string): void {
    const text = message.length > MAX_ERROR_MESSAGE ? message.slice(0, MAX_ERROR_MESSAGE - 1) + '…' : message;
    this.send({ type: 'error', code, message: text, ...(id !== undefined ? { id } : {}) });
  }

  #touch(): void {
    this.env.timers.clearTimeout(this.#idleTimer);
    this.#idleTimer = this.env.timers.setTimeout(() => this.close(CloseCode.Normal, 'idle timeout'), this.env.limits.idleTimeoutMs);
  }

  #onMessage(data: RawData, isBinary: boolean): void {
    if (this.#closed) return;
    this.#touch();
    if (!this.#bucket.take()) {
      const now = this.env.now();
      if (now - this.#refusedSince > this.env.limits.floodWindowMs) {
        this.#refused = 0;
        this.#refusedSince = now;
      }
      if (++this.#refused > this.env.limits.floodCloseAfter) {
        this.close(CloseCode.RateLimited, 'rate limited too long');
        return;
      }
      // Name the refused frame when it can be read, so the client knows what to resend.
      const decoded = isBinary ? undefined : decodeClientFrame(rawText(data));
      const id = decoded === undefined ? undefined : decoded.ok ? ('id' in decoded.frame ? decoded.frame.id : undefined) : decoded.id;
      this.error(ErrorCode.RateLimited, `too many frames: at most ${this.env.limits.framesPerSecond} per second`, id);
      return;
    }
    if (isBinary) {
      this.error(ErrorCode.BadFrame, 'frames are JSON text, not binary');
      return;
    }
    const raw = rawText(data);
    // One frame at a time, in arrival order, so acks and events keep the client's order.
    this.#chain = this.#chain.then(() => this.#handle(raw)).catch((error: unknown) => this.#fail(error));
  }

  #fail(error: unknown, id?: string): void {
    if (error instanceof RelayError) {
      this.error(error.code, error.message, id);
      if (error.code === ErrorCode.Unauthorized) this.close(CloseCode.Unauthorized, 'unauthorized');
      return;
    }
    this.env.log.error({ err: error, remote: this.remote }, 'frame handler failed');
    this.error(ErrorCode.Internal, 'the relay failed; the frame may be resent', id);
  }

  async #handle(raw: string): Promise<void> {
    if (this.#closed) return;
    const decoded = decodeClientFrame(raw);
    if (!decoded.ok) {
      this.error(decoded.code, decoded.message, decoded.id);
      if (decoded.code === ErrorCode.UnsupportedVersion && !this.#actor) {
        this.close(CloseCode.UnsupportedVersion, 'unsupported protocol version');
      }
      return;
    }
    const frame = decoded.frame;
    const id = 'id' in frame ? frame.id : undefined;
    try {
      await this.#dispatch(frame);
    } catch (error) {
      this.#fail(error, id);
    }
  }

  async #dispatch(frame: ClientFrame): Promise<void> {
    if (frame.type === 'hello') return this.#onHello(frame);
    const actor = this.#actor;
    if (!actor) {
      this.error(ErrorCode.NotReady, 'say hello first', 'id' in frame ? frame.id : undefined);
      return;
    }
    const { service } = this.env;
    switch (frame.type) {
      case 'ping':
        this.send({ type: 'pong', serverTime: this.env.now(), ...(frame.id !== undefined ? { id: frame.id } : {}) });
        return;
      case 'subscribe':
        await this.#subscribe(actor, frame.conversationId, frame.afterSeq);
        if (frame.id !== undefined) this.send({ type: 'ack', id: frame.id, conversationId: frame.conversationId });
        return;
      case 'unsubscribe':
        this.#subscriptions.get(frame.conversationId)?.dispose();
        this.#subscriptions.delete(frame.conversationId);
        if (frame.id !== undefined) this.send({ type: 'ack', id: frame.id, conversationId: frame.conversationId });
        return;
      case 'send': {
        const { event } = await service.send(actor, frame.conversationId, frame.id, frame.text);
        this.send({ type: 'ack', id: frame.id, conversationId: frame.conversationId, seq: event.seq });
        return;
      }
      case 'handoff':
        await service.handoff(actor, frame.conversationId);
        break;
      case 'take':
        await service.take(actor, frame.conversationId);
        break;
      case 'close':
        await service.close(actor, frame.conversationId);
        break;
      case 'start': {
        const conversation = await service.start(actor, {
          ...this.#hello,
          ...(frame.topic !== undefined ? { topic: frame.topic } : {}),
          ...(frame.lang !== undefined ? { lang: frame.lang } : {}),
        });
        this.send({ type: 'conversation', conversation, ...(frame.id !== undefined ? { id: frame.id } : {}) });
        return;
      }
      case 'prechat': {
        const conversation = await service.prechat(actor, frame.conversationId, {
          ...(frame.topic !== undefined ? { topic: frame.topic } : {}),
          ...(frame.lang !== undefined ? { lang: frame.lang } : {}),
          ...(frame.email !== undefined ? { email: frame.email } : {}),
        });
        this.send({ type: 'conversation', conversation });
        break;
      }
      case 'typing': {
        const author = await service.typingAuthor(actor, frame.conversationId);
        if (this.env.desk.typingAllowed(frame.conversationId, author.role, frame.typing)) {
          await this.env.bus.publish(conversationTopic(frame.conversationId), {
            kind: 'typing',
            conversationId: frame.conversationId,
            role: author.role,
            typing: frame.typing,
            ...(author.name !== undefined ? { name: author.name } : {}),
          });
        }
        break;
      }
      case 'note': {
        const event = await service.note(actor, frame.conversationId, frame.id, frame.text);
        this.send({ type: 'ack', id: frame.id, conversationId: frame.conversationId, seq: event.seq });
        return;
      }
      case 'transfer':
        await service.transfer(
          actor,
          frame.conversationId,
          {
            ...(frame.toAgentId !== undefined ? { toAgentId: frame.toAgentId } : {}),
            ...(frame.toTeam !== undefined ? { toTeam: frame.toTeam } : {}),
            ...(frame.note !== undefined ? { note: frame.note } : {}),
            ...(frame.id !== undefined ? { noteId: `t-${frame.id}`.slice(0, 64) } : {}),
          },
          async (agentId) => this.env.desk.reachableAgent(agentId),
          (team) => this.env.desk.agentDesk().teams.includes(team),
        );
        break;
      case 'agentStatus':
        if (actor.role !== 'agent') throw new RelayError(ErrorCode.Forbidden, 'only agents have a status');
        this.env.desk.setStatus(actor.agent.id, frame.status);
        if (frame.id !== undefined) this.send({ type: 'ack', id: frame.id });
        return;
      case 'rate': {
        const conversation = await service.rate(actor, frame.conversationId, {
          score: frame.score,
          ...(frame.comment !== undefined ? { comment: frame.comment } : {}),
        });
        this.send({ type: 'conversation', conversation });
        break;
      }
      case 'emailTranscript':
        await this.#emailTranscript(actor, frame.conversationId, frame.email);
        break;
    }
    if (frame.id !== undefined) this.send({ type: 'ack', id: frame.id, conversationId: frame.conversationId });
  }

  async #emailTranscript(actor: Actor, conversationId: string, to: string): Promise<void> {
    if (actor.role !== 'visitor') throw new RelayError(ErrorCode.Forbidden, 'visitors ask for their own transcript');
    const { tickets, transcriptEmails, maxTranscriptEmails } = this.env;
    if (!tickets.canMail) throw new RelayError(ErrorCode.Unavailable, 'this desk does not send e-mail');
    const { conversation, events } = await this.env.service.allEvents(actor, conversationId);
    const sent = transcriptEmails.get(conversationId) ?? 0;
    if (sent >= maxTranscriptEmails) throw new RelayError(ErrorCode.RateLimited, `at most ${maxTranscriptEmails} transcript e-mails per conversation`);
    if (!this.env.transcriptBudget.take()) throw new RelayError(ErrorCode.RateLimited, 'too many transcript e-mails right now; try again in a minute');
    // Counted before sending, so parallel requests cannot exceed the bound. The map is bounded:
    // the oldest entries go first (a conversation that old is long closed).
    transcriptEmails.set(conversationId, sent + 1);
    if (transcriptEmails.size > 10_000) transcriptEmails.delete(transcriptEmails.keys().next().value!);
    try {
      await tickets.mailTranscript(to, conversation, events);
    } catch (error) {
      this.env.log.error({ err: error, conversationId }, 'transcript e-mail failed');
      throw new RelayError(ErrorCode.Unavailable, 'the e-mail could not be sent; try again later');
    }
  }

  async #onHello(frame: ClientFrame & { type: 'hello' }): Promise<void> {
    if (this.#actor) {
      this.error(ErrorCode.BadFrame, 'hello was already answered');
      return;
    }
    const { service } = this.env;
    this.#hello = {
      ...(frame.lang ? { lang: frame.lang } : {}),
      ...(frame.context ? { context: frame.context } : {}),
      ...(frame.topic ? { topic: frame.topic } : {}),
      ...(frame.user ? { user: frame.user } : {}),
    };
    if (frame.role === 'visitor') {
      const hello = await service.visitorHello({ ...this.#hello, ...(frame.token !== undefined ? { token: frame.token } : {}) });
      this.#welcomed(hello.actor);
      this.send({ type: 'welcome', role: 'visitor', visitor: hello.visitor, conversation: hello.conversation, serverTime: this.env.now() });
      return;
    }
    if (frame.token === undefined) throw new RelayError(ErrorCode.Unauthorized, 'agents need a token from POST /api/agent/login');
    const actor = await service.agentFromToken(frame.token);
    this.#welcomed(actor);
    if (this.#closed) return;
    const status = this.env.desk.agentConnected(actor.agent);
    this.#agentId = actor.agent.id;
    this.send({ type: 'welcome', role: 'agent', agent: actor.agent, desk: this.env.desk.agentDesk(), status, serverTime: this.env.now() });
    this.#agentsOff = this.env.bus.subscribe(AGENTS_TOPIC, (message) => this.#onQueueChange(message));
    this.#refreshQueue();
    this.send({ type: 'roster', agents: this.env.desk.roster().slice(0, LIMITS.maxRosterItems) });
  }

  #welcomed(actor: Actor): void {
    if (this.#closed) return;
    this.#actor = actor;
    this.env.timers.clearTimeout(this.#helloTimer);
  }

  async #subscribe(actor: Actor, conversationId: string, afterSeq: number): Promise<void> {
    // Checked before anything is subscribed: a refused subscribe leaves no trace.
    await this.env.service.readable(actor, conversationId);
    this.#subscriptions.get(conversationId)?.dispose();
    const fetchAfter = (seq: number) => this.env.service.eventsAfter(actor, conversationId, seq, REPLAY_PAGE);
    const visitor = actor.role === 'visitor';
    // Notes are for agents: a visitor's stream skips them, in the replay and live alike
    // (both go through this one function).
    const deliver = (event: ConversationEvent) => {
      if (visitor && event.kind === 'note') return;
      this.send({ type: 'event', conversationId, event });
    };
    const sub = new Subscription(conversationId, afterSeq, fetchAfter, deliver, (error) => this.#fail(error));
    this.#subscriptions.set(conversationId, sub);
    if (visitor) {
      this.env.desk.visitorUp(conversationId);
      sub.onDispose = () => this.env.desk.visitorDown(conversationId, undefined);
    }
    // Listen first, then replay: events appended during the replay are buffered and
    // delivered after it, each exactly once (see Subscription).
    sub.off = this.env.bus.subscribe(conversationTopic(conversationId), (message) => {
      if (message.kind === 'event') sub.onLive(message.event);
      else if (message.kind === 'position' && visitor) {
        const { conversationId: cid, position, etaSeconds } = message;
        this.send({ type: 'position', conversationId: cid, position, ...(etaSeconds !== undefined ? { etaSeconds } : {}) });
      } else if (message.kind === 'typing' && message.role !== actor.role) {
        const { kind: _kind, ...typing } = message;
        this.send({ type: 'typing', ...typing });
      }
    });
    await sub.catchUp();
    // A visitor coming back learns their place at once (it derives from waitingSince, so it is kept).
    const place = visitor ? this.env.desk.positionOf(conversationId) : null;
    if (place) this.send({ type: 'position', conversationId, ...place });
    // Agents get the summary of what they open (context, verified, rating...), then its updates.
    if (!visitor) this.send({ type: 'conversation', conversation: toSummary(await this.env.service.readable(actor, conversationId)) });
  }

  #onQueueChange(message: BusMessage): void {
    if (message.kind === 'roster') {
      this.send({ type: 'roster', agents: message.agents.slice(0, LIMITS.maxRosterItems) });
      return;
    }
    if (message.kind !== 'conversation') return;
    const { id, status } = message.conversation;
    if (this.#subscriptions.has(id)) this.send({ type: 'conversation', conversation: message.conversation });
    // A change matters to the queue if the conversation is (or just was) in it; bot-only
    // conversations changing preview would otherwise refresh every console on every message.
    if (status === 'waiting' || status === 'active' || this.#queueIds.has(id)) this.#refreshQueue();
  }

  #refreshQueue(): void {
    const actor = this.#actor;
    if (!actor || this.#queueScheduled || this.#closed) return;
    this.#queueScheduled = true;
    // Serialised and coalesced: a burst of changes in one tick costs one queue frame, and
    // frames never overtake each other.
    this.#queueChain = this.#queueChain
      .then(async () => {
        const wait = this.#queueSentAt + this.env.limits.queueFrameIntervalMs - this.env.now();
        if (wait > 0) await new Promise<void>((resolve) => this.env.timers.setTimeout(resolve, wait));
        this.#queueScheduled = false;
        if (this.#closed) return;
        const snapshot = await queueSnapshot(this.env, actor);
        this.#queueIds = snapshot.ids;
        this.#queueSentAt = this.env.now();
        this.sendEncoded(snapshot.text);
      })
      .catch((error: unknown) => this.#fail(error));
  }

  #dispose(): void {
    this.#closed = true;
    this.env.timers.clearTimeout(this.#helloTimer);
    this.env.timers.clearTimeout(this.#idleTimer);
    for (const sub of this.#subscriptions.values()) sub.dispose();
    this.#subscriptions.clear();
    this.#agentsOff?.();
    this.#agentsOff = null;
    if (this.#agentId !== null) {
      this.env.desk.agentDisconnected(this.#agentId);
      this.#agentId = null;
    }
  }
}
