// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { act } from 'preact/test-utils';
import type { TranscriptItem } from '@parley/client';
import type { ConversationSummary } from '@parley/protocol';
import { summary } from './fake-client.js';
import { strings } from './strings.js';
import { button, click, deferred, key, mountApp, settle, type } from './test-helpers.js';

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

const ME = { id: 'a1', name: 'Ada' };

function msg(seq: number, role: 'visitor' | 'bot' | 'agent' | 'system', text: string, extra: object = {}): TranscriptItem {
  return { kind: 'message', key: `s${seq}`, seq, at: 1_000 + seq, author: { role }, text, pending: false, ...extra };
}

/** Mounts logged in with one conversation in the queue and opens it. */
async function openConversation(conv: Partial<ConversationSummary>, items: TranscriptItem[] = []) {
  const app = await mountApp();
  cleanup = app.unmount;
  await act(() => {
    app.fake.queue.value = [summary({ id: 'c1', ...conv })];
    app.fake.transcriptOf('c1').value = items;
  });
  // Mine/All tabs hold active conversations; the All tab shows every one.
  await click(app.root.querySelectorAll<HTMLButtonElement>('[role=tab]')[2]!);
  await click(app.root.querySelector<HTMLButtonElement>('[data-conversation="c1"]')!);
  const view = app.root.querySelector<HTMLElement>('.pc-conversation')!;
  return { ...app, view };
}

