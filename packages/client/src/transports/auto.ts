import { isTerminalClose } from '@parley/protocol';
import type { TransportConnection, TransportFactory, TransportHandlers } from '../types.js';
import { closeQuietly } from '../quiet.js';
import type { TransportTimers } from './polling.js';

/** Options of {@link autoTransport}. */
export interface AutoTransportOptions {
  /** Tried first. */
  websocket: TransportFactory;
  /** Used when the WebSocket cannot open or is cut before the relay's welcome. */
  polling: TransportFactory;
  /** While on polling, try the WebSocket again after this long, in ms. @default 60000 */
  retryWebSocketMs?: number;
  /** Each failed retry doubles the wait, up to this, in ms. @default 600000 */
  maxRetryWebSocketMs?: number;
  /**
   * A WebSocket that has not brought the relay's welcome after this long, in ms, counts as
   * failed (a proxy that holds the upgrade forever never reports close). @default 10000
   */
  webSocketTimeoutMs?: number;
  /** @default globalThis.setTimeout / clearTimeout */
  timers?: TransportTimers;
}

/**
 * The defaults of {@link AutoTransportOptions}.
 *
 * @example
 * autoTransport({ websocket, polling, retryWebSocketMs: autoDefaults.retryWebSocketMs / 2 });
 */
export const autoDefaults = { retryWebSocketMs: 60_000, maxRetryWebSocketMs: 600_000, webSocketTimeoutMs: 10_000 } as const;

/**
 * WebSocket first, long-polling when it does not work. Within one connection attempt: when
 * the socket fails or is cut before the relay's `welcome` (a proxy that refuses the upgrade,
 * or passes it and then kills the stream, or brings no welcome within `webSocketTimeoutMs`),
 * the same attempt continues over polling (the client sees a second `onOpen` and says hello
 * again), so the visitor sees only a short delay. Once polling works it stays the choice;
 * every `retryWebSocketMs` (doubling after each failure) a probe socket is opened, and when
 * it opens the polling connection is closed so the next attempt is a WebSocket again. The
 * client resubscribes from its last seq and resends unacked messages, so nothing is lost or
 * doubled.
 *
 * @example
 * const transport = autoTransport({ websocket: websocketTransport(), polling: pollingTransport(), retryWebSocketMs: 30_000 });
 * createVisitorClient({ relay, transport });
 */
export function autoTransport(options: AutoTransportOptions): TransportFactory {
  const { websocket, polling } = options;
  const firstRetry = options.retryWebSocketMs ?? autoDefaults.retryWebSocketMs;
  const maxRetry = options.maxRetryWebSocketMs ?? autoDefaults.maxRetryWebSocketMs;
  const wsTimeoutMs = options.webSocketTimeoutMs ?? autoDefaults.webSocketTimeoutMs;
  // Called as methods of `globalThis` by default: browsers refuse `setTimeout` with another `this`.
  const timers: TransportTimers = options.timers ?? globalThis;
  // Shared by every attempt of one client: which transport works here.
  let onPolling = false;
  let retryMs = firstRetry;
  // Set when a probe moved us back: if that WebSocket then fails anyway, wait longer next time.
  let movedBack = false;
  const backOff = () => (retryMs = Math.min(retryMs * 2, maxRetry));

  return (relay, handlers) => {
    let current: TransportConnection | null = null;
    let generation = 0;
    let welcomed = false;
    let done = false;
    let timer: unknown;
    let probe: TransportConnection | null = null;

    const finish = (code: number, reason: string) => {
      if (done) return;
      done = true;
      timers.clearTimeout(timer);
      const c = current;
      const p = probe;
      // Cleared first, so their late callbacks find nothing to act on.
      current = probe = null;
      generation++;
      closeQuietly(p);
      closeQuietly(c);
      handlers.onClose({ code, reason });
    };

    /** While on polling: test whether a WebSocket opens now; if it does, move back to it. */
    const scheduleProbe = () => {
      timer = timers.setTimeout(() => {
        const failed = () => {
          probe = null;
          backOff();
          scheduleProbe();
        };
        try {
          probe = websocket(relay, {
            onOpen() {
              onPolling = false;
              movedBack = true;
              // End this polling connection: the client reconnects at once, now over the
              // WebSocket, resubscribing from its last seq and resending what is unacked.
              finish(1000, 'moving to WebSocket');
            },
            onFrame() {},
            onClose: () => probe && failed(),
          });
        } catch {
          failed();
        }
      }, retryMs);
    };

    const start = (ws: boolean): void => {
      const my = ++generation;
      const fallBack = () => {
        if (movedBack) backOff();
        movedBack = false;
        const dead = current;
        start(false);
        closeQuietly(dead);
      };
      timers.clearTimeout(timer);
      // A proxy that holds the upgrade forever never reports close: bound the wait.
      if (ws) timer = timers.setTimeout(() => my === generation && fallBack(), wsTimeoutMs);
      const wrapped: TransportHandlers = {
        // Forwarded each time: after a fallback within the attempt the client says hello
        // again, now over polling (its connection manager sends hello on every open).
        onOpen: () => my === generation && handlers.onOpen(),
        onFrame(raw) {
          if (my !== generation) return;
          if (!welcomed && raw.includes('"type":"welcome"')) {
            welcomed = true;
            timers.clearTimeout(timer);
            if (ws) {
              retryMs = firstRetry;
              movedBack = false;
            } else {
              onPolling = true;
              scheduleProbe();
            }
          }
          handlers.onFrame(raw);
        },
        onClose(info) {
          if (my !== generation) return;
          // Never usable (and not a refusal that polling would get too): go on over polling.
          if (ws && !welcomed && !isTerminalClose(info.code)) fallBack();
          else finish(info.code, info.reason);
        },
      };
      try {
        const c = (ws ? websocket : polling)(relay, wrapped);
        // A transport that reported close synchronously has already been replaced.
        if (my === generation) current = c;
      } catch (error) {
        // No WebSocket on this platform (or a URL it refuses): polling it is.
        if (!ws) throw error;
        start(false);
      }
    };

    start(!onPolling);

    return {
      send(raw) {
        if (!current) throw new Error('closed');
        current.send(raw);
      },
      close: (code = 1000, reason = '') => finish(code, reason),
    };
  };
}
