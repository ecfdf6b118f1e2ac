import {
  ErrorCode,
  LIMITS,
  decodeClientFrame,
  type AgentRef,
  type AgentStatus,
  type ClientFrame,
  type HelloFrame,
  type ServerFrame,
  type Unversioned,
} from '@parley/protocol';
import { conversationTopic, type Bus, type BusMessage } from '../bus/index.js';
import type { Actor, ConversationService, NewConversationInput } from '../conversations/index.js';
import { RelayError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Desk } from '../routing/index.js';
import type { TicketService } from '../tickets/index.js';
import { TokenBucket } from './rate-limit.js';

/** A visitor's or agent's message. */
type SendFrame = Extract<ClientFrame, { type: 'send' }>;

/** A frame as the relay builds it; `encode` adds the version. */
export type OutFrame = Unversioned<ServerFrame>;

/** What every session needs from the relay, whichever transport carries it. */
export interface SessionEnv {
  service: ConversationService;
  bus: Bus;
  log: Logger;
  now: () => number;
  /** Presence, capacity, positions, typing throttle. */
  desk: Desk;
  /** Transcript e-mails. */
  tickets: TicketService;
  /** Bounds on transcript e-mails, shared by every transport of one relay. */
  transcripts: TranscriptLimit;
}

/**
 * How many transcript e-mails may go out: per conversation, and relay-wide (visitors are free
 * to create, so a per-conversation bound alone would not stop someone using transcripts to
 * send mail to strangers: 30 at once, then one every 10 s).
 *
 * @example
 * const transcripts = new TranscriptLimit(3);
 * transcripts.take('c1'); // throws RelayError(rate_limited) past the bounds
 */
export class TranscriptLimit {
  readonly #sent = new Map<string, number>();
  readonly #budget: TokenBucket;

  constructor(
    readonly perConversation = 3,
    now: () => number = Date.now,
  ) {
    this.#budget = new TokenBucket(0.1, 30, now);
  }

