import { render } from 'preact';
import { act } from 'preact/test-utils';
import type { AgentClientOptions, KeyValueStorage } from '@parley/client';
import { ConsoleApp, type LoginFn } from './app.js';
import { createFakeAgentClient, type FakeAgentClient } from './fake-client.js';
import type { TicketApi } from './tickets.js';
import { TOKEN_KEY } from './storage.js';

/** A Map-backed KeyValueStorage whose contents tests can inspect. */
export function memoryStorage(initial: Record<string, string> = {}) {
  const map = new Map(Object.entries(initial));
  const storage: KeyValueStorage & { map: Map<string, string> } = {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
  return storage;
}

export const NOW = 10 * 60_000;
export const TOKEN = 'tok_0123456789abcdef';

/** Renders the console with a fake client; `loggedIn` puts a token in storage first. */
export async function mountApp(options: { loggedIn?: boolean; login?: LoginFn; fake?: FakeAgentClient; tickets?: TicketApi } = {}) {
  const fake = options.fake ?? createFakeAgentClient();
  const storage = memoryStorage(options.loggedIn === false ? {} : { [TOKEN_KEY]: TOKEN });
  const created: AgentClientOptions[] = [];
  const login: LoginFn = options.login ?? (() => Promise.reject(new Error('login not expected')));
  const root = document.createElement('div');
  document.body.append(root);
  await act(() => {
    render(
      <ConsoleApp
        relay="http://relay.test"
        login={login}
        createClient={(o) => {
          created.push(o);
          return fake;
        }}
        storage={storage}
        now={() => NOW}
        tickMs={0}
        {...(options.tickets ? { tickets: () => options.tickets! } : {})}
      />,
      root,
    );
  });
  return {
    root,
    fake,
    storage,
    created,
    unmount: () => {
      render(null, root);
      root.remove();
    },
  };
}

/** The first button whose text contains `text`. */
export function button(root: ParentNode, text: string): HTMLButtonElement {
  const found = [...root.querySelectorAll('button')].find((b) => b.textContent?.includes(text));
  if (!found) throw new Error(`no button with text ${JSON.stringify(text)}`);
  return found;
}

export async function click(el: HTMLElement) {
  await act(() => el.click());
}

export async function type(el: HTMLInputElement | HTMLTextAreaElement, value: string) {
  await act(() => {
    el.value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

export async function key(el: Element, key: string, init: KeyboardEventInit = {}) {
  let event!: KeyboardEvent;
  await act(() => {
    event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init });
    el.dispatchEvent(event);
  });
  return event;
}

/**
 * Lets pending promise callbacks (a fake login or take) run, then re-renders and runs
 * effects. The wait covers work scheduled after an earlier act() returned.
 */
export async function settle() {
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 20));
  });
}

/** A promise with its resolve/reject exposed. */
export function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
