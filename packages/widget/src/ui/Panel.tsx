import type { ConnectionState } from '@parley/client';
import type { Strings } from '../i18n.js';
import type { Model } from '../model.js';
import { Chat } from './Chat.js';
import { Picker } from './Picker.js';

const STATE_WORDS: Record<ConnectionState, keyof Strings | null> = {
  idle: null,
  connecting: 'connecting',
  online: 'online',
  reconnecting: 'reconnecting',
  offline: 'offline',
};

/**
 * The chat panel: a non-modal dialog (the page stays usable, so focus is not trapped and
 * Tab moves on naturally). Escape closes it and returns focus to the launcher.
 */
export function Panel({ m }: { m: Model }) {
  const s = m.s.value;
  const chosen = m.lang.value;
  const words = STATE_WORDS[m.client.state.value];
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
          {chosen && words && (
            <p class="state" role="status">
              {s[words]}
            </p>
          )}
        </div>
        <button type="button" class="x" aria-label={s.closeChat} onClick={() => m.setOpen(false)}>
          ×
        </button>
      </header>
      <p class="note">{s.safety}</p>
      {chosen ? <Chat m={m} /> : <Picker m={m} />}
    </div>
  );
}
