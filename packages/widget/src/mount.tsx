import { createVisitorChat, createVisitorClient, type TransportChoice, type VisitorClient } from '@parley/client';
import type { VisitorUser } from '@parley/protocol';
import { render } from 'preact';
import { buildContext, readPage } from './context.js';
import { httpDesk, type DeskApi } from './desk.js';
import type { LangSource, StringOverrides } from './i18n.js';
import { LANG_KEY, createModel, type LangStorage } from './model.js';
import { matchLang } from './shared.js';
import { CSS } from './styles.js';
import { App } from './ui/App.js';
import { DESK } from './variant.js';

/**
 * Options for {@link mountWidget}.
 *
 * @example
 * const options: WidgetOptions = { relay: 'https://chat.example.com', lang: 'ko', appVersion: '4.2.0' };
 */
export interface WidgetOptions {
  /** The relay's base URL, e.g. `https://chat.example.com`. Required unless `client` is given. */
  relay: string;
  /**
   * The visitor's language (`en`, `zh`, `es`, `ru`, `ja`, `ko`; regional tags like `zh-CN` match).
   * @default the visitor's earlier choice; if none, a language picker is shown first
   */
  lang?: string;
  /** Your app's version, shown to agents. */
  appVersion?: string;
  /** Custom context shown to agents (plan, user id…): at most 50, strings up to 2048 characters. */
  attributes?: Record<string, string>;
  /** Panel title. @default 'Support', translated */
  title?: string;
  /** Replace any UI string, per language: `{ en: { title: 'Help' } }`. */
  strings?: StringOverrides;
  /** Start with the panel open. @default false */
  open?: boolean;
  /** Show the round launcher button; without it, open the panel with the handle. @default true */
  launcher?: boolean;
  /** Element to put the widget's host element in. @default document.body */
  target?: HTMLElement;
  /** The headless client to use (tests, or an app that already has one). @default createVisitorClient */
  client?: VisitorClient;
  /** Where the language choice is remembered. `null` remembers nothing. @default localStorage */
  storage?: LangStorage | null;
  /**
   * How the chat connects: `'auto'` (WebSocket, falling back to long-polling where a proxy
   * breaks WebSockets), `'websocket'`, `'polling'`, or a custom transport. Script tag: `data-transport`.
   * @default 'auto'
   */
  transport?: TransportChoice;
  /**
   * Who your site says the visitor is, for identity verification: `hash` is the hex
   * HMAC-SHA256 of `id` with the desk's identity secret, computed on your server (never
   * put the secret in the page). Agents see "verified" only when it matches.
   */
  user?: VisitorUser;
  /** The desk's HTTP API (pre-chat topics, tickets). @default httpDesk(relay) */
  desk?: DeskApi;
}

/**
 * Controls a mounted widget.
 *
 * @example
 * const chat: WidgetHandle = mountWidget({ relay: 'https://chat.example.com', launcher: false });
 * helpButton.onclick = () => chat.toggle();
 * logoutButton.onclick = () => chat.shutdown();
 */
export interface WidgetHandle {
  /** Open the panel and move focus into it. */
  open(): void;
  /** Close the panel (focus returns to the launcher if it was inside the panel). */
  close(): void;
  toggle(): void;
  /** Unmount, disconnect the client and remove the host element. Later calls do nothing. */
  shutdown(): void;
  /** The visitor client behind the widget, for custom UI around it. */
  readonly client: VisitorClient;
  /** The widget's host element (its shadow root holds the UI). */
  readonly host: HTMLElement;
}

/** Save a text file through a Blob URL and a temporary `<a download>` (text only, never HTML). */
function saveText(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoke later: some browsers start the download after the click handler returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Put the chat widget on the page with the given source of translations. Internal: the
 * npm build's `mountWidget` passes all six languages, the script-tag build loads them on demand.
 */
export function mountWith(options: WidgetOptions, langs: LangSource): WidgetHandle {
  if (typeof document === 'undefined') throw new Error('Parley: mountWidget needs a browser document');
  if (!options || typeof options !== 'object') throw new TypeError('Parley: mountWidget needs an options object with `relay`');
  let storage = options.storage;
  let stored: string | null | undefined;
  try {
    // Reading `localStorage` itself throws when storage is blocked (sandboxed frames, some privacy modes).
    if (storage === undefined) storage = globalThis.localStorage;
    stored = storage?.getItem(LANG_KEY);
  } catch {
    // No storage, or nothing readable in it: the choice lasts for this page only.
  }
  storage ??= null;
  const lang = matchLang(options.lang) ?? matchLang(stored);
  if (options.lang && !matchLang(options.lang)) {
    console.warn(`Parley: language "${String(options.lang)}" is not supported; the visitor will be asked to choose`);
  }

  let client = options.client;
  let desk = options.desk;
  if (!client || !desk) {
    let relay: string;
    try {
      relay = new URL(options.relay).href;
    } catch {
      throw new TypeError(`Parley: options.relay must be an absolute URL like https://chat.example.com (got ${JSON.stringify(options.relay)})`);
    }
    // The chat-only build (variant.ts) has no desk UI: it neither asks the desk's HTTP API nor
    // carries the client's desk extras; nothing there reads them.
    if (DESK) desk ??= httpDesk(relay);
    client ??= (DESK ? createVisitorClient : (createVisitorChat as typeof createVisitorClient))({
      relay,
      lang: lang ?? undefined,
      transport: options.transport,
      user: options.user && typeof options.user === 'object' ? options.user : undefined,
      context: buildContext(readPage(), options),
    });
  }

  const host = document.createElement('parley-chat');
  (options.target ?? document.body).appendChild(host);
  const shadow = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = CSS;
  const root = document.createElement('div');
  root.className = 'root';
  shadow.append(style, root);

  const model = createModel({
    client,
    lang,
    // The page's declared language first (the loader's launcher label uses the same order).
    guess: matchLang(document.documentElement.lang) ?? matchLang(globalThis.navigator?.language) ?? 'en',
    open: options.open === true,
    launcher: options.launcher !== false,
    title: options.title,
    strings: options.strings,
    langs,
    storage,
    desk: desk!, // undefined only in the chat-only build, which never uses it
    download: saveText,
    focused: () => shadow.activeElement,
    outside: () => document.activeElement,
  });
  render(<App m={model} />, root);

  let alive = true;
  const handle: WidgetHandle = {
    client,
    host,
    open: () => alive && model.setOpen(true),
    close: () => alive && model.setOpen(false),
    toggle: () => alive && model.setOpen(!model.open.value),
    shutdown() {
      if (!alive) return;
      alive = false;
      render(null, root);
      model.dispose();
      client.disconnect();
      host.remove();
    },
  };
  return handle;
}
