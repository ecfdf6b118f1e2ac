// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { mount, msg, settle, type } from './test-helpers.js';

const TOPICS = [
  { id: 'deposit', label: 'Deposits' },
  { id: 'hacked', label: 'My account was hacked', urgent: true },
];

const button = (root: ShadowRoot, text: string) => [...root.querySelectorAll('button')].find((b) => b.textContent === text);
const activeStatus = { kind: 'status', key: 's2', seq: 2, at: 0, status: 'active', agent: { id: 'a1', name: 'Ana' } } as const;

describe('pre-chat problem type', () => {
  it('asks for the problem type after the language and before the first message; the choice goes to the client and the desk', async () => {
    const { root, $, calls, asked, handle } = await mount({}, 'bot', { topics: TOPICS });
    handle.open(); // opened by the visitor: focus goes into the panel, and on to the choices
    await settle();
    await settle();
    expect($('textarea')).toBeNull();
    expect($('#topic-h')?.textContent).toBe('What do you need help with?');
    expect(root.activeElement?.textContent).toBe('Deposits'); // focus lands on the first choice
    button(root, 'My account was hacked')!.click();
    await settle();
    expect(calls.topic).toEqual(['hacked']);
    expect(asked.info).toEqual([{ lang: 'en' }, { lang: 'en', topic: 'hacked' }]);
    expect(root.activeElement).toBe($('textarea'));
  });

  it('is skipped when the desk has no topics or the conversation already has messages', async () => {
    const none = await mount({ open: true }, 'bot', { topics: [] });
    await settle();
    expect(none.$('textarea')).not.toBeNull();
    const started = await mount({ open: true }, 'bot', { topics: TOPICS });
    started.client.transcript.value = [msg('a', 'visitor', 'hi')];
    await settle();
    expect(started.$('#topic-h')).toBeNull();
  });

  it('still chats when the desk config cannot be loaded', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { desk } = await mount();
    const { $ } = await mount({ open: true, desk: { ...desk, info: () => Promise.reject(new Error('down')) } });
    await settle();
    expect($('textarea')).not.toBeNull();
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });
});

describe('queue', () => {
  it('shows the place and estimated wait live; only the place is in a polite live region', async () => {
    const { client, $ } = await mount({ open: true }, 'waiting');
    client.position.value = { position: 2, etaSeconds: 150 };
    await settle();
    const live = $('.queue [aria-live="polite"]')!;
    expect(live.textContent).toBe('You are number 2 in the queue.');
    expect($('.queue')!.textContent).toContain('Estimated wait: about 3 min.');
    expect(live.textContent).not.toContain('wait');
    client.position.value = { position: 1, etaSeconds: 20 };
    await settle();
    expect(live.textContent).toBe('You are number 1 in the queue.');
    expect($('.queue')!.textContent).toContain('Estimated wait: under a minute.');
    client.position.value = { position: 1 }; // no fitting agent online: no estimate
    await settle();
    expect($('.queue')!.textContent).not.toContain('Estimated');
  });
});

describe('typing', () => {
  it('shows the agent typing and sends the visitor typing, stopping on send and blur', async () => {
    const { client, calls, $ } = await mount({ open: true }, 'active');
    client.agentTyping.value = { name: 'Ana' };
    await settle();
    expect($('.typing')?.textContent).toBe('Ana is typing…');
    client.agentTyping.value = null;
    await settle();
    expect($('.typing')).toBeNull();
    const box = $<HTMLTextAreaElement>('textarea')!;
    type(box, 'hel');
    type(box, 'hello');
    expect(calls.typing).toEqual([true, true]);
    $<HTMLFormElement>('form')!.requestSubmit();
    expect(calls.typing.at(-1)).toBe(false);
    type(box, 'x');
    box.dispatchEvent(new FocusEvent('blur'));
    expect(calls.typing.slice(-2)).toEqual([true, false]);
  });
});

