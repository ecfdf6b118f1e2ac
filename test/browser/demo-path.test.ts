// The whole visitor -> bot -> agent path in a real Chromium, against a real relay serving
// the built bundles (npm test builds first): the demo page with its one script tag, and
// the agent console, in two pages.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { haveChromium, useRelayAndBrowser } from './harness.js';

if (!haveChromium) {
  console.warn('[browser tests] left out: no Chromium at /usr/bin/chromium (apt-get install -y chromium, or set CHROMIUM_PATH)');
  if (process.env.CI) throw new Error('CI needs Chromium for the browser tests');
}

/** A page at the relay's origin that the test serves: the demo page without data-desk. */
const CHAT_ONLY = '/chat-only';

describe.runIf(haveChromium)('demo page and agent console in Chromium', () => {
  // `pick`: agents take conversations themselves, so the test drives the "Take" step.
  const fx = useRelayAndBrowser({ routing: 'pick' });

  /** Every path the page requested from the relay, in order. */
  const requested = new WeakMap<Page, string[]>();

  async function openPage(path: string): Promise<Page> {
    const context = await fx.browser.newContext();
    const page = await context.newPage();
    // Fail on the step that is stuck, well inside the test's own timeout.
    page.setDefaultTimeout(8_000);
    page.on('pageerror', (err) => console.error(`[page error] ${path}:`, err));
    const paths: string[] = [];
    requested.set(page, paths);
    page.on('request', (r) => paths.push(new URL(r.url()).pathname));
    if (path === CHAT_ONLY) {
      // The demo page without data-desk: the chat-only widget, as a site gets it by default.
      const demo = await readFile(new URL('../../packages/relay/static/index.html', import.meta.url), 'utf8');
      const html = demo.replace(' data-desk>', '>');
      expect(html).not.toContain('data-desk>');
      await page.route(fx.relay.url + path, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: html }));
    }
    await page.goto(fx.relay.url + path);
    return page;
  }

  /** An agent logged in to the console. With nobody online the widget offers a ticket instead of the queue. */
  async function agentOnline(): Promise<Page> {
    const agent = await openPage('/agent');
    await agent.getByLabel('Username').fill('demo');
    await agent.getByLabel('Password').fill('demo-password');
    await agent.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => agent.getByRole('tablist').count()).toBe(1);
    return agent;
  }

  it.each([
    ['the desk widget (the demo page, data-desk)', '/', 'parley-widget-desk.js'],
    ['the chat-only widget (no data-desk)', CHAT_ONLY, 'parley-widget.js'],
  ])('plays FAQ question -> bot answer -> talk to a person -> agent takes -> replies both ways -> close, in %s', { timeout: 60_000 }, async (_name, path, bundle) => {
    const agent = await agentOnline();
    // Visitor: the loader's launcher is there at once; a click loads the widget and opens it.
    const visitor = await openPage(path);
    await visitor.getByRole('button', { name: 'Open chat' }).click();
    await visitor.getByRole('button', { name: 'English' }).click();
    const panel = visitor.getByRole('dialog');
    await expect.poll(() => panel.getByRole('status').textContent()).toBe('Online');

    const box = panel.getByLabel('Your message');
    await box.fill('Where is my deposit?');
    await box.press('Enter');
    const log = panel.getByRole('log');
    // The bot answers from the knowledge base (the deposit article mentions confirmations).
    await expect.poll(() => log.textContent(), { timeout: 10_000 }).toMatch(/Bot:.*confirmation/is);

    await panel.getByRole('button', { name: 'Talk to a person' }).click();
    await expect.poll(() => log.textContent()).toContain('You are in the queue for a person');

    // Agent: sees the conversation waiting, takes it, sees the whole transcript.
    const waiting = agent.getByRole('tabpanel');
    // The only waiting conversation is this visitor's (its preview is the bot's last answer).
    await expect.poll(() => waiting.getByRole('button').count()).toBe(1);
    await waiting.getByRole('button').click();
    await agent.getByRole('button', { name: 'Take', exact: true }).click();
    const agentLog = agent.getByRole('log');
    await expect.poll(() => agentLog.textContent()).toContain('Where is my deposit?');
    expect(await agentLog.textContent()).toMatch(/Bot.*confirmation/is);

    const reply = agent.getByLabel('Reply');
    await reply.fill('Hello, I am checking your deposit now.');
    await reply.press('Enter');
    await expect.poll(() => log.textContent()).toContain('Hello, I am checking your deposit now.');
    await expect.poll(() => log.textContent()).toContain('Demo Agent joined');

    await box.fill('Thank you! TxID 0xabc123');
    await box.press('Enter');
    await expect.poll(() => agentLog.textContent()).toContain('Thank you! TxID 0xabc123');

    // The agent closes; the visitor sees it and is offered a new conversation.
    await agent.getByRole('button', { name: 'Close conversation', exact: true }).click();
    await agent.getByRole('button', { name: 'Yes, close it' }).click();
    await expect.poll(() => log.textContent()).toContain('Conversation closed');
    await expect.poll(() => panel.getByRole('button', { name: 'Start a new conversation' }).count()).toBe(1);
    // The page loaded the build it asked for, and only the desk build asks the desk's API.
    const paths = requested.get(visitor)!;
    expect(paths.filter((p) => p.startsWith('/parley-widget'))).toEqual([`/${bundle}`]);
    expect(paths.some((p) => p.startsWith('/api/desk'))).toBe(bundle === 'parley-widget-desk.js');
    await visitor.context().close();
    await agent.context().close();
  });

  it('lets the visitor end the chat from the widget, and the agent sees it closed', async () => {
    const agent = await agentOnline();
    const visitor = await openPage('/');
    await visitor.getByRole('button', { name: 'Open chat' }).click();
    await visitor.getByRole('button', { name: 'English' }).click();
    const panel = visitor.getByRole('dialog');
    const box = panel.getByLabel('Your message');
    await box.fill('I need help with something unusual');
    await box.press('Enter');
    await panel.getByRole('button', { name: 'Talk to a person' }).click();
    await panel.getByRole('button', { name: 'End chat' }).click();
    await expect.poll(() => panel.getByRole('log').textContent()).toContain('Conversation closed');
    // The relay holds it as closed too: the visitor's conversation is no longer open.
    const open = await fx.relay.store.listConversations(['bot', 'waiting', 'active'], 100);
    const closed = await fx.relay.store.listConversations(['closed'], 100);
    const mine: typeof closed = [];
    for (const c of closed) {
      const events = await fx.relay.store.eventsAfter(c.id, 0, 100);
      if (events.some((e) => e.kind === 'message' && e.text.includes('something unusual'))) mine.push(c);
    }
    expect(mine).toHaveLength(1);
    expect(open.some((c) => mine.some((m) => m.id === c.id))).toBe(false);
    await visitor.context().close();
    await agent.context().close();
  });

  it('isolates the widget from the page CSS and the page from the widget CSS (Shadow DOM)', async () => {
    const hostile = `<!doctype html><html lang="en"><head><style>
      * { color: rgb(255, 0, 0) !important; font-family: "Comic Sans MS", cursive !important; letter-spacing: 7px !important; }
      button { background: rgb(0, 255, 0) !important; }
      body { font-size: 40px; text-transform: uppercase; }
    </style></head><body>
      <p id="page-text">Page text</p><button id="page-button">Page button</button>
      <div class="panel msg bar" id="page-div">A page div with the widget's class names</div>
      <script async src="/parley.js" data-lang="en"></script>
    </body></html>`;
    const context = await fx.browser.newContext();
    const page = await context.newPage();
    await page.route(fx.relay.url + '/isolation.html', (route) => route.fulfill({ contentType: 'text/html', body: hostile }));
    await page.goto(fx.relay.url + '/isolation.html');
    await page.getByRole('button', { name: 'Open chat' }).click();
    const title = page.getByRole('dialog').getByRole('heading');
    await title.waitFor();

    // The page's rules do not reach into the shadow root (not even inherited properties).
    const inside = await title.evaluate((el) => {
      const s = getComputedStyle(el);
      return { color: s.color, letterSpacing: s.letterSpacing, transform: s.textTransform, font: s.fontFamily };
    });
    expect(inside.color).not.toBe('rgb(255, 0, 0)');
    expect(inside.letterSpacing).toBe('normal');
    expect(inside.transform).toBe('none');
    expect(inside.font).not.toContain('Comic Sans');
    const send = page.getByRole('dialog').getByRole('button', { name: 'Send' });
    expect(await send.evaluate((el) => getComputedStyle(el).backgroundColor)).not.toBe('rgb(0, 255, 0)');

    // The widget's rules (.panel, .msg, .bar, :host...) do not reach the page.
    const outside = await page.locator('#page-div').evaluate((el) => {
      const s = getComputedStyle(el);
      return { position: s.position, borderTop: s.borderTopWidth, padding: s.paddingTop, background: s.backgroundColor };
    });
    expect(outside).toEqual({ position: 'static', borderTop: '0px', padding: '0px', background: 'rgba(0, 0, 0, 0)' });
    expect(await page.locator('#page-text').evaluate((el) => getComputedStyle(el).fontSize)).toBe('40px');
    // The host element itself is the only thing the widget adds to the light DOM.
    const lightChildren = await page.evaluate(() => [...document.body.children].map((e) => e.tagName.toLowerCase()));
    expect(lightChildren.filter((t) => !['p', 'button', 'div', 'script'].includes(t))).toEqual(['parley-chat']);
    await context.close();
  });

  it('applies Parley() commands queued before the script loaded', async () => {
    const page_ = `<!doctype html><html lang="en"><head><script>
      window.Parley=window.Parley||function(){(window.Parley.q=window.Parley.q||[]).push(arguments)};
      Parley('boot', { lang: 'en', title: 'Queued boot' });
      Parley('open');
    </script></head><body>
      <script async src="/parley.js" data-auto-boot="false"></script>
    </body></html>`;
    const context = await fx.browser.newContext();
    const page = await context.newPage();
    await page.route(fx.relay.url + '/queued.html', (route) => route.fulfill({ contentType: 'text/html', body: page_ }));
    await page.goto(fx.relay.url + '/queued.html');
    // No click: the queued `open` opens the panel once the widget is in.
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.getByRole('heading').textContent(), { timeout: 10_000 }).toBe('Queued boot');
    await page.evaluate(() => (window as unknown as { Parley: (cmd: string) => void }).Parley('close'));
    await expect.poll(() => dialog.count()).toBe(0);
    await page.evaluate(() => (window as unknown as { Parley: (cmd: string) => void }).Parley('shutdown'));
    await expect.poll(() => page.getByRole('button', { name: 'Open chat' }).count()).toBe(0);
    await context.close();
  });
});

