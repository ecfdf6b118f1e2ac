import type { ChatMessage } from '@parley/client';
import { useLayoutEffect, useRef } from 'preact/hooks';
import { format, type Strings } from '../i18n.js';
import type { Model } from '../model.js';
import { statusLine, who } from '../transcript-text.js';

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
  return (
    // tabIndex: a scrollable region must be reachable by keyboard to be scrolled.
    <div ref={ref} class="log" role="log" aria-live="polite" aria-relevant="additions" aria-label={s.title} tabIndex={0}>
      {items.length === 0 && <p class="status">{s.greeting}</p>}
      {items.map((item) => {
        if (item.kind === 'message') return <Message key={item.key} msg={item} s={s} send={(t) => m.client.send(t)} />;
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

function Message({ msg, s, send }: { msg: ChatMessage; s: Strings; send: (text: string) => void }) {
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
    </div>
  );
}
