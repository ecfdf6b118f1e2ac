// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { httpDesk } from './desk.js';
import { key, mount, msg, settle, type } from './test-helpers.js';
import { SEARCH_DEBOUNCE_MS } from './ui/Help.js';

const button = (root: ShadowRoot, text: string) => [...root.querySelectorAll('button')].find((b) => b.textContent === text);
const buttons = (root: ShadowRoot, text: string) => [...root.querySelectorAll('button')].filter((b) => b.textContent === text);
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('"Did this help?" under a bot answer', () => {
  const answered = [msg('v1', 'visitor', 'Where is my deposit?'), msg('b1', 'bot', 'Deposits are credited after…', { articleId: 'deposit-not-arrived' })];

  it('asks under the bot answer; Yes replaces the buttons with a thank-you, for good, and focus goes to the composer', async () => {
    const { root, $, $$, client } = await mount({ open: true });
    client.transcript.value = answered;
    await settle();
    const fb = $('.bot .fb')!;
    expect(fb.textContent).toContain('Did this help?');
    button(root, 'Yes')!.click();
    await settle();
    expect($('.bot .fb')!.textContent).toBe('Thanks for letting us know!');
    expect(button(root, 'Yes')).toBeUndefined();
    expect(root.activeElement).toBe($('textarea'));
    // A re-render (a new transcript array, the same message) does not ask again.
    client.transcript.value = [...answered];
    await settle();
    expect($$('.fb')).toHaveLength(1);
    expect($('.fb')!.textContent).toBe('Thanks for letting us know!');
  });

  it('No apologises and offers "Talk to a person", which takes focus and hands off like the bar button', async () => {
    const { root, $, client, calls } = await mount({ open: true });
    client.transcript.value = answered;
    await settle();
    button(root, 'No')!.click();
    await settle();
    const fb = $('.fb')!;
    expect(fb.textContent).toContain("Sorry that didn't help.");
    const person = fb.querySelector('button')!;
    expect(person.textContent).toBe('Talk to a person');
    expect(root.activeElement).toBe(person);
    person.click();
    expect(calls.requestHuman).toBe(1);
  });

  it('asks only under the latest bot message, only when it is an article, and not after a hand-off', async () => {
    const { $$, client } = await mount({ open: true });
    client.transcript.value = [...answered, msg('v2', 'visitor', 'and fees?'), msg('b2', 'bot', 'Fees are…', { articleId: 'fees' })];
    await settle();
    expect($$('.fb')).toHaveLength(1);
    expect($$('.msg')[3]!.querySelector('.fb')).not.toBeNull();
    // The bot's newest message is not an article ("I'm not sure…"): nothing to rate.
    client.transcript.value = [...client.transcript.value, msg('v3', 'visitor', 'hmm'), msg('b3', 'bot', "I'm not sure I can answer that.")];
    await settle();
    expect($$('.fb')).toHaveLength(0);
    client.transcript.value = answered;
    client.status.value = 'waiting';
    await settle();
    expect($$('.fb')).toHaveLength(0);
  });
});

const INDEX = {
  categories: [
    { id: 'funding', title: 'Deposits and withdrawals', articles: [{ id: 'deposit', title: 'My deposit has not arrived' }, { id: 'withdraw', title: 'Withdrawal pending' }] },
    { id: 'security', title: 'Security', articles: [{ id: 'twofa', title: 'Reset 2FA' }] },
  ],
};
const BODY = 'Check the TxID. <img src=x onerror="globalThis.pwned=1"> <b>not bold</b>';

/** A relay's HTTP API in memory, as fetch: the desk config, and the help center over INDEX. */
function fakeRelay(topics: { id: string; label: string }[] = []) {
  const urls: URL[] = [];
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const articles = INDEX.categories.flatMap((c) => c.articles.map((a) => ({ ...a, category: c.id })));
  const fetch = (async (input: string) => {
    const url = new URL(input);
    urls.push(url);
    if (url.pathname === '/api/desk') return json({ topics, languages: ['en'], open: true, agentsOnline: 1 });
    if (url.pathname === '/api/help') return json(INDEX);
    if (url.pathname === '/api/help/search') {
      const q = url.searchParams.get('q')!.toLowerCase();
      return json({ results: articles.filter((a) => a.title.toLowerCase().includes(q)).map((a) => ({ ...a, snippet: `${a.title}…` })) });
    }
    const a = articles.find((x) => url.pathname === `/api/help/articles/${x.id}`);
    return a ? json({ ...a, body: BODY }) : json({ error: { code: 'not_found', message: 'no' } }, 404);
  }) as unknown as typeof globalThis.fetch;
  const searches = () => urls.filter((u) => u.pathname === '/api/help/search').map((u) => u.searchParams.get('q'));
  return { desk: httpDesk('https://relay.example', { fetch }), urls, searches };
}

/** The widget, open, with the help center opened from the chat (clicked; not yet settled). */
async function openHelpCenter() {
  const relay = fakeRelay();
  const mounted = await mount({ open: true, desk: relay.desk });
  await settle();
  button(mounted.root, 'Help articles')!.click();
  return { relay, ...mounted };
}

