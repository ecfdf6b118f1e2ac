import { checkTtl, DEFAULT_PRESENCE_TTL_MS, idList, type Presence } from './presence.js';
import { createRedisConnection, type RedisConnection } from './redis.js';

/** Options for {@link RedisPresence.connect}. */
export interface RedisPresenceOptions {
  /** e.g. `redis://127.0.0.1:6379`. */
  url: string;
  /** Which ids this is about, e.g. `agents`; part of the Redis key. */
  namespace: string;
  /** How long an id stays online without a heartbeat (ms). @default DEFAULT_PRESENCE_TTL_MS */
  ttlMs?: number;
  /** @default 'parley:' */
  keyPrefix?: string;
  /**
   * The clock (epoch ms). Relays compare each other's expiry times, so their clocks should be
   * NTP-synced; a skew of s ms moves an expiry by s ms, nothing worse.
   * @default Date.now
   */
  now?: () => number;
  /** Told about connection errors; the client reconnects by itself. @default ignore */
  onError?: (error: unknown) => void;
}

/**
 * {@link Presence} shared by all relays on one Redis. One sorted set per namespace, scored by
 * expiry time: a heartbeat is one ZADD for any number of ids, a listing drops the expired
 * then reads the rest. No per-id keys, so listing never scans the keyspace.
 *
 * @example
 * const agentsOnline = await RedisPresence.connect({ url: 'redis://127.0.0.1:6379', namespace: 'agents', ttlMs: 30_000 });
 * setInterval(() => void agentsOnline.heartbeat([...connectedAgentIds]), 10_000);
 * await agentsOnline.list(); // agents connected to any relay
 */
export class RedisPresence implements Presence {
  readonly ttlMs: number;
  readonly #client: RedisConnection;
  readonly #key: string;
  readonly #now: () => number;
  #closed = false;

  private constructor(client: RedisConnection, options: RedisPresenceOptions, ttlMs: number) {
    this.#client = client;
    this.ttlMs = ttlMs;
    this.#key = `${options.keyPrefix ?? 'parley:'}presence:${options.namespace}`;
    this.#now = options.now ?? Date.now;
  }

  /** Connect; rejects if Redis cannot be reached. */
  static async connect(options: RedisPresenceOptions): Promise<RedisPresence> {
    const ttlMs = checkTtl(options.ttlMs ?? DEFAULT_PRESENCE_TTL_MS);
    if (!options.namespace) throw new Error('RedisPresence needs a namespace, e.g. "agents"');
    const client = createRedisConnection(options.url);
    const onError = options.onError ?? (() => {});
    // Without a listener, a reconnect error would crash the process.
    client.on('error', (error: unknown) => onError(error));
    try {
      await client.connect();
    } catch (error) {
      if (client.isOpen) client.destroy();
      throw error;
    }
    return new RedisPresence(client, options, ttlMs);
  }

  async heartbeat(ids: string | readonly string[]): Promise<void> {
    const list = idList(ids);
    if (list.length === 0) return;
    const until = this.#now() + this.ttlMs;
    await this.#client
      .multi()
      .zAdd(this.#key, list.map((value) => ({ score: until, value })))
      // The whole set expires if no relay heartbeats any more, so nothing is left behind.
      .pExpire(this.#key, this.ttlMs * 2)
      .exec();
  }

  async remove(ids: string | readonly string[]): Promise<void> {
    const list = idList(ids);
    if (list.length > 0) await this.#client.zRem(this.#key, [...list]);
  }

  async list(): Promise<string[]> {
    const now = this.#now();
    const [, online] = (await this.#client
      .multi()
      .zRemRangeByScore(this.#key, '-inf', now)
      .zRangeByScore(this.#key, `(${now}`, '+inf')
      .exec()) as [unknown, string[]];
    return [...online].sort();
  }

  async isOnline(id: string): Promise<boolean> {
    const score = await this.#client.zScore(this.#key, id);
    return score !== null && Number(score) > this.#now();
  }

  /** Quit the connection (idempotent). The ids stay until their TTL runs out. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#client.close();
  }
}
