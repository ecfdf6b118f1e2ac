import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { getTicket, listTickets, replyTicket, setTicketStatus } from '@parley/client';
import { LIMITS, type Ticket, type TicketStatus, type TicketSummary } from '@parley/protocol';
import { formatAge } from './lists.js';
import { strings } from './strings.js';

/**
 * The agent side of tickets, as the console uses it. Injectable so tests run without a relay.
 *
 * @example
 * const api: TicketApi = httpTickets('https://chat.example.com', token);
 * const open = await api.list('open');
 */
export interface TicketApi {
  list(status?: TicketStatus): Promise<TicketSummary[]>;
  get(number: string): Promise<Ticket>;
  /** Reply to the visitor (the relay e-mails it); resolves with the updated ticket. */
  reply(number: string, text: string): Promise<unknown>;
  setStatus(number: string, status: TicketStatus): Promise<unknown>;
}

/**
 * The default {@link TicketApi}: the client's HTTP helpers with the agent's token.
 *
 * @example
 * <ConsoleApp relay={relay} login={loginAgent} createClient={createAgentClient} tickets={httpTickets} />
 */
export function httpTickets(relay: string, token: string): TicketApi {
  return {
    list: (status) => listTickets(relay, token, status ? { status } : {}),
    get: (number) => getTicket(relay, token, number),
    reply: (number, text) => replyTicket(relay, token, number, text),
    setStatus: (number, status) => setTicketStatus(relay, token, number, status),
  };
}

const STATUSES: TicketStatus[] = ['open', 'pending', 'solved', 'closed'];

const message = (err: unknown) => {
  const m = (err as { message?: unknown } | null)?.message;
  return typeof m === 'string' && m ? m.slice(0, 300) : String(err);
};

/**
 * The tickets view: a status filter and the list; choosing a ticket shows its thread, a
 * reply box and a status switch. Back returns focus to the ticket that was open.
 *
 * @example
 * <TicketsView api={httpTickets(relay, token)} now={Date.now()} />
 */
