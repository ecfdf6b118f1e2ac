import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { createFaultProxy, seeded, type FaultProxy } from './proxy.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

const listen = async <S extends Server | HttpServer>(server: S): Promise<number> => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.push(() => new Promise<void>((r) => server.close(() => r())));
  return (server.address() as AddressInfo).port;
};

/** A TCP echo server; `greeting` bytes are sent to every new connection. */
async function echo(greeting?: Buffer): Promise<number> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    if (greeting) s.write(greeting);
    s.pipe(s);
  });
  cleanup.push(() => sockets.forEach((s) => s.destroy()));
  return listen(server);
}

async function proxyTo(port: number, seed = 1): Promise<FaultProxy> {
  const proxy = await createFaultProxy({ target: { port }, seed });
  cleanup.push(() => proxy.close());
  return proxy;
}

/** A client socket that records what it receives and when it closes. */
async function dial(port: number): Promise<{ socket: Socket; received: () => Buffer; closed: Promise<void> }> {
  const socket = connect({ port, host: '127.0.0.1' });
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  socket.on('error', () => {});
  const closed = new Promise<void>((r) => socket.on('close', () => r()));
  await new Promise<void>((r) => socket.once('connect', () => r()));
  cleanup.push(() => void socket.destroy());
  return { socket, received: () => Buffer.concat(chunks), closed };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(pred: () => boolean, what: string, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe('fault proxy', () => {
  it('forwards bytes both ways unchanged when healthy', async () => {
    const proxy = await proxyTo(await echo());
    const c = await dial(proxy.port);
    c.socket.write('GET / HTTP/1.1\r\n\r\nhello');
    await until(() => c.received().toString() === 'GET / HTTP/1.1\r\n\r\nhello', 'the echo');
    expect(proxy.connections).toBe(1);
  });

  it('cuts the next chunk mid-way: a strict prefix arrives, then the connection closes', async () => {
    const greeting = Buffer.alloc(1000, 'x');
    const proxy = await proxyTo(await echo(greeting));
    proxy.cutNext('down');
    const c = await dial(proxy.port);
    c.socket.write('GET / HTTP/1.1\r\n\r\n');
    await c.closed;
    const got = c.received().length;
    expect(got).toBeGreaterThan(0);
    expect(got).toBeLessThan(1000);
    expect(proxy.stats.cut).toBe(1);
    await until(() => proxy.connections === 0, 'the pair gone');
  });

  it('drops every open connection on dropAll, and accepts new ones after', async () => {
    const proxy = await proxyTo(await echo());
    const a = await dial(proxy.port);
    const b = await dial(proxy.port);
    a.socket.write('GET / HTTP/1.1\r\n\r\n');
    b.socket.write('GET / HTTP/1.1\r\n\r\n');
    await until(() => proxy.connections === 2 && a.received().length > 0 && b.received().length > 0, 'two pairs');
    expect(proxy.dropAll({ reset: true })).toBe(2);
    await Promise.all([a.closed, b.closed]);
    const c = await dial(proxy.port);
    c.socket.write('GET / HTTP/1.1\r\n\r\nagain');
    await until(() => c.received().toString().endsWith('again'), 'a new connection working');
  });

  it('half-open: while paused nothing passes and nothing closes; after resume only new connections work', async () => {
    const proxy = await proxyTo(await echo());
    const c = await dial(proxy.port);
    c.socket.write('GET / HTTP/1.1\r\n\r\n');
    await until(() => c.received().length > 0, 'the head echoed');
    const before = c.received().length;
    proxy.pause();
    c.socket.write('lost');
    await sleep(100);
    expect(c.received().length).toBe(before);
    expect(c.socket.destroyed).toBe(false);
    expect(proxy.stats.blackholed).toBeGreaterThan(0);
    proxy.resume();
    // The connection that lost bytes stays a black hole, as a real half-open one does.
    c.socket.write('still lost');
    await sleep(50);
    expect(c.received().length).toBe(before);
    const fresh = await dial(proxy.port);
    fresh.socket.write('GET / HTTP/1.1\r\n\r\nkept');
    await until(() => fresh.received().toString().endsWith('kept'), 'a new connection after resume');
  });

  it('a held pause stalls the bytes and delivers them in order on resume', async () => {
    const proxy = await proxyTo(await echo());
    const c = await dial(proxy.port);
    c.socket.write('GET / HTTP/1.1\r\n\r\n');
    await until(() => c.received().length > 0, 'the head echoed');
    proxy.pause({ hold: true });
    c.socket.write('one,');
    await sleep(20);
    c.socket.write('two');
    await sleep(50);
    expect(c.received().toString()).not.toContain('one');
    proxy.resume();
    await until(() => c.received().toString().endsWith('one,two'), 'held bytes in order');
  });

  it('delays chunks but keeps their order', async () => {
    const proxy = await proxyTo(await echo());
    proxy.delay([30, 60]);
    const c = await dial(proxy.port);
    const t0 = Date.now();
    c.socket.write('GET / HTTP/1.1\r\n\r\n');
    for (let i = 0; i < 10; i++) {
      c.socket.write(`${i};`);
      await sleep(2);
    }
    await until(() => c.received().toString().endsWith('9;'), 'all chunks');
    // Up and down are both delayed: at least twice the minimum.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(60);
    expect(c.received().toString()).toBe('GET / HTTP/1.1\r\n\r\n0;1;2;3;4;5;6;7;8;9;');
    expect(() => proxy.delay([50, 10])).toThrow(RangeError);
  });

  it('refuses WebSocket upgrades with 403 while plain HTTP requests pass', async () => {
    const http = createHttpServer((_req, res) => res.end('plain ok'));
    const wss = new WebSocketServer({ server: http });
    cleanup.push(() => new Promise<void>((r) => wss.close(() => r())));
    const proxy = await proxyTo(await listen(http));

    proxy.refuseUpgrades(true);
    const refused = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${proxy.port}/ws`);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => reject(new Error('the upgrade went through')));
      ws.on('error', () => {});
    });
    expect(refused).toBe(403);
    expect(proxy.stats.refusedUpgrades).toBe(1);
    const res = await fetch(`${proxy.url}/`);
    expect(await res.text()).toBe('plain ok');

    proxy.refuseUpgrades(false);
    const ws = new WebSocket(`ws://127.0.0.1:${proxy.port}/ws`);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.close();
  });

  it('chaos is deterministic for a seed: the same traffic meets the same faults', async () => {
    const run = async (seed: number) => {
      const proxy = await proxyTo(await echo(), seed);
      proxy.chaos({ dropPerChunk: 0.2, cutPerChunk: 0.2 });
      const outcomes: number[] = [];
      // Sequential connections, one chunk each way, so the draws happen in a fixed order.
      for (let i = 0; i < 12; i++) {
        const c = await dial(proxy.port);
        c.socket.write('GET / HTTP/1.1\r\n\r\n0123456789abcdef');
        await Promise.race([c.closed, until(() => c.received().length >= 34, 'the echo').catch(() => {})]);
        await sleep(5);
        outcomes.push(c.received().length);
        c.socket.destroy();
        await until(() => proxy.connections === 0, 'the pair gone');
      }
      await proxy.close();
      return { outcomes, stats: { ...proxy.stats } };
    };
    const a = await run(42);
    const b = await run(42);
    expect(a).toEqual(b);
    expect(a.stats.dropped + a.stats.cut).toBeGreaterThan(0);
    expect(seeded(42)()).toBe(seeded(42)());
    const proxy = await proxyTo(1);
    expect(() => proxy.chaos({ dropPerChunk: 0.8, cutPerChunk: 0.5 })).toThrow(RangeError);
  });

  it('close drops every connection and stops listening', async () => {
    const proxy = await proxyTo(await echo());
    const c = await dial(proxy.port);
    c.socket.write('GET / HTTP/1.1\r\n\r\n');
    await until(() => proxy.connections === 1, 'one pair');
    await proxy.close();
    await c.closed;
    expect(proxy.connections).toBe(0);
    await expect(
      new Promise((resolve, reject) => {
        const s = connect({ port: proxy.port, host: '127.0.0.1' });
        s.on('connect', () => resolve('connected'));
        s.on('error', reject);
      }),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
