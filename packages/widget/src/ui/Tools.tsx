import { LIMITS } from '@parley/protocol';
import { useRef, useState } from 'preact/hooks';
import { EMAIL_RE } from '../desk.js';
import { format } from '../i18n.js';
import type { Model } from '../model.js';
import { transcriptText } from '../transcript-text.js';
import { fieldProps } from './fields.js';

/**
 * The transcript tools under the chat: download it as a text file, have it e-mailed, and
 * look up a ticket. The e-mail form opens in place; its result is announced politely.
 */
export function Tools({ m }: { m: Model }) {
  const s = m.s.value;
  const items = m.client.transcript.value;
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const hasMessages = items.some((i) => i.kind === 'message' && !i.pending && !i.failed);

  const send = async (e: Event) => {
    e.preventDefault();
    const to = input.current?.value.trim() ?? '';
    if (busy) return;
    if (!EMAIL_RE.test(to)) {
      setError(to ? s.badEmail : s.required);
      return input.current?.focus();
    }
    setError('');
    setBusy(true);
    try {
      await m.client.emailTranscript(to);
      setNote(format(s.transcriptSent, { email: to }));
      setAsking(false);
    } catch {
      setError(s.requestFailed);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="tools">
      {hasMessages && (
        <>
          <button
            type="button"
            class="link"
            onClick={() => {
              const d = new Date();
              const day = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
              m.download(`transcript-${day}.txt`, transcriptText(m.client.transcript.value, s, s.title));
            }}
          >
            {s.downloadTranscript}
          </button>
          <button
            type="button"
            class="link"
            aria-expanded={asking}
            onClick={() => {
              setAsking(!asking);
              setNote('');
              setTimeout(() => input.current?.focus());
            }}
          >
            {s.emailTranscript}
          </button>
        </>
      )}
      <button type="button" class="link" onClick={() => m.show('lookup')}>
        {s.checkTicket}
      </button>
      {asking && (
        <form class="mail" noValidate onSubmit={send}>
          <label for="tr-email" class="sr">
            {s.emailLabel}
          </label>
          <input
            ref={input}
            {...fieldProps('tr-email', error)}
            type="email"
            autocomplete="email"
            placeholder={s.emailLabel}
            maxLength={LIMITS.maxEmailChars}
          />
          <button type="submit" class="btn" disabled={busy}>
            {s.send}
          </button>
          {error && (
            <span id="tr-email-e" class="err">
              {error}
            </span>
          )}
        </form>
      )}
      {/* A polite live region, always present so the message is announced when it appears. */}
      <span class="sent" aria-live="polite">
        {note}
      </span>
    </div>
  );
}