describe('help center', () => {
  it('opens from the chat with the search field focused and labelled, and shows the categories with their articles', async () => {
    const { relay, root, $, $$ } = await openHelpCenter();
    await settle();
    await settle();
    const field = $<HTMLInputElement>('input[type="search"]')!;
    expect(root.activeElement).toBe(field);
    expect($(`label[for="${field.id}"]`)!.textContent).toBe('Search help articles');
    await vi.waitFor(() => expect($$('h4').map((h) => h.textContent)).toEqual(['Deposits and withdrawals', 'Security']));
    expect($$('.help li button').map((b) => b.textContent)).toEqual(['My deposit has not arrived', 'Withdrawal pending', 'Reset 2FA']);
    expect(relay.urls.find((u) => u.pathname === '/api/help')?.searchParams.get('lang')).toBe('en');
  });

  it('searches as the visitor types, once per pause, and announces the count politely; an empty query shows the categories again', async () => {
    const { relay, root, $, $$ } = await openHelpCenter();
    await settle();
    const field = $<HTMLInputElement>('#help-q')!;
    const live = $('.help [aria-live="polite"]')!;
    for (const q of ['d', 'de', 'dep', 'depo']) type(field as unknown as HTMLTextAreaElement, q);
    await wait(SEARCH_DEBOUNCE_MS / 2);
    expect(relay.searches()).toEqual([]);
    await wait(SEARCH_DEBOUNCE_MS + 50);
    await settle();
    expect(relay.searches()).toEqual(['depo']);
    expect(live.textContent).toBe('1 article');
    const hit = $$('.help li button')[0]!;
    expect($$('.help li button').map((b) => b.textContent)).toEqual(['My deposit has not arrived']);
    // The snippet describes the result's button.
    expect(root.getElementById(hit.getAttribute('aria-describedby')!)?.textContent).toBe('My deposit has not arrived…');
    expect($('h4')).toBeNull();
    type(field as unknown as HTMLTextAreaElement, 'e');
    await wait(SEARCH_DEBOUNCE_MS + 50);
    await settle();
    expect(live.textContent).toBe('3 articles');
    type(field as unknown as HTMLTextAreaElement, 'zzz');
    await wait(SEARCH_DEBOUNCE_MS + 50);
    await settle();
    expect(live.textContent).toBe('No articles found.');
    type(field as unknown as HTMLTextAreaElement, '   ');
    await settle();
    expect(live.textContent).toBe('');
    expect($$('h4')).toHaveLength(2);
    await wait(SEARCH_DEBOUNCE_MS + 50);
    expect(relay.searches()).toEqual(['depo', 'e', 'zzz']); // a blank query asks nothing
  });

  it('opens an article as plain text with focus on its title; Back returns to the list and to the article button', async () => {
    const { root, $, $$ } = await openHelpCenter();
    await vi.waitFor(() => expect(button(root, 'Withdrawal pending')).toBeDefined());
    button(root, 'Withdrawal pending')!.click();
    await vi.waitFor(() => expect($('.help .text')).not.toBeNull());
    const title = $('.help h3')!;
    expect(title.textContent).toBe('Withdrawal pending');
    expect(root.activeElement).toBe(title);
    expect($('.help .text')!.textContent).toBe(BODY);
    expect($('img')).toBeNull();
    expect($('b')).toBeNull();
    expect((globalThis as { pwned?: number }).pwned).toBeUndefined();
    button(root, 'Back')!.click();
    await settle();
    expect($$('h4')).toHaveLength(2);
    expect(root.activeElement?.textContent).toBe('Withdrawal pending');
    expect(root.activeElement?.tagName).toBe('BUTTON');
  });

  it('keyboard: Escape empties a filled search first, then closes the panel like anywhere else', async () => {
    const { root, $ } = await openHelpCenter();
    await settle();
    const field = $<HTMLInputElement>('#help-q')!;
    type(field as unknown as HTMLTextAreaElement, 'fees');
    await settle();
    key(field, 'Escape');
    await settle();
    expect(field.value).toBe('');
    expect($('[role="dialog"]')).not.toBeNull();
    key(field, 'Escape');
    await settle();
    expect($('[role="dialog"]')).toBeNull();
  });

  it('starts a chat from an article: back to the chat with the composer focused', async () => {
    const { root, $ } = await openHelpCenter();
    await vi.waitFor(() => expect(button(root, 'Reset 2FA')).toBeDefined());
    button(root, 'Reset 2FA')!.click();
    await vi.waitFor(() => expect($('.help h3')?.textContent).toBe('Reset 2FA'));
    button(root, 'Chat with us')!.click();
    await settle();
    expect($('.help')).toBeNull();
    expect(root.activeElement).toBe($('textarea'));
  });

  it('opens from the start screen (the problem types) before any chat, and goes back to it', async () => {
    const relay = fakeRelay([{ id: 'deposit', label: 'Deposits' }]);
    const { root, $, handle } = await mount({ desk: relay.desk });
    handle.open();
    await settle();
    await settle();
    expect($('#topic-h')).not.toBeNull();
    button(root, 'Help articles')!.click();
    await settle();
    expect(root.activeElement).toBe($('#help-q'));
    button(root, 'Chat with us')!.click();
    await settle();
    expect(root.activeElement?.textContent).toBe('Deposits');
  });

  it('speaks the chosen language and passes it to every request', async () => {
    const relay = fakeRelay();
    const { root, $ } = await mount({ open: true, lang: 'es', desk: relay.desk });
    await settle();
    button(root, 'Artículos de ayuda')!.click();
    await settle();
    expect($('label[for="help-q"]')!.textContent).toBe('Buscar en los artículos de ayuda');
    type($<HTMLTextAreaElement>('#help-q')!, 'dep');
    await wait(SEARCH_DEBOUNCE_MS + 50);
    await settle();
    expect($('.help [aria-live="polite"]')!.textContent).toBe('1 artículo');
    expect(buttons(root, 'Chatear con nosotros')).toHaveLength(1);
    const help = relay.urls.filter((u) => u.pathname.startsWith('/api/help'));
    expect(help.length).toBeGreaterThanOrEqual(2);
    for (const u of help) expect(u.searchParams.get('lang')).toBe('es');
  });
});
