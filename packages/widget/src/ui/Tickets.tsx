import type { Ticket, TicketStatus } from '@parley/protocol';
import { LIMITS } from '@parley/protocol';
import { useRef, useState } from 'preact/hooks';
import { EMAIL_RE } from '../desk.js';
import { format, type Strings } from '../i18n.js';
import type { Model } from '../model.js';
import { Field, fieldProps, focusFirstInvalid } from './fields.js';
import { useGrabFocus } from './focus.js';

type Errors = Partial<Record<'topic' | 'subject' | 'description' | 'email' | 'number', string>>;

const STATUS_WORD: Record<TicketStatus, keyof Strings> = { open: 'tOpen', pending: 'tPending', solved: 'tSolved', closed: 'tClosed' };

/** The named fields' trimmed values. */
function read<K extends string>(form: HTMLFormElement | null, names: K[]): Record<K, string> {
  const out = {} as Record<K, string>;
  for (const n of names) out[n] = ((form?.elements.namedItem(n) as HTMLInputElement | null)?.value ?? '').trim();
  return out;
}

function checkEmail(email: string, s: Strings): string | undefined {
  return !email ? s.required : EMAIL_RE.test(email) ? undefined : s.badEmail;
}

/**
 * The ticket form offered instead of a dead chat when no fitting agent is online (or the
 * desk is closed): problem type, subject, description, e-mail. Errors are checked on
 * submit, shown under each field and focus goes to the first one; the new number is
 * announced and kept for the lookup view.
 */
export function TicketForm({ m }: { m: Model }) {
  const s = m.s.value;
  const info = m.info.value;
  const topics = info?.topics ?? [];
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useGrabFocus(m, heading);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    // Read the fields at submit time (uncontrolled): autofill may set several in one tick.
    const v = read(form.current, ['topic', 'subject', 'description', 'email']);
    const email = v.email;
    const err: Errors = {
      topic: topics.length && !v.topic ? s.required : undefined,
      subject: v.subject ? undefined : s.required,
      description: v.description ? undefined : s.required,
      email: checkEmail(email, s),
    };
    setErrors(err);
    if (Object.values(err).some(Boolean)) {
      // After the re-render, when the fields carry aria-invalid.
      setTimeout(() => focusFirstInvalid(form.current));
      return;
    }
    setBusy(true);
    setFailed(false);
    try {
      const conv = m.client.conversation.value;
      const { number } = await m.desk.createTicket({
        ...(v.topic ? { topic: v.topic } : {}),
        subject: v.subject,
        description: v.description,
        email,
        lang: m.uiLang.value,
        ...(conv ? { conversationId: conv.id } : {}),
      });
      m.lastTicket = { number, email };
      m.wantFocus = true;
      setDone(number);
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  };

  if (done) return <TicketDone m={m} number={done} />;
  return (
    <form ref={form} class="stack" noValidate onSubmit={submit}>
      <h3 ref={heading} tabIndex={-1}>
        {s.leaveMessage}
      </h3>
      {info?.open === false && <p>{info.reason === 'closed_hours' ? s.closedHours : s.noAgents}</p>}
      {topics.length > 0 && (
        <Field id="tk-topic" label={s.topicLabel} error={errors.topic}>
          <select {...fieldProps('tk-topic', errors.topic)} name="topic">
            <option value="" />
            {topics.map((t) => (
              <option key={t.id} value={t.id} selected={t.id === m.topic.value}>
                {t.label}
              </option>
            ))}
          </select>
        </Field>
      )}
      <Field id="tk-subject" label={s.subjectLabel} error={errors.subject}>
        <input {...fieldProps('tk-subject', errors.subject)} name="subject" maxLength={LIMITS.maxSubjectChars} />
      </Field>
      <Field id="tk-desc" label={s.descriptionLabel} error={errors.description}>
        <textarea {...fieldProps('tk-desc', errors.description)} name="description" maxLength={LIMITS.maxTextChars} />
      </Field>
      <Field id="tk-email" label={s.emailLabel} error={errors.email}>
        <input {...fieldProps('tk-email', errors.email)} name="email" type="email" autocomplete="email" maxLength={LIMITS.maxEmailChars} />
      </Field>
      {failed && <p role="alert">{s.requestFailed}</p>}
      <div class="row">
        <button type="submit" class="btn go" disabled={busy}>
          {s.submit}
        </button>
        <button type="button" class="link" onClick={() => m.show('chat')}>
          {s.back}
        </button>
      </div>
    </form>
  );
}

