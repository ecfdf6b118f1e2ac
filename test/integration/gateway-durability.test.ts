import { afterEach, describe, expect, it } from 'vitest';
import { CloseCode, type EventDraft } from '@parley/protocol';
import {
  InProcessBus,
  MemoryStore,
  conversationTopic,
  createRelay,
  type AppendOptions,
  type AppendResult,
  type Bus,
  type BusHandler,
  type BusMessage,
  type Relay,
} from '../../packages/relay/src/index.js';
import { is, visitor } from './helpers.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A bus like Redis: a subscription starts receiving only some time after subscribe()
 * returns, and settled() resolves once it does. `beforeLive` runs in that window (another
 * relay appending and publishing before this one's SUBSCRIBE is registered).
 */
class LateBus implements Bus {
  readonly inner = new InProcessBus();
  beforeLive: ((topic: string) => Promise<void>) | null = null;
  #pending = new Set<Promise<void>>();

  publish(topic: string, message: BusMessage): Promise<void> {
    return this.inner.publish(topic, message);
  }
  subscribe(topic: string, handler: BusHandler): () => void {
    let live = false;
    const off = this.inner.subscribe(topic, (m) => {
      if (live) handler(m);
    });
    const hook = this.beforeLive;
    const pending = (async () => {
      await sleep(20);
      if (hook && topic.startsWith('conv:')) await hook(topic);
      live = true;
    })();
    this.#pending.add(pending);
    void pending.finally(() => this.#pending.delete(pending));
    return off;
  }
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

describe('gateway durability', () => {
  it('regression - an event appended elsewhere while a subscription is being registered is not lost (Bus.settled)', async () => {
    const store = new MemoryStore();
    const bus = new LateBus();
    const relay = await createRelay({ config: { port: 0 }, logger: 'silent', bot: null, store, bus });
    cleanup.push(() => relay.close());
    const v = await visitor(relay.url);
    cleanup.push(() => v.socket.close());
    const draft: EventDraft = { kind: 'message', author: { role: 'agent', id: 'x', name: 'Other relay' }, text: 'sent from another relay' };
    bus.beforeLive = async (topic) => {
      bus.beforeLive = null;
      // Stored and published before this relay's subscription is live: only the replay can deliver it.
      const r = await store.appendEvent(topic.slice('conv:'.length), draft, { at: Date.now() });
      if (r.ok) await bus.publish(conversationTopic(r.conversation.id), { kind: 'event', conversationId: r.conversation.id, event: r.event });
    };
    v.socket.send({ type: 'subscribe', id: 's1', conversationId: v.conversationId, afterSeq: 0 });
    const frame = await v.socket.next(is.event(v.conversationId, (e) => e.seq === 1), 2000);
    expect(frame).toMatchObject({ event: { text: 'sent from another relay' } });
  });

  it('graceful close: frames in flight are finished and acked, later ones not started, then 1001 - nothing half-done', async () => {
    // Each append takes 60 ms, so frames are surely in flight when the relay starts closing.
    class SlowStore extends MemoryStore {
      override async appendEvent(id: string, draft: EventDraft, options: AppendOptions): Promise<AppendResult> {
        await sleep(60);
        return super.appendEvent(id, draft, options);
      }
    }
    const store = new SlowStore();
    const relay: Relay = await createRelay({ config: { port: 0 }, logger: 'silent', bot: null, store });
    const v = await visitor(relay.url);
    for (const id of ['m0', 'm1', 'm2']) v.socket.send({ type: 'send', id, conversationId: v.conversationId, text: id });
    await sleep(20);
    const closing = relay.close({ drainMs: 2000 });
    await sleep(10);
    // Arrives while draining: not started, so never stored; the client resends it elsewhere.
    v.socket.send({ type: 'send', id: 'late', conversationId: v.conversationId, text: 'late' });
    const { code } = await v.socket.closed;
    await closing;
    expect(code).toBe(CloseCode.GoingAway);
    const acked = v.socket.frames.flatMap((f) => (f.type === 'ack' && f.id !== undefined ? [f.id] : []));
    const stored = (await store.eventsAfter(v.conversationId, 0, 100)).flatMap((e) => (e.kind === 'message' ? [e.clientId] : []));
    expect(acked).toEqual(['m0', 'm1', 'm2']);
    expect(stored).toEqual(acked);
  });

  it('graceful close is bounded: a frame stuck in the store does not hold the shutdown past drainMs', async () => {
    class StuckStore extends MemoryStore {
      override appendEvent(): Promise<AppendResult> {
        return new Promise(() => {});
      }
    }
    const relay = await createRelay({ config: { port: 0 }, logger: 'silent', bot: null, store: new StuckStore() });
    const v = await visitor(relay.url);
    v.socket.send({ type: 'send', id: 'm0', conversationId: v.conversationId, text: 'never stored' });
    await sleep(20);
    const started = Date.now();
    await relay.close({ drainMs: 200 });
    expect(Date.now() - started).toBeLessThan(1500);
    expect((await v.socket.closed).code).toBe(CloseCode.GoingAway);
  });
});
