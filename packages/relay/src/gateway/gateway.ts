import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { CloseCode, ErrorCode, LIMITS, decodeClientFrame, encode, type AgentRef, type AgentStatus, type ConversationEvent } from '@parley/protocol';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { AGENTS_TOPIC, conversationTopic, type Bus, type BusMessage } from '../bus/index.js';
import { toSummary, type Actor, type ConversationService } from '../conversations/index.js';
import type { Logger } from '../logger.js';
import type { Desk } from '../routing/index.js';
import type { TicketService } from '../tickets/index.js';
import { TokenBucket } from './rate-limit.js';
import { liveFrame, queueFrame, rosterFrame, Session, TranscriptLimit, type OutFrame, type SessionEnv, type SessionPort } from './session.js';
import type { SessionRegistry } from './sessions.js';
import { REPLAY_PAGE, Subscription } from './subscription.js';
import { throttle, type Throttled } from './throttle.js';

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
  /** Long-polling: how long `GET /api/poll/events` is held when nothing is new, in ms. @default 25000 */
  pollHoldMs: number;
  /** Long-polling: held requests at once per token (tabs of one visitor share a token). @default 8 */
  pollMaxHeldPerToken: number;
  /** Long-polling: held requests at once in this relay process. @default 10000 */
  pollMaxHeld: number;
  /** Long-polling: frames in one `POST /api/poll/send` batch. @default 50 */
  pollMaxFrames: number;
  /** Long-polling: conversations one `GET /api/poll/events` may follow. @default 100 */
  pollMaxConversations: number;
  /**
   * Least time between two queue frames to one agent connection: every message changes a
   * preview, and rebuilding each console's queue per message capped a busy relay at about
   * 100 messages a second (bench/scale.bench.mjs). @default 250
   */
  queueRefreshMs: number;
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
  pollHoldMs: 25_000,
  pollMaxHeldPerToken: 8,
  pollMaxHeld: 10_000,
  pollMaxFrames: 50,
  pollMaxConversations: 100,
  queueRefreshMs: 250,
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
  /** Bounds on transcript e-mails; pass the polling endpoints' one so both transports share it. @default new TranscriptLimit(3) */
  transcripts?: TranscriptLimit;
  limits?: Partial<GatewayLimits>;
  /** The WebSocket path. @default '/ws' */
  path?: string;
  /** @default Date.now */
  now?: () => number;
  /** @default globalThis.setTimeout / clearTimeout */
  timers?: Timers;
  /** Where sessions are registered after `welcome` (presence, closing an erased visitor). @default none */
  sessions?: SessionRegistry;
}

/** A running gateway. */
export interface Gateway {
  /** Open connections right now. */
  readonly connectionCount: number;
  /**
   * Stop accepting connections, let each connection finish the frame it is processing (its
   * ack is sent; frames arriving meanwhile are not started, the client resends them
   * elsewhere), then close every connection with 1001 (going away). `drainMs` bounds the wait
   * for in-flight frames. @default drainMs 5000
   */
  close(options?: { drainMs?: number }): Promise<void>;
}

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
    transcripts: options.transcripts ?? new TranscriptLimit(3, options.now ?? Date.now),
    log: options.logger,
    limits,
    now: options.now ?? Date.now,
    timers: options.timers ?? {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    },
    ...(options.sessions ? { sessions: options.sessions } : {}),
  };
  let closing = false;

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
    async close({ drainMs = 5000 } = {}) {
      closing = true;
      server.off('upgrade', onUpgrade);
      await drainAll([...connections], drainMs);
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

/** Wait (at most `ms`) for every connection's in-flight frame to finish. */
async function drainAll(connections: Connection[], ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    Promise.all(connections.map((c) => c.drain())),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}

/** The text of a WebSocket message, whichever shape ws delivered it in. */
function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8');
}

interface ConnectionEnv extends SessionEnv {
  limits: GatewayLimits;
  now: () => number;
  timers: Timers;
  sessions?: SessionRegistry;
}