describe('conversation view', () => {
  it('renders the bot and visitor messages of the transcript, authors labelled', async () => {
    const { view, fake } = await openConversation({ status: 'waiting' }, [
      msg(1, 'visitor', 'My withdrawal is stuck'),
      msg(2, 'bot', 'Withdrawals take up to 30 minutes.', { suggestions: [{ id: 'w1', title: 'Withdrawal times' }] }),
      { kind: 'status', key: 's3', seq: 3, at: 1_003, status: 'waiting' },
    ]);
    expect(fake.callsOf('transcript')).toEqual([['c1']]);
    const log = view.querySelector('[role=log]')!;
    expect(log.getAttribute('aria-live')).toBe('polite');
    const lines = [...log.querySelectorAll('li.pc-msg')];
    expect(lines.map((l) => l.className)).toEqual(['pc-msg pc-msg-visitor', 'pc-msg pc-msg-bot']);
    expect(lines[0]!.querySelector('.pc-msg-author')!.textContent).toBe('Visitor:');
    expect(lines[0]!.querySelector('.pc-msg-text')!.textContent).toBe('My withdrawal is stuck');
    expect(lines[1]!.querySelector('.pc-msg-author')!.textContent).toBe('Bot:');
    expect(lines[1]!.textContent).toContain('Withdrawal times');
    expect(log.querySelector('.pc-status-line')!.textContent).toContain(strings.conversation.statusLine.waiting);
  });

  it('moves focus to the conversation heading when opened', async () => {
    const { view } = await openConversation({ status: 'waiting' });
    expect(document.activeElement).toBe(view.querySelector('h2'));
  });

  it('renders HTML in a message as literal text', async () => {
    const html = '<img src=x onerror="alert(1)"><script>alert(2)</script>\nsecond line';
    const { view } = await openConversation({ status: 'waiting' }, [msg(1, 'visitor', html)]);
    const text = view.querySelector('.pc-msg-text')!;
    expect(text.textContent).toBe(html);
    expect(view.querySelector('img')).toBeNull();
    expect(view.querySelector('script')).toBeNull();
  });

  it('labels my own messages "You" and status changes in words', async () => {
    const { view } = await openConversation({ status: 'active', agent: ME }, [
      { kind: 'status', key: 's1', seq: 1, at: 1_001, status: 'active', agent: ME },
      msg(2, 'agent', 'Hi, I am looking into it', { author: { role: 'agent', id: 'a1', name: 'Ada' } }),
      { kind: 'status', key: 's3', seq: 3, at: 1_003, status: 'closed' },
    ]);
    const statuses = [...view.querySelectorAll('.pc-status-line')].map((l) => l.textContent);
    expect(statuses[0]).toContain(strings.conversation.statusLine.activeYou);
    expect(statuses[1]).toContain(strings.conversation.statusLine.closed);
    expect(view.querySelector('.pc-msg-me .pc-msg-author')!.textContent).toBe('You:');
  });

  it('shows the visitor context as text', async () => {
    const { view } = await openConversation({
      status: 'waiting',
      lang: 'es',
      context: {
        url: 'javascript:alert(1)',
        referrer: 'https://search.test/?q=<b>',
        userAgent: 'Mozilla/5.0',
        screen: '390x844',
        appVersion: '2.3.1',
        sdkVersion: '0.1.0',
        attributes: { plan: 'vip', uid: '<i>42</i>' },
      },
    });
    const panel = view.querySelector('.pc-context')!;
    expect(panel.querySelector('a')).toBeNull();
    expect(panel.querySelector('b, i')).toBeNull();
    const text = panel.textContent!;
    for (const part of ['javascript:alert(1)', 'https://search.test/?q=<b>', 'Mozilla/5.0', '390x844', '2.3.1', '0.1.0', 'es', 'plan', 'vip', '<i>42</i>']) {
      expect(text).toContain(part);
    }
  });

  it('Take calls client.take and a conflict shows the conflict message', async () => {
    const { view, fake } = await openConversation({ status: 'waiting' });
    const take = deferred<void>();
    fake.takeResult = () => take.promise;
    await click(button(view, strings.conversation.take));
    expect(fake.callsOf('take')).toEqual([['c1']]);
    // A second press while the first is in flight does nothing.
    await click(button(view, strings.conversation.taking));
    expect(fake.callsOf('take')).toHaveLength(1);

    take.reject({ code: 'conflict', message: 'already taken' });
    await settle();
    const alert = view.querySelector('[role=alert]')!;
    expect(alert.textContent).toBe(strings.conversation.conflict);
    expect(document.activeElement).toBe(alert);
  });

  it('after a successful take the composer opens for me and gets focus', async () => {
    const { view, fake } = await openConversation({ status: 'waiting' });
    await click(button(view, strings.conversation.take));
    await settle();
    await act(() => {
      fake.queue.value = [summary({ id: 'c1', status: 'active', agent: ME })];
    });
    await settle();
    const textarea = view.querySelector('textarea')!;
    expect(textarea.disabled).toBe(false);
    expect(document.activeElement).toBe(textarea);
  });

  it('the composer is disabled unless the conversation is active and mine', async () => {
    const { view, fake } = await openConversation({ status: 'waiting' });
    const textarea = () => view.querySelector('textarea')!;
    expect(textarea().disabled).toBe(true);
    expect(view.querySelector('.pc-composer')!.textContent).toContain(strings.composer.disabledWaiting);

    await act(() => {
      fake.queue.value = [summary({ id: 'c1', status: 'active', agent: { id: 'a2', name: 'Bo' } })];
    });
    expect(textarea().disabled).toBe(true);
    expect(view.querySelector('.pc-composer')!.textContent).toContain(strings.composer.disabledOther);
    // Enter in a disabled box sends nothing, even if an event gets through.
    await type(textarea(), 'hello');
    await key(textarea(), 'Enter');
    expect(fake.callsOf('send')).toHaveLength(0);

    await act(() => {
      fake.queue.value = [summary({ id: 'c1', status: 'active', agent: ME })];
    });
    expect(textarea().disabled).toBe(false);
  });

  it('Enter sends the reply, Shift+Enter does not', async () => {
    const { view, fake } = await openConversation({ status: 'active', agent: ME });
    const textarea = view.querySelector('textarea')!;
    expect(view.querySelector(`label[for="${textarea.id}"]`)!.textContent).toBe(strings.composer.label);
    await type(textarea, 'line one');
    const shift = await key(textarea, 'Enter', { shiftKey: true });
    expect(shift.defaultPrevented).toBe(false);
    expect(fake.callsOf('send')).toHaveLength(0);

    await type(textarea, 'line one\nline two');
    const enter = await key(textarea, 'Enter');
    expect(enter.defaultPrevented).toBe(true);
    expect(fake.callsOf('send')).toEqual([['c1', 'line one\nline two']]);
    expect(textarea.value).toBe('');

    // Blank replies are not sent.
    await type(textarea, '   ');
    await key(textarea, 'Enter');
    expect(fake.callsOf('send')).toHaveLength(1);
  });

  it('keeps an unsent reply when switching to another conversation and back', async () => {
    const app = await mountApp();
    cleanup = app.unmount;
    await act(() => {
      app.fake.queue.value = [
        summary({ id: 'c1', status: 'active', agent: ME }),
        summary({ id: 'c2', status: 'active', agent: ME }),
      ];
    });
    await click(app.root.querySelectorAll<HTMLButtonElement>('[role=tab]')[1]!);
    const open = (id: string) => click(app.root.querySelector<HTMLButtonElement>(`[data-conversation="${id}"]`)!);
    await open('c1');
    await type(app.root.querySelector('textarea')!, 'half-written');
    await open('c2');
    expect(app.root.querySelector('textarea')!.value).toBe('');
    await open('c1');
    expect(app.root.querySelector('textarea')!.value).toBe('half-written');
    await key(app.root.querySelector('textarea')!, 'Enter');
    await open('c2');
    await open('c1');
    expect(app.root.querySelector('textarea')!.value).toBe('');
  });

  it('refuses a reply over the protocol limit with a message', async () => {
    const { view, fake } = await openConversation({ status: 'active', agent: ME });
    const textarea = view.querySelector('textarea')!;
    await type(textarea, 'x'.repeat(4001));
    await key(textarea, 'Enter');
    expect(fake.callsOf('send')).toHaveLength(0);
    expect(view.querySelector('.pc-composer [role=alert]')!.textContent).toBe(strings.composer.tooLong(4000));
  });

  it('Close asks to confirm, then calls client.close', async () => {
    const { view, fake } = await openConversation({ status: 'active', agent: ME });
    await click(button(view, strings.conversation.close));
    expect(fake.callsOf('close')).toHaveLength(0);
    const yes = button(view, strings.conversation.closeYes);
    expect(document.activeElement).toBe(yes);
    await click(yes);
    await settle();
    expect(fake.callsOf('close')).toEqual([['c1']]);
    expect(document.activeElement).toBe(view.querySelector('h2'));
  });

  it('"Keep it open" cancels the close', async () => {
    const { view, fake } = await openConversation({ status: 'waiting' });
    await click(button(view, strings.conversation.close));
    await click(button(view, strings.conversation.closeNo));
    await settle();
    expect(fake.callsOf('close')).toHaveLength(0);
    expect(document.activeElement).toBe(button(view, strings.conversation.close));
  });

  it('offers no Close for a conversation another agent has', async () => {
    const { view } = await openConversation({ status: 'active', agent: { id: 'a2', name: 'Bo' } });
    expect(() => button(view, strings.conversation.close)).toThrow();
    expect(view.textContent).toContain(strings.conversation.takenByOther('Bo'));
  });

  it('keeps showing a conversation that left the queue, as closed', async () => {
    const { view, fake } = await openConversation({ status: 'active', agent: ME, lang: 'fr' }, [msg(1, 'visitor', 'merci')]);
    await act(() => {
      fake.queue.value = [];
      fake.transcriptOf('c1').value = [
        msg(1, 'visitor', 'merci'),
        { kind: 'status', key: 's2', seq: 2, at: 1_002, status: 'closed' },
      ];
    });
    expect(view.querySelector('h2')!.textContent).toContain('fr');
    expect(view.querySelector('textarea')!.disabled).toBe(true);
    expect(view.textContent).toContain(strings.conversation.closedNote);
  });
});
