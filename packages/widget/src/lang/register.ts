import type { Lang, Strings } from '../i18n.js';

/**
 * The global a language pack script (dist/parley-lang-xx.js) puts its table on:
 * `window.ParleyLangs.zh = {...}`. A registry rather than a callback, so a pack that
 * loads before or after the widget works the same.
 */
export const LANGS_GLOBAL = 'ParleyLangs';

type Registry = Partial<Record<Lang, Strings>>;

/** Called by each pack entry (lang/pack-xx.ts) when its script runs. */
export function registerPack(lang: Lang, strings: Strings): void {
  const g = globalThis as unknown as Record<string, Registry | undefined>;
  (g[LANGS_GLOBAL] ??= {})[lang] = strings;
}

/** The pack a script registered, if it did. */
export function registeredPack(lang: Lang): Strings | undefined {
  return (globalThis as unknown as Record<string, Registry | undefined>)[LANGS_GLOBAL]?.[lang];
}
