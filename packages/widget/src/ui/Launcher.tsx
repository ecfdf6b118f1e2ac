import type { Model } from '../model.js';
import { ICON_PATH } from '../shared.js';

/** The round chat button; same look as the loader's, so the hand-over is invisible. */
export function Launcher({ m }: { m: Model }) {
  const open = m.open.value;
  const s = m.s.value;
  return (
    <button
      ref={(el) => {
        m.launcherEl.current = el;
      }}
      type="button"
      class="launcher"
      aria-expanded={open}
      aria-label={open ? s.closeChat : s.openChat}
      onClick={() => m.setOpen(!open)}
    >
      <svg viewBox="0 0 24 24" aria-hidden="true">
        <path d={ICON_PATH} />
      </svg>
      {m.unread.value && <span class="dot" />}
    </button>
  );
}
