import { describe, expect, it } from 'vitest';
import { fetchHelpArticle, fetchHelpIndex, searchHelp } from './http.js';

/** A fetch that records every URL and answers each with the next of `answers`. */
function fakeFetch(...answers: [status: number, body: unknown][]) {
  const urls: string[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    expect(init.method).toBe('GET');
    urls.push(url);
    const [status, body] = answers.shift() ?? [500, {}];
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }) as unknown as typeof globalThis.fetch;
  return { fetch, urls };
}

const INDEX = { categories: [{ id: 'funding', title: 'Fondos', articles: [{ id: 'deposit', title: 'Depósito' }] }] };
const HIT = { id: 'deposit', title: 'Depósito', category: 'funding', snippet: 'Los depósitos…' };
const ARTICLE = { id: 'deposit', category: 'funding', title: 'Depósito', body: 'Los depósitos se acreditan…' };

describe('help center helpers', () => {
  it('fetchHelpIndex asks /api/help with the language, under the relay prefix', async () => {
    const f = fakeFetch([200, INDEX]);
    expect(await fetchHelpIndex('https://chat.test/support/', 'es', { fetch: f.fetch })).toEqual(INDEX);
    expect(f.urls).toEqual(['https://chat.test/support/api/help?lang=es']);
  });

  it('searchHelp encodes the trimmed query, returns the results, and does not ask for a blank query', async () => {
    const f = fakeFetch([200, { results: [HIT] }]);
    expect(await searchHelp('https://chat.test', '  dépôt & co?  ', 'es', { fetch: f.fetch })).toEqual([HIT]);
    expect(f.urls).toEqual(['https://chat.test/api/help/search?q=d%C3%A9p%C3%B4t%20%26%20co%3F&lang=es']);
    expect(await searchHelp('https://chat.test', '   ', 'es', { fetch: f.fetch })).toEqual([]);
    expect(f.urls).toHaveLength(1);
  });

  it('fetchHelpArticle encodes the id and returns the article', async () => {
    const f = fakeFetch([200, ARTICLE]);
    expect(await fetchHelpArticle('https://chat.test', 'a/b', 'es', { fetch: f.fetch })).toEqual(ARTICLE);
    expect(f.urls).toEqual(['https://chat.test/api/help/articles/a%2Fb?lang=es']);
  });

  it('reject like the other helpers: the relay code, bad_response for a wrong shape, network when unreachable', async () => {
    const relay = 'https://chat.test';
    await expect(fetchHelpArticle(relay, 'nope', 'en', { fetch: fakeFetch([404, { error: { code: 'not_found', message: 'no help article with this id' } }]).fetch })).rejects.toMatchObject({
      name: 'ParleyError',
      code: 'not_found',
      message: 'no help article with this id',
    });
    await expect(searchHelp(relay, 'x'.repeat(201), 'en', { fetch: fakeFetch([400, { error: { code: 'bad_frame', message: 'q is longer than 200 characters' } }]).fetch })).rejects.toMatchObject({
      code: 'bad_frame',
    });
    await expect(fetchHelpIndex(relay, 'en', { fetch: fakeFetch([200, { nope: 1 }]).fetch })).rejects.toMatchObject({ code: 'bad_response' });
    await expect(searchHelp(relay, 'q', 'en', { fetch: fakeFetch([200, { results: 'no' }]).fetch })).rejects.toMatchObject({ code: 'bad_response' });
    await expect(fetchHelpArticle(relay, 'a', 'en', { fetch: fakeFetch([502, 'gateway']).fetch })).rejects.toMatchObject({
      code: 'bad_response',
      message: 'GET /api/help/articles/a?lang=en failed with HTTP 502',
    });
    const failing = (async () => {
      throw new Error('offline');
    }) as unknown as typeof fetch;
    await expect(fetchHelpIndex(relay, 'en', { fetch: failing })).rejects.toMatchObject({ code: 'network' });
  });
});
