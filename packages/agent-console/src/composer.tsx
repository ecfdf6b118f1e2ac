import { useId, useState } from 'preact/hooks';
import type { RefObject, TargetedKeyboardEvent } from 'preact';
import { LIMITS } from '@parley/protocol';
import { strings } from './strings.js';

/** Props of {@link Composer}. */
export interface ComposerProps {
  /** Only the agent who has an active conversation may reply. */
  enabled: boolean;
  /** Shown instead of the hint when disabled. */
  disabledReason: string;
  onSend(text: string): void;
  inputRef?: RefObject<HTMLTextAreaElement | null>;
  /** The unsent text to start with (kept per conversation by the caller). */
  draft?: string;
  /** Called with the text on every change, and with '' after sending. */
  onDraft?(text: string): void;
}

/**
 * The reply box: Enter sends, Shift+Enter adds a line, an IME composition's Enter is left
 * alone. Text over the protocol's limit is refused here with a clear message rather than
 * being sent to fail at the relay.
 *
 * @example
 * <Composer enabled={mine} disabledReason="Take the conversation to reply." onSend={(t) => client.send(id, t)} />
 */
export function Composer({ enabled, disabledReason, onSend, inputRef, draft = '', onDraft }: ComposerProps) {
  const [text, setTextState] = useState(draft);
  const setText = (value: string) => {
    setTextState(value);
    onDraft?.(value);
  };
  const [error, setError] = useState<string | null>(null);
  const ids = useId();

  function submit() {
    if (!enabled || !text.trim()) return;
    if (text.length > LIMITS.maxTextChars) {
      setError(strings.composer.tooLong(LIMITS.maxTextChars));
      return;
    }
    onSend(text);
    setText('');
    setError(null);
  }

  function onKeyDown(event: TargetedKeyboardEvent<HTMLTextAreaElement>) {
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    submit();
  }

  const describedBy = error ? `${ids}-hint ${ids}-err` : `${ids}-hint`;
  return (
    <form
      class="pc-composer"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label for={`${ids}-text`}>{strings.composer.label}</label>
      <textarea
        id={`${ids}-text`}
        ref={inputRef}
        rows={3}
        value={text}
        disabled={!enabled}
        aria-describedby={describedBy}
        aria-invalid={error ? true : undefined}
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={onKeyDown}
      />
      <p id={`${ids}-hint`} class="pc-hint">
        {enabled ? strings.composer.hint : disabledReason}
      </p>
      {error ? (
        <p id={`${ids}-err`} class="pc-error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" disabled={!enabled}>
        {strings.composer.send}
      </button>
    </form>
  );
}
