// @vitest-environment happy-dom
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { FakeRelay } from './testing/fake-relay.js';
import { createVisitorClient } from './visitor.js';

// In a browser the defaults are the page's own: localStorage and window's online/offline events.

beforeEach(() => {
  vi.useFakeTimers();
  localStorage.clear();
});
afterEach(() => {
  vi.useRealTimers();
});

it('uses localStorage and the window network events by default', async () => {
  const relay = new FakeRelay();
  const chat = createVisitorClient({ relay: 'https://chat.example.com', transport: relay.transport });
  chat.connect();
  await relay.settle();
  expect(chat.state.value).toBe('online');
  expect(localStorage.getItem('parley:token')).toMatch(/^token-v1-/);
  window.dispatchEvent(new Event('offline'));
  expect(chat.state.value).toBe('offline');
  window.dispatchEvent(new Event('online'));
  await relay.settle();
  expect(chat.state.value).toBe('online');
  chat.disconnect();
});

it('keeps two relays on one site apart with storageKey', async () => {
  const relay = new FakeRelay();
  const a = createVisitorClient({ relay: 'https://a.example.com', transport: relay.transport, storageKey: 'a:' });
  a.connect();
  await relay.settle();
  expect(localStorage.getItem('a:token')).not.toBeNull();
  expect(localStorage.getItem('parley:token')).toBeNull();
  a.disconnect();
});
