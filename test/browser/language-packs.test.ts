// Language packs in a real Chromium against a real relay serving the built bundles (npm test
// builds first): the widget speaks English only, and fetches parley-lang-xx.js (the chat-only
// build) or parley-lang-xx-desk.js (the desk build) from the relay when the visitor picks
// another language or the page declares one.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { haveChromium, useRelayAndBrowser } from './harness.js';

describe.runIf(haveChromium)('language packs in Chromium', () => {
  const fx = useRelayAndBrowser();

  /** A fresh visitor (no remembered language) on `path`, recording which scripts it fetched and how they answered. */
  async function openPage(path: string, html?: string): Promise<{ page: Page; scripts: Map<string, number> }> {
    const context = await fx.browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(8_000);
    page.on('pageerror', (err) => console.error(`[page error] ${path}:`, err));
    const scripts = new Map<string, number>();
    page.on('response', (r) => {
      const url = new URL(r.url());
      if (url.pathname.endsWith('.js')) scripts.set(url.pathname, r.status());
    });
    // A page of the relay's own origin that the relay does not have: the test writes it.
    if (html) await page.route(fx.relay.url + path, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: html }));
    await page.goto(fx.relay.url + path);
    return { page, scripts };
  }

  // The demo page loads the desk build (data-desk), whose packs carry the desk's strings too.
  it('loads parley-lang-zh-desk.js from the relay when the visitor picks 中文 on the demo page, and the UI speaks Chinese', async () => {
    const { page, scripts } = await openPage('/');
    await page.getByRole('button', { name: 'Open chat' }).click();
    const panel = page.getByRole('dialog');
    // The picker is in English (the demo page is lang="en"), and no pack was needed for it.
    await panel.getByRole('button', { name: '中文' }).click();
    await expect.poll(() => panel.getAttribute('lang')).toBe('zh');
    await expect.poll(() => panel.getByLabel('您的消息').count()).toBe(1);
    expect(await panel.getByRole('button', { name: '发送' }).count()).toBe(1);
    await expect.poll(() => panel.getByRole('status').textContent()).toBe('在线');
    expect(scripts.get('/parley-lang-zh-desk.js')).toBe(200);
    // Only the chosen language was fetched.
    expect([...scripts.keys()].filter((p) => p.startsWith('/parley-lang-'))).toEqual(['/parley-lang-zh-desk.js']);
    await page.context().close();
  });

  it('loads parley-lang-ja.js for a page whose script tag says data-lang="ja"', async () => {
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ja page</title></head>
<body><p>A Japanese help page.</p><script async src="/parley.js" data-relay="" data-lang="ja"></script></body></html>`;
    const { page, scripts } = await openPage('/ja-page', html);
    // The loader's own launcher is labelled from its built-in table, before any pack.
    await page.getByRole('button', { name: 'チャットを開く' }).click();
    const panel = page.getByRole('dialog');
    await expect.poll(() => panel.getAttribute('lang')).toBe('ja');
    await expect.poll(() => panel.getByLabel('メッセージ').count()).toBe(1);
    expect(await panel.getAttribute('aria-label')).toBe('サポート');
    // This page has no data-desk: the chat-only widget and its chat-only pack.
    expect(scripts.get('/parley-lang-ja.js')).toBe(200);
    expect(scripts.get('/parley-widget.js')).toBe(200);
    expect([...scripts.keys()].filter((p) => p.includes('desk'))).toEqual([]);
    await page.context().close();
  });
});
