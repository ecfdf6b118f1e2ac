// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { act } from 'preact/test-utils';
import { summary } from './fake-client.js';
import { strings } from './strings.js';
import { click, key, mountApp, NOW } from './test-helpers.js';

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

const rows = (root: HTMLElement) => [...root.querySelectorAll<HTMLButtonElement>('[role=tabpanel] button')];
const rowIds = (root: HTMLElement) => rows(root).map((b) => b.dataset.conversation);
const tabs = (root: HTMLElement) => [...root.querySelectorAll<HTMLButtonElement>('[role=tab]')];
const row = (root: HTMLElement, id: string) => root.querySelector<HTMLButtonElement>(`[data-conversation="${id}"]`)!;

describe('conversation list', () => {
  it('the Waiting tab lists only waiting conversations, oldest first, and follows the queue', async () => {
    const app = await mountApp();
    cleanup = app.unmount;
    await act(() => {
      app.fake.queue.value = [
        summary({ id: 'new', status: 'waiting', createdAt: 5_000 }),
        summary({ id: 'mine', status: 'active', agent: { id: 'a1', name: 'Ada' } }),
        summary({ id: 'old', status: 'waiting', createdAt: 1_000 }),
      ];
    });
    expect(rowIds(app.root)).toEqual(['old', 'new']);
    expect(tabs(app.root)[0]!.textContent).toBe(`${strings.list.tabs.waiting} 2`);

    await act(() => {
      app.fake.queue.value = [
        summary({ id: 'old', status: 'active', agent: { id: 'a2', name: 'Bo' } }),
        summary({ id: 'new', status: 'waiting', createdAt: 5_000 }),
        summary({ id: 'third', status: 'waiting', createdAt: 6_000 }),
      ];
    });
    expect(rowIds(app.root)).toEqual(['new', 'third']);
    expect(tabs(app.root)[0]!.textContent).toBe(`${strings.list.tabs.waiting} 2`);
  });

  it('shows preview, language, page URL and age as text', async () => {
    const app = await mountApp();
    cleanup = app.unmount;
    await act(() => {
      app.fake.queue.value = [
        summary({
          id: 'c1',
          createdAt: NOW - 4 * 60_000,
          preview: '<b>Where is my deposit?</b>',
          lang: 'de',
          context: { url: 'https://exchange.test/wallet' },
        }),
      ];
    });
    const r = row(app.root, 'c1');
    expect(r.querySelector('.pc-row-preview')!.textContent).toBe('<b>Where is my deposit?</b>');
    expect(r.querySelector('b')).toBeNull();
    expect(r.querySelector('.pc-row-lang')!.textContent).toBe('de');
    expect(r.querySelector('.pc-row-url')!.textContent).toBe('https://exchange.test/wallet');
    expect(r.querySelector('.pc-row-age')!.textContent).toBe('waiting 4 min');
  });

  it('Mine lists active conversations assigned to me; All lists waiting and active', async () => {
    const app = await mountApp();
    cleanup = app.unmount;
    await act(() => {
      app.fake.queue.value = [
        summary({ id: 'w', status: 'waiting' }),
        summary({ id: 'mine', status: 'active', agent: { id: 'a1', name: 'Ada' } }),
        summary({ id: 'theirs', status: 'active', agent: { id: 'a2', name: 'Bo' } }),
      ];
    });
    await click(tabs(app.root)[1]!);
    expect(rowIds(app.root)).toEqual(['mine']);
    await click(tabs(app.root)[2]!);
    expect(rowIds(app.root)).toEqual(['w', 'mine', 'theirs']);
    expect(row(app.root, 'theirs').textContent).toContain(strings.list.takenBy('Bo'));
  });

  it('arrow keys, Home and End move between tabs (WAI-ARIA tabs pattern)', async () => {
    const app = await mountApp();
    cleanup = app.unmount;
    const [waiting, mine, all] = tabs(app.root) as [HTMLButtonElement, HTMLButtonElement, HTMLButtonElement];
    expect(app.root.querySelector('[role=tablist]')!.getAttribute('aria-label')).toBe(strings.list.label);
    expect(waiting.getAttribute('aria-selected')).toBe('true');
    expect([waiting.tabIndex, mine.tabIndex, all.tabIndex]).toEqual([0, -1, -1]);
    const panel = app.root.querySelector('[role=tabpanel]')!;
    expect(waiting.getAttribute('aria-controls')).toBe(panel.id);

    waiting.focus();
    const event = await key(waiting, 'ArrowRight');
    expect(event.defaultPrevented).toBe(true);
    expect(document.activeElement).toBe(mine);
    expect(mine.getAttribute('aria-selected')).toBe('true');
    expect(waiting.getAttribute('aria-selected')).toBe('false');
    expect(panel.getAttribute('aria-labelledby')).toBe(mine.id);
    expect([waiting.tabIndex, mine.tabIndex, all.tabIndex]).toEqual([-1, 0, -1]);

    await key(mine, 'ArrowRight');
    expect(document.activeElement).toBe(all);
    await key(all, 'ArrowRight');
    expect(document.activeElement).toBe(waiting); // wraps
    await key(waiting, 'ArrowLeft');
    expect(document.activeElement).toBe(all);
    await key(all, 'Home');
    expect(document.activeElement).toBe(waiting);
    await key(waiting, 'End');
    expect(document.activeElement).toBe(all);
    expect(all.getAttribute('aria-selected')).toBe('true');
  });

  it('says so when nobody is waiting', async () => {
    const app = await mountApp();
    cleanup = app.unmount;
    expect(app.root.querySelector('[role=tabpanel]')!.textContent).toBe(strings.list.empty.waiting);
  });

  it('unread counts grow for a conversation not open and reset when it is opened', async () => {
    const app = await mountApp();
    cleanup = app.unmount;
    await act(() => {
      app.fake.queue.value = [summary({ id: 'c1', lastSeq: 2 }), summary({ id: 'c2', lastSeq: 1, createdAt: 2_000 })];
    });
    const unread = (id: string) => row(app.root, id).querySelector('.pc-unread')?.textContent ?? null;
    expect(unread('c1')).toBe(strings.list.unread(2));

    await click(row(app.root, 'c1'));
    expect(unread('c1')).toBeNull();
    expect(row(app.root, 'c1').getAttribute('aria-current')).toBe('true');

    // New activity in both: only the one not open counts up.
    await act(() => {
      app.fake.queue.value = [summary({ id: 'c1', lastSeq: 4 }), summary({ id: 'c2', lastSeq: 3, createdAt: 2_000 })];
    });
    expect(unread('c1')).toBeNull();
    expect(unread('c2')).toBe(strings.list.unread(3));

    // Leave c1 (open c2): c1's count starts from what was seen while it was open.
    await click(row(app.root, 'c2'));
    expect(unread('c2')).toBeNull();
    await act(() => {
      app.fake.queue.value = [summary({ id: 'c1', lastSeq: 6 }), summary({ id: 'c2', lastSeq: 3, createdAt: 2_000 })];
    });
    expect(unread('c1')).toBe(strings.list.unread(2));
    await click(row(app.root, 'c1'));
    expect(unread('c1')).toBeNull();
  });

  it('rows are buttons, so Tab reaches them and Enter opens them', async () => {
    const app = await mountApp();
    cleanup = app.unmount;
    await act(() => {
      app.fake.queue.value = [summary({ id: 'c1' })];
    });
    const r = row(app.root, 'c1');
    expect(r.tagName).toBe('BUTTON');
    expect(r.tabIndex).toBe(0);
  });
});
