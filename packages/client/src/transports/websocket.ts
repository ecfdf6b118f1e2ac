import type { TransportFactory } from '../types.js';
import { relayWebSocketUrl } from '../url.js';

/** Options of {@link websocketTransport}. */
export interface WebSocketTransportOptions {
  /**
   * The WebSocket constructor. On Node pass the `ws` package's `WebSocket`.
   * @default globalThis.WebSocket
   */
  WebSocket?: typeof WebSocket;
  /** The relay's WebSocket path, appended after any path prefix of the relay URL. @default '/ws' */
  path?: string;
}

/**
 * The WebSocket transport: opens `ws(s)://<relay host>[/prefix]/ws` once and reports what
 * happens; the client owns reconnecting.
 *
 * @example
 * import { WebSocket } from 'ws';
 * const chat = createVisitorClient({ relay: 'http://localhost:8787', transport: websocketTransport({ WebSocket }) });
 */
export function websocketTransport(options: WebSocketTransportOptions = {}): TransportFactory {
  return (relay, handlers) => {
    const Ctor = options.WebSocket ?? (globalThis as { WebSocket?: typeof WebSocket }).WebSocket;
    if (!Ctor) throw new TypeError('no WebSocket available: pass the WebSocket option (e.g. from the ws package)');
    const ws = new Ctor(relayWebSocketUrl(relay, options.path));
    let closed = false;
    ws.onopen = () => handlers.onOpen();
    // Frames are JSON text. Anything else (a binary frame) is passed on as text so the
    // client's decoder rejects it and reports it, rather than it vanishing here.
    ws.onmessage = (e: MessageEvent) => handlers.onFrame(typeof e.data === 'string' ? e.data : String(e.data));
    // `error` is always followed by `close`, which carries the code; report only that, once.
    // The handler must exist all the same: Node's `ws` emits 'error' as an EventEmitter event,
    // which throws (an uncaught exception) when nobody listens, e.g. on a refused reconnect.
    ws.onerror = () => {};
    ws.onclose = (e: CloseEvent) => {
      if (closed) return;
      closed = true;
      handlers.onClose({ code: e.code, reason: e.reason });
    };
    return {
      send: (raw) => ws.send(raw),
      close: (code, reason) => {
        try {
          ws.close(code, reason);
        } catch {
          // close() throws on codes outside 1000/3000-4999; the socket is abandoned either way.
          ws.close();
        }
      },
    };
  };
}
