import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { CloseCode, ErrorCode, LIMITS, decodeClientFrame, encode, type AgentRef, type AgentStatus, type ConversationEvent } from '@parley/protocol';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { AGENTS_TOPIC, type Bus, type BusMessage } from '../bus/index.js';
import { toSummary, type Actor, type ConversationService } from '../conversations/index.js';
import type { Logger } from '../logger.js';
import type { Desk } from '../routing/index.js';
import type { TicketService } from '../tickets/index.js';
import { TokenBucket } from './rate-limit.js';
import { liveFrame, queueFrame, rosterFrame, Session, TranscriptLimit, type OutFrame, type SessionEnv, type SessionPort } from './session.js';
import type { SessionMember, SessionRegistry } from './sessions.js';
import { REPLAY_PAGE, Subscription, type SubscriptionOwner } from './subscription.js';
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

/**
 * Timer functions, injectable for tests. A handle with a `refresh()` method (Node's Timeout)
 * is re-armed in place on every frame for the idle timeout; other handles are cleared and set
 * again.
 */
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
 * The socket class ws creates for each connection: a plain WebSocket that knows its
 * {@link Connection}, so that the message, close and error listeners can be three functions
 * shared by every connection instead of three closures each (memory per idle connection is
 * one of issue 3's targets; bench/transport.bench.mjs).
 */
class ParleySocket extends WebSocket {
  connection: Connection | null = null;
}

// `this` is the socket that emitted the event: every socket of this gateway is a ParleySocket.
function onSocketMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
  (this as ParleySocket).connection?.onMessage(data, isBinary);
}

function onSocketClose(this: WebSocket): void {
  (this as ParleySocket).connection?.onClose();
}

function onSocketError(this: WebSocket, error: Error): void {
  // ws reports protocol violations (oversize frame, bad UTF-8) here and closes the socket
  // itself; without a listener the 'error' event would throw and take the process down.
  (this as ParleySocket).connection?.onError(error);
}

/** Send what the frames of one tick corked, as one write (see Connection.send). */
function uncork(connection: Connection): void {
  connection.uncork();
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
  const wss = new WebSocketServer<typeof ParleySocket>({
    noServer: true,
    WebSocket: ParleySocket,
    // Never ws's 100 MiB default: a huge frame is refused by ws before it is buffered.
    maxPayload: limits.maxPayloadBytes,
    // Compression would let a small frame inflate to a large one (and costs memory per socket).
    perMessageDeflate: false,
    // The gateway keeps its own set of connections; ws's would cost a second set entry and a
    // close listener per connection.
    clientTracking: false,
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
    connections,
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
    // Handed over to a function outside this scope: anything the connection keeps that was
    // created in here would keep the upgrade request (its IncomingMessage and headers,
    // ~1.3 KB) alive for the whole life of the connection.
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, socket, env));
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
  /** The gateway's open connections; a connection adds itself and removes itself on close. */
  connections: Set<Connection>;
  sessions?: SessionRegistry;
}

/** Start a session on a freshly upgraded socket (a function of its own: see onUpgrade). */
function accept(ws: ParleySocket, socket: Duplex, env: ConnectionEnv): void {
  ws.connection = new Connection(ws, socket, env);
  ws.on('message', onSocketMessage);
  ws.on('close', onSocketClose);
  ws.on('error', onSocketError);
}

/** Connection.#chain while a run starts, until its promise is known. */
const BUSY: Promise<void> = Promise.resolve();

/** A timer handle that can be re-armed in place (Node's Timeout). */
interface Refreshable {
  refresh(): unknown;
}

function refreshable(handle: unknown): handle is Refreshable {
  return typeof handle === 'object' && handle !== null && typeof (handle as Partial<Refreshable>).refresh === 'function';
}

/**
 * What only an agent's connection needs: its view of the queue. Allocated at the agent's
 * hello, so a visitor's connection (almost all of them) does not carry it.
 */
class AgentQueue {
  /** Conversations in the last queue frame sent. */
  ids = new Set<string>();
  scheduled = false;
  chain: Promise<void> = Promise.resolve();
  off: (() => void) | null = null;
  readonly throttle: Throttled;

  constructor(refresh: () => void, env: ConnectionEnv) {
    this.throttle = throttle(refresh, env.limits.queueRefreshMs, env.timers, env.now);
  }
}

/**
 * One WebSocket session: the shared {@link Session} behind a socket, frames handled one at a
 * time, in order. Kept lean (issue 3: at most 1.5x a bare ws connection's memory when idle):
 * no per-connection closures on the socket, agent and subscription state only when used.
 */
