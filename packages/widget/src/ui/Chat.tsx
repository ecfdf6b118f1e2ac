import { useRef } from 'preact/hooks';
import type { Model } from '../model.js';
import { Composer } from './Composer.js';
import { useGrabFocus } from './focus.js';
import { Transcript } from './Transcript.js';

/** The transcript, the hand-off button or note, and the composer (or "start new" once closed). */
export function Chat({ m }: { m: Model }) {
  const s = m.s.value;
  const status = m.client.status.value;
  return (
    <>
      <Transcript m={m} />
      {status === 'bot' && (
        <p class="bar">
          <button
            type="button"
            class="btn"
            onClick={(e) => {
              m.client.requestHuman();
              // This button disappears once the relay confirms; keep focus somewhere useful.
              e.currentTarget.closest('.panel')?.querySelector('textarea')?.focus();
            }}
          >
            {s.talkToPerson}
          </button>
        </p>
      )}
      {status === 'waiting' && <p class="bar">{s.waitingNote}</p>}
      {status === 'closed' ? <StartNew m={m} /> : <Composer m={m} />}
      {(status === 'waiting' || status === 'active') && (
        <p class="bar end">
          <button type="button" class="link" onClick={() => m.client.closeConversation()}>
            {s.endChat}
          </button>
        </p>
      )}
    </>
  );
}

function StartNew({ m }: { m: Model }) {
  const ref = useRef<HTMLButtonElement>(null);
  useGrabFocus(m, ref);
  return (
    <p class="bar">
      <button
        ref={ref}
        type="button"
        class="btn go"
        onClick={() => {
          m.wantFocus = true;
          m.client.startNew();
        }}
      >
        {m.s.value.startNew}
      </button>
    </p>
  );
}
