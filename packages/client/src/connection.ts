import { signal, type ReadonlySignal, type Signal } from '@preact/signals-core';
import {
  CloseCode,
  encode,
  isTerminalClose,
  type ClientFrame,
  type Decoded,
  type HelloFrame,
  type ServerFrame,
  type Unversioned,
  type WelcomeFrame,
} from '@parley/protocol';
import { backoffDelay, type BackoffOptions } from './backoff.js';
import { closeQuietly } from './quiet.js';
import type { Platform, TimerHandle } from './platform.js';
import type { ClientError, ConnectionState, NetworkEvents, TransportConnection, TransportFactory } from './types.js';

/** Keep-alive timing. */
export interface HeartbeatOptions {
  /**
   * Send `ping` at most this long apart once the session is up, in ms; each wait is drawn
   * from 80-100 % of it, so clients that connected together (a page of tabs, a relay restart,
   * a load test) do not ping the relay in one burst every period. @default 25000
   */
  pingEveryMs?: number;
  /**
   * Declare the connection dead when nothing at all arrived for this long, in ms. A
   * half-open TCP connection (laptop lid closed, NAT entry expired) never reports `close`;
   * this bounds how long the client can believe such a connection is alive.
   * @default 60000
   */
  deadAfterMs?: number;
}

/**
 * The defaults of {@link HeartbeatOptions}; the relay closes a connection silent for 60 s.
 *
 * @example
 * createVisitorClient({ relay, heartbeat: { ...heartbeatDefaults, deadAfterMs: 30_000 } });
 */
export const heartbeatDefaults = { pingEveryMs: 25_000, deadAfterMs: 60_000 } as const satisfies Required<HeartbeatOptions>;

/** @internal What the visitor and agent clients plug into the shared connection manager. */
export interface ConnectionOptions {
  relay: string;
  transport: TransportFactory;
  platform: Platform;
  guard: (fn: () => void) => void;
  /**
   * Validates one relay frame: `decodeServerFrame` for agents, `decodeVisitorFrame` for
   * visitors (only the frames a visitor can get, so the widget skips the agent schemas).
   */
  decode(raw: unknown): Decoded<ServerFrame>;
  /** Built at every attempt, so a token change (or a forgotten token) applies to the next hello. */
  hello(): Unversioned<HelloFrame>;
  /** The session is up: resubscribe, resend. Runs in the same batch as `state = 'online'`. */
  onWelcome(frame: WelcomeFrame): void;
  /** Every valid frame except `welcome` and `pong`. */
  onFrame(frame: ServerFrame): void;
  /** The connection is gone, for any reason: fail what waited for an answer on it. */
  onDown(): void;
  /** A terminal close (4001, 4003). Return true to retry at once (the visitor dropped its token). */
  onTerminalClose(code: number, reason: string): boolean;
  events: NetworkEvents | null;
  heartbeat?: HeartbeatOptions | undefined;
  backoff?: BackoffOptions | undefined;
  onProtocolError?: ((error: ClientError) => void) | undefined;
}

/** @internal */
export interface Connection {
  readonly state: ReadonlySignal<ConnectionState>;
  readonly lastError: Signal<ClientError | null>;
  /** True between `welcome` and the connection going away. */
  readonly ready: boolean;
  connect(): void;
  disconnect(): void;
  /** Send now if the session is up; false when not (the caller keeps or drops the frame). */
  send(frame: Unversioned<ClientFrame>): boolean;
}

/**
 * @internal The connection manager shared by the visitor and agent clients: one attempt at
 * a time, hello -> welcome, heartbeat, backoff between attempts, terminal close codes stop
 * it, the browser's online/offline events steer it.
 *
 * Every attempt has a generation number; callbacks of an abandoned attempt (a transport
 * that reports `close` late after we gave up on it) are ignored by comparing it.
 */
