// Shared fixtures for the browser tests: Debian's Chromium driven by playwright-core
// (no browser download), and a real relay on a free loopback port.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { createRelay, type Relay, type RelayOptions } from '@parley/relay';

/** Where Debian's package puts Chromium; override with CHROMIUM_PATH. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** True when the browser tests can run here; they say so clearly when they cannot. */
export const haveChromium = existsSync(chromiumPath);

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    // Without the background-networking flags Chromium keeps trying to reach Google's
    // hosts, which this closed network refuses.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * A relay on a free loopback port and a Chromium for one suite: started before its tests,
 * stopped after. Read `relay` and `browser` inside tests (they are set by then).
 *
 * @example
 * const fx = useRelayAndBrowser({ routing: 'pick' });
 * it('…', async () => { const page = await fx.browser.newPage(); await page.goto(fx.relay.url); });
 */
export function useRelayAndBrowser(config: RelayOptions['config'] = {}): { readonly relay: Relay; readonly browser: Browser } {
  const fx = {} as { relay: Relay; browser: Browser };
  beforeAll(async () => {
    fx.relay = await createRelay({ config: { port: 0, host: '127.0.0.1', ...config }, logger: 'silent' });
    fx.browser = await launchBrowser();
  });
  afterAll(async () => {
    await fx.browser?.close();
    await fx.relay?.close();
  });
  return fx;
}
