// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { act } from 'preact/test-utils';
import { createFakeAgentClient } from './fake-client.js';
import { mountConsole, relayFromWindow } from './mount.js';
import { strings } from './strings.js';

afterEach(() => {
  document.body.innerHTML = '';
  delete window.PARLEY_RELAY;
});

describe('mountConsole', () => {
  it("mounts into the relay shell's #app and adds the stylesheet once", async () => {
    document.body.innerHTML = '<div id="app"></div>';
    const options = { login: () => Promise.reject(new Error('unused')), createClient: () => createFakeAgentClient(), storage: null };
    let unmount!: () => void;
    await act(() => {
      unmount = mountConsole(options);
    });
    expect(document.getElementById('app')!.textContent).toContain(strings.login.heading);
    await act(() => unmount());
    await act(() => {
      unmount = mountConsole(options);
    });
    expect(document.querySelectorAll('#parley-console-style')).toHaveLength(1);
    await act(() => unmount());
    expect(document.getElementById('app')!.textContent).toBe('');
  });

  it('creates #app when the page has none', async () => {
    let unmount!: () => void;
    await act(() => {
      unmount = mountConsole({ login: () => Promise.reject(new Error('unused')), createClient: () => createFakeAgentClient(), storage: null });
    });
    expect(document.querySelector('#app input[name=username]')).not.toBeNull();
    await act(() => unmount());
  });
});

describe('relayFromWindow', () => {
  it('uses the page origin unless window.PARLEY_RELAY is set', () => {
    expect(relayFromWindow(window)).toBe(window.location.origin);
    window.PARLEY_RELAY = 'https://relay.example.com/';
    expect(relayFromWindow(window)).toBe('https://relay.example.com');
    window.PARLEY_RELAY = '  ';
    expect(relayFromWindow(window)).toBe(window.location.origin);
  });
});