describe.runIf(haveChromium)('examples/npm-app in Chromium', () => {
  const dir = new URL('../../examples/npm-app/', import.meta.url);
  // `pick`: agents take conversations themselves, so the test drives the "Take" step.
  const fx = useRelayAndBrowser({ routing: 'pick' });

  it('mounts the npm widget and runs the headless client, both built by rollup from the published entry points', async () => {
    // The app is served from its own origin (a second loopback server), as a real app
    // would be, and talks to the relay cross-origin.
    const html = (await readFile(new URL('index.html', dir), 'utf8')).replace('http://localhost:8787', fx.relay.url);
    const app = await readFile(new URL('dist/app.js', dir), 'utf8');
    const server = createServer((req, res) => {
      const js = req.url === '/dist/app.js';
      res.writeHead(200, { 'content-type': js ? 'text/javascript' : 'text/html' }).end(js ? app : html);
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    const context = await fx.browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(8_000);
    await page.goto(`http://127.0.0.1:${port}/`);

    // Headless client: connects and gets a bot answer into the page's own list.
    await expect.poll(() => page.locator('#headless-state').textContent()).toBe('online');
    await page.getByLabel('Message').fill('I forgot my password');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => page.locator('#headless-log').textContent(), { timeout: 10_000 }).toMatch(/bot: /);

    // The mounted widget opens from the app's own button, in English without the picker.
    await page.getByRole('button', { name: 'Contact support' }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.getByRole('status').textContent()).toBe('Online');
    await context.close();
    server.close();
  });
});
