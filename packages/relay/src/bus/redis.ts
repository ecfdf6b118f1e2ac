/**
 * RedisBus: the {@link Bus} across relay processes, on Redis pub/sub with the official
 * `@redis/client` (node-redis) driver: maintained by Redis, typed, reconnects and
 * re-subscribes by itself (ioredis is in maintenance mode).
 *
 * Pub/sub is fire-and-forget: a message published while a relay is disconnected from Redis
 * is not delivered to it. That is acceptable because the bus only carries notifications;
 * the events themselves are in the Store, and clients resume from their last seq.
 */
import { createClient } from '@redis/client';
import type { Bus, BusHandler, BusMessage } from './types.js';

/**
 * Make a node-redis client for a URL (not yet connected); RedisBus and RedisPresence use it.
 *
 * @example
 * const client = createRedisConnection('redis://127.0.0.1:6379', 'parley:bus-pub');
 * await client.connect();
 */
export const createRedisConnection = (url: string, name?: string, options: { failWhileOffline?: boolean } = {}) => {
  let connected = false;
  const client = createClient({
    url,
    // failWhileOffline: commands fail at once while disconnected instead of waiting in a
    // queue until Redis is back.
    ...(options.failWhileOffline ? { disableOfflineQueue: true } : {}),
    // The name shows in CLIENT LIST, so an operator can tell the relay's connections apart.
    ...(name !== undefined ? { name: name.replace(/[^\x21-\x7e]/g, '_') } : {}),
    socket: {
      connectTimeout: 5000,
      // Before the first connection: give up, so a wrong URL fails at startup instead of
      // retrying forever. After it: reconnect with capped, jittered backoff (the relay keeps
      // running through a Redis restart).
      reconnectStrategy: (retries: number, cause: Error) =>
        connected ? Math.min(2 ** retries * 50, 5000) * (0.5 + Math.random() / 2) : cause,
    },
  });
  client.on('ready', () => {
    connected = true;
  });
  return client;
};

/** A node-redis client as {@link createRedisConnection} makes it. */
export type RedisConnection = ReturnType<typeof createRedisConnection>;

/** Options for {@link RedisBus.connect}. */
export interface RedisBusOptions {
  /** e.g. `redis://:password@redis.internal:6379/0`. */
  url: string;
  /**
   * Put before every topic to form the Redis channel, so several Parley deployments (or
   * test runs) can share one Redis.
   * @default 'parley:'
   */
  channelPrefix?: string;
  /** Told about a subscriber that threw; the others still get the message. @default ignore */
  onHandlerError?: (error: unknown, topic: string) => void;
  /**
   * Told about connection errors (Redis down, reconnecting) and messages on a channel that
   * are not valid JSON. The clients keep reconnecting by themselves.
   * @default ignore
   */
  onError?: (error: unknown) => void;
}

/**
 * A {@link Bus} shared by every relay connected to the same Redis: a message published by one
 * relay reaches the subscribers of that topic on all of them (the publisher included).
 * Uses two connections, because a Redis connection in subscribe mode can run no other command.
 *
 * @example
 * const bus = await RedisBus.connect({ url: 'redis://127.0.0.1:6379', onError: (e) => logger.warn(e) });
 * const off = bus.subscribe(conversationTopic('c1'), (m) => console.log(m));
 * await bus.publish(conversationTopic('c1'), { kind: 'event', conversationId: 'c1', event });
 * off();
 * await bus.close();
 */
export class RedisBus implements Bus {
  readonly #publisher: RedisConnection;
  readonly #subscriber: RedisConnection;
  readonly #prefix: string;
  readonly #onHandlerError: (error: unknown, topic: string) => void;
  readonly #onError: (error: unknown) => void;
  readonly #topics = new Map<string, Set<BusHandler>>();
  // SUBSCRIBE/UNSUBSCRIBE commands in flight. publish waits for them, so a message published
  // right after subscribe() reaches that subscriber (Redis only delivers to channels it has
  // already registered).
  readonly #pending = new Set<Promise<unknown>>();
  #closed = false;

  private constructor(publisher: RedisConnection, subscriber: RedisConnection, options: RedisBusOptions) {
    this.#publisher = publisher;
    this.#subscriber = subscriber;
    this.#prefix = options.channelPrefix ?? 'parley:';
    this.#onHandlerError = options.onHandlerError ?? (() => {});
    this.#onError = options.onError ?? (() => {});
  }