  /** Count one e-mail for the conversation, or throw a rate_limited RelayError. */
  take(conversationId: string): void {
    const sent = this.#sent.get(conversationId) ?? 0;
    if (sent >= this.perConversation) throw new RelayError(ErrorCode.RateLimited, `at most ${this.perConversation} transcript e-mails per conversation`);
    if (!this.#budget.take()) throw new RelayError(ErrorCode.RateLimited, 'too many transcript e-mails right now; try again in a minute');
    // Counted before sending, so parallel requests cannot exceed the bound. The map is bounded:
    // the oldest entries go first (a conversation that old is long closed).
    this.#sent.set(conversationId, sent + 1);
    if (this.#sent.size > 10_000) this.#sent.delete(this.#sent.keys().next().value!);
  }
}

/**
 * The frame a live bus message becomes for this principal, or null: a waiting visitor's
 * position (visitors only) and the other side's typing. Shared by the WebSocket subscription
 * and held polls, so both transports deliver the same live desk state.
 */
export function liveFrame(actor: Actor, message: BusMessage): OutFrame | null {
  if (message.kind === 'position' && actor.role === 'visitor') {
    const { conversationId, position, etaSeconds } = message;
    return { type: 'position', conversationId, position, ...(etaSeconds !== undefined ? { etaSeconds } : {}) };
  }
  if (message.kind === 'typing' && message.role !== actor.role) {
    const { kind: _kind, ...typing } = message;
    return { type: 'typing', ...typing };
  }
  return null;
}

/**
 * What a transport adapter (the WebSocket connection, a polling request) plugs into a
 * {@link Session}. The session decides what a principal may do; the port only carries frames.
 */
export interface SessionPort {
  /** Deliver one frame to the client. */
  send(frame: OutFrame): void;
  /**
   * Follow a conversation from `afterSeq` (already checked readable). WebSocket keeps a live
   * subscription; polling has none (the client long-polls `GET /api/poll/events`).
   */
  subscribe(actor: Actor, conversationId: string, afterSeq: number): Promise<void>;
  unsubscribe(conversationId: string): void;
  /**
   * Whether this connection follows the conversation live, so that an event appended to it
   * will reach the client over this connection, in seq order (WebSocket with a subscription).
   * Polling answers false: its reads are separate requests.
   */
  follows(conversationId: string): boolean;
  /** The session has its principal (after a successful hello). */
  welcomed(actor: Actor): void;
  /**
   * An agent said hello: count it in the desk's presence if this transport keeps a connection
   * (WebSocket) and answer the agent's status for `welcome`.
   */
  agentConnected(agent: AgentRef): AgentStatus;
  /** An agent was welcomed: start telling it about the queue and the roster. */
  agentJoined(): void;
  /** The token was refused: the adapter ends the session (WebSocket close 4003, HTTP 401). */
  unauthorized(): void;
}

const MAX_ERROR_MESSAGE = 1000;

/** Who the client said it was in `hello`, kept for `start` (a new conversation gets the same lang/context/topic/user). */
export type HelloInfo = NewConversationInput;

/** The lang, context, topic and user of a hello frame, without undefined fields. */
export function helloInfo(frame: Pick<HelloFrame, 'lang' | 'context' | 'topic' | 'user'>): HelloInfo {
  return {
    ...(frame.lang ? { lang: frame.lang } : {}),
    ...(frame.context ? { context: frame.context } : {}),
    ...(frame.topic ? { topic: frame.topic } : {}),
    ...(frame.user ? { user: frame.user } : {}),
  };
}

/**
 * One client session, transport-independent: hello establishes the principal (visitor or
 * agent), then every frame is authorised through the conversation service and answered
 * through the port. The WebSocket gateway runs one per connection; the polling endpoints
 * run one per request, with the principal taken from the bearer token.
 */
export class Session {
  actor: Actor | null = null;
  hello: HelloInfo = {};

  constructor(
    private readonly env: SessionEnv,
    private readonly port: SessionPort,
  ) {}

  error(code: ErrorCode, message: string, id?: string): void {
    const text = message.length > MAX_ERROR_MESSAGE ? message.slice(0, MAX_ERROR_MESSAGE - 1) + '…' : message;
    this.port.send({ type: 'error', code, message: text, ...(id !== undefined ? { id } : {}) });
  }

  /** Turn a thrown error into an error frame; only RelayErrors say more than `internal`. */
  fail(error: unknown, id?: string): void {
    if (error instanceof RelayError) {
      this.error(error.code, error.message, id);
      if (error.code === ErrorCode.Unauthorized) this.port.unauthorized();
      return;
    }
    this.env.log.error({ err: error }, 'frame handler failed');
    this.error(ErrorCode.Internal, 'the relay failed; the frame may be resent', id);
  }

  /** Decode and validate one raw frame: the frame, or the failure's code after telling the client. */
  decode(raw: string): ClientFrame | ErrorCode {
    const decoded = decodeClientFrame(raw);
    if (decoded.ok) return decoded.frame;
    this.error(decoded.code, decoded.message, decoded.id);
    return decoded.code;
  }

  /** Decode, validate and handle one raw frame. Never throws. Returns the decode failure code, if any. */
  async handleRaw(raw: string): Promise<ErrorCode | null> {
    const frame = this.decode(raw);
    if (typeof frame === 'string') return frame;
    await this.handle(frame);
    return null;
  }

  /** Handle one valid frame. Never rejects: failures become error frames. */
  handle(frame: ClientFrame): Promise<void> {
    // A message is nearly every frame a busy relay sees: it takes a short path of its own, one
    // small async function rather than the switch below inside a try (each async call and
    // await is an object the relay allocates per message; bench/transport.bench.mjs).
    if (frame.type === 'send' && this.actor) return this.#send(this.actor, frame);
    return this.#handleOther(frame);
  }

  async #handleOther(frame: ClientFrame): Promise<void> {
    try {
      await this.#dispatch(frame);
    } catch (error) {
      this.fail(error, 'id' in frame ? frame.id : undefined);
    }
  }

  /**
   * A message is confirmed once stored. A connection that follows the conversation gets the
   * message's own event, in seq order and carrying the client id, and that event is the
   * confirmation: no ack frame, so one frame per message reaches the sender instead of two.
   * Everyone else gets an ack: polling, a sender not subscribed, and a duplicate (its event
   * may have been delivered before). If the bus did not take the event, the ack goes out
   * after all.
   */
  async #send(actor: Actor, frame: SendFrame): Promise<void> {
    const { port } = this;
    let unacked: number | undefined;
    try {
      const { published } = await this.env.service.send(actor, frame.conversationId, frame.id, frame.text, (event, duplicate) => {
        if (duplicate || !port.follows(frame.conversationId)) port.send(ackFrame(frame, event.seq));
        else unacked = event.seq;
      });
      if (unacked !== undefined && !published) port.send(ackFrame(frame, unacked));
    } catch (error) {
      this.fail(error, frame.id);
    }
  }