describe('tickets', () => {
  it('offers a ticket form instead of the queue when no fitting agent is online', async () => {
    const { root, calls, $ } = await mount({ open: true }, 'bot', { open: false, reason: 'no_agents', agentsOnline: 0 });
    await settle();
    button(root, 'Talk to a person')!.click();
    await settle();
    expect(calls.requestHuman).toBe(0);
    expect($('h3')?.textContent).toBe('Leave a message');
    expect(root.activeElement).toBe($('h3'));
    expect(root.textContent).toContain('No one can chat right now');
  });

  it('says when the desk is outside its hours', async () => {
    const { root } = await mount({ open: true }, 'bot', { open: false, reason: 'closed_hours', agentsOnline: 0 });
    await settle();
    button(root, 'Talk to a person')!.click();
    await settle();
    expect(root.textContent).toContain('outside our support hours');
  });

  it('validates with labelled messages, focuses the first bad field, then submits and shows the number', async () => {
    const { root, $, asked } = await mount({ open: true }, 'bot', { open: false, topics: TOPICS });
    await settle();
    button(root, 'Deposits')!.click(); // the pre-chat choice carries over to the form
    await settle();
    button(root, 'Talk to a person')!.click();
    await settle();
    const form = $<HTMLFormElement>('form.stack')!;
    expect($<HTMLSelectElement>('#tk-topic')!.value).toBe('deposit');
    expect(root.querySelector('label[for="tk-subject"]')?.textContent).toBe('Subject');
    type($<HTMLInputElement>('#tk-email') as unknown as HTMLTextAreaElement, 'not-an-email');
    form.requestSubmit();
    await new Promise((r) => setTimeout(r, 5));
    const subject = $('#tk-subject')!;
    expect(subject.getAttribute('aria-invalid')).toBe('true');
    expect(root.getElementById('tk-subject-e')?.textContent).toBe('Please fill in this field.');
    expect(subject.getAttribute('aria-describedby')).toBe('tk-subject-e');
    expect(root.getElementById('tk-email-e')?.textContent).toBe('Please enter a valid email address.');
    expect(root.activeElement).toBe(subject);
    expect(asked.created).toEqual([]);

    type(subject as HTMLTextAreaElement, 'Deposit missing');
    type($<HTMLTextAreaElement>('#tk-desc')!, 'Sent 1 BTC <b>yesterday</b>');
    type($<HTMLInputElement>('#tk-email') as unknown as HTMLTextAreaElement, 'ana@example.com');
    form.requestSubmit();
    await settle();
    await settle();
    expect(asked.created).toEqual([
      { topic: 'deposit', subject: 'Deposit missing', description: 'Sent 1 BTC <b>yesterday</b>', email: 'ana@example.com', lang: 'en' },
    ]);
    const done = $('[role="status"].done')!;
    expect(done.textContent).toBe('Thank you! Your ticket number is PX-00000001. We will reply by email.');
    expect(root.activeElement).toBe(done);

    // "Check a ticket" comes prefilled and shows status and the thread as text.
    button(root, 'Check a ticket')!.click();
    await settle();
    expect($<HTMLInputElement>('#lk-number')!.value).toBe('PX-00000001');
    $<HTMLFormElement>('form.stack')!.requestSubmit();
    await settle();
    await settle();
    expect($('.ticket h4')?.textContent).toBe('PX-00000001: Deposit missing');
    expect($('.tstatus')?.textContent).toBe('Status: Open');
    expect($('.ticket .text')?.textContent).toBe('Sent 1 BTC <b>yesterday</b>');
    expect($('.ticket b')).toBeNull();
    expect(root.textContent).toContain('No replies yet.');
  });

  it('says so when number and email match no ticket, and when the request fails', async () => {
    const { root, $, desk } = await mount({ open: true }, 'bot');
    await settle();
    button(root, 'Check a ticket')!.click();
    await settle();
    type($<HTMLInputElement>('#lk-number') as unknown as HTMLTextAreaElement, 'px-nope');
    type($<HTMLInputElement>('#lk-email') as unknown as HTMLTextAreaElement, 'a@b.co');
    $<HTMLFormElement>('form.stack')!.requestSubmit();
    await settle();
    await settle();
    expect(root.textContent).toContain('No ticket matches this number and email.');
    desk.ticket = () => Promise.reject(new Error('500'));
    $<HTMLFormElement>('form.stack')!.requestSubmit();
    await settle();
    await settle();
    expect(root.textContent).toContain('Something went wrong. Please try again.');
  });

  it('announces a chat that the relay turned into a ticket', async () => {
    const { client, root } = await mount({ open: true }, 'closed');
    client.transcript.value = [{ kind: 'status', key: 's1', seq: 1, at: 0, status: 'closed', ticket: 'PX-ABCD2345' }];
    await settle();
    expect(root.querySelector('.log .status')?.textContent).toBe('Conversation closed · Your request was saved as ticket PX-ABCD2345.');
  });
});

