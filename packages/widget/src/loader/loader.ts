/**
 * The script-tag loader (dist/parley.js). Budget: 2 KB gzip, so plain DOM only: it draws
 * the launcher at once, keeps `window.Parley(...)` working, and fetches the full widget
 * (parley-widget.js) on first use or when the page is idle, then hands over to it.
 *
 * Handshake: parley-widget.js defines `window.ParleyWidget = { mountWidget, version }`
 * when it runs; once the script's load event fires, the loader mounts the widget with the
 * boot options, removes its own launcher and replays the commands that arrived meanwhile.
 */
import type { WidgetGlobal } from '../browser-entry.js';
import type { WidgetHandle, WidgetOptions } from '../mount.js';
import { HOST_CSS, ICON_PATH, LAUNCHER_CSS, OPEN_LABELS, WIDGET_GLOBAL, matchLang } from '../shared.js';

/** `window.Parley`: call it with a command name and its arguments. */
export interface ParleyFunction {
  (command: string, ...args: unknown[]): void;
  /** The stub's queue of calls made before the loader ran. */
  q?: ArrayLike<unknown>[];
  /** Set on the real function, so a second copy of the loader leaves it alone. */
  loaded?: boolean;
}

/** Options of the `boot` command: the widget's options, minus what only code can pass. */
export type BootOptions = Omit<WidgetOptions, 'client' | 'target' | 'storage' | 'desk'> & {
  /**
   * Load the widget with the support desk's UI (parley-widget-desk.js: pre-chat problem type,
   * queue position and wait, typing, ticket form and lookup, rating, transcript tools) instead
   * of the chat alone (parley-widget.js). Also `data-desk` on the script tag. @default false
   */
  desk?: boolean;
};

export interface LoaderEnv {
  win: Window & { Parley?: ParleyFunction; [WIDGET_GLOBAL]?: WidgetGlobal };
  /** The loader's own <script> (`document.currentScript` when it ran); gives data-* and the widget's URL. */
  script?: HTMLScriptElement | null;
  /** Load a script by URL. @default a <script async> in <head>, with the loader's CSP nonce */
  loadScript?: (src: string) => Promise<unknown>;
  /** Run a function when the page is idle. @default requestIdleCallback, else setTimeout */
  idle?: (fn: () => void) => void;
}

const COMMANDS = ['open', 'close', 'toggle'] as const;
type Command = (typeof COMMANDS)[number];

/**
 * Start the loader: replay the stub's queued calls in order, then replace the stub with
 * the real `window.Parley`, which it returns.
 *
 * @example
 * // entry.ts, the whole script-tag file:
 * startLoader({ win: window, script: document.currentScript as HTMLScriptElement | null });
 */
