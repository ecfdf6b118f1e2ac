import { describe, expect, it } from 'vitest';
import { createBot } from './from-config.js';
import type { Bot } from './types.js';
import { WebhookBot } from './webhook.js';

const faq: Bot = { reply: async () => ({ text: 'from the FAQ' }) };
const input = { conversation: { id: 'c1', status: 'bot' as const, createdAt: 0, updatedAt: 0, lastSeq: 1 }, text: 'hi', lang: 'en' };

describe('createBot', () => {
  it('is the FAQ bot without a webhook', () => {
    expect(createBot({}, { faq })).toBe(faq);
    expect(createBot({ bot: {} }, { faq })).toBe(faq);
  });

  it('is a WebhookBot with the configured URL, timeout and secret, falling back to the FAQ bot', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const fetch = (async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return new Response('nope', { status: 503 });
    }) as typeof globalThis.fetch;
    const bot = createBot({ bot: { webhook: { url: 'https://bots.example.com/hook', timeoutMs: 500, secret: 'sixteen-chars-or-more' } } }, { faq, fetch, now: () => 42 });
    expect(bot).toBeInstanceOf(WebhookBot);
    expect(await bot.reply(input)).toEqual({ text: 'from the FAQ' });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('https://bots.example.com/hook');
    expect(calls[0]!.init.headers).toMatchObject({ 'x-parley-timestamp': '42', 'x-parley-signature': expect.stringMatching(/^sha256=[0-9a-f]{64}$/) });
  });
});