export function createConnection(o: ConnectionOptions): Connection {
  const { platform, guard } = o;
  const pingEveryMs = o.heartbeat?.pingEveryMs ?? heartbeatDefaults.pingEveryMs;
  const deadAfterMs = o.heartbeat?.deadAfterMs ?? heartbeatDefaults.deadAfterMs;
  const state = signal<ConnectionState>('idle');
  const lastError = signal<ClientError | null>(null);

  let wanted = false;
  let networkOffline = false;
  let gen = 0;
  let conn: TransportConnection | null = null;
  let session = false;
  let attempt = 0;
  let retryTimer: TimerHandle | undefined;
  let pingTimer: TimerHandle | undefined;
  let deadTimer: TimerHandle | undefined;

  const clear = (h: TimerHandle | undefined) => {
    if (h !== undefined) platform.clearTimeout(h);
  };
  const clearAll = () => {
    clear(retryTimer);
    clear(pingTimer);
    clear(deadTimer);
    retryTimer = pingTimer = deadTimer = undefined;
  };

  const rawSend = (raw: string): boolean => {
    if (!conn) return false;
    try {
      conn.send(raw);
      return true;
    } catch {
      // The transport is closing; the close callback follows and the caller keeps the frame.
      return false;
    }
  };

  const armDead = () => {
    // Re-armed on every frame: in place where timers allow it (Node's do), rather than a new
    // timer and callback per frame; elsewhere (browsers' numeric handles) a fresh one.
    if (refreshable(deadTimer)) {
      deadTimer.refresh();
      return;
    }
    clear(deadTimer);
    deadTimer = platform.setTimeout(() => {
      deadTimer = undefined;
      const c = conn;
      // Give up on it first (so its late close is ignored), then close it for good measure.
      down(1006, `no frame for ${deadAfterMs} ms`);
      closeQuietly(c, 1000, 'heartbeat timeout');
    }, deadAfterMs);
  };

  const schedulePing = () => {
    clear(pingTimer);
    pingTimer = platform.setTimeout(() => {
      pingTimer = undefined;
      if (!session) return;
      rawSend(encode({ type: 'ping' }));
      schedulePing();
    }, pingEveryMs * (0.8 + 0.2 * platform.random()));
  };

  const open = () => {
    clear(retryTimer);
    retryTimer = undefined;
    const my = ++gen;
    session = false;
    guard(() => {
      state.value = state.value === 'idle' || state.value === 'connecting' ? 'connecting' : 'reconnecting';
    });
    // Armed before the transport opens: an attempt that never opens, or never gets its
    // welcome, is bounded by the same limit as a silent open connection.
    armDead();
    let c: TransportConnection;
    try {
      c = o.transport(o.relay, {
        onOpen: () => {
          if (my !== gen) return;
          armDead();
          rawSend(encode(o.hello()));
        },
        onFrame: (raw) => {
          if (my !== gen) return;
          receive(raw);
        },
        onClose: (info) => {
          if (my !== gen) return;
          down(info.code, info.reason);
        },
      });
    } catch (error) {
      // E.g. no WebSocket on this platform or a URL the constructor refuses.
      guard(() => {
        lastError.value = { code: 'transport', message: error instanceof Error ? error.message : String(error) };
      });
      if (my === gen) down(1006, 'transport failed to open');
      return;
    }
    if (my !== gen) {
      // The transport reported close synchronously, before returning.
      return;
    }
    conn = c;
  };

  const receive = (raw: string) => {
    // Any inbound data proves the path works, even a frame we cannot use.
    armDead();
    const d = o.decode(raw);
    if (!d.ok) {
      // A relay bug or a newer relay: skip the frame, never throw inside the socket callback.
      const report = o.onProtocolError;
      if (report) guard(() => report({ code: d.code, message: d.message }));
      return;
    }
    const frame = d.frame;
    if (frame.type === 'pong') return;
    if (frame.type === 'welcome') {
      if (session) return; // one per connection; a second one is ignored rather than resubscribing twice
      session = true;
      attempt = 0;
      schedulePing();
      guard(() => {
        state.value = 'online';
        // Errors from before this session (a refused token, a failed attempt) are history now.
        lastError.value = null;
        o.onWelcome(frame);
      });
      return;
    }
    guard(() => o.onFrame(frame));
  };

  const down = (code: number, reason: string) => {
    gen++;
    conn = null;
    session = false;
    clearAll();
    guard(() => {
      o.onDown();
      if (!wanted) {
        state.value = 'idle';
        return;
      }
      if (isTerminalClose(code)) {
        if (o.onTerminalClose(code, reason)) {
          open();
          return;
        }
        wanted = false;
        detach();
        state.value = 'offline';
        lastError.value = {
          code: code === CloseCode.Unauthorized ? 'unauthorized' : 'unsupported_version',
          message: reason || (code === CloseCode.Unauthorized ? 'the relay refused the token' : 'the relay does not speak this protocol version'),
        };
        return;
      }
      if (networkOffline) {
        // Retrying without a network only burns battery; the `online` event resumes.
        state.value = 'offline';
        return;
      }
      state.value = 'reconnecting';
      const delay = backoffDelay(attempt++, platform.random, o.backoff);
      retryTimer = platform.setTimeout(open, delay);
    });
  };

  const onOnline = () => {
    networkOffline = false;
    if (!wanted || conn) return;
    // The network is back: retry now instead of sitting out the rest of the backoff.
    attempt = 0;
    open();
  };
  const onOffline = () => {
    networkOffline = true;
    if (!wanted) return;
    const c = conn;
    if (c) {
      down(1006, 'the browser went offline');
      closeQuietly(c, 1000, 'offline');
    } else {
      clear(retryTimer);
      retryTimer = undefined;
      guard(() => {
        state.value = 'offline';
      });
    }
  };
  let attached = false;
  const attach = () => {
    if (attached || !o.events) return;
    o.events.addEventListener('online', onOnline);
    o.events.addEventListener('offline', onOffline);
    attached = true;
  };
  const detach = () => {
    if (!attached || !o.events) return;
    o.events.removeEventListener('online', onOnline);
    o.events.removeEventListener('offline', onOffline);
    attached = false;
  };

  return {
    state,
    lastError,
    get ready() {
      return session;
    },
    connect() {
      if (wanted) return;
      wanted = true;
      attempt = 0;
      attach();
      if (state.value !== 'idle') guard(() => (state.value = 'idle'));
      open();
    },
    disconnect() {
      wanted = false;
      detach();
      const c = conn;
      if (c || retryTimer !== undefined || state.value !== 'idle') down(CloseCode.Normal, 'disconnect');
      closeQuietly(c, CloseCode.Normal, 'client disconnect');
    },
    send(frame) {
      if (!session) return false;
      return rawSend(encode(frame));
    },
  };
}

/** A Node timer, which can be re-armed in place. */
function refreshable(timer: TimerHandle | undefined): timer is { refresh(): unknown } {
  return typeof timer === 'object' && timer !== null && typeof (timer as { refresh?: unknown }).refresh === 'function';
}
