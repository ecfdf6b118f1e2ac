import type {
  CreateTicketRequest,
  DeskInfo,
  HelpArticle,
  HelpIndex,
  HelpSearchResult,
  Ticket,
  TicketStatus,
  TicketSummary,
} from '@parley/protocol';
import { ParleyError } from './errors.js';
import { relayHttpUrl } from './url.js';

/** Options of the HTTP helpers ({@link fetchDesk}, the help center and ticket functions, {@link loginAgent}). */
export interface HttpOptions {
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Cancels the request. */
  signal?: AbortSignal;
}

type Check = (b: Record<string, unknown>) => boolean;

/**
 * @internal One JSON request to the relay, its answer checked with `check` (`what` names what
 * it should be). Rejects with a {@link ParleyError}: the relay's `{error:{code,message}}` code,
 * else `network` (unreachable) or `bad_response`.
 */
export async function requestJson<T>(
  relay: string,
  method: 'GET' | 'POST' | 'PATCH',
  path: string,
  options: HttpOptions & { body?: unknown; token?: string },
  check: Check,
  what: string,
): Promise<T> {
  const url = relayHttpUrl(relay, path);
  const doFetch = options.fetch ?? globalThis.fetch;
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let res: Response;
  try {
    // Called unbound as a plain function: window.fetch throws "Illegal invocation" when
    // called as a method of another object.
    res = await doFetch.call(globalThis, url, {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    throw new ParleyError('network', `could not reach the relay: ${error instanceof Error ? error.message : String(error)}`);
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  const b = body as Record<string, unknown> | null | undefined;
  if (!res.ok) {
    const err = (b?.error ?? {}) as { code?: unknown; message?: unknown };
    const failed = `${method} ${path} failed with HTTP ${res.status}`;
    throw typeof err.code === 'string'
      ? new ParleyError(err.code, typeof err.message === 'string' ? err.message : failed)
      : new ParleyError('bad_response', failed);
  }
  if (typeof b !== 'object' || b === null || !check(b)) throw new ParleyError('bad_response', `the relay's answer to ${method} ${path} is not ${what}`);
  return b as T;
}

const isTicket: Check = (b) => typeof b.number === 'string' && typeof b.status === 'string' && Array.isArray(b.messages);
const seg = (number: string) => encodeURIComponent(number);

/**
 * The desk's pre-chat data: topics (labels in `lang`), languages, and whether a fitting agent
 * is online now (`open`); when not, offer a ticket form instead of a chat.
 *
 * @example
 * const desk = await fetchDesk('https://chat.example.com', { lang: 'de', topic: 'security' });
 * if (!desk.open) showTicketForm(desk.topics);
 */
export async function fetchDesk(relay: string, query: { lang?: string; topic?: string } = {}, options: HttpOptions = {}): Promise<DeskInfo> {
  const params = new URLSearchParams();
  if (query.lang) params.set('lang', query.lang);
  if (query.topic) params.set('topic', query.topic);
  const qs = params.toString();
  return requestJson(relay, 'GET', `/api/desk${qs ? `?${qs}` : ''}`, options, (b) => Array.isArray(b.topics) && typeof b.open === 'boolean', 'desk info');
}

const langQuery = (lang: string) => (lang ? `lang=${encodeURIComponent(lang)}` : '');

/**
 * The help center's table of contents: every category with its articles' titles, in `lang`
 * (English where an article has no translation).
 *
 * @example
 * const { categories } = await fetchHelpIndex('https://chat.example.com', 'es');
 * categories[0].articles[0].title; // 'Mi depósito no ha llegado'
 */
export async function fetchHelpIndex(relay: string, lang: string, options: HttpOptions = {}): Promise<HelpIndex> {
  const qs = langQuery(lang);
  return requestJson(relay, 'GET', `/api/help${qs ? `?${qs}` : ''}`, options, (b) => Array.isArray(b.categories), 'a help index');
}

/**
 * Search the help center (every language; `lang` picks the language of titles and snippets).
 * At most 8 results, best first. A blank query resolves with `[]` without asking the relay;
 * one over 200 characters rejects with `bad_frame`.
 *
 * @example
 * const hits = await searchHelp(relay, 'deposit not arrived', 'en');
 * hits.map((h) => h.title); // ['My deposit has not arrived', …]
 */
export async function searchHelp(relay: string, query: string, lang: string, options: HttpOptions = {}): Promise<HelpSearchResult[]> {
  const q = query.trim();
  if (!q) return [];
  const qs = langQuery(lang);
  const path = `/api/help/search?q=${encodeURIComponent(q)}${qs ? `&${qs}` : ''}`;
  return (await requestJson<{ results: HelpSearchResult[] }>(relay, 'GET', path, options, (b) => Array.isArray(b.results), 'help search results')).results;
}

/**
 * One help article in `lang` (else English). An unknown id rejects with `not_found`. The body
 * is plain text: show it as text, never as HTML.
 *
 * @example
 * const a = await fetchHelpArticle(relay, 'deposit-not-arrived', 'en');
 * el.textContent = a.body;
 */
export async function fetchHelpArticle(relay: string, id: string, lang: string, options: HttpOptions = {}): Promise<HelpArticle> {
  const qs = langQuery(lang);
  return requestJson(
    relay,
    'GET',
    `/api/help/articles/${seg(id)}${qs ? `?${qs}` : ''}`,
    options,
    (b) => typeof b.id === 'string' && typeof b.title === 'string' && typeof b.body === 'string',
    'a help article',
  );
}

/**
 * Open a ticket (when nobody is online). Resolves with the ticket number the visitor keeps.
 *
 * @example
 * const { number } = await createTicket(relay, { topic: 'deposit', subject: 'Missing deposit', description: '…', email: 'a@b.co' });
 */
export async function createTicket(relay: string, ticket: CreateTicketRequest, options: HttpOptions = {}): Promise<{ number: string; status: TicketStatus }> {
  return requestJson(relay, 'POST', '/api/tickets', { ...options, body: ticket }, (b) => typeof b.number === 'string' && typeof b.status === 'string', 'a ticket number');
}

/**
 * Look a ticket up by number and the e-mail it was opened with. A wrong pair rejects with
 * `not_found`, exactly like an unknown number; too many tries with `rate_limited`.
 *
 * @example
 * const t = await lookupTicket(relay, 'PX-7KQ2M9XD', 'a@b.co');
 */
export async function lookupTicket(relay: string, number: string, email: string, options: HttpOptions = {}): Promise<Ticket> {
  return requestJson(relay, 'GET', `/api/tickets/${seg(number)}?email=${encodeURIComponent(email)}`, options, isTicket, 'a ticket');
}

/**
 * The visitor adds a message to their ticket.
 *
 * @example
 * const t = await addTicketMessage(relay, 'PX-7KQ2M9XD', 'a@b.co', 'Here is the transaction id: …');
 */
export async function addTicketMessage(relay: string, number: string, email: string, text: string, options: HttpOptions = {}): Promise<Ticket> {
  return requestJson(relay, 'POST', `/api/tickets/${seg(number)}/messages`, { ...options, body: { email, text } }, isTicket, 'a ticket');
}

/**
 * Agents: the ticket list, newest update first, optionally by status.
 *
 * @example
 * const open = await listTickets(relay, token, { status: 'open' });
 */
export async function listTickets(relay: string, token: string, query: { status?: TicketStatus } = {}, options: HttpOptions = {}): Promise<TicketSummary[]> {
  const path = `/api/agent/tickets${query.status ? `?status=${encodeURIComponent(query.status)}` : ''}`;
  return (await requestJson<{ tickets: TicketSummary[] }>(relay, 'GET', path, { ...options, token }, (b) => Array.isArray(b.tickets), 'a ticket list')).tickets;
}

/**
 * Agents: one ticket with its thread.
 *
 * @example
 * const t = await getTicket(relay, token, 'PX-7KQ2M9XD');
 */
export async function getTicket(relay: string, token: string, number: string, options: HttpOptions = {}): Promise<Ticket> {
  return requestJson(relay, 'GET', `/api/agent/tickets/${seg(number)}`, { ...options, token }, isTicket, 'a ticket');
}

/**
 * Agents: reply to a ticket; the relay e-mails the reply to the visitor and sets the status
 * to `pending` (waiting for the visitor).
 *
 * @example
 * await replyTicket(relay, token, 'PX-7KQ2M9XD', 'Your deposit arrived this morning.');
 */
export async function replyTicket(relay: string, token: string, number: string, text: string, options: HttpOptions = {}): Promise<Ticket> {
  return requestJson(relay, 'POST', `/api/agent/tickets/${seg(number)}/replies`, { ...options, token, body: { text } }, isTicket, 'a ticket');
}

/**
 * Agents: change a ticket's status.
 *
 * @example
 * await setTicketStatus(relay, token, 'PX-7KQ2M9XD', 'solved');
 */
export async function setTicketStatus(relay: string, token: string, number: string, status: TicketStatus, options: HttpOptions = {}): Promise<Ticket> {
  return requestJson(relay, 'PATCH', `/api/agent/tickets/${seg(number)}`, { ...options, token, body: { status } }, isTicket, 'a ticket');
}
