import { useId, useRef, useState } from 'preact/hooks';
import type { RefObject, TargetedKeyboardEvent } from 'preact';
import { LIMITS, type SavedReply } from '@parley/protocol';
import { strings } from './strings.js';

/** Props of {@link Composer}. */
export interface ComposerProps {
  /** Only the agent who has an active conversation may reply. */
  enabled: boolean;
  /** Shown instead of the hint when disabled. */
  disabledReason: string;
  onSend(text: string): void;
  /** Adds a private note; given, the composer offers a Reply / Private note switch. Rejects to keep the text. */
  onNote?(text: string): Promise<void>;
  /** Tells the visitor whether I am typing (replies only: notes are private). */
  onTyping?(typing: boolean): void;
  /** Canned answers the picker inserts. */
  savedReplies?: readonly SavedReply[];
  inputRef?: RefObject<HTMLTextAreaElement | null>;
  /** The unsent text to start with (kept per conversation by the caller). */
  draft?: string;
  /** Called with the text on every change, and with '' after sending. */
  onDraft?(text: string): void;
}

/**
 * The reply box: Enter sends, Shift+Enter adds a line, an IME composition's Enter is left
 * alone. Text over the protocol's limit is refused here with a clear message rather than
 * being sent to fail at the relay. A switch turns it into a private-note box; a saved
 * replies picker (button, or `/` in an empty box) inserts canned text.
 *
 * @example
 * <Composer enabled={mine} disabledReason="Take the conversation to reply." onSend={(t) => client.send(id, t)} />
 */
export function Composer(props: ComposerProps) {
  const { enabled, disabledReason, onSend, onNote, onTyping, savedReplies = [], draft = '', onDraft } = props;
  const [text, setTextState] = useState(draft);
  const [mode, setMode] = useState<'reply' | 'note'>('reply');
  const [picking, setPicking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ids = useId();
  const ownRef = useRef<HTMLTextAreaElement>(null);
  const inputRef = props.inputRef ?? ownRef;
  const pickerRef = useRef<HTMLUListElement>(null);
  const note = mode === 'note' && !!onNote;
  // Notes are for any agent on the conversation; replies only for the one who has it.
  const can = note || enabled;

  const setText = (value: string) => {
    setTextState(value);
    onDraft?.(value);
  };

  async function submit() {
    if (!can || !text.trim()) return;
    if (text.length > LIMITS.maxTextChars) {
      setError(strings.composer.tooLong(LIMITS.maxTextChars));
      return;
    }
    if (note) {
      try {
        await onNote!(text);
      } catch (err) {
        setError(strings.conversation.actionFailed(err instanceof Error ? err.message : String((err as { message?: string })?.message ?? err)));
        return;
      }
    } else {
      onSend(text);
      onTyping?.(false);
    }
    setText('');
    setError(null);
  }

  function openPicker() {
    setPicking(true);
    setTimeout(() => pickerRef.current?.querySelector('button')?.focus());
  }

  function closePicker() {
    setPicking(false);
    inputRef.current?.focus();
  }

  function onKeyDown(event: TargetedKeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === '/' && !text && savedReplies.length) {
      event.preventDefault();
      openPicker();
      return;
    }
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    void submit();
  }

  const describedBy = error ? `${ids}-hint ${ids}-err` : `${ids}-hint`;
  return (
    <form
      class={`pc-composer${note ? ' pc-composer-note' : ''}`}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      {onNote ? (
        <fieldset class="pc-mode">
          <legend class="pc-vh">{strings.composer.mode}</legend>
          {(['reply', 'note'] as const).map((m) => (
            <label key={m}>
              <input type="radio" name={`${ids}-mode`} checked={mode === m} onChange={() => setMode(m)} />{' '}
              {m === 'reply' ? strings.composer.reply : strings.composer.note}
            </label>
          ))}
        </fieldset>
      ) : null}
      <label for={`${ids}-text`}>{note ? strings.composer.noteLabel : strings.composer.label}</label>
      <textarea
        id={`${ids}-text`}
        ref={inputRef}
        rows={3}
        value={text}
        disabled={!can}
        aria-describedby={describedBy}
        aria-invalid={error ? true : undefined}
        onInput={(e) => {
          setText(e.currentTarget.value);
          if (!note) onTyping?.(e.currentTarget.value.trim() !== '');
        }}
        onBlur={() => !note && onTyping?.(false)}
        onKeyDown={onKeyDown}
      />
      <p id={`${ids}-hint`} class="pc-hint">
        {can ? strings.composer.hint : disabledReason}
        {can && savedReplies.length ? ` ${strings.replies.hint}` : ''}
      </p>
      {error ? (
        <p id={`${ids}-err`} class="pc-error" role="alert">
          {error}
        </p>
      ) : null}
      <div class="pc-composer-actions">
        {savedReplies.length ? (
          <button
            type="button"
            aria-expanded={picking}
            aria-controls={`${ids}-replies`}
            disabled={!can}
            onClick={() => (picking ? setPicking(false) : openPicker())}
          >
            {strings.replies.open}
          </button>
        ) : null}
        <button type="submit" disabled={!can}>
          {note ? strings.composer.addNote : strings.composer.send}
        </button>
      </div>
      {picking ? (
        <ul
          id={`${ids}-replies`}
          ref={pickerRef}
          class="pc-replies"
          aria-label={strings.replies.open}
          onKeyDown={(e) => {
            // Arrow keys move between the replies; Escape goes back to the text box.
            const items = [...(pickerRef.current?.querySelectorAll('button') ?? [])];
            const at = items.indexOf(e.target as HTMLButtonElement);
            if (e.key === 'Escape') {
              e.preventDefault();
              e.stopPropagation();
              closePicker();
            } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
              e.preventDefault();
              items[(at + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
            }
          }}
        >
          {savedReplies.map((r) => (
            <li key={r.id}>
              <button
                type="button"
                onClick={() => {
                  setText(text.trim() ? `${text.replace(/\s+$/, '')} ${r.text}` : r.text);
                  closePicker();
                }}
              >
                <span class="pc-reply-title">{r.title}</span> <span class="pc-reply-text">{r.text}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </form>
  );
}