export function startLoader(env: LoaderEnv): ParleyFunction {
  const { win, script } = env;
  const doc = win.document;
  const stub = win.Parley;
  if (stub?.loaded) return stub; // the tag is on the page twice: one loader is enough

  const loadScript =
    env.loadScript ??
    ((src: string) =>
      new Promise((resolve, reject) => {
        const el = doc.createElement('script');
        el.src = src;
        el.async = true;
        // Pages with a strict CSP let our loader run by nonce; the widget needs the same one.
        if (script?.nonce) el.nonce = script.nonce;
        el.onload = resolve;
        el.onerror = () => reject(new Error(`could not load ${src}`));
        doc.head.appendChild(el);
      }));
  const idle =
    env.idle ??
    ((fn: () => void) => (win.requestIdleCallback ? win.requestIdleCallback(fn, { timeout: 5000 }) : win.setTimeout(fn, 2000)));

  const data = script?.dataset ?? {};
  let src: URL | undefined;
  try {
    src = script?.src ? new URL(script.src) : undefined;
  } catch {
    src = undefined;
  }

  let booted: BootOptions | null = null;
  let handle: WidgetHandle | null = null;
  let host: HTMLElement | null = null;
  let loading: Promise<void> | null = null;
  // Commands for the widget that arrive before it is loaded, applied in order once it is.
  let pending: Command[] = [];

  const whenBody = (fn: () => void) =>
    doc.body ? fn() : doc.addEventListener('DOMContentLoaded', fn, { once: true });

  function draw(lang: string | undefined) {
    whenBody(() => {
      if (!booted || handle || host) return;
      host = doc.createElement('parley-launcher');
      const root = host.attachShadow({ mode: 'open' });
      const style = doc.createElement('style');
      style.textContent = HOST_CSS + LAUNCHER_CSS;
      const button = doc.createElement('button');
      button.className = 'launcher';
      button.type = 'button';
      button.setAttribute('aria-expanded', 'false');
      const label = OPEN_LABELS[matchLang(lang) ?? matchLang(doc.documentElement.lang) ?? matchLang(win.navigator.language) ?? 'en'];
      button.setAttribute('aria-label', label);
      // Fixed markup, no outside input: the icon is a constant path.
      button.innerHTML = `<svg viewBox="0 0 24 24" aria-hidden="true"><path d="${ICON_PATH}"/></svg>`;
      button.onclick = () => run('open');
      root.append(style, button);
      doc.body.appendChild(host);
    });
  }

  function load() {
    // Already here: booted again after a shutdown, or the page included parley-widget.js itself.
    if (win[WIDGET_GLOBAL]) return takeOver();
    if (!booted || loading) return;
    const base = src ?? new URL(booted.relay + '/');
    const url = new URL(booted.desk ? 'parley-widget-desk.js' : 'parley-widget.js', base).href;
    loading = loadScript(url).then(takeOver, (e) => {
      loading = null; // a later click tries again
      console.error('Parley: the chat widget did not load', e);
    });
  }

  function takeOver() {
    const api = win[WIDGET_GLOBAL];
    if (!booted || handle) return; // shut down while loading, or already mounted
    if (!api) return console.error(`Parley: parley-widget.js loaded but did not define window.${WIDGET_GLOBAL}`);
    const focused = doc.activeElement === host;
    const { desk: _variant, ...options } = booted;
    handle = api.mountWidget(options);
    host?.remove();
    host = null;
    if (focused) (handle.host.shadowRoot?.querySelector('.launcher') as HTMLElement | null)?.focus();
    const todo = pending;
    pending = [];
    for (const c of todo) handle[c]();
  }

  function boot(options: unknown) {
    if (booted) shutdown();
    const given = options && typeof options === 'object' ? (options as Partial<BootOptions>) : {};
    const opts = {
      ...(data.lang ? { lang: data.lang } : {}),
      ...(data.transport ? { transport: data.transport as BootOptions['transport'] } : {}),
      ...(data.desk !== undefined ? { desk: data.desk !== 'false' } : {}),
      ...given,
      relay: given.relay || data.relay || src?.origin || '',
    };
    try {
      new URL(opts.relay);
    } catch {
      return console.error('Parley: boot needs a relay URL, e.g. Parley("boot", { relay: "https://chat.example.com" })');
    }
    booted = opts;
    if (opts.launcher !== false) draw(opts.lang);
    if (opts.open || pending.some((c) => c !== 'close')) load();
    else idle(load);
  }

  function shutdown() {
    handle?.shutdown();
    host?.remove();
    booted = handle = host = null;
    pending = [];
  }

  function run(command: unknown, arg?: unknown) {
    if (command === 'boot') return boot(arg);
    if (command === 'shutdown') return shutdown();
    if (!COMMANDS.includes(command as Command)) return console.warn(`Parley: unknown command "${String(command)}" ignored`);
    const c = command as Command;
    if (handle) return handle[c]();
    pending.push(c);
    if (c !== 'close') load();
  }

  const parley: ParleyFunction = (command, ...args) => run(command, args[0]);
  parley.loaded = true;

  if (script && data.autoBoot !== 'false') run('boot');
  for (const args of Array.from(stub?.q ?? [])) {
    // One bad queued call must not stop the ones after it.
    try {
      run(args[0], args[1]);
    } catch (e) {
      console.error('Parley:', e);
    }
  }
  win.Parley = parley;
  return parley;
}
