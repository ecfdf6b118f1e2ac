// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { act } from 'preact/test-utils';
import type { TranscriptItem } from '@parley/client';
import type { ConversationSummary, Ticket, TicketStatus, TicketSummary } from '@parley/protocol';
import { createFakeAgentClient, summary } from './fake-client.js';
import type { TicketApi } from './tickets.js';
import { button, click, key, mountApp, NOW, settle, type } from './test-helpers.js';

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

const ME = { id: 'a1', name: 'Ada' };
const DESK = {
  routing: 'pick' as const,
  savedReplies: [
    { id: 'r1', title: 'Greeting', text: 'Hello! Let me check that for you.' },
    { id: 'r2', title: 'Security', text: 'Never share your 2FA code.' },
  ],
  teams: ['security'],
  topics: [],
};
const ROSTER = [
  { id: 'a1', name: 'Ada', status: 'online' as const, languages: ['en'], teams: [], capacity: 3, load: 1 },
  { id: 'a2', name: 'Bo', status: 'online' as const, languages: ['en', 'zh'], teams: ['security'], capacity: 3, load: 2 },
];

async function open(conv: Partial<ConversationSummary>, items: TranscriptItem[] = [], tickets?: TicketApi) {
  const fake = createFakeAgentClient({ me: ME });
  const app = await mountApp({ fake, ...(tickets ? { tickets } : {}) });
  cleanup = app.unmount;
  await act(() => {
    fake.desk.value = DESK;
    fake.roster.value = ROSTER;
    fake.queue.value = [summary({ id: 'c1', ...conv })];
    fake.transcriptOf('c1').value = items;
  });
  await click(app.root.querySelectorAll<HTMLButtonElement>('[role=tab]')[2]!);
  await click(app.root.querySelector<HTMLButtonElement>('[data-conversation="c1"]')!);
  return { ...app, view: app.root.querySelector<HTMLElement>('.pc-conversation')! };
}

const MINE = { status: 'active' as const, agent: ME };

describe('queue list for hand-off', () => {
  it('puts urgent conversations first with a badge, and shows topic, verified badge and wait time', async () => {
    const app = await mountApp();
    cleanup = app.unmount;
    await act(() => {
      app.fake.queue.value = [
        summary({ id: 'old', status: 'waiting', waitingSince: NOW - 9 * 60_000, topic: 'deposit', preview: 'old one' }),
        summary({ id: 'urg', status: 'waiting', priority: 'urgent', waitingSince: NOW - 60_000, verified: true, topic: 'hacked', preview: 'hacked!' }),
      ];
    });
    const rows = [...app.root.querySelectorAll<HTMLElement>('.pc-row')];
    expect(rows.map((r) => r.dataset.conversation)).toEqual(['urg', 'old']);
    expect(rows[0]!.querySelector('.pc-urgent')?.textContent).toBe('Urgent');
    expect(rows[0]!.querySelector('.pc-verified')?.textContent).toBe('Verified');
    expect(rows[0]!.querySelector('.pc-row-topic')?.textContent).toBe('Topic: hacked');
    expect(rows[1]!.querySelector('.pc-urgent')).toBeNull();
    expect(rows[1]!.querySelector('.pc-row-age')?.textContent).toBe('waiting 9 min');
  });
});

