import type { RefObject } from 'preact';
import { useLayoutEffect } from 'preact/hooks';
import type { Model } from '../model.js';

/**
 * Focus this element when it appears, if the model asked for focus (see `Model.wantFocus`).
 * Whichever control appears first after an open, a language pick or a new start takes it,
 * so keyboard and screen-reader users land where they can act. `key`: look again when it
 * changes (a component whose element appears later, like a form's confirmation).
 */
export function useGrabFocus(m: Model, ref: RefObject<HTMLElement | null>, key?: unknown): void {
  useLayoutEffect(() => {
    if (m.wantFocus && ref.current) {
      m.wantFocus = false;
      ref.current.focus();
    }
  }, [key]);
}

/**
 * "Talk to a person", from whichever button offers it: hand off, and since the button
 * disappears once the relay confirms, keep focus somewhere useful (the composer).
 */
export function handOffFrom(m: Model, button: HTMLElement): void {
  const panel = button.closest('.panel');
  m.handOff();
  if (m.view.value === 'chat') panel?.querySelector('textarea')?.focus();
}
