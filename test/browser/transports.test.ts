// Transports in a real Chromium against a real relay serving the built bundles (npm test
// builds first): a page whose WebSocket is blocked still chats (over long-polling), several
// tabs of one visitor stay in step, and a message typed offline survives a reload and is
// delivered exactly once when the network is back.
import { readFile } from 'node:fs/promises';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { haveChromium, useRelayAndBrowser } from './harness.js';

describe.runIf(haveChromium)('transports in Chromium', () => {
  // `pick`: agents take conversations themselves, so the test drives the "Take" step.
  const fx = useRelayAndBrowser({ routing: 'pick' });

  async function newPage(context: BrowserContext): Promise<Page> {
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (err) => console.error('[page error]', err));
    return page;
  }

  /** Open the demo page's chat (picking English unless a tab already chose it). */
  async function openChat(page: Page, pickLanguage = true) {
    await page.goto(fx.relay.url + '/');
    await page.getByRole('button', { name: 'Open chat' }).click();
    if (pickLanguage) await page.getByRole('button', { name: 'English' }).click();
    const panel = page.getByRole('dialog');
    return { panel, box: panel.getByLabel('Your message'), log: panel.getByRole('log'), state: panel.getByRole('status') };
  }

  /** How many times the relay stored a visitor message with this text. */
  async function storedCount(text: string): Promise<number> {
    let n = 0;
    for (const c of await fx.relay.store.listConversations(['bot', 'waiting', 'active', 'closed'], 500)) {
      for (const e of await fx.relay.store.eventsAfter(c.id, 0, 500)) if (e.kind === 'message' && e.text === text) n++;
    }
    return n;
  }

  const occurrences = (haystack: string | null, needle: string) => (haystack ?? '').split(needle).length - 1;

  it('completes visitor -> bot -> agent over long-polling when the page cannot open a WebSocket', { timeout: 60_000 }, async () => {
    const context = await fx.browser.newContext();
    // Like a proxy that refuses the upgrade: every WebSocket fails before it opens.
    await context.addInitScript(() => {
      class BlockedWebSocket extends EventTarget {
        static readonly CONNECTING = 0;
        static readonly OPEN = 1;
        static readonly CLOSING = 2;
        static readonly CLOSED = 3;
        readyState = 0;
        onopen: unknown = null;
        onmessage: unknown = null;
        onerror: ((e: Event) => void) | null = null;
        onclose: ((e: { code: number; reason: string }) => void) | null = null;
        constructor(readonly url: string) {
          super();
          setTimeout(() => {
            this.readyState = 3;
            this.onerror?.(new Event('error'));
            this.onclose?.({ code: 1006, reason: '' });
          }, 50);
        }
        send() {
          throw new Error('not open');
        }
        close() {}
      }
      (window as unknown as { WebSocket: unknown }).WebSocket = BlockedWebSocket;
    });
    const page = await newPage(context);
    const polls: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/poll/')) polls.push(new URL(r.url()).pathname);
    });
    // The agent, on an ordinary WebSocket, is online first: with nobody online the widget
    // offers a ticket instead of the queue.
    const agentContext = await fx.browser.newContext();
    const agent = await newPage(agentContext);
    await agent.goto(fx.relay.url + '/agent');
    await agent.getByLabel('Username').fill('demo');
    await agent.getByLabel('Password').fill('demo-password');
    await agent.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => agent.getByRole('tablist').count()).toBe(1);

    const { panel, box, log, state } = await openChat(page);
    await expect.poll(() => state.textContent()).toBe('Online');

    await box.fill('Where is my deposit?');
    await box.press('Enter');
    await expect.poll(() => log.textContent(), { timeout: 10_000 }).toMatch(/Bot:.*confirmation/is);
    await panel.getByRole('button', { name: 'Talk to a person' }).click();
    await expect.poll(() => log.textContent()).toContain('You are in the queue for a person');
    // The queue position reaches the page over long-polling too.
    await expect.poll(() => panel.locator('.queue').textContent()).toContain('You are number 1 in the queue.');

    // The agent takes it and replies.
    const waiting = agent.getByRole('tabpanel');
    await expect.poll(() => waiting.getByRole('button').count()).toBeGreaterThan(0);
    await waiting.getByRole('button').first().click();
    await agent.getByRole('button', { name: 'Take', exact: true }).click();
    const agentLog = agent.getByRole('log');
    await expect.poll(() => agentLog.textContent()).toContain('Where is my deposit?');
    const reply = agent.getByLabel('Reply');
    await reply.fill('Hello from a person, over polling on your side.');
    await reply.press('Enter');
    await expect.poll(() => log.textContent()).toContain('Hello from a person, over polling on your side.');
    await box.fill('Thanks, polling works');
    await box.press('Enter');
    await expect.poll(() => agentLog.textContent()).toContain('Thanks, polling works');

    // It really went over polling, and each message shows once on each side.
    expect(polls).toContain('/api/poll/hello');
    expect(polls).toContain('/api/poll/events');
    expect(polls).toContain('/api/poll/send');
    expect(occurrences(await log.textContent(), 'Thanks, polling works')).toBe(1);
    expect(occurrences(await agentLog.textContent(), 'Thanks, polling works')).toBe(1);
    await context.close();
    await agentContext.close();
  });

  it('shows the same conversation live in several tabs of one visitor, without duplicates', { timeout: 60_000 }, async () => {
    const context = await fx.browser.newContext();
    const tab1 = await newPage(context);
    const one = await openChat(tab1);
    await expect.poll(() => one.state.textContent()).toBe('Online');
    await one.box.fill('Sent from tab one');
    await one.box.press('Enter');
    await expect.poll(() => one.log.textContent()).toContain('Sent from tab one');

    // Same context = same localStorage = same visitor token and language.
    const tab2 = await newPage(context);
    const two = await openChat(tab2, false);
    await expect.poll(() => two.state.textContent()).toBe('Online');
    await expect.poll(() => two.log.textContent()).toContain('Sent from tab one');

    await two.box.fill('Sent from tab two');
    await two.box.press('Enter');
    await expect.poll(() => one.log.textContent()).toContain('Sent from tab two');
    await expect.poll(() => two.log.textContent()).not.toContain('Sending…');
    await expect.poll(() => one.log.textContent()).not.toContain('Sending…');

    for (const tab of [one, two]) {
      const text = await tab.log.textContent();
      expect(occurrences(text, 'Sent from tab one')).toBe(1);
      expect(occurrences(text, 'Sent from tab two')).toBe(1);
    }
    expect(await storedCount('Sent from tab one')).toBe(1);
    expect(await storedCount('Sent from tab two')).toBe(1);
    await context.close();
  });

  it('keeps a message typed offline as pending across a reload, and delivers it once when back online', { timeout: 60_000 }, async () => {
    const context = await fx.browser.newContext();
    // While offline the page itself must still load: serve it and the bundles from disk.
    const files: Record<string, [string, string]> = {
      '/': ['packages/relay/static/index.html', 'text/html'],
      '/parley.js': ['packages/widget/dist/parley.js', 'text/javascript'],
      '/parley-widget.js': ['packages/widget/dist/parley-widget.js', 'text/javascript'],
      // The demo page asks for the desk build (data-desk).
      '/parley-widget-desk.js': ['packages/widget/dist/parley-widget-desk.js', 'text/javascript'],
    };
    for (const [path, [file, contentType]] of Object.entries(files)) {
      const body = await readFile(new URL(`../../${file}`, import.meta.url));
      await context.route(fx.relay.url + path, (route) => route.fulfill({ body, contentType }));
    }
    const page = await newPage(context);
    const { box, log, state } = await openChat(page);
    await expect.poll(() => state.textContent()).toBe('Online');

    await context.setOffline(true);
    await expect.poll(() => state.textContent()).toBe('Offline');
    const text = 'Typed while offline, withdrawal 42';
    await box.fill(text);
    await box.press('Enter');
    await expect.poll(() => log.textContent()).toContain(text);
    expect(await log.textContent()).toContain('Sending…');

    // Reload while still offline: the message is still there, still pending.
    await page.reload();
    await page.getByRole('button', { name: 'Open chat' }).click();
    const panel = page.getByRole('dialog');
    const log2 = panel.getByRole('log');
    await expect.poll(() => log2.textContent()).toContain(text);
    expect(await log2.textContent()).toContain('Sending…');
    // Not online: retrying (reconnecting) or knowing there is no network (offline).
    expect(['Offline', 'Reconnecting…', 'Connecting…']).toContain(await panel.getByRole('status').textContent());
    expect(await storedCount(text)).toBe(0);

    await context.setOffline(false);
    await expect.poll(() => panel.getByRole('status').textContent(), { timeout: 20_000 }).toBe('Online');
    await expect.poll(() => log2.textContent()).not.toContain('Sending…');
    expect(occurrences(await log2.textContent(), text)).toBe(1);
    expect(await storedCount(text)).toBe(1);
    await context.close();
  });
});
