import { LIMITS } from '@parley/protocol';
import { useRef, useState } from 'preact/hooks';
import { format } from '../i18n.js';
import type { Model } from '../model.js';
import { stamp, transcriptText } from '../transcript-text.js';
import { check, fieldProps, useRun } from './fields.js';

/**
 * The transcript tools under the chat: download it as a text file, have it e-mailed, and
 * look up a ticket. The e-mail form opens in place; its result is announced politely.
 */
export function Tools({ m }: { m: Model }) {
  const s = m.s.value;
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState('');
  const [note, setNote] = useState('');
  const [busy, failed, run] = useRun();
  const input = useRef<HTMLInputElement>(null);
  const shown = failed ? s.requestFailed : error;

  return (
    <div class="tools">
      {m.client.transcript.value.some((i) => i.kind === 'message' && !i.pending && !i.failed) && (
        <>
          <button
            type="button"
            class="link"
            onClick={() => m.download(`transcript-${stamp(new Date(), false)}.txt`, transcriptText(m.client.transcript.value, s, s.title))}
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
        <form
          class="mail"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const to = input.current!.value.trim();
            const bad = check(to, 'email', s);
            setError(bad);
            if (bad) input.current!.focus();
            else
              run(() =>
                m.client.emailTranscript(to).then(() => {
                  setNote(format(s.transcriptSent, { email: to }));
                  setAsking(false);
                }),
              );
          }}
        >
          <label for="tr-email" class="sr">
            {s.emailLabel}
          </label>
          <input
            ref={input}
            {...fieldProps('tr-email', shown)}
            type="email"
            autocomplete="email"
            placeholder={s.emailLabel}
            maxLength={LIMITS.maxEmailChars}
          />
          <button type="submit" class="btn" disabled={busy}>
            {s.send}
          </button>
          {shown && (
            <span id="tr-email-e" class="err">
              {shown}
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
