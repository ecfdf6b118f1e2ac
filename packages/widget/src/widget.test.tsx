// @vitest-environment happy-dom
import type { ConnectionState } from '@parley/client';
import { LIMITS } from '@parley/protocol';
import { describe, expect, it, vi } from 'vitest';
import { LANG_KEY } from './model.js';
import { mountWidget } from './mount-all.js';
import { key, mount, msg, settle, type } from './test-helpers.js';

describe('mountWidget', () => {
  it('renders inside an open shadow root and puts nothing in the page but its host', async () => {
    const { handle, $ } = await mount();
    expect(document.body.children).toHaveLength(1);
    expect(document.body.firstElementChild).toBe(handle.host);
    expect(handle.host.shadowRoot?.mode).toBe('open');
    expect($('style')?.textContent).toMatch(/^:host\{all:initial/);
    expect($('.launcher')).not.toBeNull();
    expect(document.body.querySelector('button')).toBeNull();
  });

  it('mounts into the given target and removes everything on shutdown', async () => {
    const target = document.createElement('section');
    document.body.append(target);
    const { handle, calls } = await mount({ target });
    expect(target.firstElementChild).toBe(handle.host);
    handle.shutdown();
    handle.shutdown(); // a second call is harmless
    expect(target.children).toHaveLength(0);
    expect(calls.disconnect).toBe(1);
    target.remove();
  });

  it('refuses a missing relay with a clear error when it has to make the client', () => {
    expect(() => mountWidget({ relay: 'not a url' })).toThrow(/options\.relay must be an absolute URL/);
  });

  it('launcher toggles the panel and aria-expanded', async () => {
    const { $ } = await mount();
    const launcher = $('.launcher')!;
    expect(launcher.getAttribute('aria-expanded')).toBe('false');
    expect(launcher.getAttribute('aria-label')).toBe('Open chat');
    expect($('[role="dialog"]')).toBeNull();
    launcher.click();
    await settle();
    expect(launcher.getAttribute('aria-expanded')).toBe('true');
    expect(launcher.getAttribute('aria-label')).toBe('Close chat');
    expect($('[role="dialog"]')?.getAttribute('aria-label')).toBe('Support');
    launcher.click();
    await settle();
    expect($('[role="dialog"]')).toBeNull();
  });

  it('moves focus into the panel on open; Escape closes it and returns focus to the launcher', async () => {
    const { root, $ } = await mount();
    $('.launcher')!.click();
    await settle();
    expect(root.activeElement).toBe($('textarea'));
    key($('textarea')!, 'Escape');
    await settle();
    expect($('[role="dialog"]')).toBeNull();
    expect(root.activeElement).toBe($('.launcher'));
  });

  it('without a launcher, Escape gives focus back to where it was before the panel opened', async () => {
    const help = document.createElement('button');
    document.body.append(help);
    help.focus();
    const { handle, root, $ } = await mount({ launcher: false });
    expect($('.launcher')).toBeNull();
    handle.open();
    await settle();
    expect(root.activeElement).toBe($('textarea'));
    key($('textarea')!, 'Escape');
    await settle();
    expect($('[role="dialog"]')).toBeNull();
    expect(document.activeElement).toBe(help);
    help.remove();
  });

  it('does not close on Escape while an input method is composing', async () => {
    const { $ } = await mount({ open: true });
    key($('textarea')!, 'Escape', { isComposing: true });
    await settle();
    expect($('[role="dialog"]')).not.toBeNull();
  });

  it('connects only once the panel is open', async () => {
    const { handle, calls } = await mount();
    expect(calls.connect).toBe(0);
    handle.open();
    await settle();
    expect(calls.connect).toBe(1);
  });

  it('shows the language picker first when no language is given, and picking one switches everything', async () => {
    const storage = new Map<string, string>();
    const store = { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v) };
    const { handle, calls, root, $ } = await mount({ lang: undefined, storage: store, open: true });
    expect($('textarea')).toBeNull();
    const buttons = [...root.querySelectorAll<HTMLButtonElement>('.pick button')];
    expect(buttons.map((b) => b.textContent)).toEqual(['English', '中文', 'Español', 'Русский', '日本語', '한국어']);
    expect(calls.connect).toBe(0); // the hello should carry the language
    buttons[4]!.click();
    await settle();
    expect(calls.setLang).toEqual(['ja']);
    expect(calls.connect).toBe(1);
    expect(storage.get(LANG_KEY)).toBe('ja');
    expect($('.t')?.textContent).toBe('サポート');
    expect($('.launcher')?.getAttribute('aria-label')).toBe('チャットを閉じる');
    expect($('.bar button')?.textContent).toBe('担当者と話す');
    expect(root.activeElement).toBe($('textarea'));
    handle.shutdown();
  });

  it('asks for the language in the page language while nothing is chosen', async () => {
    document.documentElement.lang = 'es';
    const { $ } = await mount({ lang: undefined, open: true });
    document.documentElement.lang = '';
    expect($('.pick h3')?.textContent).toBe('Elige tu idioma');
    expect($('.launcher')?.getAttribute('aria-label')).toBe('Cerrar chat');
  });

  it('remembers the language chosen earlier and skips the picker', async () => {
    localStorage.setItem(LANG_KEY, 'ko');
    const { $ } = await mount({ lang: undefined, storage: undefined, open: true });
    expect($('.pick')).toBeNull();
    expect($('.t')?.textContent).toBe('고객지원');
  });

  it('survives storage that throws', async () => {
    const broken = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    const { calls, root } = await mount({ lang: undefined, storage: broken, open: true });
    root.querySelector<HTMLButtonElement>('.pick button')!.click();
    await settle();
    expect(calls.setLang).toEqual(['en']);
  });

  it('sends with Enter and clears the box; Shift+Enter and blank text do not send', async () => {
    const { calls, $ } = await mount({ open: true });
    const box = $<HTMLTextAreaElement>('textarea')!;
    const send = $<HTMLButtonElement>('.send')!;
    expect(send.disabled).toBe(true);
    type(box, '   \n ');
    await settle();
    expect(send.disabled).toBe(true);
    key(box, 'Enter');
    expect(calls.send).toEqual([]);

    type(box, 'first line');
    key(box, 'Enter', { shiftKey: true });
    expect(calls.send).toEqual([]);
    type(box, 'first line\nsecond line');
    await settle();
    expect(send.disabled).toBe(false);
    key(box, 'Enter');
    await settle();
    expect(calls.send).toEqual(['first line\nsecond line']);
    expect(box.value).toBe('');
  });

  it('does not send while an input method is composing (Enter confirms the characters)', async () => {
    const { calls, $ } = await mount({ open: true });
    const box = $<HTMLTextAreaElement>('textarea')!;
    type(box, 'にほんご');
    key(box, 'Enter', { isComposing: true });
    expect(calls.send).toEqual([]);
  });

  it('keeps the draft when the panel closes and reopens', async () => {
    const { handle, $ } = await mount({ open: true });
    type($<HTMLTextAreaElement>('textarea')!, 'half-written');
    handle.close();
    await settle();
    handle.open();
    await settle();
    expect($<HTMLTextAreaElement>('textarea')!.value).toBe('half-written');
  });

  it('limits the text and shows a counter near the limit', async () => {
    const { $ } = await mount({ open: true });
    const box = $<HTMLTextAreaElement>('textarea')!;
    expect(box.maxLength).toBe(LIMITS.maxTextChars);
    expect($('.count')).toBeNull();
    type(box, 'x'.repeat(LIMITS.maxTextChars - 10));
    await settle();
    expect($('.count')?.textContent).toBe('10 characters left');
  });

  it('renders message text as literal text, never as HTML, with line breaks kept', async () => {
    const { client, root, $ } = await mount({ open: true });
    client.transcript.value = [msg('k1', 'agent', '<img src=x onerror=alert(1)>\n<b>bold</b>')];
    await settle();
    expect(root.querySelector('img')).toBeNull();
    expect(root.querySelector('b')).toBeNull();
    expect($('.msg .text')?.textContent).toBe('<img src=x onerror=alert(1)>\n<b>bold</b>');
    expect($('style')?.textContent).toContain('.text{white-space:pre-wrap}');
  });

  it('labels who wrote each message for screen readers and keeps them visually distinct', async () => {
    const { client, root, $ } = await mount({ open: true });
    const log = $('[role="log"]')!;
    expect(log.getAttribute('aria-live')).toBe('polite');
    expect(log.getAttribute('aria-relevant')).toBe('additions');
    client.transcript.value = [msg('a', 'visitor', 'hi'), msg('b', 'bot', 'hello'), msg('c', 'agent', 'I can help')];
    await settle();
    const texts = [...root.querySelectorAll('.msg')].map((m) => [m.className, m.textContent]);
    expect(texts).toEqual([
      ['msg visitor', 'You: hi'],
      ['msg bot', 'Bot: hello'],
      ['msg agent', 'Ana: I can help'],
    ]);
    expect(root.querySelector('.visitor > .sr')?.textContent).toBe('You: ');
  });

  it('shows status lines: queue, agent joined, closed (the bot owning a new chat goes without saying)', async () => {
    const { client, root } = await mount({ open: true });
    client.transcript.value = [
      { kind: 'status', key: 's0', seq: 0, at: 0, status: 'bot' },
      { kind: 'status', key: 's1', seq: 1, at: 0, status: 'waiting' },
      { kind: 'status', key: 's2', seq: 2, at: 0, status: 'active', agent: { id: 'a1', name: 'Ana' } },
      { kind: 'status', key: 's3', seq: 3, at: 0, status: 'closed' },
    ];
    await settle();
    expect([...root.querySelectorAll('.log .status')].map((p) => p.textContent)).toEqual([
      'You are in the queue for a person',
      'Ana joined',
      'Conversation closed',
    ]);
  });

  it('shows pending messages as sending, and failed ones with the reason and the text kept', async () => {
    const { client, $, root } = await mount({ open: true });
    client.transcript.value = [
      msg('p', 'visitor', 'on its way', { pending: true }),
      msg('f', 'visitor', 'my long text', { pending: false, failed: { code: 'too_large', message: 'text is too long' } }),
    ];
    await settle();
    const [pending, failed] = [...root.querySelectorAll('.msg')];
    expect(pending?.className).toContain('pending');
    expect(pending?.querySelector('.meta')?.textContent).toBe('Sending…');
    expect(failed?.className).toContain('failed');
    expect(failed?.querySelector('.text')?.textContent).toBe('my long text');
    expect(failed?.querySelector('.meta')?.textContent).toBe('Not sent: text is too long');
    expect($('.msg.failed')).not.toBeNull();
  });

  it('"Talk to a person" calls requestHuman and gives way to a waiting note', async () => {
    const { client, calls, root } = await mount({ open: true }, 'bot');
    const talk = [...root.querySelectorAll('button')].find((b) => b.textContent === 'Talk to a person')!;
    talk.click();
    expect(calls.requestHuman).toBe(1);
    client.status.value = 'waiting';
    await settle();
    expect([...root.querySelectorAll('button')].some((b) => b.textContent === 'Talk to a person')).toBe(false);
    expect(root.textContent).toContain('A person will be with you soon');
  });

  it('lets the visitor end the chat while waiting or with an agent, but not once closed', async () => {
    const { client, calls, root } = await mount({ open: true }, 'waiting');
    const end = () => [...root.querySelectorAll('button')].find((b) => b.textContent === 'End chat');
    end()!.click();
    expect(calls.closeConversation).toBe(1);
    client.status.value = 'active';
    await settle();
    expect(end()).toBeDefined();
    client.status.value = 'closed';
    await settle();
    expect(end()).toBeUndefined();
  });

  it('offers a new conversation once closed, instead of the composer', async () => {
    const { client, calls, root, $ } = await mount({ open: true }, 'closed');
    expect($('textarea')).toBeNull();
    const again = [...root.querySelectorAll('button')].find((b) => b.textContent === 'Start a new conversation')!;
    again.click();
    expect(calls.startNew).toBe(1);
    client.status.value = 'bot';
    await settle();
    expect($('textarea')).not.toBeNull();
  });

  it('tells the visitor about the connection in words', async () => {
    const { client, $ } = await mount({ open: true });
    const words = async (state: ConnectionState) => {
      client.state.value = state;
      await settle();
      return $('.state')?.textContent ?? null;
    };
    expect(await words('connecting')).toBe('Connecting…');
    expect(await words('online')).toBe('Online');
    expect(await words('reconnecting')).toBe('Reconnecting…');
    expect(await words('offline')).toBe('Offline');
  });

  it('shows the safety note', async () => {
    const { $ } = await mount({ open: true, lang: 'zh-CN' });
    expect($('.note')?.textContent).toBe('我们绝不会索要您的密码、私钥、助记词或两步验证码。');
  });

  it('applies title and string overrides', async () => {
    const { $ } = await mount({ open: true, title: 'Acme help', strings: { en: { talkToPerson: 'Get a human' } } });
    expect($('.t')?.textContent).toBe('Acme help');
    expect($('.bar button')?.textContent).toBe('Get a human');
  });

  it('marks the launcher when a reply arrives while the panel is closed', async () => {
    const { client, handle, $ } = await mount();
    expect($('.dot')).toBeNull();
    client.transcript.value = [msg('b', 'bot', 'answer')];
    await settle();
    expect($('.dot')).not.toBeNull();
    handle.open();
    await settle();
    handle.close();
    await settle();
    expect($('.dot')).toBeNull();
  });

  it('does not steal focus when page code closes the panel while focus is elsewhere', async () => {
    const outside = document.createElement('input');
    document.body.append(outside);
    const { handle, root } = await mount({ open: true });
    outside.focus();
    handle.close();
    await settle();
    expect(document.activeElement).toBe(outside);
    expect(root.activeElement).toBeNull();
    outside.remove();
  });

  it('keeps the draft and says why when the client refuses to send', async () => {
    const { client, $ } = await mount({ open: true });
    vi.spyOn(client, 'send').mockImplementation(() => {
      throw new Error('conversation is closed');
    });
    const box = $<HTMLTextAreaElement>('textarea')!;
    type(box, 'hello');
    key(box, 'Enter');
    await settle();
    expect(box.value).toBe('hello');
    expect($('[role="alert"]')?.textContent).toBe('Not sent: conversation is closed');
  });
});
