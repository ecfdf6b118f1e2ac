/**
 * A fake relay for tests: speaks the real wire protocol (decodeClientFrame / encode),
 * numbers events, acks, replays after a seq, dedupes by client id, and has hooks to drop
 * the connection, go silent (half-open), delay frames, drop chosen frames and inject raw
 * ones. Frames travel asynchronously (one microtask per hop, or a timer when delayed) like
 * on a real network; `await relay.settle()` waits until nothing is in flight.
 *
 * Internal to the tests: not exported from the package.
 */
import {
  decodeClientFrame,
  encode,
  type AgentRef,
  type ClientFrame,
  type ConversationEvent,
  type ConversationSummary,
  type EventDraft,
  type ServerFrame,
  type Unversioned,
} from '@parley/protocol';
import type { TransportFactory, TransportHandlers } from '../types.js';

type Out = Unversioned<ServerFrame>;

export interface FakeConnection {
  readonly n: number;
  readonly url: string;
  open: boolean;
  closed: boolean;
  /** Half-open: nothing passes either way, and no close is reported. */
  silent: boolean;
  role?: 'visitor' | 'agent';
  visitorId?: string;
  agent?: AgentRef;
  subscriptions: Set<string>;
  handlers: TransportHandlers;
}

interface Conversation {
  summary: ConversationSummary;
  events: ConversationEvent[];
  visitorId: string;
  byClientId: Map<string, number>;
}

export interface FakeRelayOptions {
  /** Agent tokens the relay accepts. */
  agents?: Record<string, AgentRef>;
  /** The bot: answers visitor messages while the status is `bot`. Omit for a silent bot. */
  bot?: (text: string) => string | undefined;
  now?: () => number;
}

export class FakeRelay {
  /** Every valid frame clients sent, in arrival order (after the dropClientFrame hook). */
  readonly received: ClientFrame[] = [];
  /** The same frames with the connection each came on. */
  readonly log: { frame: ClientFrame; conn: FakeConnection }[] = [];
  readonly connections: FakeConnection[] = [];
  readonly conversations = new Map<string, Conversation>();
  readonly visitorTokens = new Map<string, string>(); // token -> visitor id
  /** Return true to drop a frame a client sent (as if lost), before the relay sees it. */
  dropClientFrame?: (frame: ClientFrame, conn: FakeConnection) => boolean;
  /** Return true to drop a frame the relay sends. */
  dropServerFrame?: (frame: Out, conn: FakeConnection) => boolean;
  /** Return true when the test handled the frame itself (e.g. answered with an error). */
  intercept?: (frame: ClientFrame, conn: FakeConnection) => boolean;
  /** Delay relay -> client frames by this many ms (through the, possibly fake, setTimeout). */
  delayMs = 0;
  /** New connections fail at once (close 1006 without opening). */
  refuse = false;
  private inflight = 0;
  private nextId = 1;
  private readonly now: () => number;

  constructor(private readonly options: FakeRelayOptions = {}) {
    this.now = options.now ?? (() => 1_700_000_000_000);
  }

  /** The TransportFactory a client under test uses to reach this relay. */
  readonly transport: TransportFactory = (url, handlers) => {
    const conn: FakeConnection = { n: this.connections.length + 1, url, open: false, closed: false, silent: false, subscriptions: new Set(), handlers };
    this.connections.push(conn);
    const refuse = this.refuse;
    this.hop(() => {
      if (conn.closed) return;
      if (refuse) return this.closeConn(conn, 1006, 'refused');
      conn.open = true;
      handlers.onOpen();
    });
    return {
      send: (raw) => {
        if (!conn.open) throw new Error('not open');
        if (conn.silent) return;
        this.hop(() => this.onClientRaw(conn, raw));
      },
      close: (code = 1000, reason = '') => {
        this.hop(() => this.closeConn(conn, code, reason));
      },
    };
  };

  /** The open (and not silent) connections. */
  get live(): FakeConnection[] {
    return this.connections.filter((c) => c.open && !c.silent);
  }

  /** Wait until no frame is in flight (delayed frames excepted: advance the timers for those). */
  async settle(): Promise<void> {
    for (let i = 0; i < 10_000; i++) {
      await Promise.resolve();
      if (this.inflight === 0) {
        // A few more turns for promise chains the delivered frames started.
        for (let j = 0; j < 5; j++) await Promise.resolve();
        if (this.inflight === 0) return;
      }
    }
    throw new Error('fake relay: frames still in flight after 10000 turns (a loop?)');
  }

  /** Close open connections from the relay side (all, or those `which` picks). */
  drop(code = 1006, reason = 'dropped', which: (c: FakeConnection) => boolean = () => true): void {
    for (const c of this.connections) if (c.open && which(c)) this.hop(() => this.closeConn(c, code, reason));
  }

