import { timingSafeEqual, createHash } from 'node:crypto';
import type { AgentRef, ConversationEvent, CreateTicketRequest, Ticket, TicketStatus } from '@parley/protocol';
import type { TopicConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { ConversationRecord, Store, TicketListItem, TicketRecord } from '../store/index.js';
import { oneLine, type Mailer } from './mailer.js';
import { newTicketNumber, normaliseTicketNumber } from './numbers.js';

/** Options for {@link TicketService}. */
export interface TicketServiceOptions {
  store: Store;
  /** Sends ticket replies and transcripts. `null`: replies are stored, not mailed. */
  mailer: Mailer | null;
  topics: TopicConfig[];
  /** The desk's name in e-mails. @default 'Support' */
  deskName?: string;
  logger?: Logger;
  /** @default Date.now */
  now?: () => number;
  /** @default newTicketNumber */
  newNumber?: () => string;
}

/** Most tickets in one agent list. */
const LIST_LIMIT = 500;

/** Compare e-mails without leaking, by timing, how much of a guess was right. */
function sameEmail(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const h = (s: string) => createHash('sha256').update(s.trim().toLowerCase()).digest();
  return timingSafeEqual(h(a), h(b));
}

const iso = (at: number) => new Date(at).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';

/**
 * Tickets: opened by visitors when nobody is online, or by the relay when a chat ends
 * unanswered; read with number + e-mail; answered by agents (the answer is e-mailed).
 *
 * @example
 * const tickets = new TicketService({ store, mailer: new SmtpMailer(config.smtp), topics: config.topics });
 * const t = await tickets.create({ subject: 'Missing deposit', description: '…', email: 'a@b.co' });
 */
export class TicketService {
  readonly #store: Store;
  readonly #mailer: Mailer | null;
  readonly #topics: TopicConfig[];
  readonly #deskName: string;
  readonly #log: Logger | undefined;
  readonly #now: () => number;
  readonly #newNumber: () => string;

  constructor(options: TicketServiceOptions) {
    this.#store = options.store;
    this.#mailer = options.mailer;
    this.#topics = options.topics;
    this.#deskName = options.deskName ?? 'Support';
    this.#log = options.logger;
    this.#now = options.now ?? Date.now;
    this.#newNumber = options.newNumber ?? (() => newTicketNumber());
  }

  /** True when e-mail can go out. */
  get canMail(): boolean {
    return this.#mailer !== null;
  }

  /** Open a ticket from the visitor's form. */
  async create(input: CreateTicketRequest): Promise<TicketRecord> {
    const at = this.#now();
    return this.#insert({
      status: 'open',
      subject: input.subject.trim(),
      email: input.email,
      createdAt: at,
      updatedAt: at,
      messages: [{ at, author: { role: 'visitor' }, text: input.description }],
      ...(input.topic !== undefined ? { topic: input.topic } : {}),
      ...(input.lang !== undefined ? { lang: input.lang } : {}),
      ...(input.context !== undefined ? { context: input.context } : {}),
      ...(input.conversationId !== undefined ? { conversationId: input.conversationId } : {}),
    });
  }

  /**
   * Turn an unanswered chat into a ticket: the subject is the topic (or the first visitor
   * message), the first message the chat's transcript, so an agent has the whole story.
   */
  async fromConversation(conversation: ConversationRecord, events: ConversationEvent[]): Promise<TicketRecord> {
    const at = this.#now();
    const firstVisitor = events.find((e) => e.kind === 'message' && e.author.role === 'visitor');
    const topicLabel = conversation.topic ? this.topicLabel(conversation.topic, 'en') : undefined;
    const subject = topicLabel ?? (firstVisitor?.kind === 'message' ? oneLine(firstVisitor.text).slice(0, 120) : 'Chat without an answer');
    const email = conversation.email ?? conversation.user?.email;
    return this.#insert({
      status: 'open',
      subject,
      createdAt: at,
      updatedAt: at,
      conversationId: conversation.id,
      messages: [{ at, author: { role: 'system' }, text: `This chat ended before an agent could answer.\n\n${transcriptText(events)}` }],
      ...(email !== undefined ? { email } : {}),
      ...(conversation.topic !== undefined ? { topic: conversation.topic } : {}),
      ...(conversation.lang !== undefined ? { lang: conversation.lang } : {}),
      ...(conversation.context !== undefined ? { context: conversation.context } : {}),
    });
  }

  async #insert(ticket: Omit<TicketRecord, 'number'>): Promise<TicketRecord> {
    // 40 random bits make a collision very unlikely; a few retries make it impossible in practice.
    for (let attempt = 0; ; attempt++) {
      const record: TicketRecord = { number: this.#newNumber(), ...ticket };
      try {
        await this.#store.createTicket(record);
        return record;
      } catch (error) {
        if (attempt >= 4 || !/exists/.test((error as Error).message)) throw error;
      }
    }
  }

  /** The ticket when number and e-mail belong together; null otherwise (the caller answers both the same). */
  async lookup(number: string, email: string): Promise<TicketRecord | null> {
    const n = normaliseTicketNumber(number);
    const ticket = n === null ? null : await this.#store.getTicket(n);
    // Compare even when there is no ticket, so a miss takes as long as a wrong e-mail.
    const ok = sameEmail(ticket?.email ?? '\u0000', email);
    return ticket && ok ? ticket : null;
  }

  /** The visitor writes to their ticket; it opens again. */
  async visitorMessage(number: string, email: string, text: string): Promise<TicketRecord | null> {
    const ticket = await this.lookup(number, email);
    if (!ticket) return null;
    return this.#store.addTicketMessage(ticket.number, { at: this.#now(), author: { role: 'visitor' }, text }, 'open');
  }

  list(status?: TicketStatus): Promise<TicketListItem[]> {
    return this.#store.listTickets({ ...(status !== undefined ? { status } : {}), limit: LIST_LIMIT });
  }

  async get(number: string): Promise<TicketRecord | null> {
    const n = normaliseTicketNumber(number);
    return n === null ? null : this.#store.getTicket(n);
  }

  /**
   * An agent answers: stored, status `pending`, and e-mailed to the ticket's address.
   * `mailed` is false when there is no mailer, no address, or sending failed (logged).
   */
  async reply(number: string, agent: AgentRef, text: string): Promise<{ ticket: TicketRecord; mailed: boolean } | null> {
    const n = normaliseTicketNumber(number);
    if (n === null) return null;
    const ticket = await this.#store.addTicketMessage(n, { at: this.#now(), author: { role: 'agent', id: agent.id, name: agent.name }, text }, 'pending');
    if (!ticket) return null;
    let mailed = false;
    if (this.#mailer && ticket.email) {
      try {
        await this.#mailer.send({
          to: ticket.email,
          subject: `[${ticket.number}] Re: ${ticket.subject}`,
          text:
            `${agent.name} (${this.#deskName}) replied to your ticket ${ticket.number}:\n\n${text}\n\n` +
            `-- \nLook up your ticket in the chat window with its number ${ticket.number} and this e-mail address.\n`,
        });
        mailed = true;
      } catch (error) {
        this.#log?.error({ err: error, ticket: ticket.number }, 'ticket reply e-mail failed');
      }
    }
    return { ticket, mailed };
  }

  async setStatus(number: string, status: TicketStatus): Promise<TicketRecord | null> {
    const n = normaliseTicketNumber(number);
    return n === null ? null : this.#store.setTicketStatus(n, status, this.#now());
  }

  /** E-mail a conversation's transcript (no notes) as plain text. Throws when sending fails or there is no mailer. */
  async mailTranscript(to: string, conversation: ConversationRecord, events: ConversationEvent[]): Promise<void> {
    if (!this.#mailer) throw new Error('no mailer');
    await this.#mailer.send({
      to,
      subject: `Your chat with ${this.#deskName} (${iso(conversation.createdAt)})`,
      text: `Here is the transcript of your chat with ${this.#deskName}.\n\n${transcriptText(events)}\n`,
    });
  }

  /** A topic's label in `lang` (else English, else the first one). */
  topicLabel(topicId: string, lang: string): string | undefined {
    const topic = this.#topics.find((t) => t.id === topicId);
    if (!topic) return undefined;
    return topic.labels[lang] ?? topic.labels.en ?? Object.values(topic.labels)[0];
  }
}

/**
 * A transcript as plain text, one line per message or status change. Notes (private to
 * agents) are left out.
 *
 * @example
 * transcriptText(events); // '[2026-11-23 05:00 UTC] You: Where is my deposit?\n...'
 */
export function transcriptText(events: ConversationEvent[]): string {
  const lines: string[] = [];
  for (const e of events) {
    if (e.kind === 'note') continue;
    if (e.kind === 'message') {
      const who = e.author.role === 'visitor' ? 'You' : `${e.author.name ?? (e.author.role === 'bot' ? 'Bot' : 'Agent')}`;
      lines.push(`[${iso(e.at)}] ${who}: ${e.text}`);
    } else if (e.status === 'active' && e.agent) {
      lines.push(`[${iso(e.at)}] -- ${e.agent.name} joined --`);
    } else if (e.status === 'waiting') {
      lines.push(`[${iso(e.at)}] -- waiting for an agent --`);
    } else if (e.status === 'closed') {
      lines.push(`[${iso(e.at)}] -- chat closed --`);
    }
  }
  return lines.join('\n');
}

/** The public (API) shape of a ticket. */
export function toTicket(record: TicketRecord): Ticket {
  return record;
}
