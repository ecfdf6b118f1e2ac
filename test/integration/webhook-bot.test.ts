import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventFrame } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRelay, loadConfig, type Relay } from '../../packages/relay/src/index.js';
import { is, visitor, type TestSocket } from './helpers.js';

// A relay configured with `bot.webhook` asks a real HTTP server on 127.0.0.1 for its answers,
// and the FAQ bot answers when that server is down or too slow.

const SECRET = 'integration-webhook-secret';

interface Call {
  headers: IncomingMessage['headers'];
  body: string;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** A webhook that answers by the visitor's text; "slow" never answers. */
function webhookServer(calls: Call[], hanging: ServerResponse[]): Server {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      calls.push({ headers: req.headers, body });
      const { text } = JSON.parse(body) as { text: string };
      if (text === 'slow') return void hanging.push(res);
      const reply =
        text === 'my account was hacked'
          ? { text: 'Our security team is on it.', handoff: true, urgent: true }
          : text === 'quiet'
            ? null
            : { text: `Webhook says: ${text.length} characters received.`, articleId: 'custom-answer', suggestions: [{ id: 'fees', title: 'Fees' }] };
      if (reply === null) return void res.writeHead(204).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
    });
  });
}

const sockets: TestSocket[] = [];
const botMessage = (cid: string) => is.event(cid, (e) => e.kind === 'message' && e.author.role === 'bot');

async function ask(relay: Relay, text: string, lang = 'en') {
  const v = await visitor(relay.url, { lang });
  sockets.push(v.socket);
  v.socket.send({ type: 'subscribe', id: 'sub', conversationId: v.conversationId, afterSeq: 0 });
  await v.socket.next(is.ack('sub'));
  v.socket.send({ type: 'send', id: 'q1', conversationId: v.conversationId, text });
  return v;
}

afterAll(() => {
  for (const s of sockets) s.close();
});

describe('a relay with a webhook bot', () => {
  const calls: Call[] = [];
  const hanging: ServerResponse[] = [];
  let hook: Server;
  let relay: Relay;

  beforeAll(async () => {
    hook = webhookServer(calls, hanging);
    const base = await listen(hook);
    relay = await createRelay({ config: { port: 0, bot: { webhook: { url: `${base}/parley`, timeoutMs: 300, secret: SECRET } } }, logger: 'silent' });
  });

  afterAll(async () => {
    await relay.close();
    for (const res of hanging) res.destroy();
    await stop(hook);
  });

  it('posts the visitor’s message to the webhook, signed, and the webhook’s reply shows in the conversation', async () => {
    const { socket, conversationId } = await ask(relay, 'Where is my deposit?');
    const reply = await socket.next<EventFrame>(botMessage(conversationId));
    expect(reply.event).toMatchObject({
      author: { role: 'bot', name: 'Parley' },
      text: 'Webhook says: 20 characters received.',
      articleId: 'custom-answer',
      suggestions: [{ id: 'fees', title: 'Fees' }],
    });
    const call = calls.find((c) => (JSON.parse(c.body) as { conversation: { id: string } }).conversation.id === conversationId)!;
    expect(JSON.parse(call.body)).toMatchObject({ v: 1, text: 'Where is my deposit?', lang: 'en', conversation: { id: conversationId, status: 'bot' } });
    const timestamp = String(call.headers['x-parley-timestamp']);
    expect(call.headers['x-parley-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${call.body}`).digest('hex')}`);
  });

  it('hands off, urgently, when the webhook says so', async () => {
    const { socket, conversationId } = await ask(relay, 'my account was hacked');
    await socket.next(botMessage(conversationId));
    await socket.next(is.event(conversationId, (e) => e.kind === 'status' && e.status === 'waiting' && e.by === 'bot'));
    expect(await relay.store.getConversation(conversationId)).toMatchObject({ status: 'waiting', priority: 'urgent' });
  });

  it('stays silent when the webhook answers 204', async () => {
    const { socket, conversationId } = await ask(relay, 'quiet');
    await socket.next(is.event(conversationId, (e) => e.kind === 'message' && e.clientId === 'q1'));
    await relay.service.idle();
    await socket.none(botMessage(conversationId), 100);
  });

  it('lets the FAQ bot answer when the webhook is slower than timeoutMs', async () => {
    const { socket, conversationId } = await ask(relay, 'slow');
    const reply = await socket.next<EventFrame>(botMessage(conversationId));
    // "slow" matches no article: the FAQ bot's own "not sure" sentence, not the webhook's.
    expect(reply.event.kind === 'message' && reply.event.text).toMatch(/not sure/);
  });
});

describe('a relay whose webhook server is down', () => {
  let relay: Relay;

  beforeAll(async () => {
    const gone = createServer();
    const url = `${await listen(gone)}/parley`;
    await stop(gone); // nothing listens on that port any more
    // Configured the way the CLI is: loadConfig from the environment.
    const config = await loadConfig({ env: { PARLEY_BOT_WEBHOOK_URL: url }, port: 0 });
    expect(config.bot).toEqual({ webhook: { url } });
    relay = await createRelay({ config, logger: 'silent' });
  });

  afterAll(async () => {
    await relay.close();
  });

  it('answers from the FAQ knowledge base instead', async () => {
    const { socket, conversationId } = await ask(relay, 'My deposit has not arrived yet');
    const reply = await socket.next<EventFrame>(botMessage(conversationId));
    expect(reply.event).toMatchObject({ articleId: 'deposit-not-arrived' });
  });
});