  /** Every open connection goes half-open: frames vanish both ways, no close is reported. */
  blackhole(): void {
    for (const c of this.connections) if (c.open) c.silent = true;
  }

  /** Send raw text (valid or not) to every live connection. */
  inject(raw: string): void {
    for (const c of this.live) this.hop(() => c.handlers.onFrame(raw));
  }

  /** Send a frame to one connection (the last one by default). */
  sendTo(frame: Out, conn: FakeConnection | undefined = this.live.at(-1)): void {
    if (conn) this.deliver(conn, frame);
  }

  /** Append an event to a conversation as the relay would (numbered, published). */
  append(conversationId: string, draft: EventDraft): ConversationEvent {
    const conv = this.conversations.get(conversationId);
    if (!conv) throw new Error(`no conversation ${conversationId}`);
    const event = { ...draft, seq: conv.events.length + 1, at: this.now() } as ConversationEvent;
    conv.events.push(event);
    conv.summary = { ...conv.summary, lastSeq: event.seq, updatedAt: event.at };
    if (event.kind === 'status') {
      conv.summary.status = event.status;
      if (event.agent) conv.summary.agent = event.agent;
      else delete conv.summary.agent;
    } else {
      conv.summary.preview = event.text.slice(0, 200);
      if (event.clientId) conv.byClientId.set(event.clientId, event.seq);
    }
    for (const c of this.connections) {
      if (c.open && c.subscriptions.has(conversationId)) this.deliver(c, { type: 'event', conversationId, event });
    }
    if (event.kind === 'status') this.pushQueue();
    return event;
  }

  /** Create a conversation for a visitor, as `hello`/`start` do. */
  createConversation(visitorId: string): Conversation {
    const id = `c${this.nextId++}`;
    const t = this.now();
    const conv: Conversation = { summary: { id, status: 'bot', createdAt: t, updatedAt: t, lastSeq: 0 }, events: [], visitorId, byClientId: new Map() };
    this.conversations.set(id, conv);
    return conv;
  }

  /** Messages of a conversation, as the relay stored them. */
  texts(conversationId: string): string[] {
    return (this.conversations.get(conversationId)?.events ?? []).flatMap((e) => (e.kind === 'message' ? [e.text] : []));
  }

  // ------------------------------------------------------------------ internals

  private hop(fn: () => void): void {
    this.inflight++;
    void Promise.resolve().then(() => {
      this.inflight--;
      fn();
    });
  }

  private deliver(conn: FakeConnection, frame: Out): void {
    if (this.dropServerFrame?.(frame, conn)) return;
    const raw = encode(frame);
    const go = () => {
      if (conn.open && !conn.silent) conn.handlers.onFrame(raw);
    };
    if (this.delayMs > 0) setTimeout(() => this.hop(go), this.delayMs);
    else this.hop(go);
  }

  private closeConn(conn: FakeConnection, code: number, reason: string): void {
    // Like WebSocket `close`: reported once, whoever closed and whether it ever opened.
    if (conn.closed) return;
    conn.closed = true;
    conn.open = false;
    conn.handlers.onClose({ code, reason });
  }

  private error(conn: FakeConnection, code: string, message: string, id?: string): void {
    this.deliver(conn, id === undefined ? { type: 'error', code, message } : { type: 'error', id, code, message });
  }

  private pushQueue(): void {
    const conversations = [...this.conversations.values()]
      .map((c) => c.summary)
      .filter((s) => s.status === 'waiting' || s.status === 'active');
    for (const c of this.connections) if (c.open && c.role === 'agent') this.deliver(c, { type: 'queue', conversations });
  }