export function TicketsView({ api, now }: { api: TicketApi; now: number }) {
  const ids = useId();
  const [filter, setFilter] = useState<TicketStatus | ''>('open');
  const [rows, setRows] = useState<TicketSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [openNumber, setOpenNumber] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const lastOpen = useRef<string | null>(null);
  const listRef = useRef<HTMLUListElement>(null);

  useEffect(() => {
    let live = true;
    setRows(null);
    setError(null);
    api.list(filter || undefined).then(
      (r) => live && setRows(r),
      (e) => live && setError(strings.tickets.failed(message(e))),
    );
    return () => {
      live = false;
    };
  }, [api, filter, reload]);

  // Back from a ticket: focus the row it came from, so the keyboard user keeps their place.
  useEffect(() => {
    if (openNumber || !lastOpen.current || !rows) return;
    const back = lastOpen.current;
    [...(listRef.current?.querySelectorAll<HTMLElement>('[data-ticket]') ?? [])].find((el) => el.dataset.ticket === back)?.focus();
  }, [openNumber, rows]);

  if (openNumber) {
    return (
      <TicketDetail
        api={api}
        number={openNumber}
        onBack={() => {
          lastOpen.current = openNumber;
          setOpenNumber(null);
          setReload((n) => n + 1);
        }}
      />
    );
  }
  return (
    <section class="pc-tickets" aria-labelledby={`${ids}-h`}>
      <h2 id={`${ids}-h`}>{strings.tickets.heading}</h2>
      <label for={`${ids}-f`}>{strings.tickets.filter}</label>{' '}
      <select id={`${ids}-f`} value={filter} onChange={(e) => setFilter(e.currentTarget.value as TicketStatus | '')}>
        <option value="">{strings.tickets.any}</option>
        {STATUSES.map((s) => (
          <option key={s} value={s}>
            {strings.tickets.status[s]}
          </option>
        ))}
      </select>
      <div aria-live="polite">
        {error ? <p class="pc-error">{error}</p> : rows === null ? <p class="pc-empty">{strings.tickets.loading}</p> : rows.length === 0 ? <p class="pc-empty">{strings.tickets.empty}</p> : null}
      </div>
      {rows?.length ? (
        <ul class="pc-rows" ref={listRef}>
          {rows.map((t) => (
            <li key={t.number}>
              <button type="button" class="pc-row" data-ticket={t.number} onClick={() => setOpenNumber(t.number)}>
                <span class="pc-row-preview">
                  {t.number}: {t.subject}
                </span>
                <span class="pc-row-meta">
                  <span>{strings.tickets.status[t.status]}</span>
                  {t.email ? <span>{strings.tickets.from(t.email)}</span> : null}
                  {t.topic ? <span>{t.topic}</span> : null}
                  <span>{strings.tickets.messages(t.messageCount)}</span>
                  <span>{formatAge(t.updatedAt, now)}</span>
                </span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function TicketDetail({ api, number, onBack }: { api: TicketApi; number: string; onBack(): void }) {
  const ids = useId();
  const [ticket, setTicket] = useState<Ticket | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  const load = () => api.get(number).then(setTicket, (e) => setError(strings.tickets.failed(message(e))));
  useEffect(() => {
    void load().then(() => heading.current?.focus());
  }, [api, number]);

  async function act(fn: () => Promise<unknown>) {
    if (busy) return;
    setBusy(true);
    setError(null);
    setNote(null);
    try {
      await fn();
      await load();
      setNote(strings.tickets.saved);
    } catch (e) {
      setError(strings.conversation.actionFailed(message(e)));
    } finally {
      setBusy(false);
    }
  }

  return (
    <article class="pc-ticket" aria-labelledby={`${ids}-h`}>
      <button type="button" onClick={onBack}>
        {strings.tickets.back}
      </button>
      <h2 id={`${ids}-h`} ref={heading} tabIndex={-1}>
        {ticket ? `${ticket.number}: ${ticket.subject}` : number}
      </h2>
      {ticket ? (
        <>
          <p class="pc-ticket-meta">
            {ticket.email ? strings.tickets.from(ticket.email) : null} {ticket.topic ? `· ${ticket.topic}` : null}
          </p>
          <label for={`${ids}-s`}>{strings.tickets.setStatus}</label>{' '}
          <select
            id={`${ids}-s`}
            value={ticket.status}
            disabled={busy}
            onChange={(e) => {
              const next = e.currentTarget.value as TicketStatus;
              void act(() => api.setStatus(ticket.number, next));
            }}
          >
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {strings.tickets.status[s]}
              </option>
            ))}
          </select>
          <h3>{strings.tickets.thread}</h3>
          <ol class="pc-items">
            {ticket.messages.map((m, i) => (
              <li key={i} class={`pc-msg pc-msg-${m.author.role}`}>
                <div class="pc-msg-meta">
                  <span class="pc-msg-author">
                    {m.author.name ?? strings.tickets.author[m.author.role]}
                    <span class="pc-vh">:</span>
                  </span>
                </div>
                <p class="pc-msg-text">{m.text}</p>
              </li>
            ))}
          </ol>
          <form
            class="pc-composer"
            onSubmit={(e) => {
              e.preventDefault();
              const t = text.trim();
              if (t) void act(async () => {
                await api.reply(ticket.number, t);
                setText('');
              });
            }}
          >
            <label for={`${ids}-r`}>{strings.tickets.reply}</label>
            <textarea id={`${ids}-r`} rows={4} maxLength={LIMITS.maxTextChars} value={text} onInput={(e) => setText(e.currentTarget.value)} />
            <button type="submit" aria-disabled={busy ? true : undefined}>
              {strings.tickets.send}
            </button>
          </form>
        </>
      ) : null}
      <div aria-live="polite">
        {error ? <p class="pc-error">{error}</p> : null}
        {note ? <p class="pc-note">{note}</p> : null}
      </div>
    </article>
  );
}
