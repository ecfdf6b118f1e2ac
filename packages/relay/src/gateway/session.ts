import {
  ErrorCode,
  LIMITS,
  decodeClientFrame,
  type ClientFrame,
  type HelloFrame,
  type ServerFrame,
  type Unversioned,
  type VisitorContext,
} from '@parley/protocol';
import type { Bus } from '../bus/index.js';
import type { Actor, ConversationService } from '../conversations/index.js';
import { RelayError } from '../errors.js';
import type { Logger } from '../logger.js';

/** A frame as the relay builds it; `encode` adds the version. */
export type OutFrame = Unversioned<ServerFrame>;

/** What every session needs from the relay, whichever transport carries it. */
export interface SessionEnv {
  service: ConversationService;
  bus: Bus;
  log: Logger;
  now: () => number;
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
  /** The session has its principal (after a successful hello). */
  welcomed(actor: Actor): void;
  /** An agent said hello: start telling it about the queue. */
  agentJoined(): void;
  /** The token was refused: the adapter ends the session (WebSocket close 4003, HTTP 401). */
  unauthorized(): void;
}

const MAX_ERROR_MESSAGE = 1000;

/** Who the client said it was in `hello`, kept for `start` (a new conversation gets the same lang/context). */
export interface HelloInfo {
  lang?: string;
  context?: VisitorContext;
}

/** The lang and context of a hello frame, without undefined fields. */
export function helloInfo(frame: Pick<HelloFrame, 'lang' | 'context'>): HelloInfo {
  return { ...(frame.lang ? { lang: frame.lang } : {}), ...(frame.context ? { context: frame.context } : {}) };
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

  /** Decode, validate and handle one raw frame. Never throws. Returns the decode failure code, if any. */
  async handleRaw(raw: string): Promise<ErrorCode | null> {
    const decoded = decodeClientFrame(raw);
    if (!decoded.ok) {
      this.error(decoded.code, decoded.message, decoded.id);
      return decoded.code;
    }
    await this.handle(decoded.frame);
    return null;
  }

  /** Handle one valid frame. Never throws: failures become error frames. */
  async handle(frame: ClientFrame): Promise<void> {
    try {
      await this.#dispatch(frame);
    } catch (error) {
      this.fail(error, 'id' in frame ? frame.id : undefined);
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
      case 'send': {
        const { event } = await service.send(actor, frame.conversationId, frame.id, frame.text);
        port.send({ type: 'ack', id: frame.id, conversationId: frame.conversationId, seq: event.seq });
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
        const conversation = await service.start(actor, this.hello);
        port.send({ type: 'conversation', conversation, ...(frame.id !== undefined ? { id: frame.id } : {}) });
        return;
      }
    }
    if (frame.id !== undefined) port.send({ type: 'ack', id: frame.id, conversationId: frame.conversationId });
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
    this.port.send({ type: 'welcome', role: 'agent', agent: actor.agent, serverTime: this.env.now() });
    this.port.agentJoined();
  }
}

/** The queue an agent sees, bounded to what one frame may carry. */
export async function queueFrame(service: ConversationService, actor: Actor): Promise<OutFrame & { type: 'queue' }> {
  const conversations = await service.queue(actor);
  return { type: 'queue', conversations: conversations.slice(0, LIMITS.maxQueueItems) };
}
