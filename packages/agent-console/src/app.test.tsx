// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { ConsoleApp, type LoginFn } from './app.js';
import { TOKEN_KEY } from './storage.js';
import { strings } from './strings.js';
import { button, click, deferred, memoryStorage, mountApp, settle, TOKEN, type } from './test-helpers.js';

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

async function fillLogin(root: HTMLElement, user: string, pass: string) {
  await type(root.querySelector<HTMLInputElement>('input[name=username]')!, user);
  await type(root.querySelector<HTMLInputElement>('input[name=password]')!, pass);
}

async function submit(root: HTMLElement) {
  // Enter in a field submits the form; happy-dom has no implicit submission, so submit directly.
  await act(() => {
    root.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  });
}

describe('login', () => {
  it('labels both fields', async () => {
    const app = await mountApp({ loggedIn: false });
    cleanup = app.unmount;
    const user = app.root.querySelector<HTMLInputElement>('input[name=username]')!;
    const pass = app.root.querySelector<HTMLInputElement>('input[name=password]')!;
    expect(app.root.querySelector(`label[for="${user.id}"]`)?.textContent).toBe(strings.login.username);
    expect(app.root.querySelector(`label[for="${pass.id}"]`)?.textContent).toBe(strings.login.password);
  });

  it('stores the token and shows the main view after a successful login', async () => {
    const pending = deferred<{ token: string }>();
    const calls: string[][] = [];
    const login: LoginFn = (relay, u, p) => {
      calls.push([relay, u, p]);
      return pending.promise;
    };
    const app = await mountApp({ loggedIn: false, login });
    cleanup = app.unmount;
    await fillLogin(app.root, ' ada ', 'secret');
    await submit(app.root);

    expect(calls).toEqual([['http://relay.test', 'ada', 'secret']]);
    // Disabled while the request runs.
    expect(app.root.querySelector('fieldset')!.disabled).toBe(true);
    expect(button(app.root, strings.login.submitting)).toBeTruthy();

    pending.resolve({ token: TOKEN });
    await settle();

    expect(app.storage.map.get(TOKEN_KEY)).toBe(TOKEN);
    expect(app.created).toEqual([{ relay: 'http://relay.test', token: TOKEN }]);
    expect(app.fake.callsOf('connect')).toHaveLength(1);
    expect(app.root.querySelector('[role=tablist]')).not.toBeNull();
    expect(app.root.textContent).toContain('Ada');
  });

  it("shows the relay's error on 401 and stays on the login screen", async () => {
    const login: LoginFn = () => Promise.reject({ code: 'unauthorized', message: 'Wrong username or password' });
    const app = await mountApp({ loggedIn: false, login });
    cleanup = app.unmount;
    await fillLogin(app.root, 'ada', 'nope');
    await submit(app.root);
    await settle();

    expect(app.root.querySelector('[role=alert]')?.textContent).toBe('Wrong username or password');
    expect(app.root.querySelector('[role=tablist]')).toBeNull();
    expect(app.root.querySelector('fieldset')!.disabled).toBe(false);
    expect(app.storage.map.has(TOKEN_KEY)).toBe(false);
    expect(app.created).toHaveLength(0);
    expect(document.activeElement).toBe(app.root.querySelector('input[name=password]'));
  });

  it.each([
    ['a TypeError', new TypeError('Failed to fetch')],
    ['the client network code', { code: 'network', message: 'could not reach the relay: Failed to fetch' }],
    ['the client bad_response code', { code: 'bad_response', message: 'login failed with HTTP 502' }],
  ])('says something useful when the relay cannot be reached (%s)', async (_, error) => {
    const login: LoginFn = () => Promise.reject(error);
    const app = await mountApp({ loggedIn: false, login });
    cleanup = app.unmount;
    await fillLogin(app.root, 'ada', 'pw');
    await submit(app.root);
    await settle();
    expect(app.root.querySelector('[role=alert]')?.textContent).toBe(strings.login.failed);
  });

  it('asks for both fields before calling the relay', async () => {
    const calls: unknown[] = [];
    const app = await mountApp({
      loggedIn: false,
      login: (...args) => {
        calls.push(args);
        return Promise.resolve({ token: TOKEN });
      },
    });
    cleanup = app.unmount;
    await fillLogin(app.root, 'ada', '');
    await submit(app.root);
    expect(calls).toHaveLength(0);
    expect(app.root.querySelector('[role=alert]')?.textContent).toBe(strings.login.missingFields);
  });
});

describe('session', () => {
  it('stays logged in across a reload (token in storage)', async () => {
    const app = await mountApp();
    cleanup = app.unmount;
    expect(app.created).toEqual([{ relay: 'http://relay.test', token: TOKEN }]);
    expect(app.root.querySelector('[role=tablist]')).not.toBeNull();
  });

  it('Log out clears the token, disconnects and shows the login screen', async () => {
    const app = await mountApp();
    cleanup = app.unmount;
    await click(button(app.root, strings.header.logout));
    expect(app.storage.map.has(TOKEN_KEY)).toBe(false);
    expect(app.fake.callsOf('disconnect')).toHaveLength(1);
    expect(app.root.querySelector('input[name=username]')).not.toBeNull();
  });

  it('goes back to the login screen when the relay reports unauthorized', async () => {
    const app = await mountApp();
    cleanup = app.unmount;
    await act(() => {
      app.fake.lastError.value = { code: 'unauthorized', message: 'token expired' };
    });
    expect(app.root.querySelector('input[name=username]')).not.toBeNull();
    expect(app.root.textContent).toContain(strings.login.sessionEnded);
    expect(app.storage.map.has(TOKEN_KEY)).toBe(false);
    expect(app.fake.callsOf('disconnect')).toHaveLength(1);
  });

  it('a client factory that throws sends back to login instead of crashing', async () => {
    const storage = memoryStorage({ [TOKEN_KEY]: TOKEN });
    const root = document.createElement('div');
    cleanup = () => render(null, root);
    await act(() => {
      render(
        <ConsoleApp
          relay="not a url"
          login={() => Promise.reject(new Error('unused'))}
          createClient={() => {
            throw new TypeError('relay must be an absolute http(s) URL');
          }}
          storage={storage}
          tickMs={0}
        />,
        root,
      );
    });
    await settle();
    expect(root.querySelector('input[name=username]')).not.toBeNull();
    expect(root.textContent).toContain(strings.login.failed);
    expect(storage.map.has(TOKEN_KEY)).toBe(false);
  });

  it('other errors keep the agent logged in', async () => {
    const app = await mountApp();
    cleanup = app.unmount;
    await act(() => {
      app.fake.lastError.value = { code: 'rate_limited', message: 'slow down' };
    });
    expect(app.root.querySelector('[role=tablist]')).not.toBeNull();
  });

  it('shows the connection state in words', async () => {
    const app = await mountApp();
    cleanup = app.unmount;
    const state = () => app.root.querySelector('.pc-state')?.textContent;
    expect(state()).toContain('online');
    await act(() => {
      app.fake.state.value = 'reconnecting';
    });
    expect(state()).toContain('reconnecting');
  });
});
