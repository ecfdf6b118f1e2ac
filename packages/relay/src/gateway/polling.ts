import { createHash } from 'node:crypto';
import type { HttpBindings } from '@hono/node-server';
import { ErrorCode, PROTOCOL_VERSION, decodeClientFrame, encode, type ConversationEvent } from '@parley/protocol';
import { Hono, type Context } from 'hono';
import { AGENTS_TOPIC, conversationTopic, type Bus, type BusMessage } from '../bus/index.js';
import type { Actor, ConversationService } from '../conversations/index.js';
import { RelayError } from '../errors.js';
import { limitBody, setHeaders } from '../http/common.js';
import type { Logger } from '../logger.js';
import type { Desk } from '../routing/index.js';
import type { TicketService } from '../tickets/index.js';
import { DEFAULT_GATEWAY_LIMITS, type GatewayLimits, type Timers } from './gateway.js';
import { KeyedBuckets } from './rate-limit.js';
import { helloInfo, liveFrame, queueFrame, rosterFrame, Session, TranscriptLimit, type OutFrame, type SessionPort } from './session.js';
import { REPLAY_PAGE } from './subscription.js';

/** On every polling answer: readable from any origin, never cached. */
const NO_STORE_ANY_ORIGIN = { 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'no-store' };

/** Options for {@link createPolling}. */
export interface PollingOptions {
  service: ConversationService;
  bus: Bus;
  logger: Logger;
  /** Presence, positions, typing throttle. */
  desk: Desk;
  /** Transcript e-mails. */
  tickets: TicketService;
  /** Bounds on transcript e-mails; pass the gateway's one so both transports share it. @default new TranscriptLimit(3) */
  transcripts?: TranscriptLimit;
  limits?: Partial<GatewayLimits>;
  /** @default Date.now */
  now?: () => number;
  /** @default globalThis.setTimeout / clearTimeout */
  timers?: Timers;
}

/** The long-polling endpoints, to mount at `/api/poll` (SPEC.md "Long-polling"). */
export interface Polling {
  /** A Hono app with `POST /hello`, `POST /send`, `GET /events`. */
  readonly app: Hono<{ Bindings: HttpBindings }>;
  /** Requests being held right now. */
  readonly heldCount: number;
  /** Answer every held request (empty) and refuse new ones with 503. */
  close(): void;
}

type Ctx = Context<{ Bindings: HttpBindings }>;

/** The body of every polling answer. */
interface PollAnswer {
  frames: OutFrame[];
  /** `GET /events` for agents: the queue version to send back as `queue=`. */
  queue?: string;
  /** `GET /events` refused for one conversation: which one (the client stops following it). */
  conversationId?: string;
}

/** Buckets kept per token; past this, the oldest are forgotten (they refill anyway). */
const MAX_BUCKETS = 50_000;
const BEARER = /^Bearer ([\x21-\x7e]{16,256})$/;
const CURSOR = /^([A-Za-z0-9_-]{1,64}):(\d{1,15})$/;
/** Cursors and known queue positions of one `GET /events`. */
interface Follow {
  cursors: Map<string, number>;
  /** `p=<id>:<n>`: the queue position the visitor last got for a conversation (0: none yet). */
  positions: Map<string, number>;
  queueAfter: string | undefined;
}

const STATUS: Partial<Record<string, 400 | 401 | 403 | 404 | 409 | 413 | 429 | 500>> = {
  [ErrorCode.BadJson]: 400,
  [ErrorCode.BadFrame]: 400,
  [ErrorCode.UnsupportedVersion]: 400,
  [ErrorCode.TooLarge]: 413,
  [ErrorCode.Unauthorized]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.Internal]: 500,
};

/**
 * HTTP long-polling: the same sessions as the WebSocket gateway (one shared {@link Session}
 * decides what a visitor or agent may do), carried by plain requests. The relay keeps no
 * state between requests: each one carries the bearer token and the cursors (`after` seqs),
 * events are read from the store and the bus only wakes held requests, so any relay process
 * sharing the store and bus can answer any request (no sticky sessions).
 *
 * @example
 * const polling = createPolling({ service, bus, logger });
 * app.route('/api/poll', polling.app);
 */
