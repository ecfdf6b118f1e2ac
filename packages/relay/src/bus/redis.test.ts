import { randomBytes } from 'node:crypto';
import type { ConversationEvent } from '@parley/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_TEST_REDIS, findService, probeRedis } from '../testing/services.js';
import { describeBus } from './bus.suite.js';
import { RedisPresence } from './presence-redis.js';
import { describePresence } from './presence.suite.js';
import { createRedisConnection, RedisBus } from './redis.js';
import type { BusMessage } from './types.js';

const service = await findService({ suite: 'RedisBus', envVar: 'PARLEY_TEST_REDIS', defaultUrl: DEFAULT_TEST_REDIS, probe: probeRedis });

const message = (seq: number): BusMessage => {
  const event: ConversationEvent = { kind: 'message', seq, at: seq, author: { role: 'visitor' }, text: `m${seq}` };
  return { kind: 'event', conversationId: 'c1', event };
};

async function eventually(check: () => void, timeoutMs = 2000): Promise<void> {
  const start = Date.now();
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() - start > timeoutMs) throw error;
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

if (service.url === undefined) {
  it.skip(service.skip, () => {});
} else {
  const url = service.url;
  // A fresh prefix per test: parallel test files (and reruns) share the Redis server.
  const prefix = () => `parley-test:${randomBytes(6).toString('hex')}:`;
  const open: Array<{ close(): Promise<void> }> = [];
  const track = <T extends { close(): Promise<void> }>(x: T): T => (open.push(x), x);
  afterEach(async () => {
    await Promise.all(open.splice(0).map((x) => x.close()));
  });

  describeBus('RedisBus', () => RedisBus.connect({ url, channelPrefix: prefix() }));

  describe('RedisBus across relays', () => {
    it('delivers a message published on one relay to subscribers on another', async () => {
      const channelPrefix = prefix();
      const relayA = track(await RedisBus.connect({ url, channelPrefix }));
      const relayB = track(await RedisBus.connect({ url, channelPrefix }));
      const onA: BusMessage[] = [];
      const onB: BusMessage[] = [];
      relayA.subscribe('conv:c1', (m) => onA.push(m));
      relayB.subscribe('conv:c1', (m) => onB.push(m));
      await relayB.settled(); // B's SUBSCRIBE is registered before A publishes
      for (let seq = 1; seq <= 10; seq++) await relayA.publish('conv:c1', message(seq));
      const all = Array.from({ length: 10 }, (_, i) => message(i + 1));
      await eventually(() => {
        expect(onB).toEqual(all);
        expect(onA).toEqual(all);
      });
    });

    it('keeps deployments with different prefixes apart', async () => {
      const a = track(await RedisBus.connect({ url, channelPrefix: prefix() }));
      const b = track(await RedisBus.connect({ url, channelPrefix: prefix() }));
      const onB: BusMessage[] = [];
      b.subscribe('agents', (m) => onB.push(m));
      await b.settled();
      await a.publish('agents', message(1));
      await new Promise((r) => setTimeout(r, 50));
      expect(onB).toEqual([]);
    });

    it('unsubscribes from Redis when the last local subscriber leaves', async () => {
      const bus = track(await RedisBus.connect({ url, channelPrefix: prefix() }));
      const offA = bus.subscribe('conv:c1', () => {});
      const offB = bus.subscribe('conv:c1', () => {});
      expect(bus.topicCount).toBe(1);
      offA();
      expect(bus.topicCount).toBe(1);
      offB();
      expect(bus.topicCount).toBe(0);
      await bus.settled();
    });

    it('reports a subscriber that threw, and a non-JSON message on its channel, without crashing', async () => {
      const channelPrefix = prefix();
      const handlerErrors: unknown[] = [];
      const errors: unknown[] = [];
      const bus = track(await RedisBus.connect({ url, channelPrefix, onHandlerError: (e) => handlerErrors.push(e), onError: (e) => errors.push(e) }));
      const got: BusMessage[] = [];
      bus.subscribe('t', () => {
        throw new Error('boom');
      });
      bus.subscribe('t', (m) => got.push(m));
      await bus.settled();
      const raw = track(createRedisConnection(url));
      await raw.connect();
      await raw.publish(`${channelPrefix}t`, 'not json {');
      await bus.publish('t', message(1));
      await eventually(() => {
        expect(got).toEqual([message(1)]);
        expect(handlerErrors).toHaveLength(1);
        expect(String(errors[0])).toMatch(/not JSON/);
      });
    });

    it('reconnects and re-subscribes after losing its Redis connection', async () => {
      const channelPrefix = prefix();
      const errors: unknown[] = [];
      const bus = track(await RedisBus.connect({ url, channelPrefix, onError: (e) => errors.push(e) }));
      const got: BusMessage[] = [];
      bus.subscribe('conv:c1', (m) => got.push(m));
      await bus.settled();
      // Kill the subscribe connection from the server side, as a Redis restart or a network
      // cut would.
      const admin = track(createRedisConnection(url));
      await admin.connect();
      const clients = await admin.sendCommand<string>(['CLIENT', 'LIST']);
      const line = String(clients).split('\n').find((l) => l.includes(` name=${channelPrefix}bus-sub `));
      const id = line?.match(/^id=(\d+)/)?.[1];
      expect(id).toBeDefined();
      await admin.sendCommand(['CLIENT', 'KILL', 'ID', id!]);
      // Publish until one arrives: the subscription is back once the reconnect is done.
      const started = Date.now();
      for (let seq = 1; got.length === 0 && Date.now() - started < 5000; seq++) {
        await bus.publish('conv:c1', message(seq));
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(got.length).toBeGreaterThan(0);
      expect(errors.length).toBeGreaterThan(0); // the drop was reported
    });

    it('never makes publish wait for a lost Redis connection, and publishes again once it is back', async () => {
      const channelPrefix = prefix();
      const bus = track(await RedisBus.connect({ url, channelPrefix }));
      const got: BusMessage[] = [];
      bus.subscribe('t', (m) => got.push(m));
      await bus.settled();
      const admin = track(createRedisConnection(url));
      await admin.connect();
      const clients = String(await admin.sendCommand<string>(['CLIENT', 'LIST']));
      const id = clients.split('\n').find((l) => l.includes(` name=${channelPrefix}bus-pub `))?.match(/^id=(\d+)/)?.[1];
      expect(id).toBeDefined();
      await admin.sendCommand(['CLIENT', 'KILL', 'ID', id!]);
      // Right after the cut: settles quickly either way (rejects while offline, or resolves
      // if the reconnect already happened), never hangs until Redis returns.
      const started = Date.now();
      await bus.publish('t', message(1)).catch(() => {});
      expect(Date.now() - started).toBeLessThan(1000);
      const again = Date.now();
      for (let seq = 2; !got.some((m) => m.kind === 'event' && m.event.seq >= 2) && Date.now() - again < 5000; seq++) {
        await bus.publish('t', message(seq)).catch(() => {});
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(got.some((m) => m.kind === 'event' && m.event.seq >= 2)).toBe(true);
    });

    it('refuses to publish after close; close twice is harmless', async () => {
      const bus = await RedisBus.connect({ url, channelPrefix: prefix() });
      await bus.close();
      await bus.close();
      await expect(bus.publish('t', message(1))).rejects.toThrow(/closed/);
    });

    it('fails to connect with an error when Redis is not there', async () => {
      const started = Date.now();
      await expect(RedisBus.connect({ url: 'redis://127.0.0.1:1' })).rejects.toThrow(/ECONNREFUSED/);
      expect(Date.now() - started).toBeLessThan(2000); // no endless retrying at startup
    });
  });

  describePresence('RedisPresence', (clock) =>
    RedisPresence.connect({ url, namespace: 'agents', keyPrefix: prefix(), ttlMs: 1000, now: clock.now }),
  );

  describe('RedisPresence across relays', () => {
    it('shows ids from every relay, and a crashed relay’s ids vanish within the TTL', async () => {
      const keyPrefix = prefix();
      const relayA = track(await RedisPresence.connect({ url, namespace: 'agents', keyPrefix, ttlMs: 300 }));
      const relayB = track(await RedisPresence.connect({ url, namespace: 'agents', keyPrefix, ttlMs: 300 }));
      await relayA.heartbeat(['alice']);
      await relayB.heartbeat(['bob']);
      expect(await relayA.list()).toEqual(['alice', 'bob']);
      // Relay B "crashes": it stops heartbeating. Relay A keeps going every ttl / 3.
      const started = Date.now();
      const timer = setInterval(() => void relayA.heartbeat(['alice']), 100);
      try {
        await new Promise((r) => setTimeout(r, 350));
        expect(await relayA.list()).toEqual(['alice']);
        expect(await relayB.isOnline('bob')).toBe(false);
        expect(Date.now() - started).toBeLessThan(1000);
      } finally {
        clearInterval(timer);
      }
    });

    it('leaves no key behind once nobody heartbeats', async () => {
      const keyPrefix = prefix();
      const presence = track(await RedisPresence.connect({ url, namespace: 'visitors', keyPrefix, ttlMs: 100 }));
      await presence.heartbeat('v1');
      const raw = track(createRedisConnection(url));
      await raw.connect();
      const ttl = await raw.pTTL(`${keyPrefix}presence:visitors`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(200);
    });
  });
}