function TicketDone({ m, number }: { m: Model; number: string }) {
  const s = m.s.value;
  const ref = useRef<HTMLParagraphElement>(null);
  useGrabFocus(m, ref);
  return (
    <div class="stack">
      <p ref={ref} tabIndex={-1} role="status" class="done">
        {format(s.ticketCreated, { number })}
      </p>
      <div class="row">
        <button type="button" class="btn" onClick={() => m.show('lookup')}>
          {s.checkTicket}
        </button>
        <button type="button" class="link" onClick={() => m.show('chat')}>
          {s.back}
        </button>
      </div>
    </div>
  );
}

/** "Check a ticket": number + e-mail show the ticket's status and its replies, as text. */
export function TicketLookup({ m }: { m: Model }) {
  const s = m.s.value;
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Ticket | 'none' | 'failed' | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useGrabFocus(m, heading);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const v = read(form.current, ['number', 'email']);
    const number = v.number.toUpperCase();
    const email = v.email;
    const err: Errors = { number: number ? undefined : s.required, email: checkEmail(email, s) };
    setErrors(err);
    if (err.number || err.email) {
      setTimeout(() => focusFirstInvalid(form.current));
      return;
    }
    setBusy(true);
    try {
      setResult((await m.desk.ticket(number, email)) ?? 'none');
    } catch {
      setResult('failed');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="stack">
      <form ref={form} class="stack flat" noValidate onSubmit={submit}>
        <h3 ref={heading} tabIndex={-1}>
          {s.checkTicket}
        </h3>
        <Field id="lk-number" label={s.ticketNumberLabel} error={errors.number}>
          <input {...fieldProps('lk-number', errors.number)} name="number" defaultValue={m.lastTicket?.number} maxLength={32} autocomplete="off" />
        </Field>
        <Field id="lk-email" label={s.emailLabel} error={errors.email}>
          <input {...fieldProps('lk-email', errors.email)} name="email" type="email" autocomplete="email" defaultValue={m.lastTicket?.email} maxLength={LIMITS.maxEmailChars} />
        </Field>
        <div class="row">
          <button type="submit" class="btn go" disabled={busy}>
            {s.lookUp}
          </button>
          <button type="button" class="link" onClick={() => m.show('chat')}>
            {s.back}
          </button>
        </div>
      </form>
      <div aria-live="polite">
        {result === 'none' && <p>{s.ticketNotFound}</p>}
        {result === 'failed' && <p>{s.requestFailed}</p>}
        {result && typeof result === 'object' && <TicketView t={result} s={s} />}
      </div>
    </div>
  );
}

function TicketView({ t, s }: { t: Ticket; s: Strings }) {
  const replies = t.messages.filter((x) => x.author.role === 'agent').length;
  return (
    <section class="ticket" aria-label={t.number}>
      <h4>
        {t.number}: {t.subject}
      </h4>
      <p class="tstatus">{format(s.ticketStatus, { status: s[STATUS_WORD[t.status]] ?? t.status })}</p>
      <ul>
        {t.messages.map((x, i) => (
          <li key={i} class={`msg ${x.author.role}`}>
            <span class="who">{x.author.role === 'visitor' ? s.you : x.author.role === 'agent' ? x.author.name || s.agent : s.system}</span>
            <span class="text">{x.text}</span>
          </li>
        ))}
      </ul>
      {!replies && <p>{s.noReplies}</p>}
    </section>
  );
}
