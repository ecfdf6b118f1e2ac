import type { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CloseCode, decodeServerFrame, encode, type ServerFrame } from '@parley/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { InProcessBus, type BusMessage } from '../bus/index.js';
import { createRelay, type Relay } from '../relay.js';
import type { Timers } from './gateway.js';

/**
 * Timers that fire only when the test says so. With `refreshable`, handles have `refresh()`
 * like Node's Timeout; without, the gateway must fall back to clearTimeout + setTimeout.
 */
function manualTimers(refreshable: boolean) {
  let now = 0;
  const pending = new Set<{ fn: () => void; ms: number; at: number }>();
  let created = 0;
  const timers: Timers = {
    setTimeout(fn, ms) {
      created++;
      const timer = { fn, ms, at: now + ms };
      pending.add(timer);
      if (!refreshable) return timer;
      return Object.assign(timer, {
        refresh() {
          timer.at = now + timer.ms;
          pending.add(timer);
        },
      });
    },
    clearTimeout(handle) {
      pending.delete(handle as { fn: () => void; ms: number; at: number });
    },
  };
  return {
    timers,
    /** Timers created so far. */
    created: () => created,
    advance(ms: number) {
      now += ms;
      for (const timer of [...pending].sort((a, b) => a.at - b.at)) {
        if (timer.at > now) continue;
        pending.delete(timer);
        timer.fn();
      }
    },
  };
}

/** A raw protocol client: frames in arrival order, and the close code. */
async function open(relay: Relay) {
  const ws = new WebSocket(relay.url.replace(/^http/, 'ws') + '/ws');
  const frames: ServerFrame[] = [];
  let wake = () => {};
  ws.on('message', (data) => {
    const decoded = decodeServerFrame(String(data));
    if (decoded.ok) frames.push(decoded.frame);
    wake();
  });
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const next = async <T extends ServerFrame['type']>(type: T): Promise<Extract<ServerFrame, { type: T }>> => {
    for (;;) {
      const i = frames.findIndex((f) => f.type === type);
      if (i >= 0) return frames.splice(i, 1)[0] as Extract<ServerFrame, { type: T }>;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };
  const send = (frame: Parameters<typeof encode>[0]) => ws.send(encode(frame));
  send({ type: 'hello', role: 'visitor' });
  const welcome = await next('welcome');
  if (welcome.role !== 'visitor' || !welcome.conversation) throw new Error('expected a visitor welcome with a conversation');
  return { ws, send, next, closed, conversationId: welcome.conversation.id };
}

describe('WebSocket gateway', () => {
  let relay: Relay | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await relay?.close();
    relay = undefined;
  });

  for (const refreshable of [true, false]) {
    it(`closes a silent connection after idleTimeoutMs, each frame starting the wait again (timers ${refreshable ? 'with' : 'without'} refresh)`, async () => {
      const clock = manualTimers(refreshable);
      relay = await createRelay({ config: { port: 0, limits: { idleTimeoutMs: 1000 } }, logger: 'silent', bot: null, timers: clock.timers });
      const client = await open(relay);
      const before = clock.created();
      for (let i = 0; i < 3; i++) {
        clock.advance(900);
        client.send({ type: 'ping', id: `p${i}` });
        await client.next('pong');
      }
      expect(client.ws.readyState).toBe(WebSocket.OPEN);
      // Refreshable handles are re-armed in place; others cost a new timer per frame.
      expect(clock.created() - before).toBe(refreshable ? 0 : 3);
      clock.advance(999);
      expect(client.ws.readyState).toBe(WebSocket.OPEN);
      clock.advance(1);
      expect(await client.closed).toBe(CloseCode.Normal);
    });
  }

  it('lets the upgrade request go once the connection is open (it is ~1.3 KB per connection)', async () => {
    relay = await createRelay({ config: { port: 0 }, logger: 'silent', bot: null });
    let request: WeakRef<IncomingMessage> | undefined;
    relay.server.prependListener('upgrade', (req: IncomingMessage) => (request = new WeakRef(req)));
    const client = await open(relay);
    // The usual way to reach V8's gc from inside a test run (vitest does not pass --expose-gc).
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      gc();
    }
    expect(request).toBeDefined();
    expect(request?.deref()).toBeUndefined();
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('acks a stored message after all when the bus fails to fan its event out', async () => {
    class FailingBus extends InProcessBus {
      fail = false;
      override async publish(topic: string, message: BusMessage): Promise<void> {
        if (this.fail && message.kind === 'event') throw new Error('bus down');
        return super.publish(topic, message);
      }
    }
    const bus = new FailingBus();
    relay = await createRelay({ config: { port: 0 }, logger: 'silent', bot: null, bus });
    const client = await open(relay);
    client.send({ type: 'subscribe', id: 's', conversationId: client.conversationId, afterSeq: 0 });
    await client.next('ack');
    bus.fail = true;
    client.send({ type: 'send', id: 'm1', conversationId: client.conversationId, text: 'stored, not fanned out' });
    // Stored, so confirmed: the event that would have confirmed it never comes, the ack does.
    const ack = await client.next('ack');
    expect(ack).toMatchObject({ id: 'm1', conversationId: client.conversationId, seq: 1 });
    expect((await relay.store.eventsAfter(client.conversationId, 0, 10)).map((e) => e.kind === 'message' && e.clientId)).toEqual(['m1']);
  });

  it('writes the frames of one tick with one socket write: a replay of three events', async () => {
    relay = await createRelay({ config: { port: 0 }, logger: 'silent', bot: null });
    const client = await open(relay);
    // Not subscribed yet: each send is acked, and the events wait in the store.
    for (const id of ['m1', 'm2', 'm3']) {
      client.send({ type: 'send', id, conversationId: client.conversationId, text: id });
      await client.next('ack');
    }
    const clientSocket = (client.ws as unknown as { _socket: Socket })._socket;
    // Count the relay's writes to the socket layer (the client's own writes excluded).
    let writes = 0;
    const count = function (this: Socket) {
      if (this !== clientSocket) writes++;
    };
    const write = Socket.prototype._write;
    const writev = Socket.prototype._writev;
    vi.spyOn(Socket.prototype, '_write').mockImplementation(function (this: Socket, ...args) {
      count.call(this);
      return write.apply(this, args);
    });
    if (writev) {
      vi.spyOn(Socket.prototype, '_writev').mockImplementation(function (this: Socket, ...args) {
        count.call(this);
        return writev.apply(this, args);
      });
    }
    client.send({ type: 'subscribe', conversationId: client.conversationId, afterSeq: 0 });
    const events = [await client.next('event'), await client.next('event'), await client.next('event')];
    expect(events.map((f) => f.event.kind === 'message' && f.event.text)).toEqual(['m1', 'm2', 'm3']);
    expect(writes).toBe(1);
  });
});
