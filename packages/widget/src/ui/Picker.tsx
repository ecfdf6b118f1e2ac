import { useRef } from 'preact/hooks';
import { LANGS, LANG_NAMES } from '../i18n.js';
import type { Model } from '../model.js';
import { useGrabFocus } from './focus.js';

/** The language choice shown before the first chat when the page gave no language. */
export function Picker({ m }: { m: Model }) {
  const first = useRef<HTMLButtonElement>(null);
  useGrabFocus(m, first);
  return (
    <div class="pick" role="group" aria-labelledby="pick-h">
      <h3 id="pick-h">{m.s.value.chooseLanguage}</h3>
      {LANGS.map((code, i) => (
        <button key={code} ref={i ? undefined : first} type="button" class="btn" lang={code} onClick={() => m.chooseLang(code)}>
          {LANG_NAMES[code]}
        </button>
      ))}
    </div>
  );
}
