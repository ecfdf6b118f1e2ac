import type { Ticket } from '@parley/protocol';
import { LIMITS } from '@parley/protocol';
import { useRef, useState } from 'preact/hooks';
import { format } from '../i18n.js';
import type { Model } from '../model.js';
import { who } from '../transcript-text.js';
import { Back, Form, type Spec } from './fields.js';
import { useGrabFocus } from './focus.js';

const email = (id: string, l: string, v?: string): Spec => ({ n: 'email', id, l, t: 'email', v, x: LIMITS.maxEmailChars });

/**
 * The ticket form offered instead of a dead chat when no fitting agent is online (or the
 * desk is closed): problem type (when the desk has topics), subject, description, e-mail.
 * The new number is announced, focused and kept for the lookup view.
 */
export function TicketForm({ m }: { m: Model }) {
  const s = m.s.value;
  const info = m.info.value;
  const topics = info?.topics ?? [];
  const [done, setDone] = useState('');
  const ref = useRef<HTMLParagraphElement>(null);
  useGrabFocus(m, ref, done);
  if (done) {
    return (
      <div class="stack">
        <p ref={ref} tabIndex={-1} role="status" class="done">
          {format(s.ticketCreated, { number: done })}
        </p>
        <div class="row">
          <button type="button" class="btn" onClick={() => m.show('lookup')}>
            {s.checkTicket}
          </button>
          <Back m={m} />
        </div>
      </div>
    );
  }
  return (
    <Form
      m={m}
      title={s.leaveMessage}
      submit={s.submit}
      fields={[
        ...(topics.length ? [{ n: 'topic', id: 'tk-topic', l: s.topicLabel, o: topics, v: m.topic.value }] : []),
        { n: 'subject', id: 'tk-subject', l: s.subjectLabel, x: LIMITS.maxSubjectChars },
        { n: 'description', id: 'tk-desc', l: s.descriptionLabel, t: 'area', x: LIMITS.maxTextChars },
        email('tk-email', s.emailLabel),
      ]}
      go={async ({ topic, ...v }) => {
        // Absent keys stay out of the JSON body.
        const { number } = await m.desk.createTicket({
          topic: topic || undefined,
          ...(v as { subject: string; description: string; email: string }),
          lang: m.uiLang.value,
          conversationId: m.client.conversation.value?.id,
        });
        m.lastTicket = { number, email: v.email! };
        m.wantFocus = true;
        setDone(number);
      }}
    >
      {info?.open === false && <p>{info.reason === 'closed_hours' ? s.closedHours : s.noAgents}</p>}
    </Form>
  );
}

/** "Check a ticket": number + e-mail show the ticket's status and its replies, as text. */
export function TicketLookup({ m }: { m: Model }) {
  const s = m.s.value;
  const [result, setResult] = useState<Ticket | 0 | 1 | null>(null);
  return (
    <div class="stack">
      <Form
        m={m}
        cls=" flat"
        title={s.checkTicket}
        submit={s.lookUp}
        fields={[{ n: 'number', id: 'lk-number', l: s.ticketNumberLabel, v: m.lastTicket?.number, x: 32, ac: 'off' }, email('lk-email', s.emailLabel, m.lastTicket?.email)]}
        go={({ number, email }) =>
          m.desk.ticket(number!.toUpperCase(), email!).then(
            (t) => setResult(t ?? 0),
            () => setResult(1),
          )
        }
      />
      <div aria-live="polite">
        {result === 0 ? <p>{s.ticketNotFound}</p> : result === 1 ? <p>{s.requestFailed}</p> : result && <TicketView t={result} m={m} />}
      </div>
    </div>
  );
}

function TicketView({ t, m }: { t: Ticket; m: Model }) {
  const s = m.s.value;
  return (
    <section class="ticket" aria-label={t.number}>
      <h4>
        {t.number}: {t.subject}
      </h4>
      <p class="tstatus">
        {format(s.ticketStatus, { status: s[`t${t.status[0]!.toUpperCase()}${t.status.slice(1)}` as 'tOpen'] ?? t.status })}
      </p>
      <ul>
        {t.messages.map((x, i) => (
          <li key={i} class={`msg ${x.author.role}`}>
            <span class="who">{who(x.author, s)}</span>
            <span class="text">{x.text}</span>
          </li>
        ))}
      </ul>
      {!t.messages.some((x) => x.author.role === 'agent') && <p>{s.noReplies}</p>}
    </section>
  );
}
