import type { ChatMessage } from '@parley/client';
import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';
import { format, type Strings } from '../i18n.js';
import type { Model } from '../model.js';
import { statusLine, who } from '../transcript-text.js';
import { handOffFrom, useGrabFocus } from './focus.js';
import { DESK } from '../variant.js';

/**
 * The conversation as a live log. Message text is only ever a JSX text child, so markup
 * in a message shows as the characters it is; `white-space: pre-wrap` keeps line breaks.
 */
export function Transcript({ m }: { m: Model }) {
  const s = m.s.value;
  const items = m.client.transcript.value;
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [items]);
  // "Did this help?" goes under the bot's latest message, if that is an article, while the
  // bot still has the conversation: after a hand-off the question no longer matters. Only in
  // the desk build (variant.ts): it did not fit in the chat build's size budget.
  // (Both tests of DESK are needed for rollup to drop `Helped` from the chat build.)
  let ask: string | undefined;
  if (DESK && m.client.status.value === 'bot') {
    for (const i of items) if (i.kind === 'message' && i.author.role === 'bot') ask = i.articleId ? i.key : undefined;
  }
  return (
    // tabIndex: a scrollable region must be reachable by keyboard to be scrolled.
    <div ref={ref} class="log" role="log" aria-live="polite" aria-relevant="additions" aria-label={s.title} tabIndex={0}>
      {items.length === 0 && <p class="status">{s.greeting}</p>}
      {items.map((item) => {
        if (item.kind === 'message')
          return <Message key={item.key} msg={item} s={s} send={(t) => m.client.send(t)} helped={DESK && item.key === ask && <Helped m={m} k={item.key} />} />;
        // Private notes are for agents; the relay never sends them here, and if one came it stays unseen.
        if (item.kind !== 'status') return null;
        const line = statusLine(item, s);
        return (
          line && (
            <p key={item.key} class="status">
              {line}
            </p>
          )
        );
      })}
    </div>
  );
}

function Message({ msg, s, send, helped }: { msg: ChatMessage; s: Strings; send: (text: string) => void; helped: ComponentChildren }) {
  const role = msg.author.role;
  const cls = `msg ${role}${msg.failed ? ' failed' : msg.pending ? ' pending' : ''}`;
  return (
    <div class={cls}>
      {/* Screen readers hear "You: …", "Bot: …", "Ana: …"; sighted users see the bubble's side and colour. */}
      <span class={role === 'visitor' ? 'sr' : 'who'}>
        {who(msg.author, s)}
        <span class="sr">: </span>
      </span>
      <span class="text">{msg.text}</span>
      {msg.suggestions && msg.suggestions.length > 0 && (
        <ul class="sugg">
          {msg.suggestions.map((a) => (
            <li key={a.id}>
              <button type="button" class="btn" onClick={() => send(a.title)}>
                {a.title}
              </button>
            </li>
          ))}
        </ul>
      )}
      {msg.failed ? (
        <span class="meta">{format(s.notSent, { reason: msg.failed.message || msg.failed.code })}</span>
      ) : (
        msg.pending && <span class="meta">{s.sending}</span>
      )}
      {helped}
    </div>
  );
}

/**
 * "Did this help?" under a bot answer. Yes: a thank-you, focus back to the composer. No: an
 * apology and "Talk to a person" (the same hand-off as the bar's button), which takes focus.
 * The log is a polite live region, so what replaces the buttons is read out.
 */
function Helped({ m, k }: { m: Model; k: string }) {
  const s = m.s.value;
  const answer = m.helped.value[k];
  const person = useRef<HTMLButtonElement>(null);
  useGrabFocus(m, person, answer);
  const say = (a: 'yes' | 'no', e: Event) => {
    const panel = (e.currentTarget as HTMLElement).closest('.panel');
    m.helped.value = { ...m.helped.value, [k]: a };
    if (a === 'no') m.wantFocus = true;
    else panel?.querySelector('textarea')?.focus();
  };
  return (
    <p class="fb">
      {answer === 'yes' ? (
        s.helpedYes
      ) : answer === 'no' ? (
        <>
          {s.helpedNo}{' '}
          <button ref={person} type="button" class="btn" onClick={(e) => handOffFrom(m, e.currentTarget)}>
            {s.talkToPerson}
          </button>
        </>
      ) : (
        <>
          {s.didItHelp}{' '}
          <button type="button" class="btn" onClick={(e) => say('yes', e)}>
            {s.yes}
          </button>{' '}
          <button type="button" class="btn" onClick={(e) => say('no', e)}>
            {s.no}
          </button>
        </>
      )}
    </p>
  );
}