  async #dispatch(frame: ClientFrame): Promise<void> {
    if (frame.type === 'hello') return this.#onHello(frame);
    const actor = this.actor;
    if (!actor) {
      this.error(ErrorCode.NotReady, 'say hello first', 'id' in frame ? frame.id : undefined);
      return;
    }
    const { service } = this.env;
    const { port } = this;
    switch (frame.type) {
      case 'ping':
        port.send({ type: 'pong', serverTime: this.env.now(), ...(frame.id !== undefined ? { id: frame.id } : {}) });
        return;
      case 'subscribe':
        // Checked before anything is subscribed: a refused subscribe leaves no trace.
        await service.readable(actor, frame.conversationId);
        await port.subscribe(actor, frame.conversationId, frame.afterSeq);
        break;
      case 'unsubscribe':
        port.unsubscribe(frame.conversationId);
        break;
      case 'send':
        // Only before hello (answered above); see #send.
        return;
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
          ...this.hello,
          ...(frame.topic !== undefined ? { topic: frame.topic } : {}),
          ...(frame.lang !== undefined ? { lang: frame.lang } : {}),
        });
        port.send({ type: 'conversation', conversation, ...(frame.id !== undefined ? { id: frame.id } : {}) });
        return;
      }
      case 'prechat': {
        const conversation = await service.prechat(actor, frame.conversationId, {
          ...(frame.topic !== undefined ? { topic: frame.topic } : {}),
          ...(frame.lang !== undefined ? { lang: frame.lang } : {}),
          ...(frame.email !== undefined ? { email: frame.email } : {}),
        });
        port.send({ type: 'conversation', conversation });
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
        port.send({ type: 'ack', id: frame.id, conversationId: frame.conversationId, seq: event.seq });
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
        if (frame.id !== undefined) port.send({ type: 'ack', id: frame.id });
        return;
      case 'rate': {
        const conversation = await service.rate(actor, frame.conversationId, {
          score: frame.score,
          ...(frame.comment !== undefined ? { comment: frame.comment } : {}),
        });
        port.send({ type: 'conversation', conversation });
        break;
      }
      case 'emailTranscript':
        await this.#emailTranscript(actor, frame.conversationId, frame.email);
        break;
    }
    if (frame.id !== undefined) port.send({ type: 'ack', id: frame.id, conversationId: frame.conversationId });
  }

  async #emailTranscript(actor: Actor, conversationId: string, to: string): Promise<void> {
    if (actor.role !== 'visitor') throw new RelayError(ErrorCode.Forbidden, 'visitors ask for their own transcript');
    const { tickets, transcripts } = this.env;
    if (!tickets.canMail) throw new RelayError(ErrorCode.Unavailable, 'this desk does not send e-mail');
    const { conversation, events } = await this.env.service.allEvents(actor, conversationId);
    transcripts.take(conversationId);
    try {
      await tickets.mailTranscript(to, conversation, events);
    } catch (error) {
      this.env.log.error({ err: error, conversationId }, 'transcript e-mail failed');
      throw new RelayError(ErrorCode.Unavailable, 'the e-mail could not be sent; try again later');
    }
  }

  async #onHello(frame: HelloFrame): Promise<void> {
    if (this.actor) {
      this.error(ErrorCode.BadFrame, 'hello was already answered');
      return;
    }
    const { service } = this.env;
    this.hello = helloInfo(frame);
    if (frame.role === 'visitor') {
      const hello = await service.visitorHello({ ...this.hello, ...(frame.token !== undefined ? { token: frame.token } : {}) });
      this.actor = hello.actor;
      this.port.welcomed(hello.actor);
      this.port.send({ type: 'welcome', role: 'visitor', visitor: hello.visitor, conversation: hello.conversation, serverTime: this.env.now() });
      return;
    }
    if (frame.token === undefined) throw new RelayError(ErrorCode.Unauthorized, 'agents need a token from POST /api/agent/login');
    const actor = await service.agentFromToken(frame.token);
    this.actor = actor;
    this.port.welcomed(actor);
    const status = this.port.agentConnected(actor.agent);
    this.port.send({ type: 'welcome', role: 'agent', agent: actor.agent, desk: this.env.desk.agentDesk(), status, serverTime: this.env.now() });
    this.port.agentJoined();
  }
}

/** The ack of a stored message. */
function ackFrame(frame: SendFrame, seq: number): OutFrame {
  return { type: 'ack', id: frame.id, conversationId: frame.conversationId, seq };
}

/** The roster frame every agent gets, bounded to what one frame may carry. */
export function rosterFrame(desk: Desk): OutFrame & { type: 'roster' } {
  return { type: 'roster', agents: desk.roster().slice(0, LIMITS.maxRosterItems) };
}

/** The queue an agent sees, bounded to what one frame may carry. */
export async function queueFrame(service: ConversationService, actor: Actor): Promise<OutFrame & { type: 'queue' }> {
  const conversations = await service.queue(actor);
  return { type: 'queue', conversations: conversations.slice(0, LIMITS.maxQueueItems) };
}
