// Issue 4 in a real Chromium against a real relay serving the built bundles (npm test
// builds first): queue positions moving across three pages (two visitors, one agent), and
// the ticket form offered when no agent is online, with the ticket looked up afterwards.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRelay, type Relay } from '@parley/relay';
import { haveChromium, launchBrowser } from './harness.js';

const TOPICS = [
  { id: 'deposit', labels: { en: 'Deposits' } },
  { id: 'hacked', labels: { en: 'My account was hacked' }, urgent: true, team: 'security' },
];

describe.runIf(haveChromium)('human hand-off in Chromium', () => {
  let browser: Browser;
  const relays: Relay[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    for (const r of relays) await r.close();
  });

  async function openPage(relay: Relay, path: string): Promise<Page> {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(8_000);
    page.on('pageerror', (err) => console.error(`[page error] ${path}:`, err));
    await page.goto(relay.url + path);
    return page;
  }

  /** A visitor who opens the chat, picks English and a problem type, writes, and asks for a person. */
  async function visitorHandsOff(relay: Relay, text: string) {
    const page = await openPage(relay, '/');
    await page.getByRole('button', { name: 'Open chat' }).click();
    await page.getByRole('button', { name: 'English' }).click();
    const panel = page.getByRole('dialog');
    await panel.getByRole('button', { name: 'Deposits' }).click();
    const box = panel.getByLabel('Your message');
    await box.fill(text);
    await box.press('Enter');
    await expect.poll(() => panel.getByRole('log').textContent(), { timeout: 10_000 }).toContain('Bot');
    await panel.getByRole('button', { name: 'Talk to a person' }).click();
    await expect.poll(() => panel.getByRole('log').textContent()).toContain('You are in the queue for a person');
    return { page, panel };
  }

  it('shows each waiting visitor their place, and moves it when the agent takes the first', { timeout: 90_000 }, async () => {
    const relay = await createRelay({ config: { port: 0, host: '127.0.0.1', routing: 'pick', topics: TOPICS }, logger: 'silent' });
    relays.push(relay);

    // The agent is online first, so the desk is open and the visitors join the queue.
    const agent = await openPage(relay, '/agent');
    await agent.getByLabel('Username').fill('demo');
    await agent.getByLabel('Password').fill('demo-password');
    await agent.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => agent.getByRole('tablist').count()).toBe(1);

    const v1 = await visitorHandsOff(relay, 'Where is my deposit? (visitor one)');
    await expect.poll(() => v1.panel.locator('.queue').textContent()).toContain('You are number 1 in the queue.');
    const v2 = await visitorHandsOff(relay, 'My deposit is late (visitor two)');
    await expect.poll(() => v2.panel.locator('.queue').textContent()).toContain('You are number 2 in the queue.');
    // The place is announced politely to screen readers.
    expect(await v2.panel.locator('.queue [aria-live="polite"]').textContent()).toBe('You are number 2 in the queue.');

    // The agent sees both waiting, oldest first, and takes visitor one's conversation.
    const waiting = agent.getByRole('tabpanel');
    await expect.poll(() => waiting.getByRole('button').count()).toBe(2);
    await waiting.getByRole('button').first().click();
    await expect.poll(() => agent.getByRole('log').textContent()).toContain('visitor one');
    await agent.getByRole('button', { name: 'Take', exact: true }).click();

    // Visitor two moves up; visitor one is with the agent.
    await expect.poll(() => v2.panel.locator('.queue').textContent(), { timeout: 10_000 }).toContain('You are number 1 in the queue.');
    await expect.poll(() => v1.panel.getByRole('log').textContent()).toContain('Demo Agent joined');
    expect(await v1.panel.locator('.queue').count()).toBe(0);
  });

  it('offers a ticket form when no agent is online, shows the number, and looks the ticket up', { timeout: 60_000 }, async () => {
    // No agent logs in: nobody is online, so the desk is not open.
    const relay = await createRelay({ config: { port: 0, host: '127.0.0.1', routing: 'pick', topics: TOPICS }, logger: 'silent' });
    relays.push(relay);
    const page = await openPage(relay, '/');
    await page.getByRole('button', { name: 'Open chat' }).click();
    await page.getByRole('button', { name: 'English' }).click();
    const panel = page.getByRole('dialog');
    await panel.getByRole('button', { name: 'Deposits' }).click();
    await panel.getByRole('button', { name: 'Talk to a person' }).click();

    await expect.poll(() => panel.getByRole('heading', { name: 'Leave a message' }).count()).toBe(1);
    expect(await panel.textContent()).toContain('No one can chat right now');
    expect(await panel.getByLabel('Problem type').inputValue()).toBe('deposit');

    // Keyboard only: submit empty, get told, fill in, submit.
    await panel.getByRole('button', { name: 'Submit' }).press('Enter');
    await expect.poll(() => panel.getByLabel('Subject').getAttribute('aria-invalid')).toBe('true');
    await panel.getByLabel('Subject').fill('Deposit not credited');
    await panel.getByLabel('Description').fill('I sent 0.5 ETH two hours ago. TxID 0xfeed.');
    await panel.getByLabel('Email').fill('visitor@example.com');
    await panel.getByLabel('Email').press('Enter');

    const done = panel.locator('.done');
    await expect.poll(() => done.textContent(), { timeout: 10_000 }).toMatch(/Your ticket number is PX-[0-9A-Z]{8}\./);
    const number = (await done.textContent())!.match(/PX-[0-9A-Z]{8}/)![0];

    // Look it up with number + email (prefilled from the ticket just made).
    await panel.getByRole('button', { name: 'Check a ticket' }).click();
    expect(await panel.getByLabel('Ticket number').inputValue()).toBe(number);
    await panel.getByRole('button', { name: 'Look up' }).click();
    await expect.poll(() => panel.locator('.ticket h4').textContent()).toBe(`${number}: Deposit not credited`);
    expect(await panel.locator('.tstatus').textContent()).toBe('Status: Open');
    expect(await panel.locator('.ticket').textContent()).toContain('I sent 0.5 ETH two hours ago.');

    // A wrong email finds nothing, with the same answer as an unknown number.
    await panel.getByLabel('Email').fill('someone-else@example.com');
    await panel.getByRole('button', { name: 'Look up' }).click();
    await expect.poll(() => panel.textContent()).toContain('No ticket matches this number and email.');
  });
});
