import { createServer, connect as tcpConnect, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A fault-injecting TCP proxy for tests: sits on loopback between a client and a relay and
 * breaks the path the ways real networks do (corporate proxies, hotel Wi-Fi, mobile NAT):
 * drops connections, cuts a frame mid-way, delays chunks, refuses WebSocket upgrades while
 * plain HTTP still passes, and goes half-open (nothing gets through, nothing is closed).
 *
 * Every random choice comes from one seeded generator, so a failing run replays exactly
 * (given the same traffic). Everything is bounded: connection count, held bytes, delays.
 */

/** Which way a chunk travels: `up` = client -> target, `down` = target -> client. */
export type Direction = 'up' | 'down';

/** Options of {@link createFaultProxy}. */
export interface FaultProxyOptions {
  /** Where to forward to. */
  target: { port: number; host?: string };
  /** Seed of the proxy's random choices (cut points, delays, chaos). @default 1 */
  seed?: number;
  /** Where to listen. @default 127.0.0.1, a free port */
  listen?: { port?: number; host?: string };
  /** Connections open at once; more are refused (destroyed) at accept. @default 2000 */
  maxConnections?: number;
  /** Bytes held per connection while paused with `hold` or delayed; over it the pair is dropped. @default 8 MiB */
  maxHeldBytes?: number;
}

/** Random faults applied to every chunk while set; each probability is per chunk. */
export interface Chaos {
  /** Drop the whole connection instead of forwarding the chunk. */
  dropPerChunk?: number;
  /** Forward a random prefix of the chunk, then drop the connection. */
  cutPerChunk?: number;
}

/** What the proxy did so far (for assertions and for failure messages). */
export interface FaultProxyStats {
  accepted: number;
  dropped: number;
  cut: number;
  refusedUpgrades: number;
  /** Chunks swallowed while paused without `hold`. */
  blackholed: number;
}

/** A running proxy. Modes apply to existing and new connections alike. */
export interface FaultProxy {
  /** `http://127.0.0.1:<port>`: give this to the client instead of the relay URL. */
  readonly url: string;
  readonly port: number;
  /** Connection pairs open right now. */
  readonly connections: number;
  readonly stats: Readonly<FaultProxyStats>;
  /** Close every open connection now (both sides). With `reset`, send a TCP RST instead of a FIN. */
  dropAll(options?: { reset?: boolean }): number;
  /**
   * Arm a cut: the next chunk (in `direction`, default either) is forwarded only in part,
   * then the connection is dropped; a WebSocket frame arrives truncated. One-shot.
   */
  cutNext(direction?: Direction): void;
  /** Disarm a pending `cutNext`. */
  cancelCut(): void;
  /** Delay every chunk by a seeded draw in `[min, max]` ms (order kept per direction). `0` turns it off. */
  delay(ms: number | readonly [number, number]): void;
  /** Answer `Upgrade: websocket` requests with 403 while plain HTTP requests still pass. */
  refuseUpgrades(on: boolean): void;
  /**
   * Half-open: stop forwarding without closing anything. Without `hold` the bytes are
   * swallowed (a dead NAT entry) and a connection that lost bytes stays silent even after
   * `resume`, until an end closes it; with `hold` they are kept and delivered on `resume` (a stall).
   */
  pause(options?: { hold?: boolean }): void;
  resume(): void;
  /** Random drops and cuts per chunk; `null` turns them off. */
  chaos(settings: Chaos | null): void;
  /** Back to a clean pipe: no delay, no chaos, no cut armed, not paused, upgrades allowed. */
  heal(): void;
  /** Stop listening and drop every connection. Idempotent. */
  close(): Promise<void>;
}

/**
 * mulberry32: a tiny, fast, seedable PRNG; plenty for choosing cut points and delays.
 *
 * @example
 * const random = seeded(42);
 * random(); // 0.6011037519201636, every time
 */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Longest request head we look at for an upgrade; beyond it the request passes unread. */
const MAX_HEAD_BYTES = 16 * 1024;
const HEAD_END = Buffer.from('\r\n\r\n');
const UPGRADE_WEBSOCKET = /^upgrade:[ \t]*websocket[ \t]*$/im;

interface Pair {
  client: Socket;
  target: Socket | null;
  /** Delayed chunks waiting for their time, per direction, in order. */
  queued: Record<Direction, { at: number; chunk: Buffer }[]>;
  /** Chunks held while paused with `hold`, in arrival order. */
  held: { dir: Direction; chunk: Buffer }[];
  heldBytes: number;
  timers: Set<ReturnType<typeof setTimeout>>;
  /** Swallowed a chunk while paused: forwards nothing ever again (but stays open). */
  broken: boolean;
  dead: boolean;
}

/**
 * Start a fault proxy in front of `target`.
 *
 * @example
 * const proxy = await createFaultProxy({ target: { port: relay.port }, seed: 7 });
 * const chat = createVisitorClient({ relay: proxy.url, WebSocket });
 * proxy.cutNext('down'); // the next frame from the relay arrives truncated, then the line drops
 * proxy.refuseUpgrades(true); // WebSocket refused with 403: the client must fall back to polling
 * await proxy.close();
 */
export async function createFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const random = seeded(options.seed ?? 1);
  const targetHost = options.target.host ?? '127.0.0.1';
  const maxConnections = options.maxConnections ?? 2000;
  const maxHeldBytes = options.maxHeldBytes ?? 8 * 1024 * 1024;
  const pairs = new Set<Pair>();
  const stats: FaultProxyStats = { accepted: 0, dropped: 0, cut: 0, refusedUpgrades: 0, blackholed: 0 };

  let delayRange: readonly [number, number] = [0, 0];
  let refuse = false;
  let paused: false | 'blackhole' | 'hold' = false;
  let cutArmed: Direction | 'any' | null = null;
  let chaos: Chaos | null = null;

  const kill = (p: Pair, reset = false) => {
    if (p.dead) return;
    p.dead = true;
    pairs.delete(p);
    for (const t of p.timers) clearTimeout(t);
    p.timers.clear();
    p.held = [];
    p.queued = { up: [], down: [] };
    for (const s of [p.client, p.target]) {
      if (!s) continue;
      if (reset && typeof s.resetAndDestroy === 'function' && !s.destroyed) s.resetAndDestroy();
      else s.destroy();
    }
  };

  const write = (p: Pair, dir: Direction, chunk: Buffer) => {
    if (p.dead) return;
    const to = dir === 'up' ? p.target : p.client;
    to?.write(chunk);
  };

  /** Forward one chunk through the active faults. */
  const pass = (p: Pair, dir: Direction, chunk: Buffer) => {
    if (p.dead) return;
    if (p.broken || paused === 'blackhole') {
      // Bytes of a TCP stream are never lost in the middle, so a connection that lost one
      // stays dead for good, as a real half-open connection does; only new ones recover.
      p.broken = true;
      stats.blackholed++;
      return;
    }
    if (paused === 'hold') {
      p.held.push({ dir, chunk });
      p.heldBytes += chunk.length;
      if (p.heldBytes > maxHeldBytes) kill(p);
      return;
    }
    if (cutArmed === 'any' || cutArmed === dir) {
      cutArmed = null;
      stats.cut++;
      cutMidway(p, dir, chunk);
      return;
    }
    if (chaos) {
      const r = random();
      const drop = chaos.dropPerChunk ?? 0;
      const cut = chaos.cutPerChunk ?? 0;
      if (r < drop) {
        stats.dropped++;
        kill(p);
        return;
      }
      if (r < drop + cut) {
        stats.cut++;
        cutMidway(p, dir, chunk);
        return;
      }
    }
    const [min, max] = delayRange;
    const queue = p.queued[dir];
    if (max <= 0 && queue.length === 0) {
      write(p, dir, chunk);
      return;
    }
    // One FIFO per direction drained by one timer: TCP does not reorder, and separate
    // timers with near-equal deadlines can fire out of order.
    const last = queue.length > 0 ? queue[queue.length - 1]!.at : 0;
    queue.push({ at: Math.max(last, Date.now() + min + Math.floor(random() * (max - min + 1))), chunk });
    p.heldBytes += chunk.length;
    if (p.heldBytes > maxHeldBytes) return kill(p);
    if (queue.length === 1) drainLater(p, dir);
  };

  const drainLater = (p: Pair, dir: Direction) => {
    const queue = p.queued[dir];
    const first = queue[0];
    if (!first || p.dead) return;
    const timer = setTimeout(() => {
      p.timers.delete(timer);
      while (queue.length > 0 && queue[0]!.at <= Date.now()) {
        const { chunk } = queue.shift()!;
        p.heldBytes -= chunk.length;
        write(p, dir, chunk);
      }
      drainLater(p, dir);
    }, Math.max(0, first.at - Date.now()));
    p.timers.add(timer);
  };

  const cutMidway = (p: Pair, dir: Direction, chunk: Buffer) => {
    // At least one byte through and at least one byte missing, so the receiver sees a
    // truncated frame rather than a clean boundary.
    const keep = chunk.length <= 1 ? 0 : 1 + Math.floor(random() * (chunk.length - 1));
    const to = dir === 'up' ? p.target : p.client;
    if (to && keep > 0) to.write(chunk.subarray(0, keep), () => kill(p));
    else kill(p);
    // If the write never completes (peer gone), do not keep the pair alive waiting for it.
    const timer = setTimeout(() => kill(p), 50);
    p.timers.add(timer);
  };

  const openTarget = (p: Pair, first: Buffer) => {
    const target = tcpConnect({ port: options.target.port, host: targetHost });
    p.target = target;
    target.setNoDelay(true);
    target.on('data', (chunk: Buffer) => pass(p, 'down', chunk));
    target.on('error', () => kill(p));
    target.on('close', () => kill(p));
    if (first.length > 0) pass(p, 'up', first);
    p.client.on('data', (chunk: Buffer) => pass(p, 'up', chunk));
  };

  const server: Server = createServer((client) => {
    client.setNoDelay(true);
    if (pairs.size >= maxConnections) {
      client.destroy();
      return;
    }
    stats.accepted++;
    const p: Pair = { client, target: null, queued: { up: [], down: [] }, held: [], heldBytes: 0, timers: new Set(), broken: false, dead: false };
    pairs.add(p);
    client.on('error', () => kill(p));
    client.on('close', () => kill(p));
    // Read the request head before connecting onwards, so a refused upgrade never reaches
    // the target (what a proxy that strips WebSocket does). Only the first request of a
    // connection is inspected: clients open a fresh connection for an upgrade.
    let head = Buffer.alloc(0);
    const onHead = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf(HEAD_END);
      if (end < 0 && head.length < MAX_HEAD_BYTES) return;
      client.off('data', onHead);
      const text = head.subarray(0, end < 0 ? head.length : end).toString('latin1');
      if (refuse && UPGRADE_WEBSOCKET.test(text)) {
        stats.refusedUpgrades++;
        const body = 'WebSocket refused by the fault proxy';
        client.end(`HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
        pairs.delete(p);
        p.dead = true;
        return;
      }
      openTarget(p, head);
    };
    client.on('data', onHead);
  });
  server.maxConnections = maxConnections;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.listen?.port ?? 0, options.listen?.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const resume = () => {
    paused = false;
    for (const p of [...pairs]) {
      const held = p.held;
      p.held = [];
      for (const h of held) p.heldBytes -= h.chunk.length;
      for (const { dir, chunk } of held) pass(p, dir, chunk);
    }
  };
  let closing: Promise<void> | null = null;

  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    get connections() {
      return pairs.size;
    },
    stats,
    dropAll(o = {}) {
      const n = pairs.size;
      for (const p of [...pairs]) kill(p, o.reset);
      stats.dropped += n;
      return n;
    },
    cutNext(direction) {
      cutArmed = direction ?? 'any';
    },
    cancelCut() {
      cutArmed = null;
    },
    delay(ms) {
      const range: readonly [number, number] = typeof ms === 'number' ? [ms, ms] : ms;
      const [min, max] = range;
      if (!(min >= 0 && max >= min && max <= 60_000)) throw new RangeError(`delay must be 0 <= min <= max <= 60000 ms, got [${min}, ${max}]`);
      delayRange = range;
    },
    refuseUpgrades(on) {
      refuse = on;
    },
    pause(o = {}) {
      paused = o.hold ? 'hold' : 'blackhole';
    },
    resume,
    chaos(settings) {
      if (settings) {
        const { dropPerChunk = 0, cutPerChunk = 0 } = settings;
        if (!(dropPerChunk >= 0 && cutPerChunk >= 0 && dropPerChunk + cutPerChunk <= 1)) {
          throw new RangeError('chaos probabilities must be >= 0 and sum to at most 1');
        }
      }
      chaos = settings;
    },
    heal() {
      delayRange = [0, 0];
      chaos = null;
      cutArmed = null;
      refuse = false;
      resume();
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const p of [...pairs]) kill(p);
      });
      return closing;
    },
  };
}
