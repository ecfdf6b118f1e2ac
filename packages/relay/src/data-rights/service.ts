import { AGENTS_TOPIC, VISITORS_TOPIC, type Bus } from '../bus/index.js';
import type { Logger } from '../logger.js';
import type { Store, VisitorData } from '../store/index.js';

/** The export format's name and version, so a later reader knows what it holds. */
export const VISITOR_EXPORT_FORMAT = 'parley.visitor-export/1';

/**
 * Everything Parley holds about one visitor, as one JSON document. Each kind of data is one
 * section; tickets and attachments join as sections when they exist (additive: readers
 * ignore sections they do not know).
 */
export interface VisitorExport {
  format: typeof VISITOR_EXPORT_FORMAT;
  exportedAt: number;
  visitor: VisitorData['visitor'];
  conversations: VisitorData['conversations'];
  /** Tickets made from the visitor's conversations (an unanswered chat, or the ticket form in the chat), with their threads. */
  tickets: VisitorData['tickets'];
}

/** What {@link DataRights.erase} removed, per section. */
export interface VisitorErasure {
  visitorId: string;
  /** False when nothing at all was held about the id. */
  found: boolean;
  conversations: number;
  events: number;
  tickets: number;
}

/** Options for {@link DataRights}. */
export interface DataRightsOptions {
  store: Store;
  /** Erasures are announced here, so every relay closes the visitor's live connections. @default none */
  bus?: Bus | null;
  logger?: Logger;
  /** @default Date.now */
  now?: () => number;
}

/**
 * Export and erase everything held about one visitor (the GDPR-style access and erasure
 * rights). The HTTP endpoints and the `parley visitor` command both go through here.
 *
 * @example
 * const rights = new DataRights({ store, bus });
 * const doc = await rights.export('q3J1...');   // null when nothing is held
 * await rights.erase('q3J1...');                 // visitor, conversations, events, tickets; sessions closed
 */
export class DataRights {
  readonly #store: Store;
  readonly #bus: Bus | null;
  readonly #log: Logger | undefined;
  readonly #now: () => number;

  constructor(options: DataRightsOptions) {
    this.#store = options.store;
    this.#bus = options.bus ?? null;
    this.#log = options.logger;
    this.#now = options.now ?? Date.now;
  }

  /** The visitor's data as one JSON-ready document, or null when nothing is held about the id. */
  async export(visitorId: string): Promise<VisitorExport | null> {
    const data = await this.#store.exportVisitor(visitorId);
    if (!data) return null;
    return { format: VISITOR_EXPORT_FORMAT, exportedAt: this.#now(), visitor: data.visitor, conversations: data.conversations, tickets: data.tickets };
  }

  /**
   * Erase the visitor's data, then tell every relay: their live connections close (4003, so
   * the old token is dropped) and agent queues drop the conversations.
   */
  async erase(visitorId: string): Promise<VisitorErasure> {
    const done = await this.#store.deleteVisitor(visitorId);
    const erasure: VisitorErasure = {
      visitorId,
      found: done.visitor || done.conversationIds.length > 0,
      conversations: done.conversationIds.length,
      events: done.events,
      tickets: done.ticketNumbers.length,
    };
    if (!erasure.found || !this.#bus) return erasure;
    try {
      await this.#bus.publish(VISITORS_TOPIC, { kind: 'visitor-deleted', visitorId });
      const at = this.#now();
      for (const id of done.conversationIds) {
        // A closed summary makes consoles that list it refresh their queue (which no longer has it).
        await this.#bus.publish(AGENTS_TOPIC, { kind: 'conversation', conversation: { id, status: 'closed', createdAt: at, updatedAt: at, lastSeq: 0 } });
      }
    } catch (error) {
      // The data is gone either way; a connection left open can no longer read or write it.
      this.#log?.error({ err: error, visitorId }, 'announcing a visitor erasure failed');
    }
    return erasure;
  }
}
