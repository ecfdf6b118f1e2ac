import { EN, withOverrides, type Lang, type StringOverrides, type Strings } from '../i18n.js';
import { ES } from './es.js';
import { JA } from './ja.js';
import { KO } from './ko.js';
import { RU } from './ru.js';
import { ZH } from './zh.js';

/**
 * All built-in translations. The npm build (`@parley/widget`) bundles them; the script-tag
 * build ships English only and loads the others as dist/parley-lang-xx.js when chosen.
 *
 * @example
 * STRINGS.es.talkToPerson; // 'Hablar con una persona'
 */
export const STRINGS: Record<Lang, Strings> = { en: EN, zh: ZH, es: ES, ru: RU, ja: JA, ko: KO };

/**
 * The strings for one language with the caller's overrides on top. Overrides that are not
 * strings are ignored, so a typo in a page's config cannot blank the UI.
 *
 * @example
 * stringsFor('en', { en: { title: 'Help desk' } }).title; // 'Help desk'
 */
export function stringsFor(lang: Lang, overrides?: StringOverrides): Strings {
  return withOverrides(STRINGS[lang], overrides?.[lang]);
}

/** Every language at hand at once: the npm build's {@link LangSource}. */
export const allLangs = (lang: Lang): Strings => STRINGS[lang];