class Connection implements SessionPort, SubscriptionOwner, SessionMember {
  readonly #session: Session;
  #helloTimer: unknown;
  #idleTimer: unknown;
  /** The handling of the current frame and those queued behind it (what drain waits for); null when idle. */
  #chain: Promise<void> | null = null;
  /** Frames that arrived while another was being handled, oldest first; null when none. */
  #waiting: string[] | null = null;
  #closed = false;
  #draining = false;
  #corked = false;
  readonly #bucket: TokenBucket;
  #refused = 0;
  #refusedSince = 0;
  /** Usually one conversation: the Subscription itself; a Map once there are several. */
  #subscriptions: Subscription | Map<string, Subscription> | null = null;
  #agent: AgentQueue | null = null;
  /** Registered in env.sessions (after welcome, until dispose). */
  #joined = false;
  /** Set once an agent is counted connected, so the close marks them disconnected exactly once. */
  #agentId: string | null = null;

  constructor(
    readonly ws: WebSocket,
    private readonly socket: Duplex,
    private readonly env: ConnectionEnv,
  ) {
    this.#session = new Session(env, this);
    this.#bucket = new TokenBucket(env.limits.framesPerSecond, env.limits.burst, env.now);
    this.#helloTimer = env.timers.setTimeout(() => {
      if (!this.#session.actor) this.close(CloseCode.HelloTimeout, 'no hello in time');
    }, env.limits.helloTimeoutMs);
    this.#touch();
    env.connections.add(this);
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
    return this.#chain ?? Promise.resolve();
  }

  send(frame: OutFrame): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    if (this.ws.bufferedAmount > this.env.limits.maxBufferedBytes) {
      // The reader is not keeping up; dropping frames silently would break the seq
      // guarantee, so end the session and let it resume from its last seq.
      this.close(1013, 'reader too slow');
      return;
    }
    if (!this.#corked) {
      // One inbound frame usually answers with two outbound ones (the event of a message and
      // its ack), sent from different promise jobs of the same tick: held here and written
      // together on the next tick, they cost one writev syscall instead of two (they were
      // ~40% of the relay's CPU per message). Each stays its own WebSocket message.
      this.#corked = true;
      this.socket.cork();
      process.nextTick(uncork, this);
    }
    this.ws.send(encode(frame));
  }

  /** Write what {@link send} corked during the last tick. */
  uncork(): void {
    if (!this.#corked) return;
    this.#corked = false;
    this.socket.uncork();
  }

  // ---------------------------------------------------------------- SessionPort

  welcomed(actor: Actor): void {
    if (this.#closed) return;
    this.env.timers.clearTimeout(this.#helloTimer);
    // Dropped, not only cleared: a cleared Node Timeout still weighs ~150 bytes.
    this.#helloTimer = undefined;
    // Registered for presence, and so that erasing this visitor closes this socket.
    if (this.env.sessions) {
      this.env.sessions.join(actor, this);
      this.#joined = true;
    }
  }

  /** SessionMember: the visitor's data was erased. */
  closeSession(reason: string): void {
    this.close(CloseCode.Unauthorized, reason);
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
    const agent = (this.#agent ??= new AgentQueue(() => this.#refreshQueue(), this.env));
    agent.off = this.env.bus.subscribe(AGENTS_TOPIC, (message) => this.#onQueueChange(message));
    this.#refreshQueue();
    this.send(rosterFrame(this.env.desk));
  }

  async subscribe(actor: Actor, conversationId: string, afterSeq: number): Promise<void> {
    const sub = new Subscription(conversationId, afterSeq, this);
    this.#addSubscription(sub);
    const visitor = actor.role === 'visitor';
    if (visitor) {
      this.env.desk.visitorUp(conversationId);
      sub.onDispose = () => this.env.desk.visitorDown(conversationId, undefined);
    }
    // Listen first, then replay: events appended during the replay are buffered and
    // delivered after it, each exactly once (see Subscription).
    sub.listen(this.env.bus);
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
    const subs = this.#subscriptions;
    if (subs instanceof Map) {
      subs.get(conversationId)?.dispose();
      subs.delete(conversationId);
    } else if (subs?.conversationId === conversationId) {
      subs.dispose();
      this.#subscriptions = null;
    }
  }

  // ---------------------------------------------------------------- SubscriptionOwner

  fetchAfter(conversationId: string, seq: number): Promise<ConversationEvent[]> {
    const actor = this.#session.actor;
    // Subscriptions exist only after hello, so there is always an actor here.
    if (!actor) return Promise.resolve([]);
    return this.env.service.eventsAfter(actor, conversationId, seq, REPLAY_PAGE);
  }

  deliver(conversationId: string, event: ConversationEvent): void {
    // Notes are for agents: a visitor's stream skips them, in the replay and live alike
    // (both come through here).
    if (event.kind === 'note' && this.#session.actor?.role === 'visitor') return;
    this.send({ type: 'event', conversationId, event });
  }

  /** Conversation-topic messages other than events (position, typing...), as frames for this actor. */
  other(_conversationId: string, message: BusMessage): void {
    const actor = this.#session.actor;
    const frame = actor ? liveFrame(actor, message) : null;
    if (frame) this.send(frame);
  }

  failed(error: unknown): void {
    this.#session.fail(error);
  }

  // ---------------------------------------------------------------- socket events

  onMessage(data: RawData, isBinary: boolean): void {
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
    // One frame at a time, in arrival order, so acks and events keep the client's order. A
    // queue drained by one loop rather than a promise chain: no two promises and a closure per
    // frame (the relay's second-largest allocation per message in the transport bench).
    if (this.#chain) {
      (this.#waiting ??= []).push(raw);
      return;
    }
    // #run clears #chain when it ends, which may be before it returns (a frame refused at
    // decode never awaits): only a run still going becomes the chain.
    this.#chain = BUSY;
    const run = this.#run(raw);
    if (this.#chain === BUSY) this.#chain = run;
  }

  onClose(): void {
    this.#dispose();
    this.uncork();
    this.env.connections.delete(this);
  }

  onError(error: Error): void {
    // Read only now: asking a socket for its address makes it cache an object per connection.
    // ws emits 'error' before it destroys the socket, so the address is still there.
    const remote = (this.socket as Partial<Socket>).remoteAddress ?? '';
    this.env.log.debug({ err: error, remote }, 'websocket error');
  }

  // ---------------------------------------------------------------- internals

  #touch(): void {
    const timer = this.#idleTimer;
    // Re-arm in place when the timers allow it (Node's do): no new Timeout and callback per
    // frame. Injected test timers without refresh get a fresh timer instead.
    if (refreshable(timer)) {
      timer.refresh();
      return;
    }
    this.env.timers.clearTimeout(timer);
    this.#idleTimer = this.env.timers.setTimeout(() => this.close(CloseCode.Normal, 'idle timeout'), this.env.limits.idleTimeoutMs);
  }

  /** Handle `first`, then every frame queued meanwhile, in order. */
  async #run(first: string): Promise<void> {
    for (let raw: string | undefined = first; raw !== undefined; raw = this.#waiting?.shift()) {
      if (this.#closed) continue;
      const frame = this.#session.decode(raw);
      if (typeof frame !== 'string') {
        // Session.handle turns failures into error frames; it does not reject.
        await this.#session.handle(frame);
      } else if (frame === ErrorCode.UnsupportedVersion && !this.#session.actor) {
        this.close(CloseCode.UnsupportedVersion, 'unsupported protocol version');
      }
    }
    this.#waiting = null;
    this.#chain = null;
  }

  /** Whether this connection follows the conversation. */
  follows(conversationId: string): boolean {
    const subs = this.#subscriptions;
    return subs instanceof Map ? subs.has(conversationId) : subs?.conversationId === conversationId;
  }

  #addSubscription(sub: Subscription): void {
    const subs = this.#subscriptions;
    const id = sub.conversationId;
    if (subs === null) {
      this.#subscriptions = sub;
    } else if (subs instanceof Map) {
      subs.get(id)?.dispose();
      subs.set(id, sub);
    } else if (subs.conversationId === id) {
      // Subscribing again (resume from another seq) replaces the old subscription.
      subs.dispose();
      this.#subscriptions = sub;
    } else {
      this.#subscriptions = new Map([
        [subs.conversationId, subs],
        [id, sub],
      ]);
    }
  }

  #onQueueChange(message: BusMessage): void {
    if (message.kind === 'roster') {
      if (this.#agent) this.send({ type: 'roster', agents: message.agents.slice(0, LIMITS.maxRosterItems) });
      return;
    }
    const agent = this.#agent;
    if (message.kind !== 'conversation' || !agent) return;
    const { id, status } = message.conversation;
    if (this.follows(id)) this.send({ type: 'conversation', conversation: message.conversation });
    // A change matters to the queue if the conversation is (or just was) in it; bot-only
    // conversations changing preview would otherwise refresh every console on every message.
    if (status === 'waiting' || status === 'active' || agent.ids.has(id)) agent.throttle.request();
  }

  #refreshQueue(): void {
    const actor = this.#session.actor;
    const agent = this.#agent;
    if (!actor || !agent || agent.scheduled || this.#closed) return;
    agent.scheduled = true;
    // Serialised and coalesced: a burst of changes in one tick costs one queue frame, and
    // frames never overtake each other.
    agent.chain = agent.chain
      .then(async () => {
        agent.scheduled = false;
        if (this.#closed) return;
        const frame = await queueFrame(this.env.service, actor);
        agent.ids = new Set(frame.conversations.map((c) => c.id));
        this.send(frame);
      })
      .catch((error: unknown) => this.#session.fail(error));
  }

  #dispose(): void {
    this.#closed = true;
    this.env.timers.clearTimeout(this.#helloTimer);
    this.#helloTimer = undefined;
    this.env.timers.clearTimeout(this.#idleTimer);
    const subs = this.#subscriptions;
    if (subs instanceof Map) for (const sub of subs.values()) sub.dispose();
    else subs?.dispose();
    this.#subscriptions = null;
    const agent = this.#agent;
    if (agent) {
      agent.off?.();
      agent.off = null;
      agent.throttle.cancel();
    }
    const actor = this.#session.actor;
    if (this.#joined && actor) this.env.sessions?.leave(actor, this);
    this.#joined = false;
    if (this.#agentId !== null) {
      this.env.desk.agentDisconnected(this.#agentId);
      this.#agentId = null;
    }
  }
}