describe('satisfaction', () => {
  it('offers a 1-5 rating as a named radio group after a chat with an agent, sent once', async () => {
    const { client, calls, root, $ } = await mount({ open: true }, 'closed');
    client.transcript.value = [activeStatus];
    await settle();
    expect($('legend')?.textContent).toBe('How was your chat?');
    const radios = [...root.querySelectorAll<HTMLInputElement>('input[type="radio"]')];
    expect(radios.map((r) => r.closest('label')!.querySelector('.sr')!.textContent)).toEqual([
      '1 out of 5',
      '2 out of 5',
      '3 out of 5',
      '4 out of 5',
      '5 out of 5',
    ]);
    const send = button(root, 'Send rating')!;
    expect(send.disabled).toBe(true);
    radios[3]!.click();
    await settle();
    type($<HTMLTextAreaElement>('#rate-c')!, ' Quick and kind ');
    $<HTMLFormElement>('form.rate')!.requestSubmit();
    await settle();
    await settle();
    expect(calls.rate).toEqual([[4, 'Quick and kind']]);
    expect(root.textContent).toContain('Thank you for your rating!');
    expect($('form.rate')).toBeNull();
  });

  it('is not offered after a bot-only chat or when already rated; a failure says so and keeps the form', async () => {
    const bot = await mount({ open: true }, 'closed');
    expect(bot.$('form.rate')).toBeNull();
    const rated = await mount({ open: true }, 'closed');
    rated.client.transcript.value = [activeStatus];
    rated.client.rating.value = { score: 5 };
    await settle();
    expect(rated.$('form.rate')).toBeNull();
    expect(rated.root.textContent).toContain('Thank you for your rating!');

    const failing = await mount({ open: true }, 'closed');
    failing.client.transcript.value = [activeStatus];
    failing.answers.rate = () => Promise.reject(Object.assign(new Error('offline'), { code: 'offline' }));
    await settle();
    failing.root.querySelector<HTMLInputElement>('input[type="radio"]')!.click();
    await settle();
    failing.$<HTMLFormElement>('form.rate')!.requestSubmit();
    await settle();
    await settle();
    expect(failing.$('[role="alert"]')?.textContent).toBe('Something went wrong. Please try again.');
    expect(failing.$('form.rate')).not.toBeNull();
  });
});

describe('transcript', () => {
  it('downloads the conversation as a text file made from the transcript', async () => {
    const m2 = await mount({ open: true }, 'active');
    m2.client.transcript.value = [
      msg('a', 'visitor', 'hi\nthere', { at: Date.UTC(2026, 0, 2, 3, 4) }),
      activeStatus,
      msg('b', 'agent', '<script>x</script>', { at: Date.UTC(2026, 0, 2, 3, 5) }),
      msg('c', 'visitor', 'unsent', { pending: true }),
    ];
    await settle();
    const spy = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:x');
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    button(m2.root, 'Download transcript')!.click();
    expect(spy).toHaveBeenCalledTimes(1);
    const blob = spy.mock.calls[0]![0] as Blob;
    expect(blob.type).toBe('text/plain;charset=utf-8');
    const text = await blob.text();
    expect(text).toMatch(/^Support\n\n\[\d{4}-\d\d-\d\d \d\d:\d\d\] You: hi\n    there\n/);
    expect(text).toContain('-- Ana joined');
    expect(text).toContain('] Ana: <script>x</script>');
    expect(text).not.toContain('unsent');
    expect(click).toHaveBeenCalledTimes(1);
    expect(document.querySelector('a[download]')).toBeNull(); // the temporary link is gone
    spy.mockRestore();
    click.mockRestore();
  });

  it('emails the transcript to a valid address and says so politely', async () => {
    const { client, calls, root, $ } = await mount({ open: true }, 'active');
    client.transcript.value = [msg('a', 'visitor', 'hi')];
    await settle();
    const toggle = button(root, 'Email me the transcript')!;
    toggle.click();
    await new Promise((r) => setTimeout(r, 5));
    const input = $<HTMLInputElement>('#tr-email')!;
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(root.activeElement).toBe(input);
    expect(root.querySelector('label[for="tr-email"]')?.textContent).toBe('Email');
    type(input as unknown as HTMLTextAreaElement, 'nope');
    $<HTMLFormElement>('form.mail')!.requestSubmit();
    await settle();
    expect($('#tr-email-e')?.textContent).toBe('Please enter a valid email address.');
    expect(calls.emailTranscript).toEqual([]);
    type(input as unknown as HTMLTextAreaElement, 'ana@example.com');
    $<HTMLFormElement>('form.mail')!.requestSubmit();
    await settle();
    await settle();
    expect(calls.emailTranscript).toEqual(['ana@example.com']);
    expect($('.sent[aria-live="polite"]')?.textContent).toBe('The transcript is on its way to ana@example.com.');
  });
});

describe('identity verification', () => {
  it('passes the boot `user` (with its hash) to the client, which sends it in hello', async () => {
    const sent: string[] = [];
    class FakeSocket {
      static OPEN = 1;
      readyState = 0;
      onopen: (() => void) | null = null;
      onmessage: ((e: { data: string }) => void) | null = null;
      onclose: ((e: { code: number; reason: string }) => void) | null = null;
      onerror: (() => void) | null = null;
      constructor(public url: string) {
        setTimeout(() => {
          this.readyState = 1;
          this.onopen?.();
        });
      }
      send(data: string) {
        sent.push(data);
      }
      close() {}
    }
    vi.stubGlobal('WebSocket', FakeSocket);
    try {
      const { desk } = await mount();
      const user = { id: 'u-42', email: 'ana@example.com', name: 'Ana', hash: 'ab'.repeat(32) };
      const h = (await import('./mount-all.js')).mountWidget({ relay: 'https://relay.example', lang: 'en', storage: null, desk, user, open: true });
      await new Promise((r) => setTimeout(r, 20));
      const hello = sent.map((f) => JSON.parse(f) as { type: string; user?: unknown }).find((f) => f.type === 'hello');
      expect(hello?.user).toEqual(user);
      h.shutdown();
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
