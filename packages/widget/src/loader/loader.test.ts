// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WidgetHandle, WidgetOptions } from '../mount.js';
import { startLoader, type LoaderEnv, type ParleyFunction } from './loader.js';

type Win = LoaderEnv['win'];
const win = window as unknown as Win;

/** The snippet sites paste before the script tag, so calls made before it loads are kept. */
function installStub() {
  // prettier-ignore
  win.Parley = win.Parley || function () { (win.Parley!.q = win.Parley!.q || []).push(arguments); };
}

function scriptTag(attrs: Record<string, string> = {}) {
  const el = document.createElement('script');
  el.setAttribute('src', 'https://relay.example/static/parley.js');
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}

/**
 * A fake of parley-widget.js: "loading" it defines window.ParleyWidget, whose mountWidget
 * records the options and every command the loader applies.
 */
function fakeWidget() {
  const log: string[] = [];
  const mounted: WidgetOptions[] = [];
  let release!: () => void;
  const loaded = new Promise<void>((r) => (release = r));
  const urls: string[] = [];
  const loadScript = async (src: string) => {
    urls.push(src);
    await loaded;
    win.ParleyWidget = {
      version: 'test',
      mountWidget(options) {
        mounted.push(options);
        const host = document.createElement('parley-chat');
        document.body.append(host);
        const handle: WidgetHandle = {
          client: {} as WidgetHandle['client'],
          host,
          open: () => void log.push('open'),
          close: () => void log.push('close'),
          toggle: () => void log.push('toggle'),
          shutdown: () => {
            log.push('shutdown');
            host.remove();
          },
        };
        return handle;
      },
    };
  };
  let idleFn: (() => void) | undefined;
  const idle = (fn: () => void) => void (idleFn = fn);
  return { log, mounted, urls, loadScript, idle, release, runIdle: () => idleFn?.() };
}

const settle = () => new Promise((r) => setTimeout(r, 0));
const launcher = () => document.querySelector('parley-launcher')?.shadowRoot?.querySelector('button') ?? null;

afterEach(() => {
  win.Parley?.('shutdown');
  delete win.Parley;
  delete win.ParleyWidget;
  document.body.innerHTML = '';
  document.documentElement.lang = '';
  vi.restoreAllMocks();
});

