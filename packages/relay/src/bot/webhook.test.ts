import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConversationSummary } from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Bot, BotInput } from './types.js';
import { WebhookBot, webhookSignature, type WebhookBotOptions } from './webhook.js';

const SECRET = 'a-webhook-secret-of-some-length';
const conversation: ConversationSummary = { id: 'c1', status: 'bot', createdAt: 1, updatedAt: 2, lastSeq: 1, lang: 'en', preview: 'where is my deposit' };
const input: BotInput = { conversation, text: 'where is my deposit?', lang: 'en' };

interface Received {
  method: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real HTTP server on 127.0.0.1; each test sets how it answers. */
let server: Server;
let url: string;
let answer: (req: IncomingMessage, res: ServerResponse, body: string) => void;
let received: Received[];
/** Responses a test left open on purpose (a webhook that never answers), ended after it. */
const hanging: ServerResponse[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ method: req.method ?? '', headers: req.headers, body });
      answer(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook?token=path-secret`;
});

afterEach(() => {
  for (const res of hanging.splice(0)) res.destroy();
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const json = (status: number, data: unknown) => (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(typeof data === 'string' ? data : JSON.stringify(data));
};

const FALLBACK_REPLY = { text: 'the FAQ bot answers' };
const fallback: Bot = { reply: async () => FALLBACK_REPLY };

function setup(options: Partial<WebhookBotOptions> = {}) {
  received = [];
  const warnings: { obj: Record<string, unknown>; msg: string }[] = [];
  const logger = { warn: (obj: Record<string, unknown>, msg: string) => void warnings.push({ obj, msg }) };
  const bot = new WebhookBot({ url, fallback, logger: logger as never, now: () => 1_700_000_000_000, ...options });
  return { bot, warnings };
}

/** Verifies a request the way a receiver would, from the raw body and the two headers only. */
function verify(req: Received, secret: string): boolean {
  const timestamp = String(req.headers['x-parley-timestamp']);
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${req.body}`).digest('hex')}`);
  const given = Buffer.from(String(req.headers['x-parley-signature']));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('WebhookBot', () => {
  it('POSTs the conversation, text and language as JSON, signed over "<timestamp>.<body>"', async () => {
    const { bot } = setup({ secret: SECRET });
    answer = json(200, { text: 'Deposits take 30 minutes.' });
    expect(await bot.reply(input)).toEqual({ text: 'Deposits take 30 minutes.' });
    expect(received).toHaveLength(1);
    const [req] = received as [Received];
    expect(req.method).toBe('POST');
    expect(req.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req.body)).toEqual({ v: 1, conversation, text: 'where is my deposit?', lang: 'en' });
    expect(req.headers['x-parley-timestamp']).toBe('1700000000000');
    expect(verify(req, SECRET)).toBe(true);
    expect(verify(req, 'another-secret-of-some-length')).toBe(false);
    expect(verify({ ...req, body: req.body.replace('deposit?', 'deposit!') }, SECRET)).toBe(false);
    expect(verify({ ...req, headers: { ...req.headers, 'x-parley-timestamp': '1700000000001' } }, SECRET)).toBe(false);
    expect(req.headers['x-parley-signature']).toBe(`sha256=${webhookSignature(SECRET, '1700000000000', req.body)}`);
  });

  it('sends no signature headers without a secret', async () => {
    const { bot } = setup();
    answer = json(200, { text: 'hi' });
    await bot.reply(input);
    expect(received[0]!.headers['x-parley-signature']).toBeUndefined();
    expect(received[0]!.headers['x-parley-timestamp']).toBeUndefined();
  });

  it('relays text, article, suggestions, hand-off and urgency, and ignores unknown keys', async () => {
    const { bot, warnings } = setup();
    answer = json(200, {
      text: 'Connecting you with our security team.',
      articleId: 'account-security',
      suggestions: [{ id: 'reset-2fa', title: 'Reset 2FA' }],
      handoff: true,
      urgent: true,
      receiverNote: 'ignored',
    });
    expect(await bot.reply(input)).toEqual({
      text: 'Connecting you with our security team.',
      articleId: 'account-security',
      suggestions: [{ id: 'reset-2fa', title: 'Reset 2FA' }],
      handoff: true,
      urgent: true,
    });
    expect(warnings).toEqual([]);
  });

  it('stays silent on 204 and on {"text":null}, without asking the fallback', async () => {
    const { bot, warnings } = setup();
    answer = (_req, res) => res.writeHead(204).end();
    expect(await bot.reply(input)).toBeNull();
    answer = json(200, { text: null });
    expect(await bot.reply(input)).toBeNull();
    expect(warnings).toEqual([]);
  });

  it('falls back when the webhook does not answer within timeoutMs', async () => {
    const { bot, warnings } = setup({ timeoutMs: 150 });
    answer = (_req, res) => void hanging.push(res);
    const started = Date.now();
    expect(await bot.reply(input)).toEqual(FALLBACK_REPLY);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(warnings.map((w) => w.obj.reason)).toEqual(['timeout']);
  });

  it('falls back when the body trickles past timeoutMs after the headers', async () => {
    const { bot, warnings } = setup({ timeoutMs: 150 });
    answer = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"text":');
      hanging.push(res);
    };
    expect(await bot.reply(input)).toEqual(FALLBACK_REPLY);
    expect(warnings.map((w) => w.obj.reason)).toEqual(['timeout']);
  });

  it('falls back when the webhook is down', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const { bot, warnings } = setup({ url: `http://127.0.0.1:${port}/hook` });
    expect(await bot.reply(input)).toEqual(FALLBACK_REPLY);
    expect(warnings.map((w) => w.obj.reason)).toEqual(['network error']);
  });

  it.each([
    ['a 500', json(500, { text: 'oops' }), 'unexpected status'],
    ['a 201', json(201, { text: 'created?' }), 'unexpected status'],
    ['a redirect (not followed)', (_req: IncomingMessage, res: ServerResponse) => res.writeHead(302, { location: '/elsewhere' }).end(), 'unexpected status'],
    ['invalid JSON', json(200, '{"text": "unterminated'), 'invalid JSON'],
    ['an empty body', json(200, ''), 'invalid JSON'],
    ['text that is not a string', json(200, { text: 42 }), 'invalid reply shape'],
    ['no text', json(200, { handoff: true }), 'invalid reply shape'],
    ['blank text', json(200, { text: '   ' }), 'invalid reply shape'],
    ['text over 4000 characters', json(200, { text: 'x'.repeat(4001) }), 'invalid reply shape'],
    ['four suggestions', json(200, { text: 'see', suggestions: [1, 2, 3, 4].map((i) => ({ id: `a${i}`, title: 'A' })) }), 'invalid reply shape'],
    ['a bad article id', json(200, { text: 'see', articleId: 'not an id!' }), 'invalid reply shape'],
    ['handoff that is not a boolean', json(200, { text: 'ok', handoff: 'yes' }), 'invalid reply shape'],
    ['an array', json(200, [{ text: 'hi' }]), 'invalid reply shape'],
  ])('falls back on %s', async (_name, handler, reason) => {
    const { bot, warnings } = setup();
    answer = handler;
    expect(await bot.reply(input)).toEqual(FALLBACK_REPLY);
    expect(warnings.map((w) => w.obj.reason)).toEqual([reason]);
  });

  it('reads at most maxResponseBytes: a larger body, declared or streamed, falls back', async () => {
    const { bot, warnings } = setup({ maxResponseBytes: 1024 });
    const big = JSON.stringify({ text: 'x'.repeat(2000) });
    answer = json(200, big); // with content-length
    expect(await bot.reply(input)).toEqual(FALLBACK_REPLY);
    // Chunked, no content-length, and it would never end: only the first bytes are read.
    answer = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(`{"text":"${'x'.repeat(4000)}`);
      hanging.push(res);
    };
    expect(await bot.reply(input)).toEqual(FALLBACK_REPLY);
    expect(warnings.map((w) => w.obj.reason)).toEqual(['response too large', 'response too large']);
  });

  it('accepts a body of exactly maxResponseBytes', async () => {
    const body = JSON.stringify({ text: 'y'.repeat(100) });
    const { bot } = setup({ maxResponseBytes: Buffer.byteLength(body) });
    answer = json(200, body);
    expect(await bot.reply(input)).toEqual({ text: 'y'.repeat(100) });
  });

  it('returns null on a failure when it has no fallback', async () => {
    const { bot, warnings } = setup({ fallback: null });
    answer = json(500, {});
    expect(await bot.reply(input)).toBeNull();
    expect(warnings).toMatchObject([{ obj: { reason: 'unexpected status', status: 500, fallback: false } }]);
  });

  it('never puts the message text or the URL path in its warnings', async () => {
    const { bot, warnings } = setup();
    answer = json(500, {});
    await bot.reply(input);
    const logged = JSON.stringify(warnings);
    expect(logged).not.toContain('deposit');
    expect(logged).not.toContain('path-secret');
    expect(warnings[0]!.obj).toMatchObject({ conversationId: 'c1', webhook: new URL(url).origin, status: 500 });
  });

  it('does not throw when the injected fetch throws synchronously', async () => {
    const { bot, warnings } = setup({
      fetch: () => {
        throw new TypeError('boom');
      },
    });
    expect(await bot.reply(input)).toEqual(FALLBACK_REPLY);
    expect(warnings.map((w) => w.obj.reason)).toEqual(['network error']);
  });

  it('refuses a URL that is not http or https', () => {
    expect(() => new WebhookBot({ url: 'ftp://example.com/hook', fallback: null })).toThrow(/http: or https:/);
  });
});
