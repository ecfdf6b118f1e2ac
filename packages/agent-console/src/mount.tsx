import { render } from 'preact';
import { ConsoleApp, type ConsoleAppProps } from './app.js';
import { CONSOLE_CSS } from './styles.js';

declare global {
  interface Window {
    /** Set before the console script to talk to a relay other than the page's origin. */
    PARLEY_RELAY?: string;
  }
}

/** What {@link mountConsole} needs; everything but the login and the client has a default. */
export type MountOptions = Omit<ConsoleAppProps, 'relay'> & {
  /** @default window.PARLEY_RELAY, else location.origin */
  relay?: string;
  /** @default window */
  window?: Window;
};

const STYLE_ID = 'parley-console-style';

/**
 * Mounts the console into `#app` (created when the page has none), adds its stylesheet once,
 * and returns a function that unmounts it. The relay is `window.PARLEY_RELAY` when set,
 * else the page's origin (the relay serves the console itself).
 *
 * @example
 * import { loginAgent, createAgentClient } from '@parley/client';
 * mountConsole({ login: loginAgent, createClient: createAgentClient });
 */
export function mountConsole(options: MountOptions): () => void {
  const { window: win = window, relay, ...props } = options;
  const doc = win.document;
  if (!doc.getElementById(STYLE_ID)) {
    const style = doc.createElement('style');
    style.id = STYLE_ID;
    style.textContent = CONSOLE_CSS;
    doc.head.appendChild(style);
  }
  let root = doc.getElementById('app');
  if (!root) {
    root = doc.createElement('div');
    root.id = 'app';
    doc.body.appendChild(root);
  }
  if (!doc.title) doc.title = 'Parley agent console';
  const target = root;
  render(<ConsoleApp relay={relay ?? relayFromWindow(win)} {...props} />, target);
  return () => render(null, target);
}

/**
 * The relay base URL for this page: a non-empty `window.PARLEY_RELAY`, else the origin,
 * without a trailing slash.
 *
 * @example
 * relayFromWindow(window); // "https://chat.example.com"
 */
export function relayFromWindow(win: Window): string {
  const configured = win.PARLEY_RELAY;
  const url = typeof configured === 'string' && configured.trim() ? configured.trim() : win.location.origin;
  return url.replace(/\/+$/, '');
}
