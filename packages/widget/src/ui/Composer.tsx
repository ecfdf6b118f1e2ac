import { LIMITS } from '@parley/protocol';
import { useRef, useState } from 'preact/hooks';
import { format } from '../i18n.js';
import type { Model } from '../model.js';
import { useGrabFocus } from './focus.js';
import { DESK } from '../variant.js';

/** Show the "characters left" counter from this many characters before the limit. */
const NEAR = 200;

/**
 * The message box: Enter sends, Shift+Enter adds a line. Enter while an input method is
 * composing (Chinese, Japanese, Korean) confirms the composition and must not send.
 */
export function Composer({ m }: { m: Model }) {
  const s = m.s.value;
  const text = m.draft.value;
  const left = LIMITS.maxTextChars - text.length;
  const [error, setError] = useState('');
  const ref = useRef<HTMLTextAreaElement>(null);
  useGrabFocus(m, ref);
  // The agent's typing indicator is the desk build's (variant.ts); the client throttles these.
  const typing = (on: boolean) => DESK && m.client.setTyping(on);

  const submit = () => {
    const t = m.draft.value.trim();
    if (!t) return;
    try {
      m.client.send(t);
      typing(false);
      m.draft.value = '';
      setError('');
    } catch (e) {
      // Keep the draft so nothing the visitor typed is lost.
      setError(format(s.notSent, { reason: e instanceof Error ? e.message : String(e) }));
    }
  };

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label>
        <span class="sr">{s.messageLabel}</span>
        <textarea
          ref={ref}
          value={text}
          maxLength={LIMITS.maxTextChars}
          placeholder={s.placeholder}
          onInput={(e) => {
            m.draft.value = e.currentTarget.value;
            // An emptied box means "stopped typing".
            typing(m.draft.value.trim() !== '');
          }}
          onBlur={() => typing(false)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
              e.preventDefault();
              submit();
            }
          }}
        />
      </label>
      {left <= NEAR && (
        <span class="count" aria-live="polite">
          {format(s.charsLeft, { n: left })}
        </span>
      )}
      {error && (
        <span class="count" role="alert">
          {error}
        </span>
      )}
      <button type="submit" class="send" disabled={!text.trim()}>
        {s.send}
      </button>
    </form>
  );
}
