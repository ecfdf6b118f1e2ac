import type { TransportFactory } from '../types.js';
import { relayHttpUrl } from '../url.js';

/** Timers as the polling and auto transports use them (the client passes its own). */
export interface TransportTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Options of {@link pollingTransport}. */
export interface PollingTransportOptions {
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** The relay's polling path, appended after any path prefix of the relay URL. @default '/api/poll' */
  path?: string;
  /** @default globalThis.setTimeout / clearTimeout */
  timers?: TransportTimers;
  /**
   * Give up on any request after this long, in ms (the relay holds an events request at most
   * 25 s). A request that outlives it means the path is dead: the transport reports close 1006.
   * @default 40000
   */
  timeoutMs?: number;
}

/** A polling answer as the transport reads it (the client validates each frame). */
interface Answer {
  frames: { type?: unknown; conversationId?: unknown; event?: { seq?: unknown }; visitor?: { token?: unknown }; role?: unknown; position?: unknown }[];
  queue?: string;
  conversationId?: string;
}

/**
 * The HTTP long-polling transport, for networks that break WebSockets. It turns client
 * frames into requests and answers back into frames, so the client above works unchanged:
 * `hello` -> `POST /api/poll/hello`; other frames -> batched `POST /api/poll/send`
 * (bearer token); `subscribe` is kept here and followed with one held
 * `GET /api/poll/events?c=<id>:<lastSeq>` (visitors add `p=<id>:<position>`, the queue place
 * they know; agents add `queue=<version>`), re-issued from the
 * newest seq after every answer. Every request carries the token and cursors, so any relay
 * process can answer it (SPEC.md "Long-polling").
 *
 * @example
 * const chat = createVisitorClient({ relay: 'https://chat.example.com', transport: pollingTransport() });
 */