export function createPolling(options: PollingOptions): Polling {
  const limits = { ...DEFAULT_GATEWAY_LIMITS, ...options.limits };
  const { service, bus, desk, logger: log } = options;
  const now = options.now ?? Date.now;
  const timers: Timers = options.timers ?? {
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  };
  const env = { service, bus, log, now, desk, tickets: options.tickets, transcripts: options.transcripts ?? new TranscriptLimit(3, now) };
  const buckets = new KeyedBuckets(limits.framesPerSecond, limits.burst, MAX_BUCKETS, now);
  const heldByToken = new Map<string, number>();
  const releases = new Set<() => void>();
  let closing = false;

  const bucket = (key: string) => buckets.get(key);

  const answer = (c: Ctx, body: PollAnswer, status: 200 | 400 | 401 | 403 | 404 | 409 | 413 | 429 | 500 | 503 = 200) =>
    // Whole frames, with `v`, exactly as a WebSocket would carry them.
    c.body(JSON.stringify({ ...body, frames: body.frames.map((f) => ({ v: PROTOCOL_VERSION, ...f })) }), status, {
      'Content-Type': 'application/json; charset=utf-8',
    });
  const refuse = (c: Ctx, code: ErrorCode, message: string, extra: Partial<PollAnswer> = {}) =>
    answer(c, { frames: [{ type: 'error', code, message }], ...extra }, closing ? 503 : (STATUS[code] ?? 400));

  /** The bearer token and the principal behind it; a RelayError(unauthorized) when there is none. */
  const principal = async (c: Ctx): Promise<{ token: string; actor: Actor }> => {
    const m = BEARER.exec(c.req.header('authorization') ?? '');
    if (!m) throw new RelayError(ErrorCode.Unauthorized, 'polling requests need `Authorization: Bearer <token>` (the token from welcome or agent login)');
    const token = m[1]!;
    return { token, actor: await service.actorFromToken(token) };
  };

  /** Run a session over a batch of raw frames and collect its answers. */
  const runSession = async (actor: Actor | null, raws: string[], hello: Session['hello'], key: string) => {
    const frames: OutFrame[] = [];
    let unauthorized = false;
    const port: SessionPort = {
      send: (f) => frames.push(f),
      // Polling keeps no subscriptions on the relay: the client follows conversations with
      // GET /events, so a `subscribe` here only checks access (the session already did) and
      // acks; a waiting visitor also learns their place at once, as on a WebSocket.
      subscribe: async (a, conversationId) => {
        const place = a.role === 'visitor' ? desk.positionOf(conversationId) : null;
        if (place) frames.push({ type: 'position', conversationId, ...place });
      },
      unsubscribe: () => {},
      // Its events come by a separate request, so every send is acked.
      follows: () => false,
      welcomed: () => {},
      // No connection to count: a polling agent is in the desk's presence only through another
      // (WebSocket) connection, so its status is read, never changed, here.
      agentConnected: (agent) => desk.statusOf(agent.id),
      agentJoined: () => {},
      unauthorized: () => {
        unauthorized = true;
      },
    };
    const session = new Session(env, port);
    session.actor = actor;
    session.hello = hello;
    const b = bucket(key);
    for (const raw of raws) {
      if (unauthorized) break;
      if (!b.take()) {
        const d = decodeClientFrame(raw);
        const id = d.ok ? ('id' in d.frame ? d.frame.id : undefined) : d.id;
        session.error(ErrorCode.RateLimited, `too many frames: at most ${limits.framesPerSecond} per second`, id);
        continue;
      }
      // One at a time, in order, as on a WebSocket: acks keep the client's order.
      await session.handleRaw(raw);
    }
    return { frames, unauthorized, actor: session.actor };
  };

  const body = limitBody({
    maxSize: limits.maxPayloadBytes,
    onError: (c) => refuse(c as Ctx, ErrorCode.TooLarge, `the body is larger than ${limits.maxPayloadBytes} bytes`),
  });

  const app = new Hono<{ Bindings: HttpBindings }>();

  // Any site may embed the widget, so any origin may poll. Safe: the token travels in a
  // header the page must set itself (no cookies, so no ambient authority to abuse).
  app.use('*', async (c, next) => {
    if (closing) return refuse(c, ErrorCode.Internal, 'the relay is shutting down; reconnect');
    await next();
    setHeaders(c, NO_STORE_ANY_ORIGIN);
  });
  app.options('*', (c) =>
    c.body(null, 204, {
      'Access-Control-Allow-Methods': 'GET, POST',
      'Access-Control-Allow-Headers': 'Authorization, Content-Type',
      'Access-Control-Max-Age': '600',
    }),
  );

  app.post('/hello', body, async (c) => {
    const raw = await c.req.text();
    const d = decodeClientFrame(raw);
    if (!d.ok) return refuse(c, d.code, d.message);
    if (d.frame.type !== 'hello') return refuse(c, ErrorCode.BadFrame, 'POST /api/poll/hello takes a hello frame; other frames go to POST /api/poll/send');
    // New visitors are created here: bound them per address like frames per connection.
    const result = await runSession(null, [raw], {}, `ip:${c.env?.incoming?.socket?.remoteAddress ?? ''}`);
    if (result.unauthorized) return answer(c, { frames: result.frames }, 401);
    const frames = result.frames;
    if (result.actor?.role === 'agent') frames.push(await queueFrame(service, result.actor), rosterFrame(desk));
    return answer(c, { frames });
  });

  app.post('/send', body, async (c) => {
    const { token, actor } = await principal(c);
    let data: unknown;
    try {
      data = JSON.parse(await c.req.text());
    } catch {
      return refuse(c, ErrorCode.BadJson, 'the body must be JSON: {"frames":[…]}');
    }
    const list = (data as { frames?: unknown } | null)?.frames;
    if (!Array.isArray(list) || list.length === 0 || list.length > limits.pollMaxFrames) {
      return refuse(c, ErrorCode.BadFrame, `the body must be {"frames":[…]} with 1 to ${limits.pollMaxFrames} frames`);
    }
    // The hello's lang/context, for a `start` in this batch (a new conversation keeps them).
    const helloRaw = (data as { hello?: unknown }).hello;
    let hello: Session['hello'] = {};
    if (helloRaw !== undefined) {
      const h = decodeClientFrame(JSON.stringify({ ...(helloRaw as object), v: 1, type: 'hello', role: 'visitor' }));
      if (!h.ok || h.frame.type !== 'hello') return refuse(c, ErrorCode.BadFrame, `invalid hello in the body: ${h.ok ? '' : h.message}`);
      hello = helloInfo(h.frame);
    }
    // Each frame is validated by the protocol's decoder, exactly as on a WebSocket.
    // A hello in a batch is refused by the session itself ("hello was already answered").
    const raws = list.map((f) => (typeof f === 'string' ? f : JSON.stringify(f)));
    const result = await runSession(actor, raws, hello, token);
    return answer(c, { frames: result.frames }, result.unauthorized ? 401 : 200);
  });

  app.get('/events', async (c) => {
    const { token, actor } = await principal(c);
    if (!bucket(token).take()) return refuse(c, ErrorCode.RateLimited, `too many requests: at most ${limits.framesPerSecond} per second`);
    const cursors = new Map<string, number>();
    for (const value of c.req.queries('c') ?? []) {
      const m = CURSOR.exec(value);
      if (!m) return refuse(c, ErrorCode.BadFrame, `c must be <conversationId>:<afterSeq>, got ${JSON.stringify(value.slice(0, 80))}`);
      cursors.set(m[1]!, Number(m[2]));
    }
    const positions = new Map<string, number>();
    for (const value of c.req.queries('p') ?? []) {
      const m = CURSOR.exec(value);
      if (!m || !cursors.has(m[1]!)) return refuse(c, ErrorCode.BadFrame, `p must be <conversationId>:<position> for a followed conversation, got ${JSON.stringify(value.slice(0, 80))}`);
      positions.set(m[1]!, Number(m[2]));
    }
    const queueAfter = c.req.query('queue');
    if (queueAfter !== undefined && actor.role !== 'agent') return refuse(c, ErrorCode.Forbidden, 'only agents follow the queue');
    if (cursors.size === 0 && queueAfter === undefined) return refuse(c, ErrorCode.BadFrame, 'name at least one c=<conversationId>:<afterSeq> (or queue= for agents)');
    if (cursors.size > limits.pollMaxConversations) {
      return refuse(c, ErrorCode.BadFrame, `at most ${limits.pollMaxConversations} conversations per request`);
    }
    // Checked up front, so a refused conversation is named and nothing is held for it.
    for (const id of cursors.keys()) {
      try {
        await service.readable(actor, id);
      } catch (error) {
        if (error instanceof RelayError) return refuse(c, error.code, error.message, { conversationId: id });
        throw error;
      }
    }
    const held = heldByToken.get(token) ?? 0;
    if (held >= limits.pollMaxHeldPerToken) {
      return refuse(c, ErrorCode.RateLimited, `at most ${limits.pollMaxHeldPerToken} held requests per token`);
    }
    if (releases.size >= limits.pollMaxHeld) return answer(c, { frames: [{ type: 'error', code: ErrorCode.Internal, message: 'the relay is busy; retry' }] }, 503);

    heldByToken.set(token, held + 1);
    try {
      return answer(c, await hold(c, actor, { cursors, positions, queueAfter }));
    } finally {
      const left = (heldByToken.get(token) ?? 1) - 1;
      if (left > 0) heldByToken.set(token, left);
      else heldByToken.delete(token);
    }
  });

  /**
   * Read what is new after the cursors; when nothing is, hold the request until the bus says
   * something changed (then read again) or `pollHoldMs` passes. The bus only wakes: what is
   * answered always comes from the store, so a woken request on any relay reads the same.
   */
  async function hold(c: Ctx, actor: Actor, follow: Follow): Promise<PollAnswer> {
    const { cursors, queueAfter } = follow;
    let woke = false;
    let wake: (() => void) | null = null;
    // Typing and roster are live-only (never stored): what arrives while the request is held
    // is answered with it; positions are re-read from the desk against the `p=` cursor instead,
    // so one changed between two polls is not lost.
    const live: OutFrame[] = [];
    const onBus = (message: BusMessage) => {
      const typing = message.kind === 'typing' ? liveFrame(actor, message) : null;
      if (typing) live.push(typing);
      if (message.kind === 'roster' && queueAfter !== undefined) live.push(rosterFrame(desk));
      if (message.kind === 'event' || message.kind === 'position' || typing || queueAfter !== undefined) {
        woke = true;
        wake?.();
      }
    };
    // A visitor holding a poll is present (as a WebSocket subscription is): their waiting
    // conversation does not turn into an unanswered ticket while they wait. The gap between
    // two polls is far shorter than that timeout, which the next poll cancels again.
    const present = actor.role === 'visitor' ? [...cursors.keys()] : [];
    for (const id of present) desk.visitorUp(id);
    // Listen first, then read: an event appended between the read and the wait still wakes us.
    const offs = [...cursors.keys()].map((id) => bus.subscribe(conversationTopic(id), onBus));
    if (queueAfter !== undefined) offs.push(bus.subscribe(AGENTS_TOPIC, onBus));
    const outgoing = c.env?.outgoing;
    // Already gone before we got here (it hung up while we checked access): do not hold.
    let gone = outgoing?.socket?.destroyed ?? false;
    const onGone = () => {
      gone = true;
      wake?.();
    };
    // The response's close before it finished = the client went away: stop holding for it.
    outgoing?.once('close', onGone);
    const deadline = now() + limits.pollHoldMs;
    try {
      for (;;) {
        woke = false;
        const result = await read(actor, follow);
        result.frames.push(...live.splice(0));
        if (result.frames.length > 0 || gone || closing || now() >= deadline) return result;
        if (!woke) {
          await new Promise<void>((resolve) => {
            const timer = timers.setTimeout(finish, Math.max(0, deadline - now()));
            function finish() {
              timers.clearTimeout(timer);
              releases.delete(finish);
              wake = null;
              resolve();
            }
            wake = finish;
            releases.add(finish);
          });
        }
      }
    } finally {
      for (const off of offs) off();
      outgoing?.off('close', onGone);
      for (const id of present) desk.visitorDown(id, undefined);
    }
  }

  async function read(actor: Actor, { cursors, positions, queueAfter }: Follow): Promise<PollAnswer> {
    const frames: OutFrame[] = [];
    const visitor = actor.role === 'visitor';
    for (const [conversationId, after] of cursors) {
      const events: ConversationEvent[] = await service.eventsAfter(actor, conversationId, after, REPLAY_PAGE);
      // Notes are for agents only, as on a WebSocket.
      for (const event of events) if (!visitor || event.kind !== 'note') frames.push({ type: 'event', conversationId, event });
      const known = positions.get(conversationId);
      const place = visitor && known !== undefined ? desk.positionOf(conversationId) : null;
      if (place && place.position !== known) frames.push({ type: 'position', conversationId, ...place });
    }
    if (queueAfter === undefined) return { frames };
    const queue = await queueFrame(service, actor);
    // A version any relay computes the same from the store: no per-client state needed.
    const version = createHash('sha256').update(encode(queue)).digest('base64url').slice(0, 16);
    if (version !== queueAfter) frames.push(queue);
    return { frames, queue: version };
  }

  app.onError((error, c) => {
    if (error instanceof RelayError) return refuse(c as Ctx, error.code, error.message);
    log.error({ err: error, path: c.req.path }, 'polling handler failed');
    return refuse(c as Ctx, ErrorCode.Internal, 'the relay failed; retry');
  });

  return {
    app,
    get heldCount() {
      return releases.size;
    },
    close() {
      closing = true;
      for (const release of [...releases]) release();
    },
  };
}

