import { LIMITS } from '@parley/protocol';
import { useRef, useState } from 'preact/hooks';
import { format } from '../i18n.js';
import type { Model } from '../model.js';
import { useRun } from './fields.js';

/**
 * After an agent's chat is closed: a 1-5 rating (native radios in a fieldset, so arrow
 * keys move between them and the legend names the group) and an optional comment, sent once.
 */
export function Rating({ m }: { m: Model }) {
  const s = m.s.value;
  const [score, setScore] = useState(0);
  const comment = useRef<HTMLTextAreaElement>(null);
  const [busy, failed, run] = useRun();
  const [sent, setSent] = useState(false);
  if (sent || m.client.rating.value) {
    return (
      <p class="bar" role="status">
        {s.rateThanks}
      </p>
    );
  }
  return (
    <form
      class="stack rate"
      onSubmit={(e) => {
        e.preventDefault();
        if (score)
          run(() =>
            m.client.rate(score, comment.current!.value.trim() || undefined).then(
              () => setSent(true),
              (err: { code?: string } | null) => {
                // `conflict`: it was rated already (another tab); either way there is nothing left to do.
                if (err?.code !== 'conflict') throw err;
                setSent(true);
              },
            ),
          );
      }}
    >
      <fieldset>
        <legend>{s.rateTitle}</legend>
        <div class="stars">
          {[1, 2, 3, 4, 5].map((n) => (
            <label key={n} class={n <= score ? 'on' : undefined}>
              <input type="radio" name="score" value={n} checked={score === n} onChange={() => setScore(n)} />
              <span aria-hidden="true">★</span>
              <span class="sr">{format(s.rateScore, { n })}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <div class="fld">
        <label for="rate-c">{s.rateComment}</label>
        <textarea ref={comment} id="rate-c" maxLength={LIMITS.maxCommentChars} />
      </div>
      {failed && <p role="alert">{s.requestFailed}</p>}
      <div class="row">
        <button type="submit" class="btn go" disabled={!score || busy}>
          {s.rateSend}
        </button>
      </div>
    </form>
  );
}
