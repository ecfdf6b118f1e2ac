import { createTicket, fetchDesk, fetchHelpArticle, fetchHelpIndex, lookupTicket, searchHelp, type HttpOptions } from '@parley/client';
import type { CreateTicketRequest, DeskInfo, HelpArticle, HelpIndex, HelpSearchResult, Ticket, TicketStatus } from '@parley/protocol';

/**
 * The desk's HTTP side as the widget uses it: the pre-chat config, tickets and the help center. Injectable
 * (`mountWidget({ desk })`) so tests and apps with their own HTTP layer need no relay.
 *
 * @example
 * const desk: DeskApi = httpDesk('https://chat.example.com');
 * const { topics, open } = await desk.info({ lang: 'en' });
 */
export interface DeskApi {
  /** `GET /api/desk`: topics (labels in `lang`) and whether a fitting agent is online. */
  info(query: { lang: string; topic?: string }): Promise<DeskInfo>;
  /** `POST /api/tickets`: resolves with the new ticket's number. */
  createTicket(request: CreateTicketRequest): Promise<{ number: string; status: TicketStatus }>;
  /** `GET /api/tickets/:number?email=`: `null` when number and e-mail do not match a ticket. */
  ticket(number: string, email: string): Promise<Ticket | null>;
  /** `GET /api/help`: the help center's categories and article titles in `lang`. */
  helpIndex(lang: string): Promise<HelpIndex>;
  /** `GET /api/help/search`: at most 8 articles for `query` (any language), titles in `lang`. */
  searchHelp(query: string, lang: string): Promise<HelpSearchResult[]>;
  /** `GET /api/help/articles/:id`: one article in `lang`. */
  helpArticle(id: string, lang: string): Promise<HelpArticle>;
}

/**
 * The default {@link DeskApi}: the client's HTTP helpers against the relay. A ticket
 * lookup's `not_found` (unknown number or wrong e-mail, the relay does not say which) is
 * the ordinary "no such ticket" answer, `null`; other failures reject.
 *
 * @example
 * mountWidget({ relay, desk: httpDesk(relay, { fetch: myFetch }) });
 */
export function httpDesk(relay: string, o: HttpOptions = {}): DeskApi {
  return {
    info: (query) => fetchDesk(relay, query, o),
    createTicket: (request) => createTicket(relay, request, o),
    ticket: (number, email) =>
      lookupTicket(relay, number, email, o).catch((e: unknown) => {
        if ((e as { code?: string } | null)?.code === 'not_found') return null;
        throw e;
      }),
    helpIndex: (lang) => fetchHelpIndex(relay, lang, o),
    searchHelp: (query, lang) => searchHelp(relay, query, lang, o),
    helpArticle: (id, lang) => fetchHelpArticle(relay, id, lang, o),
  };
}