export function pollingTransport(options: PollingTransportOptions = {}): TransportFactory {
  return (relay, handlers) => {
    const doFetch = options.fetch ?? globalThis.fetch;
    if (typeof doFetch !== 'function') throw new TypeError('no fetch available: pass the fetch option');
    const base = relayHttpUrl(relay, options.path ?? '/api/poll');
    // Called as methods of `globalThis` by default: browsers refuse `setTimeout` with another `this`.
    const timers: TransportTimers = options.timers ?? globalThis;
    const timeoutMs = options.timeoutMs ?? 40_000;

    let token: string | undefined;
    let hello: { lang?: unknown; context?: unknown } = {};
    let closed = false;
    /** Followed conversations and the last seq this transport saw of each. */
    const subs = new Map<string, number>();
    /** Visitors: the queue position last seen per conversation, so the relay answers a changed one (`p=`). */
    const places = new Map<string, number>();
    /** Agents: the queue version last seen ('' = none yet); undefined for visitors. */
    let queue: string | undefined;
    let outbox: unknown[] = [];
    let sending = false;
    /** The held events request; replaced (and aborted) whenever what we follow changes. */
    let poll: AbortController | null = null;
    const inflight = new Set<AbortController>();

    const end = (code: number, reason: string) => {
      if (closed) return;
      closed = true;
      for (const c of inflight) c.abort();
      handlers.onClose({ code, reason });
    };

    /** One request; null when it failed (the transport is then ended) or was aborted by us. */
    const request = async (path: string, body: string | null, ctl = new AbortController()): Promise<Reply | null> => {
      inflight.add(ctl);
      const timer = timers.setTimeout(() => end(1006, 'request timed out'), timeoutMs);
      try {
        const headers: Record<string, string> = { 'Content-Type': 'text/plain' };
        if (token) headers.Authorization = `Bearer ${token}`;
        const res = await doFetch(base + path, { method: body === null ? 'GET' : 'POST', headers, body, signal: ctl.signal });
        const answer = (await res.json()) as Answer;
        if (!Array.isArray(answer?.frames)) throw 0;
        return ctl.signal.aborted || closed ? null : { status: res.status, answer };
      } catch {
        // A network error, a proxy's HTML page, or our own abort (a superseded poll, close).
        if (!ctl.signal.aborted) end(1006, 'request failed');
        return null;
      } finally {
        timers.clearTimeout(timer);
        inflight.delete(ctl);
      }
    };

    /** Hand an answer's frames to the client, learning the token and the agent role on the way. */
    const deliver = ({ status, answer }: Reply): boolean => {
      for (const f of answer.frames) {
        if (closed) break;
        if (f?.type === 'position' && typeof f.position === 'number') places.set(f.conversationId as string, f.position);
        if (f?.type === 'welcome') {
          if (typeof f.visitor?.token === 'string') token = f.visitor.token;
          if (f.role === 'agent') queue = '';
        }
        handlers.onFrame(JSON.stringify(f));
      }
      // 401: the token was refused, which a WebSocket says with close 4003; 5xx: retry with backoff.
      if (status === 401) end(4003, 'unauthorized');
      else if (status >= 500) end(1011, 'relay error');
      return !closed;
    };

    const follow = () => {
      poll?.abort();
      poll = null;
      if (!closed && (subs.size > 0 || queue !== undefined)) void loop();
    };

    async function loop(): Promise<void> {
      const ctl = (poll = new AbortController());
      const q = [...subs].map(([id, seq]) => `c=${encodeURIComponent(`${id}:${seq}`)}`);
      if (queue !== undefined) q.push(`queue=${encodeURIComponent(queue)}`);
      // 0: no place known yet (places start at 1).
      else for (const id of subs.keys()) q.push(`p=${encodeURIComponent(`${id}:${places.get(id) ?? 0}`)}`);
      const r = await request(`/events?${q.join('&')}`, null, ctl);
      if (!r || poll !== ctl) return;
      const { answer } = r;
      // 429: more held requests for this token than the relay allows (many tabs): wait, then retry.
      if (r.status === 429) return void timers.setTimeout(() => poll === ctl && follow(), 2000);
      // Refused for one conversation (403/404): stop following it, keep the others.
      if (answer.conversationId) subs.delete(answer.conversationId);
      for (const f of answer.frames) {
        const id = f.conversationId as string;
        const seq = f.event?.seq;
        if (f.type === 'event' && typeof seq === 'number' && seq > (subs.get(id) ?? Infinity)) subs.set(id, seq);
      }
      if (typeof answer.queue === 'string' && queue !== undefined) queue = answer.queue;
      if (deliver(r) && poll === ctl) follow();
    }

    const flush = async () => {
      if (sending || closed || outbox.length === 0) return;
      sending = true;
      const frames = outbox.splice(0, 50);
      // A new conversation keeps the hello's language and context, as on a WebSocket.
      const start = frames.some((f) => (f as { type?: unknown }).type === 'start');
      const r = await request('/send', JSON.stringify(start ? { frames, hello } : { frames }));
      sending = false;
      if (r && deliver(r)) void flush();
    };

    // HTTP needs no handshake: "open" at once (asynchronously, as a socket would); the client
    // then says hello.
    void Promise.resolve().then(() => closed || handlers.onOpen());

    return {
      send(raw) {
        if (closed) throw new Error('closed');
        const frame = JSON.parse(raw) as { type: string; token?: string; lang?: unknown; context?: unknown; id?: string; conversationId: string; afterSeq: number };
        const { type, conversationId } = frame;
        if (type === 'hello') {
          if (frame.token) token = frame.token;
          hello = { lang: frame.lang, context: frame.context };
          // The welcome usually makes the client subscribe (which starts following); an
          // agent with no transcript open still follows its queue.
          void request('/hello', raw).then((r) => r && deliver(r) && !poll && follow());
          return;
        }
        if (type === 'subscribe' || type === 'unsubscribe') {
          if (type === 'subscribe') subs.set(conversationId, frame.afterSeq);
          else subs.delete(conversationId);
          follow();
          // With an id the client wants an answer: the relay checks access and acks.
          if (frame.id === undefined) return;
        }
        outbox.push(frame);
        // Frames sent in the same tick (the resend after a reconnect) go as one batch.
        void Promise.resolve().then(flush);
      },
      close: (code = 1000, reason = '') => end(code, reason),
    };
  };
}

type Reply = { status: number; answer: Answer };