  private onClientRaw(conn: FakeConnection, raw: string): void {
    if (!conn.open || conn.silent) return;
    const d = decodeClientFrame(raw);
    if (!d.ok) return this.error(conn, d.code, d.message, d.id);
    const f = d.frame;
    if (this.dropClientFrame?.(f, conn)) return;
    this.received.push(f);
    this.log.push({ frame: f, conn });
    if (this.intercept?.(f, conn)) return;
    if (f.type === 'ping') return this.deliver(conn, { type: 'pong', serverTime: this.now(), ...(f.id ? { id: f.id } : {}) });
    if (f.type === 'hello') return this.hello(conn, f);
    if (!conn.role) return this.error(conn, 'not_ready', 'say hello first', 'id' in f ? f.id : undefined);
    if (f.type === 'start') {
      if (conn.role !== 'visitor') return this.error(conn, 'forbidden', 'visitors only', f.id);
      const conv = this.createConversation(conn.visitorId!);
      return this.deliver(conn, { type: 'conversation', conversation: conv.summary, ...(f.id ? { id: f.id } : {}) });
    }
    if (f.type === 'agentStatus') {
      if (f.id) this.deliver(conn, { type: 'ack', id: f.id });
      return;
    }
    const conv = this.conversations.get(f.conversationId);
    if (!conv) return this.error(conn, 'not_found', 'no such conversation', f.id);
    if (conn.role === 'visitor' && conv.visitorId !== conn.visitorId) return this.error(conn, 'forbidden', 'not yours', f.id);
    const ack = () => {
      if (f.id) this.deliver(conn, { type: 'ack', id: f.id, conversationId: f.conversationId });
    };
    switch (f.type) {
      case 'subscribe': {
        conn.subscriptions.add(f.conversationId);
        for (const event of conv.events) if (event.seq > f.afterSeq) this.deliver(conn, { type: 'event', conversationId: f.conversationId, event });
        return ack();
      }
      case 'unsubscribe':
        conn.subscriptions.delete(f.conversationId);
        return ack();
      case 'send': {
        const seen = conv.byClientId.get(f.id);
        if (seen !== undefined) return this.deliver(conn, { type: 'ack', id: f.id, conversationId: f.conversationId, seq: seen });
        if (conv.summary.status === 'closed') return this.error(conn, 'closed', 'the conversation is closed', f.id);
        const author = conn.role === 'agent' ? { role: 'agent' as const, id: conn.agent!.id, name: conn.agent!.name } : { role: 'visitor' as const, id: conn.visitorId! };
        // Like the relay: a sender that follows the conversation learns from the message's own
        // event (published next); any other sender gets an ack first.
        const seq = conv.events.length + 1;
        if (!conn.subscriptions.has(f.conversationId)) this.deliver(conn, { type: 'ack', id: f.id, conversationId: f.conversationId, seq });
        this.append(f.conversationId, { kind: 'message', author, text: f.text, clientId: f.id });
        if (conn.role === 'visitor' && conv.summary.status === 'bot') {
          const answer = this.options.bot?.(f.text);
          if (answer) this.append(f.conversationId, { kind: 'message', author: { role: 'bot' }, text: answer });
        }
        return;
      }
      case 'handoff':
        if (conn.role !== 'visitor') return this.error(conn, 'forbidden', 'visitors only', f.id);
        if (conv.summary.status !== 'bot') return this.error(conn, 'conflict', `conversation is ${conv.summary.status}`, f.id);
        this.append(f.conversationId, { kind: 'status', status: 'waiting', by: 'visitor' });
        return ack();
      case 'take':
        if (conn.role !== 'agent') return this.error(conn, 'forbidden', 'agents only', f.id);
        if (conv.summary.status !== 'waiting') return this.error(conn, 'conflict', 'already taken', f.id);
        this.append(f.conversationId, { kind: 'status', status: 'active', agent: conn.agent!, by: 'agent' });
        return ack();
      case 'close':
        if (conv.summary.status === 'closed') return this.error(conn, 'closed', 'already closed', f.id);
        this.append(f.conversationId, { kind: 'status', status: 'closed', by: conn.role });
        return ack();
      default:
        // The desk frames (prechat, typing, note, transfer, rate, emailTranscript): accepted, not modelled.
        return ack();
    }
  }

  private hello(conn: FakeConnection, f: Extract<ClientFrame, { type: 'hello' }>): void {
    if (conn.role) return this.error(conn, 'bad_frame', 'hello twice');
    if (f.role === 'agent') {
      const agent = f.token ? this.options.agents?.[f.token] : undefined;
      if (!agent) {
        this.error(conn, 'unauthorized', 'unknown agent token');
        return this.hop(() => this.closeConn(conn, 4003, 'unauthorized'));
      }
      conn.role = 'agent';
      conn.agent = agent;
      this.deliver(conn, { type: 'welcome', role: 'agent', agent, serverTime: this.now() });
      return this.pushQueue();
    }
    let token = f.token;
    let visitorId = token ? this.visitorTokens.get(token) : undefined;
    if (token && !visitorId) {
      this.error(conn, 'unauthorized', 'unknown visitor token');
      return this.hop(() => this.closeConn(conn, 4003, 'unauthorized'));
    }
    if (!token || !visitorId) {
      visitorId = `v${this.nextId++}`;
      token = `token-${visitorId}-${'x'.repeat(16)}`;
      this.visitorTokens.set(token, visitorId);
    }
    conn.role = 'visitor';
    conn.visitorId = visitorId;
    const open = [...this.conversations.values()].find((c) => c.visitorId === visitorId && c.summary.status !== 'closed');
    const conv = open ?? this.createConversation(visitorId);
    this.deliver(conn, { type: 'welcome', role: 'visitor', visitor: { id: visitorId, token }, conversation: conv.summary, serverTime: this.now() });
  }
}
