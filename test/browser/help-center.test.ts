// Issue 6 in a real Chromium against a real relay serving the built bundles (npm test builds
// first): a visitor on the demo page (the desk build) reads the help center before chatting,
// then gets a bot answer in the chat, says it did not help, and is offered a person.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { haveChromium, useRelayAndBrowser } from './harness.js';

describe.runIf(haveChromium)('help center and "Did this help?" in Chromium', () => {
  const fx = useRelayAndBrowser({ routing: 'pick' });

  async function openPage(path: string): Promise<Page> {
    const page = await (await fx.browser.newContext()).newPage();
    page.setDefaultTimeout(8_000);
    page.on('pageerror', (err) => console.error(`[page error] ${path}:`, err));
    await page.goto(fx.relay.url + path);
    return page;
  }

  it('searches as the visitor types, opens an article, then a bot answer that did not help offers a person', { timeout: 60_000 }, async () => {
    // An agent is online, so "Talk to a person" joins the queue rather than offering a ticket.
    const agent = await openPage('/agent');
    await agent.getByLabel('Username').fill('demo');
    await agent.getByLabel('Password').fill('demo-password');
    await agent.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => agent.getByRole('tablist').count()).toBe(1);

    const visitor = await openPage('/');
    await visitor.getByRole('button', { name: 'Open chat' }).click();
    await visitor.getByRole('button', { name: 'English' }).click();
    const panel = visitor.getByRole('dialog');
    await panel.getByRole('button', { name: 'Help articles' }).click();

    // The labelled search field has focus; the categories show until something is typed.
    const search = panel.getByRole('searchbox', { name: 'Search help articles' });
    await expect.poll(() => search.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
    await expect.poll(() => panel.getByRole('heading', { level: 4 }).count()).toBeGreaterThan(1);
    await visitor.keyboard.type('withdrawal', { delay: 30 });
    const live = panel.locator('.help [aria-live="polite"]');
    await expect.poll(() => live.textContent()).toMatch(/^\d+ articles?$/);
    expect(await panel.getByRole('heading', { level: 4 }).count()).toBe(0);

    // Open the first hit with the keyboard: its title becomes the heading, its body plain text.
    await panel.getByRole('button', { name: 'My withdrawal is pending' }).focus();
    await visitor.keyboard.press('Enter');
    await expect.poll(() => panel.getByRole('heading', { level: 3 }).textContent()).toBe('My withdrawal is pending');
    expect(await panel.locator('.help .text').textContent()).toContain('Most withdrawals are processed within 30 minutes.');
    await panel.getByRole('button', { name: 'Back' }).click();
    await expect.poll(() => search.inputValue()).toBe('withdrawal');
    await panel.getByRole('button', { name: 'Chat with us' }).click();

    // The chat: the bot answers from an article and asks whether it helped.
    const box = panel.getByLabel('Your message');
    await box.fill('Where is my deposit?');
    await box.press('Enter');
    const feedback = panel.locator('.bot .fb');
    await expect.poll(() => feedback.textContent(), { timeout: 10_000 }).toContain('Did this help?');
    await feedback.getByRole('button', { name: 'No' }).click();
    await expect.poll(() => feedback.textContent()).toContain("Sorry that didn't help.");
    await feedback.getByRole('button', { name: 'Talk to a person' }).click();
    await expect.poll(() => panel.getByRole('log').textContent()).toContain('You are in the queue for a person');
    // After the hand-off the question is gone.
    expect(await panel.locator('.fb').count()).toBe(0);
  });
});
