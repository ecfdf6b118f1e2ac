import { useRef } from 'preact/hooks';
import type { Model } from '../model.js';
import { useGrabFocus } from './focus.js';

/** Pre-chat: the visitor picks a problem type (the desk's topics) before the first message. */
export function Topics({ m }: { m: Model }) {
  const s = m.s.value;
  const first = useRef<HTMLButtonElement>(null);
  useGrabFocus(m, first);
  return (
    <div class="pick one" role="group" aria-labelledby="topic-h">
      <h3 id="topic-h">{s.chooseTopic}</h3>
      {(m.info.value?.topics ?? []).map((t, i) => (
        <button key={t.id} ref={i ? undefined : first} type="button" class="btn" onClick={() => m.chooseTopic(t.id)}>
          {t.label}
        </button>
      ))}
      <button type="button" class="link" onClick={() => m.show('help')}>
        {s.helpArticles}
      </button>
      <button type="button" class="link" onClick={() => m.show('lookup')}>
        {s.checkTicket}
      </button>
    </div>
  );
}