describe('script-tag loader', () => {
  it('draws the launcher at once, before the widget has loaded, in the page language', () => {
    document.documentElement.lang = 'ru';
    const w = fakeWidget();
    startLoader({ win, script: scriptTag(), loadScript: w.loadScript, idle: w.idle });
    const button = launcher();
    expect(button).not.toBeNull();
    expect(button?.getAttribute('aria-label')).toBe('Открыть чат');
    expect(button?.getAttribute('aria-expanded')).toBe('false');
    expect(w.urls).toEqual([]); // nothing fetched until idle or a click
  });

  it('boots from the script tag: relay from data-relay, else the script origin; widget URL beside the loader', async () => {
    const w = fakeWidget();
    startLoader({ win, script: scriptTag({ 'data-lang': 'ja', 'data-relay': '' }), loadScript: w.loadScript, idle: w.idle });
    expect(launcher()?.getAttribute('aria-label')).toBe('チャットを開く');
    w.runIdle();
    w.release();
    await settle();
    expect(w.urls).toEqual(['https://relay.example/static/parley-widget.js']);
    expect(w.mounted).toEqual([{ relay: 'https://relay.example', lang: 'ja' }]);
    expect(launcher()).toBeNull(); // the widget's own launcher took over
    expect(document.querySelectorAll('parley-chat')).toHaveLength(1);
  });

  it('loads the desk build for data-desk, and keeps the option to itself', async () => {
    const w = fakeWidget();
    startLoader({ win, script: scriptTag({ 'data-desk': '' }), loadScript: w.loadScript, idle: w.idle });
    w.runIdle();
    w.release();
    await settle();
    expect(w.urls).toEqual(['https://relay.example/static/parley-widget-desk.js']);
    expect(w.mounted).toEqual([{ relay: 'https://relay.example' }]);
  });

  it('loads the desk build for boot { desk: true }', async () => {
    const w = fakeWidget();
    const parley = startLoader({ win, script: scriptTag({ 'data-auto-boot': 'false' }), loadScript: w.loadScript, idle: w.idle });
    parley('boot', { desk: true, open: true });
    w.release();
    await settle();
    expect(w.urls).toEqual(['https://relay.example/static/parley-widget-desk.js']);
    expect(w.mounted).toEqual([{ relay: 'https://relay.example', open: true }]);
  });

  it('loads the chat-only build for data-desk="false"', async () => {
    const w = fakeWidget();
    startLoader({ win, script: scriptTag({ 'data-desk': 'false' }), loadScript: w.loadScript, idle: w.idle });
    w.runIdle();
    w.release();
    await settle();
    expect(w.urls).toEqual(['https://relay.example/static/parley-widget.js']);
  });

  it('passes data-transport through to the widget', async () => {
    const w = fakeWidget();
    startLoader({ win, script: scriptTag({ 'data-transport': 'polling' }), loadScript: w.loadScript, idle: w.idle });
    w.runIdle();
    w.release();
    await settle();
    expect(w.mounted).toEqual([{ relay: 'https://relay.example', transport: 'polling' }]);
  });

  it('replays the stub queue in order, then replaces the stub', async () => {
    installStub();
    win.Parley!('boot', { relay: 'https://chat.example', attributes: { plan: 'pro' } });
    win.Parley!('open');
    win.Parley!('close');
    win.Parley!('toggle');
    const stub = win.Parley;
    const w = fakeWidget();
    const parley = startLoader({ win, script: scriptTag({ 'data-auto-boot': 'false' }), loadScript: w.loadScript, idle: w.idle });
    expect(win.Parley).toBe(parley);
    expect(win.Parley).not.toBe(stub);
    // `open` was queued, so the widget is fetched at once instead of waiting for idle.
    expect(w.urls).toEqual(['https://relay.example/static/parley-widget.js']);
    w.release();
    await settle();
    expect(w.mounted).toEqual([{ relay: 'https://chat.example', attributes: { plan: 'pro' } }]);
    expect(w.log).toEqual(['open', 'close', 'toggle']);
  });

  it('queues commands that arrive before the widget loads and applies them after', async () => {
    const w = fakeWidget();
    startLoader({ win, script: scriptTag(), loadScript: w.loadScript, idle: w.idle });
    launcher()!.click(); // the visitor clicks the loader's bubble
    win.Parley!('close');
    win.Parley!('open');
    expect(w.log).toEqual([]);
    w.release();
    await settle();
    expect(w.log).toEqual(['open', 'close', 'open']);
    win.Parley!('toggle'); // after load, commands go straight to the widget
    expect(w.log).toEqual(['open', 'close', 'open', 'toggle']);
  });

  it('does not boot by itself with data-auto-boot="false"', () => {
    const w = fakeWidget();
    startLoader({ win, script: scriptTag({ 'data-auto-boot': 'false' }), loadScript: w.loadScript, idle: w.idle });
    expect(launcher()).toBeNull();
    w.runIdle();
    expect(w.urls).toEqual([]);
  });

  it('warns about unknown commands and keeps going', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    installStub();
    win.Parley!('explode');
    win.Parley!('open');
    const w = fakeWidget();
    startLoader({ win, script: scriptTag(), loadScript: w.loadScript, idle: w.idle });
    win.Parley!('nope', 1);
    w.release();
    await settle();
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([
      'Parley: unknown command "explode" ignored',
      'Parley: unknown command "nope" ignored',
    ]);
    expect(w.log).toEqual(['open']);
  });

  it('shutdown before the widget loads removes the launcher and never mounts', async () => {
    const w = fakeWidget();
    startLoader({ win, script: scriptTag(), loadScript: w.loadScript, idle: w.idle });
    win.Parley!('open');
    win.Parley!('shutdown');
    expect(launcher()).toBeNull();
    w.release();
    await settle();
    expect(w.mounted).toEqual([]);
  });

  it('shutdown after load shuts the widget down', async () => {
    const w = fakeWidget();
    startLoader({ win, script: scriptTag(), loadScript: w.loadScript, idle: w.idle });
    w.runIdle();
    w.release();
    await settle();
    win.Parley!('shutdown');
    expect(w.log).toEqual(['shutdown']);
    expect(document.body.children).toHaveLength(0);
  });

  it('boots again after a shutdown with the new options, without fetching the widget twice', async () => {
    const w = fakeWidget();
    startLoader({ win, script: scriptTag(), loadScript: w.loadScript, idle: w.idle });
    w.runIdle();
    w.release();
    await settle();
    win.Parley!('boot', { relay: 'https://other.example', lang: 'zh' });
    expect(w.log).toEqual(['shutdown']);
    w.runIdle();
    expect(w.mounted).toEqual([{ relay: 'https://relay.example' }, { relay: 'https://other.example', lang: 'zh' }]);
    expect(w.urls).toHaveLength(1);
    expect(document.querySelectorAll('parley-chat')).toHaveLength(1);
  });

  it('refuses to boot without a relay and says how to fix it', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const w = fakeWidget();
    startLoader({ win, script: null, loadScript: w.loadScript, idle: w.idle });
    win.Parley!('boot', {});
    expect(error.mock.calls[0]?.[0]).toMatch(/boot needs a relay URL/);
    expect(launcher()).toBeNull();
  });

  it('without its script tag, fetches the widget from the relay', async () => {
    const w = fakeWidget();
    startLoader({ win, script: null, loadScript: w.loadScript, idle: w.idle });
    win.Parley!('boot', { relay: 'https://chat.example/desk', launcher: false, open: true });
    expect(launcher()).toBeNull();
    expect(w.urls).toEqual(['https://chat.example/desk/parley-widget.js']);
  });

  it('retries on the next click when the widget failed to load', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    let attempts = 0;
    const loadScript = () => Promise.reject(new Error(`offline ${++attempts}`));
    startLoader({ win, script: scriptTag(), loadScript, idle: () => {} });
    launcher()!.click();
    await settle();
    expect(error).toHaveBeenCalledTimes(1);
    launcher()!.click();
    await settle();
    expect(attempts).toBe(2);
  });

  it('leaves an already running loader alone when the tag is on the page twice', () => {
    const w = fakeWidget();
    const first = startLoader({ win, script: scriptTag(), loadScript: w.loadScript, idle: w.idle });
    const second = startLoader({ win, script: scriptTag(), loadScript: w.loadScript, idle: w.idle });
    expect(second).toBe(first);
    expect(document.querySelectorAll('parley-launcher')).toHaveLength(1);
  });
});
