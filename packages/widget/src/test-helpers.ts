import type { ConnectionState, QueuePosition, TranscriptItem, TypingInfo, VisitorClient } from '@parley/client';
import type { AgentRef, ConversationStatus, ConversationSummary, DeskInfo, Rating, Ticket } from '@parley/protocol';
import { signal } from '@preact/signals';
import { afterEach } from 'vitest';
import { mountWidget } from './mount-all.js';
import type { WidgetHandle, WidgetOptions } from './mount.js';

// Shared by the widget's DOM tests: fakes made of signals, and a mount helper.

/** A VisitorClient made of plain signals, recording every call, so tests drive the UI directly. */
export function fakeClient(status: ConversationStatus | null = 'bot') {
  const calls = {
    connect: 0,
    send: [] as string[],
    requestHuman: 0,
    closeConversation: 0,
    startNew: 0,
    setLang: [] as string[],
    disconnect: 0,
    typing: [] as boolean[],
    topic: [] as string[],
    rate: [] as [number, string | undefined][],
    emailTranscript: [] as string[],
  };
  /** What `rate` and `emailTranscript` do; a test may swap in a rejection. */
  const answers = { rate: (): Promise<void> => Promise.resolve(), email: (): Promise<void> => Promise.resolve() };
  const client = {
    state: signal<ConnectionState>('idle'),
    conversation: signal<ConversationSummary | null>(null),
    status: signal<ConversationStatus | null>(status),
    agent: signal<AgentRef | null>(null),
    transcript: signal<TranscriptItem[]>([]),
    lastError: signal(null),
    connect: () => void calls.connect++,
    send: (text: string) => {
      calls.send.push(text);
      return `m${calls.send.length}`;
    },
    requestHuman: () => void calls.requestHuman++,
    closeConversation: () => void calls.closeConversation++,
    startNew: () => void calls.startNew++,
    setLang: (lang: string) => void calls.setLang.push(lang),
    disconnect: () => void calls.disconnect++,
    position: signal<QueuePosition | null>(null),
    agentTyping: signal<TypingInfo | null>(null),
    rating: signal<Rating | null>(null),
    setTyping: (typing: boolean) => void calls.typing.push(typing),
    setTopic: (topic: string) => void calls.topic.push(topic),
    setEmail: () => {},
    rate: (score: number, comment?: string) => {
      calls.rate.push([score, comment]);
      return answers.rate();
    },
    emailTranscript: (email: string) => {
      calls.emailTranscript.push(email);
      return answers.email();
    },
  } satisfies VisitorClient;
  return { client, calls, answers };
}

/** A desk API answering from memory, recording what the widget asked. */
export function fakeDesk(info: Partial<DeskInfo> = {}) {
  const asked = { info: [] as { lang: string; topic?: string }[], created: [] as object[], lookups: [] as [string, string][] };
  const tickets = new Map<string, Ticket>();
  const desk = {
    info: async (q: { lang: string; topic?: string }): Promise<DeskInfo> => {
      asked.info.push(q);
      return { topics: [], languages: ['en'], open: true, agentsOnline: 1, ...info };
    },
    createTicket: async (req: { subject: string; description: string; email: string; topic?: string }) => {
      asked.created.push(req);
      const number = `PX-${String(tickets.size + 1).padStart(8, '0')}`;
      tickets.set(`${number}|${req.email}`, {
        number,
        status: 'open',
        subject: req.subject,
        createdAt: 0,
        updatedAt: 0,
        messages: [{ at: 0, author: { role: 'visitor' }, text: req.description }],
      });
      return { number, status: 'open' as const };
    },
    ticket: async (number: string, email: string) => {
      asked.lookups.push([number, email]);
      return tickets.get(`${number}|${email}`) ?? null;
    },
    // The help center's DOM tests use httpDesk with a fake fetch instead.
    helpIndex: async () => ({ categories: [] }),
    searchHelp: async () => [],
    helpArticle: async (): Promise<never> => {
      throw new Error('no help articles here');
    },
  };
  return { desk, asked, tickets };
}

export const msg = (key: string, role: 'visitor' | 'bot' | 'agent', text: string, extra: object = {}): TranscriptItem => ({
  kind: 'message',
  key,
  seq: 1,
  author: role === 'agent' ? { role, id: 'a1', name: 'Ana' } : { role },
  text,
  at: 0,
  pending: false,
  ...extra,
});

/** Preact renders on a microtask after a signal changes; let it. */
export const settle = () => new Promise((r) => setTimeout(r, 0));

let handles: WidgetHandle[] = [];
afterEach(() => {
  for (const h of handles) h.shutdown();
  handles = [];
  localStorage.clear();
});

export async function mount(options: Partial<WidgetOptions> = {}, status?: ConversationStatus | null, info?: Partial<DeskInfo>) {
  const fake = fakeClient(status);
  const desk = fakeDesk(info);
  const handle = mountWidget({ relay: 'https://relay.example', lang: 'en', storage: null, client: fake.client, desk: desk.desk, ...options });
  handles.push(handle);
  await settle();
  const root = handle.host.shadowRoot!;
  const $ = <T extends Element = HTMLElement>(sel: string) => root.querySelector<T>(sel);
  const $$ = <T extends Element = HTMLElement>(sel: string) => [...root.querySelectorAll<T>(sel)];
  return { ...fake, ...desk, handle, root, $, $$ };
}

export function key(el: Element, key: string, init: KeyboardEventInit = {}) {
  el.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init }));
}

export function type(textarea: HTMLTextAreaElement, text: string) {
  textarea.value = text;
  textarea.dispatchEvent(new Event('input', { bubbles: true }));
}

