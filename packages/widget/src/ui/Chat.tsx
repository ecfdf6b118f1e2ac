import { useRef } from 'preact/hooks';
import { format } from '../i18n.js';
import type { Model } from '../model.js';
import { Composer } from './Composer.js';
import { handOffFrom, useGrabFocus } from './focus.js';
import { Rating } from './Rating.js';
import { Tools } from './Tools.js';
import { Transcript } from './Transcript.js';
import { DESK } from '../variant.js';

/** The transcript, the hand-off button or queue place, the composer (or rating and "start new" once closed) and the tools. */
export function Chat({ m }: { m: Model }) {
  const s = m.s.value;
  const status = m.client.status.value;
  // Typing, rating and the transcript tools are the desk build's (variant.ts).
  const typing = DESK && m.client.agentTyping.value;
  // Only a chat a person took part in is worth rating.
  const hadAgent = DESK && m.client.transcript.value.some((i) => i.kind === 'status' && i.status === 'active');
  return (
    <>
      <Transcript m={m} />
      {typing && status === 'active' && <p class="typing">{format(s.typing, { name: typing.name || m.client.agent.value?.name || s.agent })}</p>}
      {status === 'bot' && (
        <p class="bar">
          <button
            type="button"
            class="btn"
            onClick={(e) => handOffFrom(m, e.currentTarget)}
          >
            {s.talkToPerson}
          </button>
        </p>
      )}
      {status === 'waiting' && <Queue m={m} />}
      {status === 'closed' ? (
        <>
          {hadAgent && <Rating m={m} />}
          <StartNew m={m} />
        </>
      ) : (
        <Composer m={m} />
      )}
      <div class="bar end">
        {(status === 'waiting' || status === 'active') && (
          <button type="button" class="link" onClick={() => m.client.closeConversation()}>
            {s.endChat}
          </button>
        )}
        {DESK && (
          <button type="button" class="link" onClick={() => m.show('help')}>
            {s.helpArticles}
          </button>
        )}
        {DESK && <Tools m={m} />}
      </div>
    </>
  );
}

/**
 * Where the visitor stands. Only the position sits in a live region, so a screen reader
 * hears "You are number 2 in the queue" when it changes, not every estimate update.
 */
function Queue({ m }: { m: Model }) {
  const s = m.s.value;
  const p = DESK ? m.client.position.value : null;
  const eta = p?.etaSeconds;
  return (
    <div class="bar queue">
      <p>{s.waitingNote}</p>
      {DESK && (
        <p>
          <span aria-live="polite">{p ? format(s.queuePosition, { n: p.position }) : ''}</span>{' '}
          {eta !== undefined && p && (eta < 60 ? s.queueEtaSoon : format(s.queueEta, { min: Math.ceil(eta / 60) }))}
        </p>
      )}
    </div>
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