describe('conversation hand-off tools', () => {
  it('shows private notes distinctly and adds one through the Reply / Private note switch', async () => {
    const { view, fake } = await open(MINE, [
      { kind: 'note', key: 'n1', seq: 1, at: 1_001, author: { role: 'agent', id: 'a2', name: 'Bo' }, text: 'VIP <b>customer</b>' },
    ]);
    const note = view.querySelector('.pc-msg-note')!;
    expect(note.querySelector('.pc-note-label')?.textContent).toBe('Private note');
    expect(note.querySelector('.pc-msg-text')?.textContent).toBe('VIP <b>customer</b>');
    expect(note.querySelector('b')).toBeNull();
    const radios = view.querySelectorAll<HTMLInputElement>('.pc-mode input[type=radio]');
    await click(radios[1]!);
    expect(view.querySelector('.pc-composer label[for]')?.textContent).toBe('Private note (agents only)');
    const box = view.querySelector<HTMLTextAreaElement>('.pc-composer textarea')!;
    await type(box, 'Checked the ledger');
    await key(box, 'Enter');
    await settle();
    expect(fake.callsOf('note')).toEqual([['c1', 'Checked the ledger']]);
    expect(fake.callsOf('send')).toEqual([]);
    expect(fake.callsOf('setTyping')).toEqual([]); // a note is never announced to the visitor
    expect(box.value).toBe('');
  });

  it('shows the visitor typing and sends mine, stopping when the reply goes', async () => {
    const { view, fake } = await open(MINE);
    await act(() => {
      fake.typingOf('c1').value = true;
    });
    expect(view.querySelector('.pc-typing')?.textContent).toBe('The visitor is typing…');
    const box = view.querySelector<HTMLTextAreaElement>('.pc-composer textarea')!;
    await type(box, 'On it');
    await key(box, 'Enter');
    expect(fake.callsOf('setTyping')).toEqual([
      ['c1', true],
      ['c1', false],
    ]);
    expect(fake.callsOf('send')).toEqual([['c1', 'On it']]);
  });

  it('inserts a saved reply from the picker, opened with / in an empty box, all by keyboard', async () => {
    const { view, root } = await open(MINE);
    const box = view.querySelector<HTMLTextAreaElement>('.pc-composer textarea')!;
    box.focus();
    const slash = await key(box, '/');
    expect(slash.defaultPrevented).toBe(true);
    await settle();
    const picker = view.querySelector('.pc-replies')!;
    const options = [...picker.querySelectorAll('button')];
    expect(document.activeElement).toBe(options[0]);
    await key(options[0]!, 'ArrowDown');
    expect(document.activeElement).toBe(options[1]);
    await key(options[1]!, 'Escape');
    expect(view.querySelector('.pc-replies')).toBeNull();
    expect(document.activeElement).toBe(box);
    await click(button(view, 'Saved replies'));
    await settle();
    await click(view.querySelector<HTMLButtonElement>('.pc-replies button')!);
    expect(box.value).toBe('Hello! Let me check that for you.');
    expect(document.activeElement).toBe(box);
    void root;
  });

  it('transfers through a modal dialog: roster and teams, note, focus kept inside and given back', async () => {
    const { view, fake } = await open(MINE);
    const opener = button(view, 'Transfer');
    opener.focus();
    await click(opener);
    const dialog = document.querySelector<HTMLElement>('[role=dialog]')!;
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(dialog.textContent).toContain('Bo (Online, 2/3)');
    expect(dialog.textContent).not.toContain('Ada (');
    expect(dialog.textContent).toContain('Team security');
    const radios = [...dialog.querySelectorAll<HTMLInputElement>('input[type=radio]')];
    expect(document.activeElement).toBe(radios[0]);
    // Tab from the last control wraps to the first; Shift+Tab from the first to the last.
    const buttons = [...dialog.querySelectorAll<HTMLButtonElement>('button')];
    buttons.at(-1)!.focus();
    expect((await key(buttons.at(-1)!, 'Tab')).defaultPrevented).toBe(true);
    expect(document.activeElement).toBe(radios[0]);
    await key(radios[0]!, 'Tab', { shiftKey: true });
    expect(document.activeElement).toBe(buttons.at(-1));
    // Escape cancels and gives focus back.
    await key(dialog, 'Escape');
    expect(document.querySelector('[role=dialog]')).toBeNull();
    expect(document.activeElement).toBe(opener);

    await click(opener);
    const d2 = document.querySelector<HTMLElement>('[role=dialog]')!;
    await click(button(d2, 'Transfer'));
    expect(d2.querySelector('[role=alert]')?.textContent).toBe('Choose an agent or a team.');
    await click(d2.querySelectorAll<HTMLInputElement>('input[type=radio]')[1]!);
    await type(d2.querySelector('textarea')!, 'Possible account takeover');
    await click(button(d2, 'Transfer'));
    await settle();
    expect(fake.callsOf('transfer')).toEqual([['c1', { toTeam: 'security', note: 'Possible account takeover' }]]);
    expect(document.querySelector('[role=dialog]')).toBeNull();
  });

  it('shows identity (verified or not), topic, urgency, transfer lines and the rating', async () => {
    const { view } = await open(
      {
        ...MINE,
        verified: true,
        user: { id: 'u-42', email: 'ana@example.com', name: 'Ana' },
        topic: 'hacked',
        priority: 'urgent',
        rating: { score: 4, comment: 'Fast' },
      },
      [{ kind: 'status', key: 's1', seq: 1, at: 1_001, status: 'waiting', transfer: { from: ME, toTeam: 'security' } }],
    );
    const ctx = view.querySelector('.pc-identity')!;
    expect(ctx.querySelector('.pc-verified')?.textContent).toBe('Verified by the site');
    expect(ctx.textContent).toContain('u-42');
    expect(ctx.textContent).toContain('ana@example.com');
    expect(ctx.textContent).toContain('hacked');
    expect(ctx.textContent).toContain('Urgent');
    expect(view.querySelector('.pc-status-line')?.textContent).toContain('Transferred to Team security');
    expect(view.querySelector('.pc-rating')?.textContent).toBe('Rated 4 of 5Fast');

    cleanup?.();
    const plain = await open({ status: 'waiting' });
    expect(plain.view.querySelector('.pc-unverified')?.textContent).toBe('Not verified');
    // Closed and gone from the queue: the conversation's own summary brings the rating.
    await act(() => {
      plain.fake.queue.value = [];
      plain.fake.summaryOf('c1').value = summary({ id: 'c1', status: 'closed', rating: { score: 2, comment: 'Slow' } });
    });
    expect(plain.view.querySelector('.pc-rating')?.textContent).toBe('Rated 2 of 5Slow');
  });

  it('sets my status from the header', async () => {
    const { root, fake } = await open({ status: 'waiting' });
    const select = root.querySelector<HTMLSelectElement>('.pc-my-status select')!;
    expect(select.value).toBe('online');
    await act(() => {
      select.value = 'away';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    expect(fake.callsOf('setStatus')).toEqual([['away']]);
  });
});

function fakeTickets() {
  const calls: unknown[][] = [];
  const ticket: Ticket = {
    number: 'PX-7KQ2M9XD',
    status: 'open',
    subject: 'Deposit missing',
    email: 'ana@example.com',
    createdAt: NOW,
    updatedAt: NOW,
    messages: [{ at: NOW, author: { role: 'visitor' }, text: 'Sent <i>1 BTC</i>' }],
  };
  const api: TicketApi = {
    list: async (status?: TicketStatus) => {
      calls.push(['list', status]);
      const row: TicketSummary = { ...ticket, messageCount: ticket.messages.length };
      delete (row as Partial<Ticket>).messages;
      return !status || status === ticket.status ? [row] : [];
    },
    get: async (n) => {
      calls.push(['get', n]);
      return structuredClone(ticket);
    },
    reply: async (n, text) => {
      calls.push(['reply', n, text]);
      ticket.messages.push({ at: NOW, author: { role: 'agent', name: 'Ada' }, text });
    },
    setStatus: async (n, status) => {
      calls.push(['setStatus', n, status]);
      ticket.status = status;
    },
  };
  return { api, calls };
}

describe('tickets view', () => {
  it('lists tickets by status, opens one, replies and changes its status', async () => {
    const { api, calls } = fakeTickets();
    const app = await mountApp({ tickets: api });
    cleanup = app.unmount;
    await click(button(app.root, 'Tickets'));
    await settle();
    expect(calls[0]).toEqual(['list', 'open']);
    const filter = app.root.querySelector<HTMLSelectElement>('.pc-tickets select')!;
    await act(() => {
      filter.value = 'solved';
      filter.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await settle();
    expect(app.root.textContent).toContain('No tickets.');
    await act(() => {
      filter.value = '';
      filter.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await settle();
    expect(calls.at(-1)).toEqual(['list', undefined]);
    await click(app.root.querySelector<HTMLButtonElement>('[data-ticket="PX-7KQ2M9XD"]')!);
    await settle();
    const h = app.root.querySelector('.pc-ticket h2')!;
    expect(h.textContent).toBe('PX-7KQ2M9XD: Deposit missing');
    expect(document.activeElement).toBe(h);
    expect(app.root.querySelector('.pc-ticket .pc-msg-text')?.textContent).toBe('Sent <i>1 BTC</i>');
    expect(app.root.querySelector('.pc-ticket i')).toBeNull();

    await type(app.root.querySelector<HTMLTextAreaElement>('.pc-ticket textarea')!, 'We found it.');
    await click(button(app.root, 'Send reply'));
    await settle();
    expect(calls).toContainEqual(['reply', 'PX-7KQ2M9XD', 'We found it.']);
    expect([...app.root.querySelectorAll('.pc-ticket .pc-msg-text')].map((p) => p.textContent)).toEqual(['Sent <i>1 BTC</i>', 'We found it.']);

    const status = app.root.querySelector<HTMLSelectElement>('.pc-ticket select')!;
    await act(() => {
      status.value = 'solved';
      status.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await settle();
    expect(calls).toContainEqual(['setStatus', 'PX-7KQ2M9XD', 'solved']);
    expect(app.root.textContent).toContain('Saved.');

    await click(button(app.root, 'Back to tickets'));
    await settle();
    expect(document.activeElement).toBe(app.root.querySelector('[data-ticket="PX-7KQ2M9XD"]'));
  });

  it('says when the tickets cannot be loaded', async () => {
    const app = await mountApp({ tickets: { ...fakeTickets().api, list: () => Promise.reject(new Error('relay down')) } });
    cleanup = app.unmount;
    await click(button(app.root, 'Tickets'));
    await settle();
    expect(app.root.textContent).toContain('Could not load: relay down');
  });
});