/** One WebSocket session: the shared {@link Session} behind a socket, frames handled one at a time, in order. */
class Connection implements SessionPort {
  readonly #session: Session;
  #helloTimer: unknown;
  #idleTimer: unknown;
  #chain: Promise<void> = Promise.resolve();
  #closed = false;
  readonly #bucket: TokenBucket;
  #refused = 0;
  #refusedSince = 0;
  readonly #subscriptions = new Map<string, Subscription>();
  #agentsOff: (() => void) | null = null;
  /** Set once an agent is counted connected, so the close marks them disconnected exactly once. */
  #agentId: string | null = null;
  #queueIds = new Set<string>();
  #queueScheduled = false;
  #queueChain: Promise<void> = Promise.resolve();
  #draining = false;
  #leave: (() => void) | null = null;
  readonly #queueThrottle: Throttled;

  constructor(
    readonly ws: WebSocket,
    private readonly env: ConnectionEnv,
    private readonly remote: string,
  ) {
    this.#session = new Session(env, this);
    this.#bucket = new TokenBucket(env.limits.framesPerSecond, env.limits.burst, env.now);
    this.#queueThrottle = throttle(() => this.#refreshQueue(), env.limits.queueRefreshMs, env.timers, env.now);
    this.#helloTimer = env.timers.setTimeout(() => {
      if (!this.#session.actor) this.close(CloseCode.HelloTimeout, 'no hello in time');
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

  /** Take no new frames; resolves when the frame being processed (if any) is done. */
  drain(): Promise<void> {
    this.#draining = true;
    return this.#chain;
  }

  send(frame: OutFrame): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    if (this.ws.bufferedAmount > this.env.limits.maxBufferedBytes) {
      // The reader is not keeping up; dropping frames silently would break the seq
      // guarantee, so end the session and let it resume from its last seq.
      this.close(1013, 'reader too slow');
      return;
    }
    this.ws.send(encode(frame));
  }

  // ---------------------------------------------------------------- SessionPort

  welcomed(actor: Actor): void {
    if (this.#closed) return;
    this.env.timers.clearTimeout(this.#helloTimer);
    // Registered for presence, and so that erasing this visitor closes this socket.
    this.#leave = this.env.sessions?.add(actor, (reason) => this.close(CloseCode.Unauthorized, reason)) ?? null;
  }

  unauthorized(): void {
    this.close(CloseCode.Unauthorized, 'unauthorized');
  }

  agentConnected(agent: AgentRef): AgentStatus {
    // A connection closed during the hello must not leave the agent counted online.
    if (this.#closed) return this.env.desk.statusOf(agent.id);
    this.#agentId = agent.id;
    return this.env.desk.agentConnected(agent);
  }

  agentJoined(): void {
    if (this.#closed) return;
    this.#agentsOff = this.env.bus.subscribe(AGENTS_TOPIC, (message) => this.#onQueueChange(message));
    this.#refreshQueue();
    this.send(rosterFrame(this.env.desk));
  }

  async subscribe(actor: Actor, conversationId: string, afterSeq: number): Promise<void> {
    this.#subscriptions.get(conversationId)?.dispose();
    const fetchAfter = (seq: number) => this.env.service.eventsAfter(actor, conversationId, seq, REPLAY_PAGE);
    const visitor = actor.role === 'visitor';
    // Notes are for agents: a visitor's stream skips them, in the replay and live alike
    // (both go through this one function).
    const deliver = (event: ConversationEvent) => {
      if (visitor && event.kind === 'note') return;
      this.send({ type: 'event', conversationId, event });
    };
    const sub = new Subscription(conversationId, afterSeq, fetchAfter, deliver, (error) => this.#session.fail(error));
    this.#subscriptions.set(conversationId, sub);
    if (visitor) {
      this.env.desk.visitorUp(conversationId);
      sub.onDispose = () => this.env.desk.visitorDown(conversationId, undefined);
    }
    // Listen first, then replay: events appended during the replay are buffered and
    // delivered after it, each exactly once (see Subscription).
    sub.off = this.env.bus.subscribe(conversationTopic(conversationId), (message) => {
      if (message.kind === 'event') sub.onLive(message.event);
      else {
        const frame = liveFrame(actor, message);
        if (frame) this.send(frame);
      }
    });
    // A bus across processes (Redis) registers the subscription asynchronously; replaying
    // before it is live could miss an event another relay appends in between.
    await this.env.bus.settled?.();
    await sub.catchUp();
    // A visitor coming back learns their place at once (it derives from waitingSince, so it is kept).
    const place = visitor ? this.env.desk.positionOf(conversationId) : null;
    if (place) this.send({ type: 'position', conversationId, ...place });
    // Agents get the summary of what they open (context, verified, rating...), then its updates.
    if (!visitor) this.send({ type: 'conversation', conversation: toSummary(await this.env.service.readable(actor, conversationId)) });
  }

  unsubscribe(conversationId: string): void {
    this.#subscriptions.get(conversationId)?.dispose();
    this.#subscriptions.delete(conversationId);
  }

  // ---------------------------------------------------------------- internals

  #touch(): void {
    this.env.timers.clearTimeout(this.#idleTimer);
    this.#idleTimer = this.env.timers.setTimeout(() => this.close(CloseCode.Normal, 'idle timeout'), this.env.limits.idleTimeoutMs);
  }

  #onMessage(data: RawData, isBinary: boolean): void {
    // While draining for shutdown, a new frame is not started: no ack comes, so the client
    // keeps it and resends it to the relay it reconnects to (append is idempotent).
    if (this.#closed || this.#draining) return;
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
      this.#session.error(ErrorCode.RateLimited, `too many frames: at most ${this.env.limits.framesPerSecond} per second`, id);
      return;
    }
    if (isBinary) {
      this.#session.error(ErrorCode.BadFrame, 'frames are JSON text, not binary');
      return;
    }
    const raw = rawText(data);
    // One frame at a time, in arrival order, so acks and events keep the client's order.
    this.#chain = this.#chain.then(() => this.#handle(raw)).catch((error: unknown) => this.#session.fail(error));
  }

  async #handle(raw: string): Promise<void> {
    if (this.#closed) return;
    const failed = await this.#session.handleRaw(raw);
    if (failed === ErrorCode.UnsupportedVersion && !this.#session.actor) {
      this.close(CloseCode.UnsupportedVersion, 'unsupported protocol version');
    }
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
    if (status === 'waiting' || status === 'active' || this.#queueIds.has(id)) this.#queueThrottle.request();
  }

  #refreshQueue(): void {
    const actor = this.#session.actor;
    if (!actor || this.#queueScheduled || this.#closed) return;
    this.#queueScheduled = true;
    // Serialised and coalesced: a burst of changes in one tick costs one queue frame, and
    // frames never overtake each other.
    this.#queueChain = this.#queueChain
      .then(async () => {
        this.#queueScheduled = false;
        if (this.#closed) return;
        const frame = await queueFrame(this.env.service, actor);
        this.#queueIds = new Set(frame.conversations.map((c) => c.id));
        this.send(frame);
      })
      .catch((error: unknown) => this.#session.fail(error));
  }

  #dispose(): void {
    this.#closed = true;
    this.env.timers.clearTimeout(this.#helloTimer);
    this.env.timers.clearTimeout(this.#idleTimer);
    for (const sub of this.#subscriptions.values()) sub.dispose();
    this.#subscriptions.clear();
    this.#agentsOff?.();
    this.#agentsOff = null;
    this.#leave?.();
    this.#leave = null;
    if (this.#agentId !== null) {
      this.env.desk.agentDisconnected(this.#agentId);
      this.#agentId = null;
    }
    this.#queueThrottle?.cancel();
  }
}
