import type {
  CreateTicketRequest,
  DeskInfo,
  Ticket,
  TicketStatus,
  TicketSummary,
} from '@parley/protocol';
import { ParleyError } from './errors.js';
import { relayHttpUrl } from './url.js';

/** Options of the HTTP helpers ({@link fetchDesk}, the ticket functions, {@link loginAgent}). */
export interface HttpOptions {
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Cancels the request. */
  signal?: AbortSignal;
}

/**
 * @internal One JSON request to the relay. Rejects with a {@link ParleyError}: the relay's
 * `{error:{code,message}}` code, else `network` (unreachable) or `bad_response`.
 */
export async function requestJson(
  relay: string,
  method: 'GET' | 'POST' | 'PATCH',
  path: string,
  options: HttpOptions & { body?: unknown; token?: string },
): Promise<unknown> {
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
  if (!res.ok) {
    const err = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    if (err && typeof err.code === 'string') {
      throw new ParleyError(err.code, typeof err.message === 'string' ? err.message : `${method} ${path} failed (${res.status})`);
    }
    throw new ParleyError('bad_response', `${method} ${path} failed with HTTP ${res.status}`);
  }
  if (typeof body !== 'object' || body === null) throw new ParleyError('bad_response', `the relay answered ${method} ${path} without a JSON object`);
  return body;
}

function expectShape<T>(body: unknown, check: (b: Record<string, unknown>) => boolean, what: string): T {
  if (!check(body as Record<string, unknown>)) throw new ParleyError('bad_response', `the relay's answer is not ${what}`);
  return body as T;
}
const isTicket = (b: Record<string, unknown>) => typeof b.number === 'string' && typeof b.status === 'string' && Array.isArray(b.messages);
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
  const body = await requestJson(relay, 'GET', `/api/desk${qs ? `?${qs}` : ''}`, options);
  return expectShape<DeskInfo>(body, (b) => Array.isArray(b.topics) && typeof b.open === 'boolean', 'desk info');
}

/**
 * Open a ticket (when nobody is online). Resolves with the ticket number the visitor keeps.
 *
 * @example
 * const { number } = await createTicket(relay, { topic: 'deposit', subject: 'Missing deposit', description: '…', email: 'a@b.co' });
 */
export async function createTicket(relay: string, ticket: CreateTicketRequest, options: HttpOptions = {}): Promise<{ number: string; status: TicketStatus }> {
  const body = await requestJson(relay, 'POST', '/api/tickets', { ...options, body: ticket });
  return expectShape(body, (b) => typeof b.number === 'string' && typeof b.status === 'string', 'a ticket number');
}

/**
 * Look a ticket up by number and the e-mail it was opened with. A wrong pair rejects with
 * `not_found`, exactly like an unknown number; too many tries with `rate_limited`.
 *
 * @example
 * const t = await lookupTicket(relay, 'PX-7KQ2M9XD', 'a@b.co');
 */
export async function lookupTicket(relay: string, number: string, email: string, options: HttpOptions = {}): Promise<Ticket> {
  const body = await requestJson(relay, 'GET', `/api/tickets/${seg(number)}?email=${encodeURIComponent(email)}`, options);
  return expectShape<Ticket>(body, isTicket, 'a ticket');
}

/**
 * The visitor adds a message to their ticket.
 *
 * @example
 * const t = await addTicketMessage(relay, 'PX-7KQ2M9XD', 'a@b.co', 'Here is the transaction id: …');
 */
export async function addTicketMessage(relay: string, number: string, email: string, text: string, options: HttpOptions = {}): Promise<Ticket> {
  const body = await requestJson(relay, 'POST', `/api/tickets/${seg(number)}/messages`, { ...options, body: { email, text } });
  return expectShape<Ticket>(body, isTicket, 'a ticket');
}

/**
 * Agents: the ticket list, newest update first, optionally by status.
 *
 * @example
 * const open = await listTickets(relay, token, { status: 'open' });
 */
export async function listTickets(relay: string, token: string, query: { status?: TicketStatus } = {}, options: HttpOptions = {}): Promise<TicketSummary[]> {
  const body = await requestJson(relay, 'GET', `/api/agent/tickets${query.status ? `?status=${encodeURIComponent(query.status)}` : ''}`, { ...options, token });
  return expectShape<{ tickets: TicketSummary[] }>(body, (b) => Array.isArray(b.tickets), 'a ticket list').tickets;
}

/**
 * Agents: one ticket with its thread.
 *
 * @example
 * const t = await getTicket(relay, token, 'PX-7KQ2M9XD');
 */
export async function getTicket(relay: string, token: string, number: string, options: HttpOptions = {}): Promise<Ticket> {
  const body = await requestJson(relay, 'GET', `/api/agent/tickets/${seg(number)}`, { ...options, token });
  return expectShape<Ticket>(body, isTicket, 'a ticket');
}

/**
 * Agents: reply to a ticket; the relay e-mails the reply to the visitor and sets the status
 * to `pending` (waiting for the visitor).
 *
 * @example
 * await replyTicket(relay, token, 'PX-7KQ2M9XD', 'Your deposit arrived this morning.');
 */
export async function replyTicket(relay: string, token: string, number: string, text: string, options: HttpOptions = {}): Promise<Ticket> {
  const body = await requestJson(relay, 'POST', `/api/agent/tickets/${seg(number)}/replies`, { ...options, token, body: { text } });
  return expectShape<Ticket>(body, isTicket, 'a ticket');
}

/**
 * Agents: change a ticket's status.
 *
 * @example
 * await setTicketStatus(relay, token, 'PX-7KQ2M9XD', 'solved');
 */
export async function setTicketStatus(relay: string, token: string, number: string, status: TicketStatus, options: HttpOptions = {}): Promise<Ticket> {
  const body = await requestJson(relay, 'PATCH', `/api/agent/tickets/${seg(number)}`, { ...options, token, body: { status } });
  return expectShape<Ticket>(body, isTicket, 'a ticket');
}
