import type { Model } from '../model.js';
import { Chat } from './Chat.js';
import { Help } from './Help.js';
import { Picker } from './Picker.js';
import { TicketForm, TicketLookup } from './Tickets.js';
import { Topics } from './Topics.js';
import { DESK } from '../variant.js';

/**
 * The chat panel: a non-modal dialog (the page stays usable, so focus is not trapped and
 * Tab moves on naturally). Escape closes it and returns focus to the launcher.
 */
export function Panel({ m }: { m: Model }) {
  const s = m.s.value;
  const chosen = m.lang.value;
  // Each connection state but `idle` has its own string, named like the state.
  const state = m.client.state.value;
  return (
    <div
      class={m.launcher ? 'panel' : 'panel solo'}
      role="dialog"
      aria-label={s.title}
      lang={m.uiLang.value}
      onKeyDown={(e) => {
        // Escape during IME composition cancels the composition, not the chat.
        if (e.key === 'Escape' && !e.isComposing) {
          e.stopPropagation();
          m.setOpen(false);
        }
      }}
    >
      <header>
        <div>
          <h2 class="t">{s.title}</h2>
          {chosen && state !== 'idle' && (
            <p class="state" role="status">
              {s[state]}
            </p>
          )}
        </div>
        <button type="button" class="x" aria-label={s.closeChat} onClick={() => m.setOpen(false)}>
          ×
        </button>
      </header>
      <p class="note">{s.safety}</p>
      <Body m={m} />
    </div>
  );
}

/** What the panel shows: language, then problem type (before the first message), then the chat, a ticket view or the help center. */
function Body({ m }: { m: Model }) {
  if (!m.lang.value) return <Picker m={m} />;
  if (DESK) {
    const view = m.view.value;
    if (view === 'ticket') return <TicketForm m={m} />;
    if (view === 'lookup') return <TicketLookup m={m} />;
    if (view === 'help') return <Help m={m} />;
    const fresh = !m.client.transcript.value.some((i) => i.kind === 'message') && (m.client.status.value ?? 'bot') === 'bot';
    if (fresh && !m.topic.value && m.info.value?.topics.length) return <Topics m={m} />;
  }
  return <Chat m={m} />;
}
