// The help center's HTTP API against a real relay with the default knowledge base.
import { HelpArticleSchema, HelpIndexSchema, HelpSearchResponseSchema } from '@parley/protocol';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRelay, type Relay } from '../../packages/relay/src/index.js';

describe('help center HTTP API', () => {
  let relay: Relay;
  beforeAll(async () => {
    // No bot answers chats here: the help center still serves the knowledge base.
    relay = await createRelay({ config: { port: 0 }, logger: 'silent', bot: null });
  });
  afterAll(() => relay.close());

  const get = (path: string, init?: RequestInit) => fetch(`${relay.url}${path}`, { headers: { origin: 'https://shop.example' }, ...init });

  it('GET /api/help lists the categories with their article titles in lang, readable from any origin', async () => {
    const res = await get('/api/help?lang=es');
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const body = v.parse(HelpIndexSchema, await res.json());
    const funding = body.categories.find((c) => c.id === 'funding')!;
    expect(funding.articles).toContainEqual({ id: 'deposit-not-arrived', title: 'Mi depósito no ha llegado' });
    expect(body.categories.every((c) => c.articles.length > 0)).toBe(true);
    // A regional tag uses its primary subtag; an unknown or malformed one falls back to English.
    const zh = await (await get('/api/help?lang=zh-CN')).json();
    expect(JSON.stringify(zh)).toContain('充值未到账');
    for (const lang of ['fr', '<b>', '']) {
      const en = await (await get(`/api/help?lang=${encodeURIComponent(lang)}`)).json();
      expect(JSON.stringify(en)).toContain('My deposit has not arrived');
    }
  });

  it('GET /api/help/search finds articles in every language, answers in lang, at most 8, with short snippets', async () => {
    const res = await get(`/api/help/search?q=${encodeURIComponent('充值 未到账')}&lang=en`);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const { results } = v.parse(HelpSearchResponseSchema, await res.json());
    expect(results[0]).toMatchObject({ id: 'deposit-not-arrived', title: 'My deposit has not arrived', category: 'funding' });
    expect(results[0]!.snippet).toMatch(/^Crypto deposits are credited/);
    for (const r of results) expect(r.snippet.length).toBeLessThanOrEqual(160);
    // A word beginning, as typed so far, finds the title.
    const typed = await (await get('/api/help/search?q=depo&lang=en')).json();
    expect(typed.results.map((r: { id: string }) => r.id)).toContain('deposit-not-arrived');
    // Words common to many articles still give at most 8.
    const many = await (await get(`/api/help/search?q=${encodeURIComponent('account deposit withdrawal password fees 2fa kyc person')}`)).json();
    expect(many.results.length).toBeLessThanOrEqual(8);
  });

  it('answers an empty (or blank) query with no results, and a query over 200 characters with a 400 naming the limit', async () => {
    for (const q of ['', '%20%20%20']) {
      const res = await get(`/api/help/search?q=${q}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ results: [] });
    }
    expect((await (await get('/api/help/search')).json())).toEqual({ results: [] });
    // Trimmed first: 200 characters inside spaces is fine.
    expect((await get(`/api/help/search?q=${encodeURIComponent(` ${'a'.repeat(200)} `)}`)).status).toBe(200);
    const res = await get(`/api/help/search?q=${'a'.repeat(201)}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await res.json()).toEqual({ error: { code: 'bad_frame', message: 'q is longer than 200 characters' } });
  });

  it('GET /api/help/articles/:id returns the article in lang; unknown and malformed ids are a 404 readable cross-origin', async () => {
    const res = await get('/api/help/articles/fees?lang=ja');
    expect(res.status).toBe(200);
    const article = v.parse(HelpArticleSchema, await res.json());
    expect(article).toMatchObject({ id: 'fees', category: 'fees' });
    expect(article.body).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
    for (const id of ['no-such-article', 'x'.repeat(65), '..%2F..%2Fetc', '%3Cscript%3E']) {
      const miss = await get(`/api/help/articles/${id}`);
      expect(miss.status, id).toBe(404);
      expect(miss.headers.get('access-control-allow-origin')).toBe('*');
      expect(await miss.json()).toMatchObject({ error: { code: 'not_found' } });
    }
  });

  it('is GET only', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const res = await get('/api/help/articles/fees', { method });
      expect(res.status, method).toBe(404);
    }
  });
});

describe('help center HTTP API under a flood', () => {
  let relay: Relay;
  beforeAll(async () => {
    relay = await createRelay({ config: { port: 0, limits: { helpRequestsPerSecond: 1, helpBurst: 3 } }, logger: 'silent', bot: null });
  });
  afterAll(() => relay.close());

  it('answers 429 rate_limited with Retry-After past the burst, readable cross-origin, and leaves other routes alone', async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 5; i++) {
      last = await fetch(`${relay.url}/api/help/search?q=deposit&lang=en`);
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses.slice(3)).toEqual([429, 429]);
    expect(last!.headers.get('retry-after')).toBe('1');
    expect(last!.headers.get('access-control-allow-origin')).toBe('*');
    expect(await last!.json()).toMatchObject({ error: { code: 'rate_limited' } });
    // The index and articles share the budget; the desk does not.
    expect((await fetch(`${relay.url}/api/help`)).status).toBe(429);
    expect((await fetch(`${relay.url}/api/desk`)).status).toBe(200);
  });
});
