import {
  decodeServerFrame,
  encode,
  type ClientFrame,
  type HelloFrame,
  type ServerFrame,
  type Unversioned,
  type WelcomeFrame,
} from '@parley/protocol';
import { WebSocket } from 'ws';

/** A raw protocol client for tests: every frame the relay sends is validated against the schema. */
export interface TestSocket {
  ws: WebSocket;
  /** Every frame received so far, in order. */
  readonly frames: ServerFrame[];
  send(frame: Unversioned<ClientFrame>): void;
  sendRaw(text: string | Buffer): void;
  /** The first not-yet-taken frame matching `pred` (already received or arriving within `timeoutMs`). */
  next<F extends ServerFrame = ServerFrame>(pred: (f: ServerFrame) => boolean, timeoutMs?: number): Promise<F>;
  /** Resolves if no frame matching `pred` arrives within `ms`; rejects if one does. */
  none(pred: (f: ServerFrame) => boolean, ms?: number): Promise<void>;
  /** Resolves with the close code and reason once the socket closed. */
  readonly closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

interface Waiter {
  pred: (f: ServerFrame) => boolean;
  resolve: (f: ServerFrame) => void;
}

/** The WebSocket URL of a relay base URL. */
export const wsUrl = (relayUrl: string) => relayUrl.replace(/^http/, 'ws') + '/ws';

/**
 * Open a raw WebSocket to the relay and collect its frames.
 *
 * @example
 * const s = await connect(relay.url);
 * s.send({ type: 'hello', role: 'visitor' });
 * const welcome = await s.next((f) => f.type === 'welcome');
 */
export async function connect(relayUrl: string): Promise<TestSocket> {
  const ws = new WebSocket(wsUrl(relayUrl));
  const entries: { frame: ServerFrame; taken: boolean }[] = [];
  const waiters: Waiter[] = [];
  const invalid: string[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  ws.on('error', () => {});
  ws.on('message', (data) => {
    const raw = String(data);
    const decoded = decodeServerFrame(raw);
    if (!decoded.ok) {
      invalid.push(`${decoded.message}: ${raw.slice(0, 200)}`);
      return;
    }
    const entry = { frame: decoded.frame, taken: false };
    entries.push(entry);
    const i = waiters.findIndex((w) => w.pred(entry.frame));
    if (i >= 0) {
      entry.taken = true;
      waiters.splice(i, 1)[0]!.resolve(entry.frame);
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const assertValid = () => {
    if (invalid.length) throw new Error(`relay sent frames that fail the protocol schema: ${invalid.join('; ')}`);
  };
  return {
    ws,
    get frames() {
      return entries.map((e) => e.frame);
    },
    send: (frame) => ws.send(encode(frame)),
    sendRaw: (text) => ws.send(text),
    next<F extends ServerFrame>(pred: (f: ServerFrame) => boolean, timeoutMs = 3000): Promise<F> {
      assertValid();
      const found = entries.find((e) => !e.taken && pred(e.frame));
      if (found) {
        found.taken = true;
        return Promise.resolve(found.frame as F);
      }
      return new Promise<F>((resolve, reject) => {
        const waiter: Waiter = {
          pred,
          resolve: (f) => {
            clearTimeout(timer);
            resolve(f as F);
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          const seen = entries.map((e) => JSON.stringify(e.frame).slice(0, 160)).join('\n  ');
          reject(new Error(`no matching frame within ${timeoutMs} ms; received:\n  ${seen}\n${invalid.join('\n')}`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    async none(pred, ms = 300) {
      await new Promise((r) => setTimeout(r, ms));
      assertValid();
      const hit = entries.find((e) => !e.taken && pred(e.frame));
      if (hit) throw new Error(`unexpected frame: ${JSON.stringify(hit.frame)}`);
    },
    closed,
    close: () => ws.close(),
  };
}

/** Frame predicates. */
export const is = {
  type:
    <T extends ServerFrame['type']>(type: T, extra: (f: Extract<ServerFrame, { type: T }>) => boolean = () => true) =>
    (f: ServerFrame) =>
      f.type === type && extra(f as Extract<ServerFrame, { type: T }>),
  error: (code: string, id?: string) => (f: ServerFrame) => f.type === 'error' && f.code === code && (id === undefined || f.id === id),
  ack: (id: string) => (f: ServerFrame) => f.type === 'ack' && f.id === id,
  /**
   * What answers a client frame with this id: its ack, its error, or for a `send` on a
   * connection that follows the conversation the message's own event (its clientId is the
   * id), which confirms it instead of an ack.
   */
  answer: (id: string) => (f: ServerFrame) =>
    ((f.type === 'ack' || f.type === 'error') && f.id === id) || (f.type === 'event' && f.event.kind === 'message' && f.event.clientId === id),
  event: (conversationId: string, extra: (e: Extract<ServerFrame, { type: 'event' }>['event']) => boolean = () => true) =>
    (f: ServerFrame) => f.type === 'event' && f.conversationId === conversationId && extra(f.event),
};

/**
 * A visitor connection that said hello and got its welcome.
 *
 * @example
 * const { socket, welcome } = await visitor(relay.url, { lang: 'en' });
 */
export async function visitor(
  relayUrl: string,
  hello: Partial<Pick<HelloFrame, 'token' | 'lang' | 'topic' | 'user' | 'context'>> = {},
): Promise<{ socket: TestSocket; welcome: WelcomeFrame; conversationId: string; token: string }> {
  const socket = await connect(relayUrl);
  socket.send({ type: 'hello', role: 'visitor', ...hello });
  const welcome = await socket.next<WelcomeFrame>(is.type('welcome'));
  return { socket, welcome, conversationId: welcome.conversation!.id, token: welcome.visitor!.token };
}

/** POST /api/agent/login. */
export function login(relayUrl: string, body: unknown): Promise<Response> {
  return fetch(`${relayUrl}/api/agent/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/**
 * An agent connection: logs in over HTTP, says hello, gets welcome and the first queue.
 *
 * @example
 * const { socket } = await agent(relay.url, 'demo', 'demo-password');
 */
export async function agent(relayUrl: string, username: string, password: string): Promise<{ socket: TestSocket; token: string; welcome: WelcomeFrame }> {
  const res = await login(relayUrl, { username, password });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const { token } = (await res.json()) as { token: string };
  const socket = await connect(relayUrl);
  socket.send({ type: 'hello', role: 'agent', token });
  const welcome = await socket.next<WelcomeFrame>(is.type('welcome'));
  await socket.next(is.type('queue'));
  return { socket, token, welcome };
}