  /** Open both connections; rejects if Redis cannot be reached. */
  static async connect(options: RedisBusOptions): Promise<RedisBus> {
    const prefix = options.channelPrefix ?? 'parley:';
    // The publisher fails fast while Redis is away: the relay awaits publish right after an
    // append, and a message's ack must not wait for Redis (the event is already stored;
    // other relays' clients catch up by seq). The subscriber keeps node-redis's queue, so
    // subscriptions asked for during an outage are made when it reconnects.
    const publisher = createRedisConnection(options.url, `${prefix}bus-pub`, { failWhileOffline: true });
    // A second connection made the same way (not duplicate(), which would share the
    // reconnect strategy's state).
    const subscriber = createRedisConnection(options.url, `${prefix}bus-sub`);
    const bus = new RedisBus(publisher, subscriber, options);
    // node-redis emits 'error' on every failed (re)connect; without a listener that would
    // crash the process.
    for (const client of [publisher, subscriber]) client.on('error', (error: unknown) => bus.#onError(error));
    try {
      await Promise.all([publisher.connect(), subscriber.connect()]);
    } catch (error) {
      for (const client of [publisher, subscriber]) if (client.isOpen) client.destroy();
      throw error;
    }
    return bus;
  }

  /** Rejects at once while Redis is unreachable (the caller logs it; nothing is retried). */
  async publish(topic: string, message: BusMessage): Promise<void> {
    if (this.#closed) throw new Error('RedisBus is closed');
    // Only while connected: during an outage a queued SUBSCRIBE would make publish wait for
    // Redis to return, which is what failing fast avoids.
    if (this.#subscriber.isReady) await this.settled();
    await this.#publisher.publish(this.#prefix + topic, JSON.stringify(message));
  }

  subscribe(topic: string, handler: BusHandler): () => void {
    if (this.#closed) throw new Error('RedisBus is closed');
    let handlers = this.#topics.get(topic);
    if (!handlers) {
      this.#topics.set(topic, (handlers = new Set()));
      this.#track(this.#subscriber.subscribe(this.#prefix + topic, this.#listener));
    }
    // Wrap so the same function subscribed twice gets two independent subscriptions.
    const entry: BusHandler = (m) => handler(m);
    handlers.add(entry);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const current = this.#topics.get(topic);
      if (!current?.delete(entry) || current.size > 0) return;
      this.#topics.delete(topic);
      if (!this.#closed) this.#track(this.#subscriber.unsubscribe(this.#prefix + topic, this.#listener));
    };
  }

  /**
   * Resolves once every subscribe and unsubscribe asked for so far is registered in Redis.
   * Another relay's publish is only seen after this.
   */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  /** Number of topics with at least one subscriber here (to check that nothing leaks). */
  get topicCount(): number {
    return this.#topics.size;
  }

  /** Quit both connections (idempotent); subscribers get nothing more. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#topics.clear();
    await Promise.allSettled([...this.#pending]);
    await Promise.allSettled([this.#subscriber.close(), this.#publisher.close()]);
  }

  #track(command: Promise<unknown>): void {
    const tracked = command.then(
      () => {},
      (error: unknown) => this.#onError(error),
    );
    this.#pending.add(tracked);
    void tracked.finally(() => this.#pending.delete(tracked));
  }

  // One listener for every channel: node-redis calls it with (message, channel).
  readonly #listener = (raw: string, channel: string): void => {
    const topic = channel.slice(this.#prefix.length);
    const handlers = this.#topics.get(topic);
    if (!handlers) return;
    let message: BusMessage;
    try {
      message = JSON.parse(raw) as BusMessage;
    } catch (error) {
      // Someone else wrote to our channel; it must not crash the relay.
      this.#onError(new Error(`RedisBus: message on ${channel} is not JSON: ${(error as Error).message}`));
      return;
    }
    // A snapshot, so a handler that unsubscribes mid-delivery does not make the loop skip anyone.
    for (const handler of [...handlers]) {
      try {
        handler(message);
      } catch (error) {
        this.#onHandlerError(error, topic);
      }
    }
  };
}
