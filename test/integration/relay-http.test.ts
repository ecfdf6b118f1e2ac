import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloseCode, ErrorCode } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore, createRelay, type Relay } from '../../packages/relay/src/index.js';
import { connect, is, login, visitor } from './helpers.js';

describe('HTTP routes', () => {
  let relay: Relay;
  let missing: Relay;
  beforeAll(async () => {
    const dist = await mkdtemp(join(tmpdir(), 'parley-dist-'));
    await writeFile(join(dist, 'parley.js'), 'console.log("loader")');
    await writeFile(join(dist, 'parley-widget.js'), 'console.log("widget")');
    await writeFile(join(dist, 'parley-widget-desk.js'), 'console.log("desk widget")');
    await writeFile(join(dist, 'parley-lang-zh.js'), 'console.log("zh")');
    await writeFile(join(dist, 'parley-lang-zh-desk.js'), 'console.log("zh desk")');
    await writeFile(join(dist, 'console.js'), 'console.log("console")');
    relay = await createRelay({ config: { port: 0 }, logger: 'silent', bot: null, dirs: { widget: dist, console: dist } });
    const empty = await mkdtemp(join(tmpdir(), 'parley-empty-'));
    missing = await createRelay({ config: { port: 0 }, logger: 'silent', bot: null, dirs: { widget: empty, console: empty } });
  });
  afterAll(async () => {
    await relay.close();
    await missing.close();
  });

  it('GET /healthz answers {"ok":true}', async () => {
    const res = await fetch(`${relay.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('GET / serves the demo page, which loads the widget (the desk build) with one script tag', async () => {
    const res = await fetch(`${relay.url}/`);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await res.text();
    expect(html).toContain('Parley demo');
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain('<script async src="/parley.js" data-relay="" data-desk></script>');
  });

  it('serves the widget scripts as JavaScript that any site may load', async () => {
    for (const name of ['parley.js', 'parley-widget.js', 'parley-widget-desk.js']) {
      const res = await fetch(`${relay.url}/${name}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    }
    expect(await (await fetch(`${relay.url}/parley.js`)).text()).toBe('console.log("loader")');
  });

  it('serves the language packs next to the widget script, as JavaScript any site may load', async () => {
    const res = await fetch(`${relay.url}/parley-lang-zh.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(await res.text()).toBe('console.log("zh")');
    const desk = await fetch(`${relay.url}/parley-lang-zh-desk.js`);
    expect(desk.status).toBe(200);
    expect(desk.headers.get('access-control-allow-origin')).toBe('*');
    expect(await desk.text()).toBe('console.log("zh desk")');
    // A pack that is not built gets the "build first" hint; an unknown language is a plain 404.
    expect((await fetch(`${relay.url}/parley-lang-ja.js`)).status).toBe(503);
    expect((await fetch(`${relay.url}/parley-lang-fr.js`)).status).toBe(404);
  });

  it('GET /agent serves the console shell with a strict CSP and no framing', async () => {
    const res = await fetch(`${relay.url}/agent`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<title>Parley agent console</title>');
    expect(html).toContain('<div id="app"></div><script src="/agent/console.js"></script>'.replace('><script', '>\n<script'));
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const js = await fetch(`${relay.url}/agent/console.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('answers 503 with a hint to build when the built files are missing', async () => {
    for (const path of ['/parley.js', '/parley-widget.js', '/parley-lang-ko.js', '/agent/console.js']) {
      const res = await fetch(`${missing.url}${path}`);
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('npm run build');
    }
  });

  it('answers unknown paths with a JSON 404', async () => {
    const res = await fetch(`${relay.url}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('refuses malformed login bodies with 400 bad_frame', async () => {
    for (const body of ['{nope', '[]', { username: 'demo' }, { username: '', password: 'x' }, { username: 1, password: 'x' }]) {
      const res = await login(relay.url, body);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'bad_frame' } });
    }
  });

  it('refuses an oversize login body with 413', async () => {
    const res = await login(relay.url, { username: 'demo', password: 'x'.repeat(20_000) });
    expect(res.status).toBe(413);
  });

  it('throttles repeated failed logins for a username, even with the right password afterwards', async () => {
    for (let i = 0; i < missing.config.limits.loginMaxFailures; i++) {
      expect((await login(missing.url, { username: 'demo', password: `wrong${i}` })).status).toBe(401);
    }
    const blocked = await login(missing.url, { username: 'demo', password: 'demo-password' });
    expect(blocked.status).toBe(429);
    expect(await blocked.json()).toMatchObject({ error: { code: 'rate_limited' } });
  });

  it('refuses WebSocket upgrades on other paths', async () => {
    const { WebSocket } = await import('ws');
    const ws = new WebSocket(relay.url.replace('http', 'ws') + '/not-ws');
    const failed = await new Promise<string>((resolve) => ws.on('error', (e) => resolve(String(e))));
    expect(failed).toMatch(/404/);
  });
});

describe('connection timeouts and shutdown', () => {
  let relay: Relay;
  beforeAll(async () => {
    relay = await createRelay({ config: { port: 0, limits: { helloTimeoutMs: 150, idleTimeoutMs: 400 } }, logger: 'silent', bot: null });
  });
  afterAll(async () => {
    await relay.close();
  });

  it('closes a connection that says nothing with 4009', async () => {
    const socket = await connect(relay.url);
    expect((await socket.closed).code).toBe(CloseCode.HelloTimeout);
  });

  it('closes a connection that goes silent after hello, and keeps one that pings', async () => {
    const quiet = await visitor(relay.url);
    const chatty = await visitor(relay.url);
    const pinger = setInterval(() => chatty.socket.send({ type: 'ping' }), 100);
    try {
      expect((await quiet.socket.closed).code).toBe(CloseCode.Normal);
      expect(chatty.socket.ws.readyState).toBe(chatty.socket.ws.OPEN);
    } finally {
      clearInterval(pinger);
      chatty.socket.close();
    }
  });

  it('closes sockets with 1001 when the relay closes', async () => {
    const other = await createRelay({ config: { port: 0 }, logger: 'silent', bot: null });
    const v = await visitor(other.url);
    await other.close();
    expect((await v.socket.closed).code).toBe(CloseCode.GoingAway);
    await expect(fetch(`${other.url}/healthz`)).rejects.toThrow();
  });
});

describe('regression', () => {
  it('a bot that throws does not break the conversation', async () => {
    const relay = await createRelay({
      config: { port: 0 },
      logger: 'silent',
      bot: {
        reply: async () => {
          throw new Error('bot exploded');
        },
      },
    });
    try {
      const v = await visitor(relay.url);
      v.socket.send({ type: 'send', id: 'm1', conversationId: v.conversationId, text: 'hi' });
      await v.socket.next(is.ack('m1'));
      await relay.service.idle();
      v.socket.send({ type: 'send', id: 'm2', conversationId: v.conversationId, text: 'still there?' });
      expect(await v.socket.next(is.ack('m2'))).toMatchObject({ seq: 2 });
      v.socket.close();
    } finally {
      await relay.close();
    }
  });
});

describe('regression - a failing handler', () => {
  class FlakyStore extends MemoryStore {
    failNext = false;
    override async eventsAfter(conversationId: string, afterSeq: number, limit: number) {
      if (this.failNext) {
        this.failNext = false;
        throw new Error('disk on fire');
      }
      return super.eventsAfter(conversationId, afterSeq, limit);
    }
  }

  it('becomes an internal error for that frame only; the connection and the process go on', async () => {
    const store = new FlakyStore();
    const relay = await createRelay({ config: { port: 0 }, logger: 'silent', bot: null, store });
    try {
      const v = await visitor(relay.url);
      store.failNext = true;
      v.socket.send({ type: 'subscribe', id: 's1', conversationId: v.conversationId, afterSeq: 0 });
      const error = await v.socket.next(is.error(ErrorCode.Internal, 's1'));
      expect(error).not.toHaveProperty('message', expect.stringContaining('disk on fire'));
      v.socket.send({ type: 'subscribe', id: 's2', conversationId: v.conversationId, afterSeq: 0 });
      await v.socket.next(is.ack('s2'));
      v.socket.close();
    } finally {
      await relay.close();
    }
  });
});
